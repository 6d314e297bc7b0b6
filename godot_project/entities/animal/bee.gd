# The bee: flies about its territory; chases a near player (2-D distance), stings once and dies.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.95, 0.8, 0.1)


func _make_behaviors() -> void:
	altitude = 4.0
	idle = RandomFly.new(2.0, 1.0 / 16.0)
	home = GoHome.new(null, 2.0, 0.5)
	active = DirectedFly.new(2.75, 1.0, 1.5, false)
	ocean = AvoidOcean.new(50, Vector2.ZERO, 2.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player)
