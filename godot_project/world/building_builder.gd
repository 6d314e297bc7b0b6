# Builds a building of the world spec (docs/buildings.md) from the boxes Python derived from its
# tiles (avalon/world/building.py `building_boxes`; Python's decoder checks them against the
# tiles): StaticBodies of BoxShapes, one per kind (solid; climbable: ladder slabs and floors flagged
# climbable, never walls; glass: the invisible window colliders) and CHUNK m square, and one
# vertex-coloured mesh. Nothing of it is scanned or reported per tick.
extends Reference

const BuildingBody = preload("res://world/building_body.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

const SOLID = 0
const CLIMBABLE = 1
const GLASS = 2  # collides, not drawn
const TRIM = 3  # drawn, no collision
const BOX_FLOATS = 8  # centre xyz, size xyz, pitch about x, yaw about y (degrees)
const KIND_NAMES = ["solid", "climbable", "glass"]
# Boxes are filed into bodies by kind and by the CHUNK x CHUNK m square their centre is in, so
# Bullet's broadphase finds the few near a body (in one body per kind, every motion test of the
# player went through all of a building's boxes: OPEN ran at 44 % of EAT's steps/s headless).
const CHUNK = 4.0


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
	var bodies := {}  # [kind, chunk x, chunk z] -> its body
	var mesh := MeshBuilder.new()
	var drawn := 0
	for n in range(kinds.size()):
		var kind: int = kinds[n]
		var place := box_transform(boxes, n)
		var size := box_size(boxes, n)
		if kind != TRIM:
			var key := [
				kind, int(floor(place.origin.x / CHUNK)), int(floor(place.origin.z / CHUNK))
			]
			if not bodies.has(key):
				bodies[key] = BuildingBody.new()
				bodies[key].kind = kind
				bodies[key].climbable = kind == CLIMBABLE
				bodies[key].name = "%s_%d_%d" % [KIND_NAMES[kind], key[1], key[2]]
			var shape := BoxShape.new()
			shape.extents = size / 2.0
			var owner: int = bodies[key].create_shape_owner(bodies[key])
			bodies[key].shape_owner_add_shape(owner, shape)
			bodies[key].shape_owner_set_transform(owner, place)
		if kind != GLASS:
			drawn += 1
			if material != null:
				mesh.box(place.origin, size, palette[looks[n]], place.basis)
	root.set_meta("drawn_boxes", drawn)  # the rule scenarios check that windows are not drawn
	for key in bodies:
		root.add_child(bodies[key])
	if material != null and not mesh.is_empty():
		var instance := MeshInstance.new()
		instance.name = "mesh"
		instance.mesh = mesh.commit(material)
		root.add_child(instance)
	return root
