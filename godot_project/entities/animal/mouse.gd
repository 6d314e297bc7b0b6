# The mouse: hops about; flees fast once the player is near and in front of it, and keeps
# fleeing while the player stays near.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const REACH = 3.0  # m: its climbing ray
const FLOOR_REACH = 2.0  # m: its floor ray


func _init() -> void:
	color = Color(0.55, 0.5, 0.45)


func _make_behaviors() -> void:
	idle = ClimbWhenNeeded.new(
		RandomHop.new(1.0 / 10.0, Vector2(3.25, 1.0), 8), false, false, REACH, FLOOR_REACH
	)
	active = ClimbWhenNeeded.new(
		DirectedHop.new(Vector2(6.5, 1.0), 6, 3, true), true, false, REACH, FLOOR_REACH
	)
	ocean = AvoidOcean.new(6, Vector2(3.25, 1.0), 0.0)


func _wants_active(player) -> bool:
	return _gate(_player_in_front(player), _player_in_radius(player))


# The look: low body, big round ears, long thin tail.
func _look_parts() -> Array:
	return [
		[0.0, -0.35, 0.1, 1.5, 1.1, 1.2, 1.0],
		[0.0, -0.3, -0.65, 0.9, 0.8, 0.6, 1.0],
		[0.5, 0.25, -0.55, 0.6, 0.7, 0.15, 1.3],
		[0.0, -0.75, 0.85, 0.15, 0.15, 0.3, 0.8],
	]
