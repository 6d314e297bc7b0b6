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

# How a cube rests (the rest freeze, below): not flat, flat on fixed ground, flat on a resting cube.
enum Rest { NONE, ON_FIXED, ON_RESTING }

const DT = 1.0 / C.PHYSICS_FPS
const STACK_MARGIN = 0.05  # m, how far above its shape an item looks for items resting on it
const MAX_STACK_QUERY = 16
# The rest freeze (`freezes_at_rest`; docs/body.md "Heavy items"): at 10 Hz Bullet lets a column of
# dynamic cubes on a heightmap jitter apart within the second the timed freeze needs. A cube rests
# flat when it is slow, a face is down (tilt under REST_TILT), and a ray down from each corner of
# that face, REST_INSET inside its edges, meets terrain, a static body, a frozen item or a cube
# resting flat itself, no more than REST_GAP below the face and no more than REST_SINK above it
# (not sunk in, as on landing). One resting flat on fixed ground for REST_TICKS ticks in a row
# turns static together with the cubes resting flat on it (and on those).
const REST_TICKS = 2
const REST_SPEED = 0.3  # m/s, and rad/s
const REST_TILT = 10.0  # deg
const REST_INSET = 0.1  # m
const REST_GAP = 0.08  # m (Bullet leaves bodies a few centimetres above a heightmap)
const REST_SINK = 0.03  # m
const REST_RAY_START = 0.2  # m above the face (inside the cube) where the rays start

var size := 1.0  # m, the kind's extent that pushing measures its push height by (a cube's edge)
var linear_damp_factor := 1.0  # the kind's factors on the ground damping
var angular_damp_factor := 1.0
var touching_terrain := false  # after the last physics step (kept while static)
var freezes_at_rest := false  # the kind's: a cube (`size` its edge) with the rest freeze (above)
var _rest_ticks := 0  # ticks in a row it rested flat

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
	if freezes_at_rest:
		var rest := _rest(state)
		_rest_ticks = _rest_ticks + 1 if rest != Rest.NONE else 0
		if rest == Rest.ON_FIXED and _rest_ticks >= REST_TICKS:
			_rest_ticks = 0
			call_deferred("freeze_with_items_above")
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


# How this cube rests (the rest freeze, above): not flat, flat on what holds still, or flat on a
# stone that rests flat itself (it freezes with that one, `freeze_with_items_above`).
func _rest(state: PhysicsDirectBodyState) -> int:
	if state.linear_velocity.length() > REST_SPEED or state.angular_velocity.length() > REST_SPEED:
		return Rest.NONE
	var basis := state.transform.basis.orthonormalized()
	var down := Vector3.ZERO
	var sides := []
	for axis in [basis.x, basis.y, basis.z]:
		if abs(axis.y) >= cos(deg2rad(REST_TILT)):
			down = -axis * sign(axis.y)
		else:
			sides.append(axis)
	if down == Vector3.ZERO:
		return Rest.NONE
	var half := size / 2.0
	var face: Vector3 = state.transform.origin + down * half
	var space := state.get_space_state()
	var rest: int = Rest.ON_FIXED
	for corner in [Vector2(1, 1), Vector2(1, -1), Vector2(-1, 1), Vector2(-1, -1)]:
		var point: Vector3 = (
			face
			+ sides[0] * corner.x * (half - REST_INSET)
			+ sides[1] * corner.y * (half - REST_INSET)
		)
		var hit := space.intersect_ray(
			point + Vector3.UP * REST_RAY_START,
			point + Vector3.DOWN * REST_GAP,
			[self],
			Layers.TERRAIN | Layers.STATIC | Layers.ITEMS
		)
		if hit.empty() or hit["position"].y > point.y + REST_SINK:
			return Rest.NONE
		var other: Object = hit["collider"]
		var fixed: bool = other is StaticBody or (other is RigidBody and other.mode == MODE_STATIC)
		if fixed:
			continue
		if other.has_method("is_resting") and other.is_resting():
			rest = Rest.ON_RESTING
		else:
			return Rest.NONE
	return rest


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
	for other in _items_above():
		if other.is_frozen():
			other.wake()


# Turns static with the stones resting flat on it (and on those) in the same tick: a stone frozen
# under a dynamic one reloads its contacts and would jolt it.
func freeze_with_items_above() -> void:
	_rest_ticks = 0
	freeze()
	for other in _items_above():
		if other.is_resting():
			other.freeze_with_items_above()


# Whether its last rest check found it resting flat (the rest freeze).
func is_resting() -> bool:
	return freezes_at_rest and _rest_ticks > 0 and mode == MODE_RIGID and not is_held


# The heavy items whose shapes are within STACK_MARGIN of this one's and whose centre is higher.
func _items_above() -> Array:
	var above := []
	var shape: CollisionShape = get_node_or_null("Shape")
	if shape == null or not is_inside_tree():
		return above
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
			and other.global_transform.origin.y > height
		):
			above.append(other)
	return above


func _restart_freeze_count() -> void:
	_check_ticks = 0
	_rest_ticks = 0
	_check_transform = global_transform
