# The wolf: hops about its territory, goes home when far from it; chases a near, reachable
# player (which beats going home).
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.45, 0.45, 0.5)


func _make_behaviors() -> void:
	idle = RandomHop.new(1.0 / 4.0, Vector2(2.0, 2.0), 4)
	home = GoHome.new(DirectedHop.new(Vector2(2.0, 2.0), 6, 3, false))
	active = DirectedHop.new(Vector2(3.25, 2.0), 6, 3, false)
	ocean = AvoidOcean.new(6, Vector2(2.0, 2.0), 0.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player) and _player_reachable(player)
