# A sliding bar lock (docs/doors.md): an upright bolt on the door's approach face at its closing
# edge, reaching past the panel into the floor (bottom) or the lintel (top), moving with the door.
# The hand slides it along its length only, out of the floor (up) or lintel (down), by up to 0.3 of
# its length; slid a quarter of that it unlocks, slid back it locks again; it stays where released
# (the original's bars never locked, their travel rounded to 0, and its top bars fell open).
# `state` is metres slid.
extends "res://entities/door/lock.gd"

const WIDTH_FRACTION = 0.075  # of the doorway's width
const LENGTH_FRACTION = 0.25  # of the panel's height
const DEPTH = 0.125
const REACH = 1.1  # the bar's centre is this times (half panel - half bar) from the panel's centre
const SLIDING_DOOR_TOP_REACH = 1.15
const TRAVEL_FRACTION = 0.3  # of its length
const UNLOCK_FRACTION = 0.25  # of its travel
const EDGE_GAP = 0.02  # m between the bar and the closing edge
const KNOB = Vector3(0.1, 0.1, 0.1)
const COLOR = Color(0.4, 0.4, 0.42)

var top := false
var _direction := 1.0  # +1: slides up (bottom bar), -1: down (top bar)


func _build_lock(spec: Dictionary) -> String:
	top = spec["top"]
	_direction = -1.0 if top else 1.0
	return ""


func _fit_to(on: Object) -> void:
	var side: float = on.closing_side()
	var size := Vector3(WIDTH_FRACTION * on.width, LENGTH_FRACTION * on.panel_size.y, DEPTH)
	max_state = TRAVEL_FRACTION * size.y
	var reach := REACH
	if top and on.kind == "sliding_door":
		reach = SLIDING_DOOR_TOP_REACH
	var offset: float = reach * (on.panel_size.y / 2.0 - size.y / 2.0)
	var edge: float = on.panel_center.x + side * on.panel_size.x / 2.0
	var center := Vector3(
		edge - side * (size.x / 2.0 + EDGE_GAP),
		on.panel_center.y + (offset if top else -offset),
		on.front_z() + DEPTH / 2.0
	)
	base = Transform(Basis(), center)
	_add_part(Vector3.ZERO, size, COLOR)
	_add_part(Vector3(0.0, 0.0, DEPTH / 2.0 + KNOB.z / 2.0), KNOB, COLOR)


# It moves with the door panel.
func _anchor() -> Transform:
	return door.transform


func _pose_at(value: float) -> Transform:
	return Transform(Basis(), Vector3(0.0, _direction * value, 0.0))


func _state_toward(grabbed: Vector3, target: Vector3) -> float:
	return _grab_state + _direction * (target.y - grabbed.y)


func _opens_at(value: float) -> bool:
	return value >= UNLOCK_FRACTION * max_state - 1e-4
