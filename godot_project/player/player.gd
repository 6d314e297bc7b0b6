# The agent (the original's body, simplified; docs/body.md): a kinematic capsule body, a head that
# walks / crouches / jumps / turns, two hands kept in the head frame that grab, hold, throw and
# feed or hold on to climbable surfaces, hit points with fall damage. This script orchestrates the
# parts (player/locomotion.gd: walking, jumping, gravity; player/climbing.gd: holds and pulls;
# player/hand.gd; player/fall_damage.gd) and writes the observation. All per-tick work runs in
# `apply_action` (called by the env before the physics step); `fill_observation` only reads.
#
# Simplifications against the original, on purpose:
# - one rig, no target/physical split: the head and hands go exactly where the action puts them
#   (hands are not blocked by geometry), the body moves with `move_and_slide` (walking) or
#   `move_and_collide` (climbing);
# - head rotation is kept as Euler angles (yaw free, pitch and roll clamped) instead of a quaternion
#   updated in the head frame; hand rotations are bases updated in the hand frame;
# - the capsule keeps its full height when crouching (the head moves inside it);
# - a held item is kinematic and follows its hand rigidly (no joint); the body ignores it until it
#   is clear of the body again after release;
# - climbing is simpler too (climbing.gd, docs/body.md "Climbing");
# - pushing is the reference's impulse rule (player/pushing.gd), applied after the walking move;
# - no energy-expenditure terms (yet).
# Positions are in the world frame (the world root's); body position = centre of the capsule,
# AGENT_HEIGHT / 2 above the feet. "Relative" observations are in the body frame (the head's yaw).
extends Spatial

signal food_eaten(item_id, energy)
signal player_damaged(amount)

const C = preload("res://generated/constants.gd")
const Climbing = preload("res://player/climbing.gd")
const FallDamage = preload("res://player/fall_damage.gd")
const Hand = preload("res://player/hand.gd")
const Layers = preload("res://world/layers.gd")
const Locomotion = preload("res://player/locomotion.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")
const Pushing = preload("res://player/pushing.gd")
const Shapes = preload("res://items/shapes.gd")

const DT = 1.0 / C.PHYSICS_FPS
const PRESSED = 1.0  # a button is pressed only when exactly 1.0
const LEFT = 0
const RIGHT = 1
const HAND_ACTION_BASE = [C.ACTION_LEFT_HAND_X, C.ACTION_RIGHT_HAND_X]
const GRASP_ACTION = [C.ACTION_LEFT_GRASP, C.ACTION_RIGHT_GRASP]
const RELEASE_CLEARANCE = 0.05  # m, a released item is clear once this far from the capsule
const MAX_OVERLAPS = 32

var hit_points: float = C.STARTING_HIT_POINTS
var is_dead := false

var _body := KinematicBody.new()
var _head := Spatial.new()
var _hands := []  # [left, right] of hand.gd
var _camera: Camera = null
var _world_builder: Object = null
var _head_height: float = C.HEAD_HEIGHT_MAX  # above the feet
var _yaw := 0.0  # degrees, wrapped to [-180, 180)
var _pitch := 0.0
var _roll := 0.0
var _locomotion: Locomotion = Locomotion.new(_body)
var _climbing: Climbing = Climbing.new(_body)
var _fall_damage := FallDamage.new()
var _gained_from_eating := 0.0  # this tick
var _lost_from_enemies := 0.0  # this tick
var _fall := 0.0  # this tick
# item -> true: released items the body still ignores until they are clear of it
var _released := {}
var _previous := {}  # pose at the start of the tick (see `_pose`)
var _capsule_shape: CollisionShape = null
# The body's capsule, to test whether a released item still overlaps it (`_forget_released_items`).
var _overlap_query := PhysicsShapeQueryParameters.new()


func _init() -> void:
	name = "Player"
	_body.name = "Body"
	_body.collision_layer = Layers.PLAYER
	_body.collision_mask = Layers.TERRAIN | Layers.STATIC | Layers.ITEMS | Layers.BODY_ONLY
	var capsule := CapsuleShape.new()
	capsule.radius = C.BODY_RADIUS
	capsule.height = C.AGENT_HEIGHT - 2.0 * C.BODY_RADIUS
	var shape := CollisionShape.new()
	shape.shape = capsule
	shape.transform = Transform(Basis(Vector3.RIGHT, PI / 2.0), Vector3.ZERO)  # capsule axis Z -> Y
	_body.add_child(shape)
	_capsule_shape = shape
	_overlap_query.set_shape(capsule)
	_overlap_query.collision_mask = Layers.ITEMS | Layers.BODY_ONLY
	_overlap_query.margin = RELEASE_CLEARANCE
	add_child(_body)
	_head.name = "Head"
	add_child(_head)
	var material := MeshBuilder.material()
	var rest: Vector3 = C.HAND_REST_OFFSET
	_hands = [Hand.new(Vector3(-rest.x, rest.y, rest.z), material), Hand.new(rest, material)]
	_hands[LEFT].marker.name = "LeftHand"
	_hands[RIGHT].marker.name = "RightHand"
	for hand in _hands:
		add_child(hand.marker)


# Spawns the agent with its feet at `spawn_position`. Call once, after the player is in the tree.
func setup(
	_world_root: Node,
	camera: Camera,
	spawn_position: Vector3,
	yaw_deg: float,
	pitch_deg: float,
	world_builder: Object
) -> void:
	if not is_inside_tree():
		push_error("player: setup() needs the player in the scene tree")
		return
	if world_builder != null and not world_builder.has_method("is_climbable"):
		push_error("player: world_builder has no is_climbable(pos)")
	_camera = camera
	_world_builder = world_builder
	_yaw = wrapf(yaw_deg, -180.0, 180.0)
	_pitch = clamp(pitch_deg, -C.MAX_HEAD_PITCH, C.MAX_HEAD_PITCH)
	_body.global_transform = Transform(Basis(), spawn_position + Vector3.UP * C.AGENT_HEIGHT / 2.0)
	var head := _head_transform()
	_head.global_transform = head
	for hand in _hands:
		hand.place(head)
	if _camera != null:
		_camera.global_transform = head
	_previous = _pose()


# One tick of the action (docs/protocol.md, C.ACTION_*), before the physics step.
func apply_action(action: PoolRealArray) -> void:
	if action.size() != C.ACTION_SIZE:
		push_error("player: action has %d values, expected %d" % [action.size(), C.ACTION_SIZE])
		return
	_previous = _pose()
	_gained_from_eating = 0.0
	_lost_from_enemies = 0.0
	_yaw = wrapf(_yaw + action[C.ACTION_HEAD_YAW] * C.MAX_HEAD_YAW_SPEED, -180.0, 180.0)
	_pitch = clamp(
		_pitch + action[C.ACTION_HEAD_PITCH] * C.MAX_HEAD_PITCH_SPEED,
		-C.MAX_HEAD_PITCH,
		C.MAX_HEAD_PITCH
	)
	_roll = clamp(
		_roll + action[C.ACTION_HEAD_ROLL] * C.MAX_HEAD_ROLL_SPEED,
		-C.MAX_HEAD_ROLL,
		C.MAX_HEAD_ROLL
	)
	_climbing.drop_lost_holds(_hands)
	for side in [LEFT, RIGHT]:
		if action[GRASP_ACTION[side]] != PRESSED and _hands[side].is_gripping():
			_hands[side].release_grip()  # at once: a hand letting go does not pull this tick
	if Climbing.is_climbing(_hands):
		_climb(action)
	else:
		_head_height = clamp(
			_head_height + action[C.ACTION_HEAD_Y] * C.MAX_HEAD_LINEAR_SPEED,
			C.HEAD_HEIGHT_MIN,
			C.HEAD_HEIGHT_MAX
		)
		_locomotion.move(action, _yaw, _head_height)
		Pushing.apply(_body, _locomotion.walk_velocity, _locomotion.is_on_floor())
	var head := _head_transform()
	_head.global_transform = head
	for side in [LEFT, RIGHT]:
		if _hands[side].is_gripping():
			_hands[side].hold_still(head)
			continue
		var base: int = HAND_ACTION_BASE[side]
		_hands[side].move(
			head,
			_vector(action, base) * C.MAX_HAND_LINEAR_SPEED,
			_vector(action, base + 3) * C.MAX_HAND_ANGULAR_SPEED,
			DT
		)
	_update_grasps(action, head.origin)
	_eat(head.origin)
	_forget_released_items()
	_fall = _fall_damage.update(_locomotion.vertical_speed)
	if _fall > 0.0:
		emit_signal("player_damaged", _fall)
	hit_points = max(0.0, hit_points + _gained_from_eating - _fall)
	is_dead = hit_points <= 0.0
	if _camera != null:
		_camera.global_transform = head


# Damage from enemies (a predator's bite, animal.gd `attack`), counted in this tick's observation.
func take_damage(amount: float) -> void:
	if amount <= 0.0:
		return
	_lost_from_enemies += amount
	hit_points = max(0.0, hit_points - amount)
	is_dead = hit_points <= 0.0
	emit_signal("player_damaged", amount)


# Writes the 51 proprio values (C.PROPRIO_*) and the player's part of the state (C.STATE_*) after
# the physics tick. `proprio` and `state` are plain Arrays pre-sized by the env (pool arrays would
# be copied, see README.md).
func fill_observation(proprio: Array, state: Array, frame: int) -> void:
	if proprio.size() != C.PROPRIO_SIZE or state.size() != C.STATE_SIZE:
		push_error(
			"player: observation arrays of %d and %d values" % [proprio.size(), state.size()]
		)
		return
	var now := _pose()
	var was := _previous
	_put(proprio, C.PROPRIO_BODY_DELTA_POSITION_X, now["body_position"] - was["body_position"])
	_put(
		proprio,
		C.PROPRIO_BODY_DELTA_ROTATION_PITCH,
		_angles(now["body_rotation"] - was["body_rotation"])
	)
	var parts := ["head", "left_hand", "right_hand"]
	var delta_position_index := [
		C.PROPRIO_HEAD_DELTA_POSITION_X,
		C.PROPRIO_LEFT_HAND_DELTA_POSITION_X,
		C.PROPRIO_RIGHT_HAND_DELTA_POSITION_X
	]
	var delta_rotation_index := [
		C.PROPRIO_HEAD_DELTA_ROTATION_PITCH,
		C.PROPRIO_LEFT_HAND_DELTA_ROTATION_PITCH,
		C.PROPRIO_RIGHT_HAND_DELTA_ROTATION_PITCH
	]
	var relative_position_index := [
		C.PROPRIO_HEAD_RELATIVE_POSITION_X,
		C.PROPRIO_LEFT_HAND_RELATIVE_POSITION_X,
		C.PROPRIO_RIGHT_HAND_RELATIVE_POSITION_X
	]
	var relative_rotation_index := [
		C.PROPRIO_HEAD_RELATIVE_ROTATION_PITCH,
		C.PROPRIO_LEFT_HAND_RELATIVE_ROTATION_PITCH,
		C.PROPRIO_RIGHT_HAND_RELATIVE_ROTATION_PITCH
	]
	var body_frame := Transform(Basis(Vector3.UP, deg2rad(_yaw)), now["body_position"])
	var body_inverse := body_frame.affine_inverse()
	for i in range(parts.size()):
		var part: String = parts[i]
		var part_transform: Transform = now[part]
		_put(proprio, delta_position_index[i], part_transform.origin - was[part].origin)
		_put(
			proprio,
			delta_rotation_index[i],
			_angles(_degrees(part_transform.basis) - _degrees(was[part].basis))
		)
		var relative := body_inverse * part_transform
		_put(proprio, relative_position_index[i], relative.origin)
		_put(proprio, relative_rotation_index[i], _degrees(relative.basis))
	proprio[C.PROPRIO_LEFT_HAND_TOUCHING] = _flag(_hands[LEFT].is_touching)
	proprio[C.PROPRIO_RIGHT_HAND_TOUCHING] = _flag(_hands[RIGHT].is_touching)
	proprio[C.PROPRIO_LEFT_HAND_HOLDING] = _flag(_hands[LEFT].is_holding())
	proprio[C.PROPRIO_RIGHT_HAND_HOLDING] = _flag(_hands[RIGHT].is_holding())
	proprio[C.PROPRIO_FALL_DAMAGE] = _fall
	proprio[C.PROPRIO_HIT_POINTS_LOST_FROM_ENEMIES] = _lost_from_enemies
	proprio[C.PROPRIO_HIT_POINTS_GAINED_FROM_EATING] = _gained_from_eating
	proprio[C.PROPRIO_HIT_POINTS] = hit_points
	proprio[C.PROPRIO_FRAMES_REMAINING] = float(frame)
	state[C.STATE_HIT_POINTS] = hit_points
	state[C.STATE_HIT_POINTS_GAINED_FROM_EATING] = _gained_from_eating
	state[C.STATE_HIT_POINTS_LOST_FROM_ENEMIES] = _lost_from_enemies
	state[C.STATE_FALL_DAMAGE] = _fall
	state[C.STATE_IS_DEAD] = _flag(is_dead)
	_put(state, C.STATE_BODY_X, now["body_position"])
	_put(state, C.STATE_HEAD_X, now["head"].origin)
	_put(state, C.STATE_HEAD_PITCH, Vector3(_pitch, _yaw, _roll))
	_put(state, C.STATE_LEFT_HAND_X, now["left_hand"].origin)
	_put(state, C.STATE_RIGHT_HAND_X, now["right_hand"].origin)
	state[C.STATE_LEFT_HELD_ID] = float(_hands[LEFT].held_id())
	state[C.STATE_RIGHT_HELD_ID] = float(_hands[RIGHT].held_id())
	state[C.STATE_IS_ON_FLOOR] = _flag(_locomotion.is_on_floor())


func get_body() -> KinematicBody:
	return _body


func get_head_transform() -> Transform:
	return _head.global_transform


func get_hand_transform(side: int) -> Transform:
	return _hands[side].world_transform


func get_held_item(side: int) -> Object:
	return _hands[side].held


func is_climbing() -> bool:
	return Climbing.is_climbing(_hands)


# A tick hanging from holds: the head keeps its height above the feet (crouching would stretch the
# arms) and turns as usual; the holding hands' moves, turned into the world by the head's new
# rotation, pull the body; then, if that raised it, maybe the step up onto a ledge (which lets go of
# every hold; a climber going down over a lip must not be put back on top).
func _climb(action: PoolRealArray) -> void:
	var head := _head_transform()
	var moves := []
	for side in [LEFT, RIGHT]:
		var local := _vector(action, HAND_ACTION_BASE[side]) * C.MAX_HAND_LINEAR_SPEED
		moves.append(head.basis.xform(local))
	var start_y := _body.global_transform.origin.y
	_climbing.pull(_hands, moves, head.origin)
	var rising := _body.global_transform.origin.y > start_y
	if rising and _climbing.try_ledge(_hands, _head_transform().origin):
		for hand in _hands:
			hand.release_grip()
	_locomotion.hang()


# Releases, grabs items (which come first) and takes holds. A hold taken this tick catches the
# body: its fall stops now, and fall damage judges that stop like a landing.
func _update_grasps(action: PoolRealArray, head: Vector3) -> void:
	var space := _body.get_world().direct_space_state
	var exclude := [_body.get_rid()]
	for side in [LEFT, RIGHT]:
		var hand = _hands[side]
		var pressed: bool = action[GRASP_ACTION[side]] == PRESSED
		if not pressed and hand.held != null:
			var item: Object = hand.release()
			_released[item] = true
		var grabbed: Object = hand.touch_and_grab(space, exclude, pressed, _world_builder)
		if grabbed != null:
			for collider in grabbed.player_colliders():
				_body.add_collision_exception_with(collider)
			_released.erase(grabbed)
		hand.carry()
	for side in [LEFT, RIGHT]:
		var hand = _hands[side]
		if action[GRASP_ACTION[side]] != PRESSED or hand.is_holding():
			continue
		var line_exclude := exclude.duplicate()
		for other in _hands:
			if other.held != null:
				line_exclude.append(other.held.get_rid())
		var climbing := Climbing.is_climbing(_hands)
		if _climbing.try_grip(hand, head, line_exclude, _world_builder, climbing):
			_locomotion.hang()


# Held edible food whose shape overlaps the head's EAT_RADIUS sphere is eaten.
func _eat(head_position: Vector3) -> void:
	for hand in _hands:
		var item: Object = hand.held
		if item == null or not item.is_edible():
			continue
		if Shapes.to_body(head_position, item) > C.EAT_RADIUS:
			continue
		hand.held = null
		var energy: float = item.eat()
		if item.visible:
			# Not gone (a live frog dies in the mouth and drops): ignored until clear of the body.
			_released[item] = true
		else:
			for collider in item.player_colliders():
				_body.remove_collision_exception_with(collider)
		_gained_from_eating += energy
		emit_signal("food_eaten", item.item_id, energy)


# The body collides again with a released item once the item is clear of the capsule (or gone):
# its bounding sphere is, or (for long items such as the log, whose sphere is large) none of its
# shapes overlaps the capsule grown by RELEASE_CLEARANCE.
func _forget_released_items() -> void:
	if _released.empty():
		return
	var feet := _body.global_transform.origin - Vector3.UP * C.AGENT_HEIGHT / 2.0
	var overlapping := {}
	_overlap_query.transform = _capsule_shape.global_transform
	for hit in _body.get_world().direct_space_state.intersect_shape(_overlap_query, MAX_OVERLAPS):
		if hit["collider"] != null:
			overlapping[hit["collider"]] = true
	for item in _released.keys():
		if not is_instance_valid(item):
			_released.erase(item)
			continue
		if item.is_held:
			continue
		var offset: Vector3 = item.global_transform.origin - feet
		var reach: float = C.BODY_RADIUS + item.bounding_radius
		var clear: bool = (
			Vector2(offset.x, offset.z).length() > reach
			or offset.y < -item.bounding_radius
			or offset.y > C.AGENT_HEIGHT + item.bounding_radius
		)
		if not clear:
			clear = true
			for collider in item.player_colliders():
				if overlapping.has(collider):
					clear = false
		if clear or not item.visible:
			for collider in item.player_colliders():
				_body.remove_collision_exception_with(collider)
			_released.erase(item)


func _head_transform() -> Transform:
	var feet := _body.global_transform.origin - Vector3.UP * C.AGENT_HEIGHT / 2.0
	var basis := Basis(Vector3(deg2rad(_pitch), deg2rad(_yaw), deg2rad(_roll)))
	return Transform(basis, feet + Vector3.UP * _head_height)


func _pose() -> Dictionary:
	return {
		"body_position": _body.global_transform.origin,
		"body_rotation": Vector3(0.0, _yaw, 0.0),
		"head": _head.global_transform,
		"left_hand": _hands[LEFT].world_transform,
		"right_hand": _hands[RIGHT].world_transform,
	}


static func _vector(values: PoolRealArray, first: int) -> Vector3:
	return Vector3(values[first], values[first + 1], values[first + 2])


# Euler angles (pitch about x, yaw about y, roll about z; Godot's YXZ order) in degrees.
static func _degrees(basis: Basis) -> Vector3:
	return basis.get_euler() * (180.0 / PI)


# Wraps each angle of a difference to [-180, 180).
static func _angles(degrees: Vector3) -> Vector3:
	return Vector3(
		wrapf(degrees.x, -180.0, 180.0),
		wrapf(degrees.y, -180.0, 180.0),
		wrapf(degrees.z, -180.0, 180.0)
	)


static func _put(values: Array, first: int, vector: Vector3) -> void:
	values[first] = vector.x
	values[first + 1] = vector.y
	values[first + 2] = vector.z


static func _flag(value: bool) -> float:
	return 1.0 if value else 0.0
