# The rabbit: hops about; flees in long hops when the player is near.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.85, 0.8, 0.7)


func _make_behaviors() -> void:
	idle = RandomHop.new(1.0 / 8.0, Vector2(4.0, 1.25), 4)
	active = DirectedHop.new(Vector2(6.0, 2.25), 4, 3, true)
	ocean = AvoidOcean.new(4, Vector2(4.0, 1.25), 0.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player)


# The look: round body, head with two tall ears, white tail.
func _look_parts() -> Array:
	return [
		[0.0, -0.45, 0.15, 1.6, 1.1, 1.5, 1.0],
		[0.0, 0.05, -0.55, 1.0, 0.8, 0.7, 1.0],
		[0.2, 0.65, -0.45, 0.3, 0.7, 0.2, 1.0],
		[0.0, -0.3, 0.95, 0.5, 0.4, 0.1, 1.6],
	]
