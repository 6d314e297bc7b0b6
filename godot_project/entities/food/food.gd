# The food family: shape, mass and behaviour from the kind's row of the generated entity table
# (E.KINDS[kind]["physics"] and ["food"]); each food's own script (entities/food/<kind>.gd) gives
# only its look. Edible when held at the head, plus the kind's behaviour:
# - attached (hangs from a tree): a rigid body without gravity pinned to its anchor until it moves
#   at PLUCK_SPEED or more (hit by a rock, bumped), or until a hand grabs it (grabbing plucks at
#   once; the original plucks when the stem joint is pulled faster than 1 m/s, which a grabbing hand
#   almost always does);
# - buried (carrot): static in the ground until the first grab pulls it out;
# - squish_speed (fig): an impact at that speed or more destroys it (hidden);
# - dirty_on_ground (honeycomb): touching the terrain destroys it ("dirty": dark, still visible);
# - open_speed (orange, coconut, avocado): an impact at that speed or more opens it; needs_rock
#   (avocado): only an impact between it and a rock counts. Unopened food cannot be eaten.
# Impact speed: see item.gd. Attached food has no impact behaviour; a held fig or honeycomb neither
# (a held openable food can be smashed open against a rock or the ground).
extends "res://entities/item.gd"

var energy := 1.0
var is_attached := false
var is_opened := true
var is_buried := false
var is_eaten := false
var is_destroyed := false

var _food := {}  # the kind's food row
var _anchor := Transform()
var _mesh_instance: MeshInstance = null
var _opened_mesh: Mesh = null
var _dirty_mesh: Mesh = null


# The shape of the kind's physics row (a capsule's axis is its longest extent: Godot 3's capsule
# lies along Z, so an upright one is turned), the look of the kind's script, and the state of the
# item spec (`attached`, `opened`, `buried`).
func build(spec: Dictionary, _context: Dictionary) -> String:
	var row: Dictionary = E.KINDS[kind]
	var physics: Dictionary = row["physics"]
	_food = row["food"]
	place(spec["position"], spec["yaw"])
	energy = _food["energy"]
	mass = physics["mass"]
	var e: Array = physics["extents"]
	var extents := Vector3(e[0], e[1], e[2])
	bounding_radius = max(extents.x, max(extents.y, extents.z))
	rest_height = extents.y
	match physics["shape"]:
		"sphere":
			var sphere := SphereShape.new()
			sphere.radius = extents.x
			add_shape(sphere)
		"box":
			var box := BoxShape.new()
			box.extents = extents
			add_shape(box)
			bounding_radius = extents.length()
		"capsule":
			var capsule := CapsuleShape.new()
			capsule.radius = extents.x
			var half_length: float = max(extents.y, extents.z)
			capsule.height = 2.0 * (half_length - capsule.radius)
			var collision := add_shape(capsule)
			if extents.y > extents.z:
				collision.transform = Transform(Basis(Vector3.RIGHT, PI / 2.0), Vector3.ZERO)
		_:
			return "food %s has an unknown shape %s" % [kind, physics["shape"]]
	var material := MeshBuilder.material()
	_mesh_instance = add_mesh(_mesh(extents, color(), material))
	_dirty_mesh = _spoiled_mesh(extents, material)
	is_attached = spec["attached"]
	is_opened = spec["opened"] or _food["open_speed"] <= 0.0
	is_buried = spec["buried"]
	if _food["open_speed"] > 0.0:
		_opened_mesh = _mesh(extents, opened_color(), material)
		if is_opened:
			_mesh_instance.mesh = _opened_mesh
	_anchor = transform
	add_to_group("food")
	if is_buried:
		mode = MODE_STATIC
	elif is_attached:
		gravity_scale = 0.0
	return ""


# The look, for each food's script to override: its outer colour, the colour once opened (openable
# foods), its mesh (default: an ellipsoid filling the shape) and its spoiled (dirty) mesh, if any.
func color() -> Color:
	return Color(1.0, 0.0, 1.0)


func opened_color() -> Color:
	return color()


func _mesh(extents: Vector3, look: Color, material: Material) -> Mesh:
	return ItemMeshes.sphere(1.0, look, material, extents)


func _spoiled_mesh(_extents: Vector3, _material: Material) -> Mesh:
	return null


func get_flags() -> int:
	var flags := .get_flags()
	if is_edible():
		flags |= C.ENTITY_FLAG_EDIBLE
	if is_attached:
		flags |= C.ENTITY_FLAG_ATTACHED
	if is_eaten:
		flags |= C.ENTITY_FLAG_EATEN
	if is_destroyed:
		flags |= C.ENTITY_FLAG_DESTROYED
	if not is_opened:
		flags |= C.ENTITY_FLAG_UNOPENED
	if is_buried:
		flags |= C.ENTITY_FLAG_BURIED
	return flags


func is_grabbable() -> bool:
	return .is_grabbable() and not is_eaten and visible


func is_edible() -> bool:
	return .is_edible() and not is_eaten and not is_destroyed and is_opened and not is_buried


func grab() -> void:
	is_buried = false
	_pluck()
	.grab()


# Hides the food and returns its energy (0 if it cannot be eaten). Called by the player outside
# physics callbacks.
func eat() -> float:
	if not is_edible():
		return 0.0
	is_eaten = true
	is_held = false
	_vanish(false)
	return energy


func _pluck() -> void:
	if is_attached:
		is_attached = false
		gravity_scale = 1.0


func _on_state(state: PhysicsDirectBodyState) -> void:
	if not is_attached:
		return
	if state.linear_velocity.length() >= C.PLUCK_SPEED:
		_pluck()
		return
	state.transform = _anchor
	state.linear_velocity = Vector3.ZERO
	state.angular_velocity = Vector3.ZERO


func _on_impact(other: Object, speed: float) -> void:
	if is_eaten or is_destroyed or is_attached or is_buried:
		return
	if not is_held:
		var squish_speed: float = _food["squish_speed"]
		if squish_speed > 0.0 and speed >= squish_speed:
			is_destroyed = true
			_vanish(true)
			return
		if _food["dirty_on_ground"] and _is_terrain(other):
			is_destroyed = true
			if _dirty_mesh != null:
				_mesh_instance.mesh = _dirty_mesh
			return
	var open_speed: float = _food["open_speed"]
	if not is_opened and speed >= open_speed and (not _food["needs_rock"] or _is_rock(other)):
		is_opened = true
		_mesh_instance.mesh = _opened_mesh


func _is_rock(other: Object) -> bool:
	return (
		other.has_method("velocity_before_step")
		and (other.kind_id == E.KIND_ROCK or other.kind_id == E.KIND_LARGE_ROCK)
	)


func _is_terrain(other: Object) -> bool:
	return other is CollisionObject and (other.collision_layer & Layers.TERRAIN) != 0


# Hidden, no collision, no simulation. Inside a physics callback the changes must be deferred.
func _vanish(deferred: bool) -> void:
	visible = false
	for child in get_children():
		if child is CollisionShape:
			if deferred:
				child.set_deferred("disabled", true)
			else:
				child.disabled = true
	if deferred:
		call_deferred("set_mode", MODE_STATIC)
	else:
		mode = MODE_STATIC
