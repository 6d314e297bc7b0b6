# A hinge door (docs/doors.md; the reference's sizes for a 1 x 3 m doorway): a panel 0.875 x 2.8 x
# 0.075 m turning about a vertical hinge at one jamb, a loop handle on each face near the free edge.
# `opening` is degrees, positive toward the approach side (+z, pulled), negative away (pushed):
# push [-90, 0], pull [0, 90], both [-90, 90].
extends "res://entities/door/door.gd"

const HINGE_RADIUS = 0.05  # m, the hinge post at the jamb (visual only)
const EDGE_GAP = 0.025  # m between the free edge and its jamb
const FLOOR_GAP = 0.1  # m above the floor and below the lintel
const THICKNESS = 0.075
const HANDLE_SCALE = Vector3(0.2, 0.1, 0.0)  # handle width, height as fractions of the panel's
const HANDLE_DEPTH = 0.15
const HANDLE_MARGINS = 26.0  # the panel width beside the handle splits 25 : 1 (hinge : free edge)
const MAX_ANGLE = 90.0
const MIN_PUSH_RADIUS = 0.3  # m: contacts nearer the hinge count as this far
const HINGE_COLOR = Color(0.3, 0.3, 0.32)

var _side := 1.0  # +1: hinge at -x, free edge at +x (a left hinge seen from the approach side)
var _axis := Vector3.ZERO  # the hinge axis's foot in the shut frame


func _build_door(spec: Dictionary) -> String:
	var mechanics: int = spec["mechanics"]
	if mechanics < C.DOOR_MECHANICS_PUSH or mechanics > C.DOOR_MECHANICS_BOTH:
		return "hinge_door %d: mechanics %d is not 0, 1 or 2" % [item_id, mechanics]
	pull_only = mechanics == C.DOOR_MECHANICS_PULL
	min_opening = 0.0 if mechanics == C.DOOR_MECHANICS_PULL else -MAX_ANGLE
	max_opening = 0.0 if mechanics == C.DOOR_MECHANICS_PUSH else MAX_ANGLE
	_side = -1.0 if spec["hinge_right"] else 1.0
	_axis = Vector3(-_side * (width / 2.0 - HINGE_RADIUS), 0.0, 0.0)
	var panel_width := width - 2.0 * HINGE_RADIUS - EDGE_GAP
	var panel_height := height - 2.0 * FLOOR_GAP
	if panel_width <= 0.2 or panel_height <= 0.5:
		return "hinge_door %d: a %.2f x %.2f m doorway is too small" % [item_id, width, height]
	panel_size = Vector3(panel_width, panel_height, THICKNESS)
	panel_center = Vector3(
		_axis.x + _side * (HINGE_RADIUS + panel_width / 2.0), FLOOR_GAP + panel_height / 2.0, 0.0
	)
	_add_part(panel_center, panel_size, WOOD)
	var hinge := Vector3(2.0 * HINGE_RADIUS, panel_height, 2.0 * HINGE_RADIUS)
	_add_part(Vector3(_axis.x, panel_center.y, 0.0), hinge, HINGE_COLOR, false)
	var handle := Vector3(HANDLE_SCALE.x * panel_width, HANDLE_SCALE.y * panel_height, HANDLE_DEPTH)
	var free_edge := panel_center.x + _side * panel_width / 2.0
	var margin := (panel_width - handle.x) / HANDLE_MARGINS
	var handle_x := free_edge - _side * (margin + handle.x / 2.0)
	for face in [-1.0, 1.0]:
		var at := Vector3(handle_x, panel_center.y, face * THICKNESS / 2.0)
		_add_loop_handle(at, handle, face)
	return ""


func closing_side() -> float:
	return _side


# Turned by `value` degrees about the hinge axis (toward +z when positive).
func _pose_at(value: float) -> Transform:
	var turn := Transform(Basis(Vector3.UP, -_side * deg2rad(value)), _axis)
	return turn * Transform(Basis(), -_axis)


# The grabbed point's angle about the hinge follows the target's.
func _opening_toward(grabbed: Vector3, target: Vector3) -> float:
	var to_target := target - _axis
	if Vector2(to_target.x, to_target.z).length() < HINGE_RADIUS:
		return opening
	return _grab_opening + wrapf(_angle(target) - _angle(grabbed), -180.0, 180.0)


# The walk's component along the circle through the contact turns the door.
func _push_change(velocity: Vector3, contact: Vector3) -> float:
	var arm := contact - _axis
	arm.y = 0.0
	var theta := deg2rad(_angle(contact))
	var tangent := Vector3(-_side * sin(theta), 0.0, cos(theta))
	var radius: float = max(arm.length(), MIN_PUSH_RADIUS)
	return rad2deg(velocity.dot(tangent) * DT / radius)


# Degrees of a shut-frame point about the hinge axis: 0 along the shut panel, 90 toward +z.
func _angle(point: Vector3) -> float:
	var arm := point - _axis
	return rad2deg(atan2(arm.z, _side * arm.x))
