# The base of the heavy family (stone, boulder, log; docs/body.md "Heavy items"): a rigid item
# with the reference's ground logic and a freeze.
# - Ground logic (terrain contacts only): f = the fraction of the last C.GROUND_HISTORY_TICKS ticks
#   touching terrain; gravity scale GROUND_GRAVITY_MIN + (1 - GROUND_GRAVITY_MIN)(1 - f); touching
#   terrain slower than GROUND_DAMP_SPEED, D = (GROUND_DAMP_SPEED - v) / GROUND_DAMP_SPEED * 2 + 4 f
#   damps the linear speed by GROUND_LINEAR_DAMP * D and the angular by GROUND_ANGULAR_DAMP * D per
#   second, times the kind's factors. The damping is applied to the state here (v *= 1 - damp *
#   dt), not through the body's damp properties, so the rule does not depend on how the physics
#   engine reads those.
# - Freeze: every C.FREEZE_CHECK_TICKS ticks (1 s), an item whose mean linear and angular speeds
#   since the last check (its net displacement and net rotation over that time) are below
#   C.FREEZE_SPEED (m/s, rad/s) turns static, so a stack or a log holds still instead of relying
#   on Bullet to settle it at 10 Hz (a cylinder on a heightmap keeps twitching by a few cm/s). A
#   grab or a push makes it rigid again, and a release or a push restarts the count. Taking or
#   waking an item also wakes the frozen heavy items resting on it (and on those), so the upper
#   stones of a stack do not hang in the air.
# - `on_player_contact(is_floor)`: player/pushing.gd calls it for each body contact of a walking
#   tick (the boulder and the log turn static there).
extends "res://entities/item.gd"

const DT = 1.0 / C.PHYSICS_FPS
const STACK_MARGIN = 0.05  # m, how far above its shape an item looks for items resting on it
const MAX_STACK_QUERY = 16

var size := 1.0  # m, the kind's extent that pushing measures its push height by (a cube's edge)
var linear_damp_factor := 1.0  # the kind's factors on the ground damping
var angular_damp_factor := 1.0
var touching_terrain := false  # after the last physics step (kept while static)

var _terrain_history := []  # bools, the last GROUND_HISTORY_TICKS ticks
var _check_ticks := 0  # ticks since the last freeze check
var _check_transform := Transform()  # the pose at the last freeze check


func _init() -> void:
	# The ground logic does the damping (see above).
	linear_damp = 0.0
	angular_damp = 0.0
	# A sleeping body gets no `_integrate_forces`, so it would never be checked: the freeze is
	# this family's sleep.
	can_sleep = false


func _ready() -> void:
	_restart_freeze_count()


func is_frozen() -> bool:
	return mode == MODE_STATIC and not is_held


# Turns static where it is (also from a physics callback, deferred).
func freeze() -> void:
	if is_held:
		return
	mode = MODE_STATIC
	linear_velocity = Vector3.ZERO
	angular_velocity = Vector3.ZERO


# Rigid again (a push); the freeze count starts over.
func wake() -> void:
	if is_held:
		return
	var was_frozen := is_frozen()
	if mode != MODE_RIGID:
		mode = MODE_RIGID
	sleeping = false
	_restart_freeze_count()
	if was_frozen:
		_wake_items_above()


func grab() -> void:
	_wake_items_above()
	.grab()


func release(velocity: Vector3) -> void:
	.release(velocity)
	_restart_freeze_count()


# The player's body touched this item on a walking tick; `is_floor`: it stands on it.
func on_player_contact(_is_floor: bool) -> void:
	pass


# The terrain fraction f over the last GROUND_HISTORY_TICKS ticks.
func terrain_fraction() -> float:
	var count := 0
	for touching in _terrain_history:
		if touching:
			count += 1
	return float(count) / C.GROUND_HISTORY_TICKS


func _on_state(state: PhysicsDirectBodyState) -> void:
	touching_terrain = false
	for i in range(state.get_contact_count()):
		var other: Object = state.get_contact_collider_object(i)
		if other is CollisionObject and (other.collision_layer & Layers.TERRAIN) != 0:
			touching_terrain = true
			break
	_terrain_history.append(touching_terrain)
	if _terrain_history.size() > C.GROUND_HISTORY_TICKS:
		_terrain_history.pop_front()
	var f := terrain_fraction()
	var scale: float = C.GROUND_GRAVITY_MIN + (1.0 - C.GROUND_GRAVITY_MIN) * (1.0 - f)
	if gravity_scale != scale:
		gravity_scale = scale
	_check_freeze(state.transform)
	var v := state.linear_velocity
	var w := state.angular_velocity
	var speed := v.length()
	if touching_terrain and speed < C.GROUND_DAMP_SPEED:
		var d: float = (C.GROUND_DAMP_SPEED - speed) / C.GROUND_DAMP_SPEED * 2.0 + 4.0 * f
		var linear: float = C.GROUND_LINEAR_DAMP * d * linear_damp_factor
		var angular: float = C.GROUND_ANGULAR_DAMP * d * angular_damp_factor
		state.linear_velocity = v * max(0.0, 1.0 - linear * DT)
		state.angular_velocity = w * max(0.0, 1.0 - angular * DT)


func _check_freeze(pose: Transform) -> void:
	_check_ticks += 1
	if _check_ticks < C.FREEZE_CHECK_TICKS:
		return
	var seconds := _check_ticks * DT
	var moved := pose.origin.distance_to(_check_transform.origin) / seconds
	var turn: Quat = Quat(_check_transform.basis.inverse() * pose.basis).normalized()
	var turned: float = 2.0 * acos(clamp(abs(turn.w), 0.0, 1.0)) / seconds
	if moved < C.FREEZE_SPEED and turned < C.FREEZE_SPEED:
		call_deferred("freeze")
	_check_ticks = 0
	_check_transform = pose


# Wakes the frozen heavy items whose shapes are within STACK_MARGIN of this one's and whose centre
# is higher (each wakes those above it in turn).
func _wake_items_above() -> void:
	var shape: CollisionShape = get_node_or_null("Shape")
	if shape == null or not is_inside_tree():
		return
	var query := PhysicsShapeQueryParameters.new()
	query.set_shape(shape.shape)
	query.transform = shape.global_transform
	query.margin = STACK_MARGIN
	query.collision_mask = Layers.ITEMS
	query.exclude = [get_rid()]
	var height := global_transform.origin.y
	for hit in get_world().direct_space_state.intersect_shape(query, MAX_STACK_QUERY):
		var other: Object = hit["collider"]
		if (
			other != null
			and other.has_method("is_frozen")
			and other.is_frozen()
			and other.global_transform.origin.y > height
		):
			other.wake()


func _restart_freeze_count() -> void:
	_check_ticks = 0
	_check_transform = global_transform
