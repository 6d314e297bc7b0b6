# The base of the heavy family (stone, boulder, log; docs/body.md "Heavy items"): a rigid item
# with the reference's ground logic and a freeze.
# - Ground logic (terrain contacts only): f = the fraction of the last C.GROUND_HISTORY_TICKS ticks
#   touching terrain; gravity scale GROUND_GRAVITY_MIN + (1 - GROUND_GRAVITY_MIN)(1 - f); touching
#   terrain slower than GROUND_DAMP_SPEED, D = (GROUND_DAMP_SPEED - v) / GROUND_DAMP_SPEED * 2 + 4 f
#   damps the linear speed by GROUND_LINEAR_DAMP * D and the angular by GROUND_ANGULAR_DAMP * D per
#   second, times the kind's factors. The damping is applied to the state here (v *= 1 - damp *
#   dt), not through the body's damp properties, so the rule does not depend on how the physics
#   engine reads those.
# - Freeze: every C.FREEZE_CHECK_TICKS ticks, an item that stayed slower than C.FREEZE_SPEED (m/s
#   and rad/s) on every tick since the last check turns static, so a stack holds still instead of
#   relying on Bullet to settle it at 10 Hz. A grab or a push makes it rigid again, and a release
#   or a push restarts the count.
# - `on_player_contact(is_floor)`: player/pushing.gd calls it for each body contact of a walking
#   tick (the boulder and the log turn static there).
extends "res://entities/item.gd"

const DT = 1.0 / C.PHYSICS_FPS

var size := 1.0  # m, the kind's extent that pushing measures its push height by (a cube's edge)
var linear_damp_factor := 1.0  # the kind's factors on the ground damping
var angular_damp_factor := 1.0
var touching_terrain := false  # after the last physics step (kept while static)

var _terrain_history := []  # bools, the last GROUND_HISTORY_TICKS ticks
var _check_ticks := 0  # ticks since the last freeze check
var _slow_since_check := true


func _init() -> void:
	# The ground logic does the damping (see above).
	linear_damp = 0.0
	angular_damp = 0.0
	# A sleeping body gets no `_integrate_forces`, so it would never be checked: the freeze is
	# this family's sleep.
	can_sleep = false


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
	if mode != MODE_RIGID:
		mode = MODE_RIGID
	sleeping = false
	_restart_freeze_count()


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
	var v := state.linear_velocity
	var w := state.angular_velocity
	_check_freeze(v.length(), w.length())
	var speed := v.length()
	if touching_terrain and speed < C.GROUND_DAMP_SPEED:
		var d: float = (C.GROUND_DAMP_SPEED - speed) / C.GROUND_DAMP_SPEED * 2.0 + 4.0 * f
		var linear: float = C.GROUND_LINEAR_DAMP * d * linear_damp_factor
		var angular: float = C.GROUND_ANGULAR_DAMP * d * angular_damp_factor
		state.linear_velocity = v * max(0.0, 1.0 - linear * DT)
		state.angular_velocity = w * max(0.0, 1.0 - angular * DT)


func _check_freeze(linear_speed: float, angular_speed: float) -> void:
	if linear_speed > C.FREEZE_SPEED or angular_speed > C.FREEZE_SPEED:
		_slow_since_check = false
	_check_ticks += 1
	if _check_ticks < C.FREEZE_CHECK_TICKS:
		return
	if _slow_since_check:
		call_deferred("freeze")
	_restart_freeze_count()


func _restart_freeze_count() -> void:
	_check_ticks = 0
	_slow_since_check = true
