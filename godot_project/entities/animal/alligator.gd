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
