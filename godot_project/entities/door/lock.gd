# The base of the locks (button_lock.gd, rotating_bar_lock.gd, sliding_bar_lock.gd; docs/doors.md):
# a small kinematic body on the HANDS_ONLY layer (hands grab it; the body and items pass through)
# that sits on its door (the `door` field: the door's item id) and keeps it locked while `locked`.
# Its whole state is one number, `state` (degrees turned or metres slid from its locked pose),
# moved like a door's opening: while held, to the state that brings the grabbed point nearest the
# hand, within limits; it stays where it is released (no gravity). The spec's position and yaw
# only place it until it finds its door, when it enters the tree (the door is an earlier item).
# Frames: `base` is the lock's pose at state 0 in its anchor's frame (the door's shut frame, or the
# door panel's for locks that move with the door).
extends "res://entities/item.gd"

const DOOR_GROUP = "doors"

var door_id := 0
var door: Object = null  # the door (door.gd), once found
var locked := true
var state := 0.0
var min_state := 0.0
var max_state := 0.0
var base := Transform()

var _grab_local := Vector3.ZERO  # the grabbed point in the body frame when grabbed
var _grab_base := Vector3.ZERO  # the same point in the state-0 frame
var _grab_state := 0.0
var _builder: MeshBuilder = null


func _init() -> void:
	mode = MODE_KINEMATIC
	collision_layer = Layers.HANDS_ONLY
	collision_mask = 0


func build(spec: Dictionary, _context: Dictionary) -> String:
	door_id = spec["door"]
	mass = E.KINDS[kind]["physics"]["mass"]
	place(spec["position"], spec["yaw"])
	return _build_lock(spec)


# Kinds: read the spec's own fields. Returns "" or the problem.
func _build_lock(_spec: Dictionary) -> String:
	return ""


# Kinds: limits, `base`, shapes and meshes (`_add_part`) from the door's geometry.
func _fit_to(_door: Object) -> void:
	pass


# Kinds: the lock's pose at `value` in its state-0 frame.
func _pose_at(_value: float) -> Transform:
	return Transform()


# Kinds: the state that puts the grabbed point (state-0 frame `grabbed`, at `_grab_state`) nearest
# the state-0-frame point `target`.
func _state_toward(_grabbed: Vector3, _target: Vector3) -> float:
	return state


# Kinds: whether the lock is open at `value`.
func _opens_at(_value: float) -> bool:
	return false


# Kinds: the frame `base` is in (parent coordinates).
func _anchor() -> Transform:
	return door.frame


func _ready() -> void:
	var parent := get_parent()
	for node in parent.get_children():
		if node.is_in_group(DOOR_GROUP) and node.item_id == door_id:
			door = node
			break
	if door == null:
		push_error("%s %d: no door %d before it" % [kind, item_id, door_id])
		return
	_builder = MeshBuilder.new()
	_fit_to(door)
	if not _builder.is_empty():
		add_mesh(_builder.commit(MeshBuilder.material()))
	_builder = null
	door.register_lock(self)
	follow_door()


# A box of the lock body: collision and mesh, `size` centred at body-frame `center`.
func _add_part(center: Vector3, size: Vector3, color: Color) -> void:
	var shape := BoxShape.new()
	shape.extents = size / 2.0
	add_shape(shape).transform.origin = center
	_builder.box(center, size, color)
	bounding_radius = max(bounding_radius, (center.abs() + size / 2.0).length())


func get_flags() -> int:
	return .get_flags() | (C.ENTITY_FLAG_LOCKED if locked else 0)


# Back onto the door at the current state (the door calls it whenever it moves).
func follow_door() -> void:
	if door != null:
		transform = _anchor() * base * _pose_at(state)


func set_state(value: float) -> void:
	state = clamp(value, min_state, max_state)
	locked = not _opens_at(state)
	follow_door()


func grab_point(point: Vector3) -> void:
	_grab_local = global_transform.affine_inverse().xform(point)
	_grab_base = _base_global().affine_inverse().xform(point)
	_grab_state = state


# Held: it stays kinematic, moved only along its constraint.
func grab() -> void:
	is_held = true


func follow(target: Transform, hand_velocity: Vector3) -> void:
	_velocity = hand_velocity
	if door == null:
		return
	var point: Vector3 = _base_global().affine_inverse().xform(target.xform(_grab_local))
	set_state(_state_toward(_grab_base, point))


# It stays where it is released.
func release(_velocity_unused: Vector3) -> void:
	is_held = false
	_velocity = Vector3.ZERO


func player_colliders() -> Array:
	return []


# The state-0 frame in world coordinates.
func _base_global() -> Transform:
	var parent := get_parent() as Spatial
	var world := Transform()
	if parent != null:
		world = parent.global_transform
	return world * _anchor() * base
