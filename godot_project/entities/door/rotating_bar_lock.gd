# A rotating bar lock (docs/doors.md): a bar 0.75 of the doorway long across the door's approach
# face, 1/4 of the panel's height above its centre, pivoting at the wall beside the closing edge
# about the door's normal. The hand turns it upward only, by up to 180 degrees; turned 10 degrees
# (75 on a pull-only door, where the bar would still be in the door's way) it unlocks, turned back
# below that it locks again; it stays where it is released. `state` is degrees turned up.
extends "res://entities/door/lock.gd"

const LENGTH_FRACTION = 0.75  # of the doorway's width
const HEIGHT_FRACTION = 0.0375  # of the panel's
const DEPTH = 0.05
const PIVOT_BESIDE = 0.05  # m beyond the doorway's edge
const FACE_GAP = 0.005  # m between the bar and the door's approach face
const MAX_TURN = 180.0
const UNLOCK_TURN = 10.0
const PULL_ONLY_UNLOCK_TURN = 75.0
const COLOR = Color(0.35, 0.33, 0.3)

var _side := 1.0  # the door's closing side: the bar reaches from there toward -_side
var _unlock_turn := UNLOCK_TURN


func _fit_to(on: Object) -> void:
	_side = on.closing_side()
	_unlock_turn = PULL_ONLY_UNLOCK_TURN if on.pull_only else UNLOCK_TURN
	max_state = MAX_TURN
	var length: float = LENGTH_FRACTION * on.width
	var size := Vector3(length, HEIGHT_FRACTION * on.panel_size.y, DEPTH)
	var pivot := Vector3(
		_side * (on.width / 2.0 + PIVOT_BESIDE),
		on.panel_center.y + on.panel_size.y / 4.0,
		on.front_z() + FACE_GAP + DEPTH / 2.0
	)
	base = Transform(Basis(), pivot)
	_add_part(Vector3(-_side * length / 2.0, 0.0, 0.0), size, COLOR)


# Turned up by `value` degrees about the pivot (the door's normal).
func _pose_at(value: float) -> Transform:
	return Transform(Basis(Vector3.BACK, -_side * deg2rad(value)), Vector3.ZERO)


func _state_toward(grabbed: Vector3, target: Vector3) -> float:
	if Vector2(target.x, target.y).length() < DEPTH:
		return state
	return _grab_state + wrapf(_angle(target) - _angle(grabbed), -180.0, 180.0)


func _opens_at(value: float) -> bool:
	return value >= _unlock_turn


# Degrees of a state-0-frame point about the pivot: 0 along the locked bar, 90 straight up.
func _angle(point: Vector3) -> float:
	return rad2deg(atan2(point.y, -_side * point.x))
