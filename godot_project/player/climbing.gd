# Climbing (docs/body.md, "Climbing"). A grasping hand that holds no item takes hold where the line
# from the head through the hand first meets a surface, up to GRAB_RADIUS beyond the hand (within
# ARM_LENGTH of the head), if that surface is climbable there: terrain whose climb map says so and
# tree trunks (the world root's `is_climbable(point)`), or a node whose `is_climbable()` is true.
# Floor-like surfaces (within FLOOR_MAX_ANGLE of level) only while the other hand already holds on,
# or at the lip of a drop: standing on the ground is not climbing. While any hand holds, the body
# hangs (no gravity, walking or jumping) and moving the holding hands pulls it the opposite way: by
# the mean of their moves, not the sum, and only as far as every holding hand stays within
# ARM_LENGTH of the head. When the eyes are over a floor just beyond the holds, the body steps up
# onto it and lets go.
extends Reference

const C = preload("res://generated/constants.gd")
const Layers = preload("res://world/layers.gd")

const HOLD_MASK = Layers.TERRAIN | Layers.STATIC | Layers.ITEMS
const LEDGE_MASK = Layers.TERRAIN | Layers.STATIC
const REACH_TOLERANCE = 1.0e-3  # m, float slack on ARM_LENGTH after a move

var _body: KinematicBody
var _floor_normal_y := cos(deg2rad(C.FLOOR_MAX_ANGLE))


func _init(body: KinematicBody) -> void:
	_body = body


static func is_climbing(hands: Array) -> bool:
	for hand in hands:
		if hand.is_gripping():
			return true
	return false


# True when `body` can be climbed at `point`. `ground`: the world root (world.gd) or null.
static func is_climbable(body: Object, point: Vector3, ground: Object) -> bool:
	if body == null or not is_instance_valid(body):
		return false
	if body.has_method("is_climbable"):
		return body.is_climbable()
	if body.has_method("is_grabbable"):
		return false
	return ground != null and ground.is_climbable(point)


# Lets go of holds whose body is gone or no longer climbable (a tree or rock freed, a door opened).
func drop_lost_holds(hands: Array) -> void:
	for hand in hands:
		if not hand.is_gripping():
			continue
		var body: Object = hand.grip_body
		if not is_instance_valid(body):
			hand.release_grip()
		elif body.has_method("is_climbable") and not body.is_climbable():
			hand.release_grip()


# Tries to take hold with `hand` (empty, grasping), from `head`. `exclude`: RIDs the line ignores.
# Returns true when it holds.
func try_grip(hand, head: Vector3, exclude: Array, ground: Object, climbing: bool) -> bool:
	var reach: Vector3 = hand.world_transform.origin - head
	var length := reach.length()
	if length < 1.0e-6:
		return false
	# Up to GRAB_RADIUS beyond the hand, but never beyond the arm's length.
	var end: Vector3 = head + reach * (min(length + C.GRAB_RADIUS, C.ARM_LENGTH) / length)
	var space := _body.get_world().direct_space_state
	var hit := space.intersect_ray(head, end, exclude, HOLD_MASK)
	if hit.empty():
		return false
	var normal: Vector3 = hit["normal"]
	var point: Vector3 = hit["position"]
	var edge := climbing or _is_edge(space, point, reach, head, exclude)
	if normal.y >= _floor_normal_y and not edge:
		return false
	if not is_climbable(hit["collider"], point, ground):
		return false
	hand.grip(point, hit["collider"])
	return true


# True when the ground CLIMB_EDGE_PROBE further along `reach` (horizontally) from `point` is more
# than CLIMB_EDGE_DROP lower, or absent: `point` is on the lip of a drop. (The probe ray starts at
# the head's height, in the open.)
func _is_edge(space, point: Vector3, reach: Vector3, head: Vector3, exclude: Array) -> bool:
	var out := Vector3(reach.x, 0.0, reach.z)
	if out.length() < 1.0e-3:
		return false
	var probe := point + out.normalized() * C.CLIMB_EDGE_PROBE
	var below: Dictionary = space.intersect_ray(
		Vector3(probe.x, max(head.y, point.y), probe.z),
		Vector3(probe.x, point.y - C.CLIMB_EDGE_DROP, probe.z),
		exclude,
		LEDGE_MASK
	)
	return below.empty()


# One climbing tick: `moves[side]` is each hand's commanded move in the world frame; the body moves
# by minus the mean over the holding hands, cut short so that every hold stays within ARM_LENGTH of
# the head (the head moves with the body). One move-and-collide; what a surface stops is slid along
# it once (so the body follows a slope), unless that would overstretch an arm.
func pull(hands: Array, moves: Array, head: Vector3) -> void:
	var total := Vector3.ZERO
	var holds := []
	for side in range(hands.size()):
		if hands[side].is_gripping():
			total += moves[side]
			holds.append(hands[side].grip_point)
	if holds.empty():
		return
	var motion := -total / holds.size()
	var fraction := 1.0
	for point in holds:
		fraction = min(fraction, _reach_fraction(point - head, motion))
	var start := _body.global_transform.origin
	var collision := _body.move_and_collide(motion * fraction, false)
	if collision == null:
		return
	var before := _body.global_transform
	_body.move_and_collide(collision.remainder.slide(collision.normal), false)
	var moved := _body.global_transform.origin - start
	for point in holds:
		if (point - head - moved).length() > C.ARM_LENGTH + REACH_TOLERANCE:
			_body.global_transform = before
			return


# Steps up onto a ledge: a floor (walkable slope) under the point CLIMB_LEDGE_OVERSHOOT beyond the
# holds (horizontally, from the body's axis), higher than the feet by CLIMB_LEDGE_MIN_STEP and
# lower than the eyes by CLIMB_LEDGE_HEAD_CLEARANCE. The body rises until its feet are
# CLIMB_LEDGE_LIFT above that floor, then moves over it; if anything is in the way it stays. Returns
# true when it stepped up (the caller lets go of every hold).
func try_ledge(hands: Array, head: Vector3) -> bool:
	var centre := Vector3.ZERO
	var count := 0
	for hand in hands:
		if hand.is_gripping():
			centre += hand.grip_point
			count += 1
	if count == 0:
		return false
	centre /= count
	var start := _body.global_transform
	var feet_y := start.origin.y - C.AGENT_HEIGHT / 2.0
	var flat := Vector3(centre.x - start.origin.x, 0.0, centre.z - start.origin.z)
	if flat.length() < 1.0e-3:
		return false
	var over := flat * ((flat.length() + C.CLIMB_LEDGE_OVERSHOOT) / flat.length())
	var probe := start.origin + over
	var space := _body.get_world().direct_space_state
	var hit := space.intersect_ray(
		Vector3(probe.x, head.y, probe.z),
		Vector3(probe.x, feet_y + C.CLIMB_LEDGE_MIN_STEP, probe.z),
		[_body.get_rid()],
		LEDGE_MASK
	)
	if hit.empty():
		return false
	var normal: Vector3 = hit["normal"]
	var ledge: float = hit["position"].y
	if normal.y < _floor_normal_y or ledge > head.y - C.CLIMB_LEDGE_HEAD_CLEARANCE:
		return false
	var rise := Vector3.UP * (ledge + C.CLIMB_LEDGE_LIFT - feet_y)
	if _body.move_and_collide(rise, false) != null or _body.move_and_collide(over, false) != null:
		_body.global_transform = start
		return false
	return true


# The largest t in [0, 1] for which a hold at `hold` (from the head) stays within ARM_LENGTH of the
# head after the head moves by t * `motion`. A hold already beyond reach (float slack) allows only
# moves that bring it closer.
static func _reach_fraction(hold: Vector3, motion: Vector3) -> float:
	var mm := motion.length_squared()
	if mm < 1.0e-12:
		return 1.0
	var excess := hold.length_squared() - C.ARM_LENGTH * C.ARM_LENGTH
	if excess > 0.0:
		return 1.0 if (hold - motion).length() < hold.length() else 0.0
	var am := hold.dot(motion)
	return clamp((am + sqrt(am * am - mm * excess)) / mm, 0.0, 1.0)
