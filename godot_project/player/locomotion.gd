# Walking, jumping and gravity of the kinematic body (player.gd calls `move` on every tick the body
# is not climbing). Walking: the head's (x, z) delta turned by the yaw only, as a velocity, slowed
# when crouching; gravity and jumps with trapezoidal integration (the displacement uses the mean of
# the start and end vertical speeds), so a jump of sqrt(2 g h) peaks at exactly JUMP_HEIGHT and a
# free fall from h lands at sqrt(2 g h).
extends Reference

const C = preload("res://generated/constants.gd")

const DT = 1.0 / C.PHYSICS_FPS
const SNAP_LENGTH = 0.3  # m, how far down the body sticks to the floor while walking
const MAX_SLIDES = 4
const CROUCH_SPEED_OFFSET = 0.2  # walking speed factor = clamp((head height + 0.2) / 2, 0.2, 1)
const CROUCH_SPEED_DIVISOR = 2.0
const MIN_CROUCH_SPEED_FACTOR = 0.2
const PRESSED = 1.0  # a button is pressed only when exactly 1.0

var vertical_speed := 0.0  # m/s, after the last move
var walk_velocity := Vector3.ZERO  # m/s, the horizontal velocity the last move tried to walk at

var _body: KinematicBody
# Set by `hang`: the body's floor contact is from before the climb (move_and_slide last ran then),
# so it is not on the floor until the next walking move says so.
var _off_floor := false


func _init(body: KinematicBody) -> void:
	_body = body


func move(action: PoolRealArray, yaw_deg: float, head_height: float) -> void:
	var was_on_floor := is_on_floor()
	var crouch_factor: float = clamp(
		(head_height + CROUCH_SPEED_OFFSET) / CROUCH_SPEED_DIVISOR, MIN_CROUCH_SPEED_FACTOR, 1.0
	)
	var step := (
		Vector3(action[C.ACTION_HEAD_X], 0.0, action[C.ACTION_HEAD_Z])
		* C.MAX_HEAD_LINEAR_SPEED
	)
	var horizontal := Basis(Vector3.UP, deg2rad(yaw_deg)).xform(step) / DT * crouch_factor
	walk_velocity = horizontal
	var start_speed := vertical_speed
	var jumping := action[C.ACTION_JUMP] == PRESSED and was_on_floor
	if jumping:
		start_speed = sqrt(2.0 * C.GRAVITY * C.JUMP_HEIGHT)
	var end_speed := start_speed - C.GRAVITY * DT
	var snap := Vector3.DOWN * SNAP_LENGTH if was_on_floor and not jumping else Vector3.ZERO
	_body.move_and_slide_with_snap(
		horizontal + Vector3.UP * (start_speed + end_speed) / 2.0,
		snap,
		Vector3.UP,
		true,
		MAX_SLIDES,
		deg2rad(C.FLOOR_MAX_ANGLE),
		false
	)
	_off_floor = false
	if (_body.is_on_floor() and end_speed <= 0.0) or (_body.is_on_ceiling() and end_speed > 0.0):
		vertical_speed = 0.0
	else:
		vertical_speed = end_speed


# A tick spent hanging from holds (climbing.gd moves the body): no speed to carry into a fall, no
# floor to jump from.
func hang() -> void:
	vertical_speed = 0.0
	_off_floor = true


func is_on_floor() -> bool:
	return _body.is_on_floor() and not _off_floor
