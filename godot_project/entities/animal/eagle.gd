# The eagle: flies about at random; chases a near player (2-D distance) who has not noticed it:
# once it has been in (or out of) the player's view for NOTICE_TICKS ticks in a row, the player
# has noticed it (or lost it). The view is the camera's frustum, with no occlusion test (the
# reference's).
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const WING = Vector3(2.5, 0.563, 0.5)  # m, half extents of the wing box (dead)
const NOTICE_TICKS = 10
const VIEW_MARGIN = 0.5  # m: the reference's notifier is a 1 m box

var _noticed := false
var _disagreeing := 0  # ticks the view has disagreed with `_noticed`


func _init() -> void:
	color = Color(0.35, 0.25, 0.15)


func _make_behaviors() -> void:
	altitude = 10.0
	idle = RandomFly.new(3.0, 1.0 / 8.0)
	active = DirectedFly.new(3.75, 1.5, 2.0, false)
	ocean = AvoidOcean.new(50, Vector2.ZERO, 3.0)


func _wants_active(player) -> bool:
	var seen := _in_view(player)
	_disagreeing = _disagreeing + 1 if seen != _noticed else 0
	if _disagreeing >= NOTICE_TICKS:
		_noticed = seen
		_disagreeing = 0
	return _player_in_radius(player) and not _noticed


# The player's camera sees the eagle: inside the view frustum (C.CAMERA_FOV, square image), with
# the notifier's margin.
func _in_view(player) -> bool:
	var eye: Transform = player.get_head_transform()
	var local: Vector3 = eye.xform_inv(global_transform.origin)
	var depth := -local.z
	if depth <= -VIEW_MARGIN:
		return false
	var reach: float = max(depth, 0.0) * tan(deg2rad(C.CAMERA_FOV / 2.0)) + VIEW_MARGIN
	return abs(local.x) <= reach and abs(local.y) <= reach


func _look_parts() -> Array:
	return _bird_parts(1.9, WING)


# Dead, the wings spread (the reference's wing box, enabled only at death).
func die() -> void:
	.die()
	call_deferred("_spread_wings", WING)
