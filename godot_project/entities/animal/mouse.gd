# The mouse: hops about; flees fast once the player is near and in front of it, and keeps
# fleeing while the player stays near.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.55, 0.5, 0.45)


func _make_behaviors() -> void:
	idle = RandomHop.new(1.0 / 10.0, Vector2(3.25, 1.0), 8)
	active = DirectedHop.new(Vector2(6.5, 1.0), 6, 3, true)
	ocean = AvoidOcean.new(6, Vector2(3.25, 1.0), 0.0)


func _wants_active(player) -> bool:
	return _gate(_player_in_front(player), _player_in_radius(player))
