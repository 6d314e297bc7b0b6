# Static items of docs/world_format.md: `altar` (stone pillar), `fruit_tree` (climbable tree that
# food hangs from) and `block` (box in a palette colour).
extends Reference

const C = preload("res://generated/constants.gd")
const Layers = preload("res://world/layers.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")
const StaticItem = preload("res://world/static_item.gd")
const TreeBuilder = preload("res://world/tree_builder.gd")

const KINDS = ["altar", "fruit_tree", "block"]
const ALTAR_COLOR = Color(0.6, 0.58, 0.55)


static func is_static(kind: String) -> bool:
	return kind in KINDS


# The item's node; for a fruit tree also its trunk as [base, radius, height] in `trunks`. `material`
# null: no mesh.
static func build(
	item: Dictionary, palette: PoolColorArray, material: Material, trunks: Array
) -> StaticBody:
	var body := StaticItem.new()
	body.item_id = item["id"]
	body.kind_index = C.ENTITY_KINDS.find(item["kind"])
	body.name = "%s_%d" % [item["kind"], item["id"]]
	body.collision_layer = Layers.STATIC
	body.collision_mask = 0
	body.add_to_group("items")
	body.transform = Transform(Basis(Vector3.UP, deg2rad(item["yaw"])), item["position"])
	var instance: MeshInstance = MeshInstance.new() if material != null else null
	match item["kind"]:
		"fruit_tree":
			var height: float = item["height"]
			var radius := TreeBuilder.trunk_radius(height)
			body.add_child(
				TreeBuilder.trunk_collision(
					Vector3.ZERO, radius, height * TreeBuilder.TRUNK_FRACTION
				)
			)
			if instance != null:
				instance.mesh = TreeBuilder.fruit_tree_mesh(material)
				instance.scale = Vector3(height, height, height)
			trunks.append([item["position"], radius, height])
		_:
			var size: Vector3 = item["size"]
			var color := ALTAR_COLOR if item["kind"] == "altar" else palette[item["color"]]
			if instance != null:
				var builder := MeshBuilder.new()
				builder.box(Vector3.ZERO, size, color)
				instance.mesh = builder.commit(material)
			var shape := BoxShape.new()
			shape.extents = size / 2.0
			var collision := CollisionShape.new()
			collision.shape = shape
			body.add_child(collision)
	if instance != null:
		body.add_child(instance)
	return body
