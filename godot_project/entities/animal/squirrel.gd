# The squirrel: hops about; flees when the player is near.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const REACH = 3.0  # m: its climbing ray
const FLOOR_REACH = 2.0  # m: its floor ray


func _init() -> void:
	color = Color(0.7, 0.4, 0.15)


func _make_behaviors() -> void:
	idle = ClimbWhenNeeded.new(
		RandomHop.new(1.0 / 8.0, Vector2(2.0, 2.0), 4), false, false, REACH, FLOOR_REACH
	)
	active = ClimbWhenNeeded.new(
		DirectedHop.new(Vector2(5.0, 2.0), 6, 4, true), true, false, REACH, FLOOR_REACH
	)
	ocean = AvoidOcean.new(6, Vector2(2.0, 2.0), 0.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player)


# The look: small body and a big bushy tail held up behind.
func _look_parts() -> Array:
	return [
		[0.0, -0.5, -0.15, 1.4, 1.0, 1.1, 1.0],
		[0.0, -0.1, -0.7, 1.0, 0.7, 0.5, 1.0],
		[0.3, 0.3, -0.7, 0.25, 0.25, 0.15, 1.0],
		[0.0, 0.2, 0.65, 1.3, 1.6, 0.7, 1.2],
	]
