# Builds the dynamic items of docs/world_format.md (foods, rock, stick) from an item spec Dictionary
# (already validated by world/world_spec.gd; checked again here for the keys this file reads).
# Static kinds (altar, fruit_tree, block) are built by world/static_items.gd.
extends Reference

const C = preload("res://generated/constants.gd")
const Food = preload("res://items/food.gd")
const Item = preload("res://items/item.gd")
const ItemMeshes = preload("res://items/item_meshes.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

const COMMON_KEYS = ["id", "kind", "position", "yaw"]
const FOOD_KEYS = ["attached", "opened", "buried"]
# Outer colour; for openable foods also the colour once opened.
const FOOD_COLORS = {
	"apple": Color(0.8, 0.1, 0.1),
	"banana": Color(0.95, 0.85, 0.2),
	"cherry": Color(0.6, 0.0, 0.12),
	"honeycomb": Color(0.95, 0.65, 0.1),
	"mulberry": Color(0.35, 0.05, 0.4),
	"fig": Color(0.45, 0.2, 0.35),
	"orange": Color(1.0, 0.5, 0.0),
	"avocado": Color(0.15, 0.3, 0.1),
	"coconut": Color(0.4, 0.25, 0.1),
	"carrot": Color(1.0, 0.45, 0.05),
}
const OPENED_COLORS = {
	"orange": Color(1.0, 0.85, 0.55),
	"avocado": Color(0.7, 0.85, 0.35),
	"coconut": Color(0.95, 0.95, 0.9),
}
const DIRTY_DARKEN = 0.35  # a dirty honeycomb keeps this fraction of its brightness
const ROCK_COLOR = Color(0.5, 0.5, 0.52)
const STICK_COLOR = Color(0.45, 0.3, 0.15)


# The item node (in group "items"; foods also in "food"), or null after push_error for a bad spec.
static func create_item(spec: Dictionary) -> Node:
	for key in COMMON_KEYS:
		if not spec.has(key):
			push_error("item_factory: item spec without '%s': %s" % [key, spec])
			return null
	var kind: String = spec["kind"]
	var material := MeshBuilder.material()
	var item: RigidBody = null
	if C.FOODS.has(kind):
		item = _create_food(spec, material)
	elif kind == "rock":
		item = _create_rock(spec, material)
	elif kind == "stick":
		item = _create_stick(spec, material)
	else:
		push_error("item_factory: '%s' is not a dynamic item kind" % kind)
		return null
	if item != null:
		item.item_id = spec["id"]
		item.kind_index = C.ENTITY_KINDS.find(kind)
		item.name = "%s_%d" % [kind, spec["id"]]
	return item


# The shape of C.FOODS[kind] (a capsule's axis is its longest extent: Godot 3's capsule lies along
# Z, so an upright one is turned), its mesh of about the same size, and for openable foods the
# opened mesh.
static func _create_food(spec: Dictionary, material: Material) -> RigidBody:
	for key in FOOD_KEYS:
		if not spec.has(key):
			push_error("item_factory: %s spec without '%s'" % [spec["kind"], key])
			return null
	var kind: String = spec["kind"]
	var info: Dictionary = C.FOODS[kind]
	var extents := Food.food_extents(info)
	var color: Color = FOOD_COLORS[kind]
	var food := Food.new()
	food.place(spec["position"], spec["yaw"])
	match info["shape"]:
		"sphere":
			var sphere := SphereShape.new()
			sphere.radius = extents.x
			_add_shape(food, sphere)
		"box":
			var box := BoxShape.new()
			box.extents = extents
			_add_shape(food, box)
		"capsule":
			var capsule := CapsuleShape.new()
			capsule.radius = extents.x
			var half_length: float = max(extents.y, extents.z)
			capsule.height = 2.0 * (half_length - capsule.radius)
			var collision := _add_shape(food, capsule)
			if extents.y > extents.z:
				collision.transform = Transform(Basis(Vector3.RIGHT, PI / 2.0), Vector3.ZERO)
		_:
			push_error("item_factory: food %s has an unknown shape %s" % [kind, info["shape"]])
			return null
	var instance := MeshInstance.new()
	instance.name = "Mesh"
	var opened_mesh: Mesh = null
	var dirty_mesh: Mesh = null
	match kind:
		"honeycomb":
			instance.mesh = ItemMeshes.prism(extents.x, color, material)
			dirty_mesh = ItemMeshes.prism(extents.x, color.darkened(1.0 - DIRTY_DARKEN), material)
		"carrot":
			instance.mesh = ItemMeshes.carrot(extents, color, material)
		_:
			instance.mesh = ItemMeshes.sphere(1.0, color, material, extents)
	if OPENED_COLORS.has(kind):
		opened_mesh = ItemMeshes.sphere(1.0, OPENED_COLORS[kind], material, extents)
		if spec["opened"]:
			instance.mesh = opened_mesh
	food.add_child(instance)
	food.setup_food(
		info, spec["attached"], spec["opened"], spec["buried"], instance, opened_mesh, dirty_mesh
	)
	return food


static func _create_rock(spec: Dictionary, material: Material) -> RigidBody:
	if not spec.has("size") or spec["size"] <= 0.0:
		push_error("item_factory: rock %d needs a positive 'size'" % spec["id"])
		return null
	var size: float = spec["size"]
	var rock := Item.new()
	rock.place(spec["position"], spec["yaw"])
	rock.mass = C.ROCK_MASS
	rock.bounding_radius = size * sqrt(3.0) / 2.0
	rock.rest_height = size / 2.0
	var shape := BoxShape.new()
	shape.extents = Vector3.ONE * size / 2.0
	_add_shape(rock, shape)
	var instance := MeshInstance.new()
	instance.name = "Mesh"
	instance.mesh = ItemMeshes.box(Vector3.ONE * size, ROCK_COLOR, material)
	rock.add_child(instance)
	return rock


# A capsule along local Z (Godot 3's CapsuleShape axis); `length` is the total length including the
# round ends.
static func _create_stick(spec: Dictionary, material: Material) -> RigidBody:
	if not spec.has("length") or spec["length"] <= 2.0 * C.STICK_RADIUS:
		push_error(
			"item_factory: stick %d needs 'length' > %s" % [spec["id"], 2.0 * C.STICK_RADIUS]
		)
		return null
	var length: float = spec["length"]
	var stick := Item.new()
	stick.place(spec["position"], spec["yaw"])
	stick.mass = C.STICK_MASS
	stick.bounding_radius = length / 2.0
	stick.rest_height = C.STICK_RADIUS
	var shape := CapsuleShape.new()
	shape.radius = C.STICK_RADIUS
	shape.height = length - 2.0 * C.STICK_RADIUS
	_add_shape(stick, shape)
	var instance := MeshInstance.new()
	instance.name = "Mesh"
	instance.mesh = ItemMeshes.stick(C.STICK_RADIUS, length, STICK_COLOR, material)
	stick.add_child(instance)
	return stick


static func _add_shape(body: RigidBody, shape: Shape) -> CollisionShape:
	var collision := CollisionShape.new()
	collision.name = "Shape"
	collision.shape = shape
	body.add_child(collision)
	return collision
