# The turtle: hops round in circles; flees slowly when the player is near.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.35, 0.45, 0.25)


func _make_behaviors() -> void:
	idle = HopInCircle.new(Vector2(2.0, 0.75), 8, 8, 30.0)
	active = DirectedHop.new(Vector2(2.5, 1.0), 6, 4, true)
	ocean = AvoidOcean.new(6, Vector2(2.0, 0.75), 0.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player)


# The look: a domed shell, head and four stubby legs.
func _look_parts() -> Array:
	return [
		[0.0, 0.25, 0.05, 1.9, 1.1, 1.7, 1.0],
		[0.0, -0.35, 0.05, 1.6, 0.5, 1.5, 0.7],
		[0.0, -0.2, -0.85, 0.6, 0.6, 0.3, 1.3],
		[0.75, -0.7, 0.55, 0.4, 0.6, 0.35, 1.3],
		[0.75, -0.7, -0.5, 0.4, 0.6, 0.35, 1.3],
	]
