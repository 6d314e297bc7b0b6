# The bear: hops about; chases a near player.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.3, 0.2, 0.12)


func _make_behaviors() -> void:
	idle = RandomHop.new(1.0 / 8.0, Vector2(2.0, 2.0), 1)
	active = DirectedHop.new(Vector2(4.0, 1.5), 6, 4, false)
	ocean = AvoidOcean.new(6, Vector2(2.0, 2.0), 0.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player)
