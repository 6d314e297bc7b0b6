# Builds a building of the world spec (docs/buildings.md) from the boxes Python derived from its
# tiles (avalon/world/building.py `building_boxes`; Python's decoder checks them against the
# tiles): one StaticBody for the solid parts, one for the climbable ones (ladder slabs and floors
# flagged climbable; never walls), one for the invisible window colliders, each holding one
# BoxShape per box, and one vertex-coloured mesh. Nothing of it is scanned or reported per tick.
extends Reference

const BuildingBody = preload("res://world/building_body.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

const SOLID = 0
const CLIMBABLE = 1
const GLASS = 2  # collides, not drawn
const TRIM = 3  # drawn, no collision
const BOX_FLOATS = 8  # centre xyz, size xyz, pitch about x, yaw about y (degrees)


static func box_transform(boxes: PoolRealArray, n: int) -> Transform:
	var o := n * BOX_FLOATS
	var basis := (
		Basis(Vector3.UP, deg2rad(boxes[o + 7]))
		* Basis(Vector3.RIGHT, deg2rad(boxes[o + 6]))
	)
	return Transform(basis, Vector3(boxes[o], boxes[o + 1], boxes[o + 2]))


static func box_size(boxes: PoolRealArray, n: int) -> Vector3:
	var o := n * BOX_FLOATS
	return Vector3(boxes[o + 3], boxes[o + 4], boxes[o + 5])


# The building's nodes (a Spatial named `name` holding its bodies and, with `material`, its mesh).
static func build(building: Dictionary, material: Material, name: String) -> Spatial:
	var root := Spatial.new()
	root.name = name
	var boxes: PoolRealArray = building["boxes"]
	var kinds: PoolByteArray = building["box_kinds"]
	var looks: PoolByteArray = building["box_looks"]
	var palette: PoolColorArray = building["palette"]
	var bodies := {}
	for kind in [SOLID, CLIMBABLE, GLASS]:
		var body := BuildingBody.new()
		body.climbable = kind == CLIMBABLE
		body.name = ["solid", "climbable", "glass"][kind]
		bodies[kind] = body
	var mesh := MeshBuilder.new()
	var drawn := 0
	for n in range(kinds.size()):
		var kind: int = kinds[n]
		var place := box_transform(boxes, n)
		var size := box_size(boxes, n)
		if bodies.has(kind):
			var shape := BoxShape.new()
			shape.extents = size / 2.0
			var owner: int = bodies[kind].create_shape_owner(bodies[kind])
			bodies[kind].shape_owner_add_shape(owner, shape)
			bodies[kind].shape_owner_set_transform(owner, place)
		if kind != GLASS:
			drawn += 1
			if material != null:
				mesh.box(place.origin, size, palette[looks[n]], place.basis)
	root.set_meta("drawn_boxes", drawn)  # the rule scenarios check that windows are not drawn
	for kind in bodies:
		if bodies[kind].get_shape_owners().empty():
			bodies[kind].free()
		else:
			root.add_child(bodies[kind])
	if material != null and not mesh.is_empty():
		var instance := MeshInstance.new()
		instance.name = "mesh"
		instance.mesh = mesh.commit(material)
		root.add_child(instance)
	return root
