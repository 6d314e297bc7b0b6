# A sliding door (docs/doors.md; the reference's sizes for a 1 x 3 m doorway): a panel as wide as
# the doorway, 1/1.1 of its height and 0.1 m thick, 0.1 m above the floor, just in front of the wall
# face on the approach side, sliding along it by up to its width; one upright handle on the approach
# face near the trailing (closing) edge. `opening` is metres slid, in [0, width].
extends "res://entities/door/door.gd"

const FLOOR_GAP = 0.1
const HEIGHT_FRACTION = 1.0 / 1.1
const THICKNESS = 0.1
const WALL_GAP = 0.01  # m between the panel and the wall face
const HANDLE_SCALE = Vector3(0.1, 0.2, 0.0)  # handle width, height as fractions of the panel's
const HANDLE_DEPTH = 0.075
const HANDLE_MARGINS = 26.0  # the panel width beside the handle splits 25 : 1

var _direction := 1.0  # +1: slides toward +x (right seen from the approach side)


func _build_door(spec: Dictionary) -> String:
	_direction = 1.0 if spec["slide_right"] else -1.0
	min_opening = 0.0
	max_opening = width
	var panel_height := height * HEIGHT_FRACTION
	panel_size = Vector3(width, panel_height, THICKNESS)
	panel_center = Vector3(0.0, FLOOR_GAP + panel_height / 2.0, WALL_GAP + THICKNESS / 2.0)
	_add_part(panel_center, panel_size, WOOD)
	var handle := Vector3(HANDLE_SCALE.x * width, HANDLE_SCALE.y * panel_height, HANDLE_DEPTH)
	var margin := (width - handle.x) / HANDLE_MARGINS
	var handle_x := closing_side() * (width / 2.0 - margin - handle.x / 2.0)
	_add_loop_handle(Vector3(handle_x, panel_center.y, front_z()), handle, 1.0)
	return ""


func closing_side() -> float:
	return -_direction


func _pose_at(value: float) -> Transform:
	return Transform(Basis(), Vector3(_direction * value, 0.0, 0.0))


# The grabbed point's displacement along the wall.
func _opening_toward(grabbed: Vector3, target: Vector3) -> float:
	return _grab_opening + _direction * (target.x - grabbed.x)


func _push_change(velocity: Vector3, _contact: Vector3) -> float:
	return _direction * velocity.x * DT


func _open_threshold() -> float:
	return C.DOOR_OPEN_METRES
