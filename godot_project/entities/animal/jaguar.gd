# The jaguar: prowls in a polygon; pounces on a near player who moves in front of it, and
# chases while the player stays near and has not stood still for STILL_TICKS ticks.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const STILL_TICKS = 16
const STILL_MOVE = 0.1  # m in a tick: standing still
const REACH = 5.25  # m: its climbing ray
const FLOOR_REACH = 4.0  # m: its floor ray

var _last_seen_at = null  # the player's body centre last tick
var _still_ticks := 0


func _init() -> void:
	color = Color(0.85, 0.65, 0.2)


func _make_behaviors() -> void:
	idle = ClimbWhenNeeded.new(
		HopInCircle.new(Vector2(3.0, 2.0), 4, 4, 45.0), false, true, REACH, FLOOR_REACH
	)
	active = ClimbWhenNeeded.new(
		DirectedHop.new(Vector2(4.5, 2.0), 6, 3, false, 2.5), true, true, REACH, FLOOR_REACH
	)
	ocean = AvoidOcean.new(6, Vector2(3.0, 2.0), 0.0)


func _wants_active(player) -> bool:
	var at: Vector3 = player.get_body().global_transform.origin
	if _last_seen_at != null and at.distance_to(_last_seen_at) <= STILL_MOVE:
		_still_ticks += 1
	else:
		_still_ticks = 0
	_last_seen_at = at
	var moving := _still_ticks < STILL_TICKS
	var near := _player_in_radius(player)
	return _gate(moving and _player_in_front(player), near and moving)


# The look: long low body with dark spots, head, long tail.
func _look_parts() -> Array:
	return [
		[0.0, 0.0, 0.0, 1.7, 0.8, 1.2, 1.0],
		[0.6, -0.6, 0.45, 0.3, 0.8, 0.12, 0.9],
		[0.6, -0.6, -0.45, 0.3, 0.8, 0.12, 0.9],
		[0.0, 0.3, -0.75, 1.2, 0.8, 0.4, 1.0],
		[0.4, 0.41, 0.2, 0.3, 0.02, 0.12, 0.3],
		[0.0, 0.41, -0.1, 0.3, 0.02, 0.12, 0.3],
		[0.3, 0.41, -0.35, 0.25, 0.02, 0.1, 0.3],
		[0.0, 0.1, 0.8, 0.25, 0.25, 0.4, 0.9],
	]
