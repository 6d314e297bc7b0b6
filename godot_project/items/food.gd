# A food item (values from the generated FOODS table): edible when held at the head,
# plus the kind's behaviour:
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
extends "res://items/item.gd"

var energy := 1.0
var is_attached := false
var is_opened := true
var is_buried := false
var is_eaten := false
var is_destroyed := false

var _info := {}
var _anchor := Transform()
var _mesh_instance: MeshInstance = null
var _opened_mesh: Mesh = null
var _dirty_mesh: Mesh = null
var _rock_kind: int = C.ENTITY_KINDS.find("rock")


# `info` is the kind's row of C.FOODS; meshes: the normal look, the opened look (openable foods) and
# the dirty look (honeycomb). Call after `place`, before adding to the tree.
func setup_food(
	info: Dictionary,
	attached: bool,
	opened: bool,
	buried: bool,
	mesh_instance: MeshInstance,
	opened_mesh: Mesh,
	dirty_mesh: Mesh
) -> void:
	_info = info
	energy = info["energy"]
	mass = info["mass"]
	var extents := food_extents(info)
	bounding_radius = max(extents.x, max(extents.y, extents.z))
	if info["shape"] == "box":
		bounding_radius = extents.length()
	rest_height = extents.y
	is_attached = attached
	is_opened = opened or info["open_speed"] <= 0.0
	is_buried = buried
	_mesh_instance = mesh_instance
	_opened_mesh = opened_mesh
	_dirty_mesh = dirty_mesh
	_anchor = transform
	add_to_group("food")
	if is_buried:
		mode = MODE_STATIC
	elif is_attached:
		gravity_scale = 0.0
	if not is_opened and _opened_mesh == null:
		push_error("food %d: openable food without an opened mesh" % item_id)


# Half sizes of a food's collision shape (C.FOODS "extents") as a Vector3.
static func food_extents(info: Dictionary) -> Vector3:
	var e: Array = info["extents"]
	return Vector3(e[0], e[1], e[2])


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
	return not is_held and not is_eaten and visible


func is_edible() -> bool:
	return not is_eaten and not is_destroyed and is_opened and not is_buried


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
		var squish_speed: float = _info["squish_speed"]
		if squish_speed > 0.0 and speed >= squish_speed:
			is_destroyed = true
			_vanish(true)
			return
		if _info["dirty_on_ground"] and _is_terrain(other):
			is_destroyed = true
			if _dirty_mesh != null:
				_mesh_instance.mesh = _dirty_mesh
			return
	var open_speed: float = _info["open_speed"]
	if not is_opened and speed >= open_speed and (not _info["needs_rock"] or _is_rock(other)):
		is_opened = true
		_mesh_instance.mesh = _opened_mesh


func _is_rock(other: Object) -> bool:
	return other.has_method("velocity_before_step") and other.kind_index == _rock_kind


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
