# The alligator: hops about; chases a near, reachable player.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.2, 0.35, 0.15)


func _make_behaviors() -> void:
	idle = RandomHop.new(1.0 / 16.0, Vector2(2.0, 2.0), 4)
	active = DirectedHop.new(Vector2(2.0, 2.0), 6, 4, false)
	ocean = AvoidOcean.new(6, Vector2(2.0, 2.0), 0.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player) and _player_reachable(player)


# The look: long and flat: snout, body, short legs, tail.
func _look_parts() -> Array:
	return [
		[0.0, -0.3, -0.75, 1.0, 0.6, 0.5, 1.0],
		[0.0, -0.2, -0.2, 1.8, 0.9, 0.7, 1.0],
		[0.0, -0.35, 0.5, 1.0, 0.6, 0.8, 0.85],
		[0.0, -0.45, 0.9, 0.5, 0.4, 0.2, 0.85],
		[0.9, -0.75, -0.35, 0.2, 0.5, 0.15, 0.8],
		[0.9, -0.75, 0.1, 0.2, 0.5, 0.15, 0.8],
		[0.3, 0.3, -0.55, 0.3, 0.3, 0.06, 1.3],
	]
