# The bear: hops about; chases a near player.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const REACH = 4.75  # m: its climbing ray
const FLOOR_REACH = 4.0  # m: its floor ray
const ESCAPE_LIFT = 12.0  # m/s up when it tops a climb


func _init() -> void:
	color = Color(0.3, 0.2, 0.12)


func _make_behaviors() -> void:
	idle = ClimbWhenNeeded.new(
		RandomHop.new(1.0 / 8.0, Vector2(2.0, 2.0), 1), false, true, REACH, FLOOR_REACH, ESCAPE_LIFT
	)
	active = ClimbWhenNeeded.new(
		DirectedHop.new(Vector2(4.0, 1.5), 6, 4, false), true, true, REACH, FLOOR_REACH, ESCAPE_LIFT
	)
	ocean = AvoidOcean.new(6, Vector2(2.0, 2.0), 0.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player)


# The look: bulky body, thick legs, head with round ears.
func _look_parts() -> Array:
	return [
		[0.0, 0.15, 0.15, 1.9, 1.1, 1.4, 1.0],
		[0.55, -0.55, 0.55, 0.6, 0.9, 0.3, 0.85],
		[0.55, -0.55, -0.3, 0.6, 0.9, 0.3, 0.85],
		[0.0, 0.3, -0.7, 1.1, 0.8, 0.55, 1.0],
		[0.0, 0.15, -0.95, 0.5, 0.35, 0.1, 1.3],
		[0.4, 0.8, -0.65, 0.3, 0.3, 0.12, 0.8],
	]
