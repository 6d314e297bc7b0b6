# The base of the static family (altar, fruit_tree, block): a StaticBody that reports itself in
# observations like dynamic items do and answers the capability queries (`is_climbable()` ...) from
# its row of the generated entity table. A kind's script extends this and implements
# `build(spec, context)`; entities/entity_factory.gd creates it.
extends StaticBody

const E = preload("res://generated/entities.gd")
const Layers = preload("res://world/layers.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

var item_id := 0
var kind := ""
var kind_id := 0  # the kind's append-only id (E.KIND_*), reported in observations
var capabilities := {}  # E.CAPABILITY_* -> true, from the kind's row


func _init() -> void:
	collision_layer = Layers.STATIC
	collision_mask = 0
	add_to_group("items")


# Subclasses: build collision (and, when context["material"] is not null, meshes) from the
# validated item spec. Returns "" or what is wrong.
func build(_spec: Dictionary, _context: Dictionary) -> String:
	return "%s: its script does not implement build()" % kind


func get_flags() -> int:
	return 0


func get_hit_points() -> float:
	return 0.0


func get_yaw() -> float:
	var back := global_transform.basis.z
	return rad2deg(atan2(back.x, back.z))


func has_capability(capability: String) -> bool:
	return capabilities.has(capability)


func is_grabbable() -> bool:
	return has_capability(E.CAPABILITY_GRABBABLE)


func is_edible() -> bool:
	return has_capability(E.CAPABILITY_EDIBLE)


func is_climbable() -> bool:
	return has_capability(E.CAPABILITY_CLIMBABLE)


func is_pushable() -> bool:
	return has_capability(E.CAPABILITY_PUSHABLE)


# Places the body at the spec's position, turned by its yaw (degrees about +Y).
func place(spec: Dictionary) -> void:
	transform = Transform(Basis(Vector3.UP, deg2rad(spec["yaw"])), spec["position"])


# A box of `size` (full sizes) centred on the body: collision, and a mesh in `color` when
# `material` is not null.
func add_box(size: Vector3, color: Color, material: Material) -> void:
	var shape := BoxShape.new()
	shape.extents = size / 2.0
	var collision := CollisionShape.new()
	collision.shape = shape
	add_child(collision)
	if material != null:
		var builder := MeshBuilder.new()
		builder.box(Vector3.ZERO, size, color)
		var instance := MeshInstance.new()
		instance.mesh = builder.commit(material)
		add_child(instance)
