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


# The look: yellow and black stripes, pale wings.
func _look_parts() -> Array:
	return [
		[0.0, -0.15, -0.55, 1.4, 1.2, 0.5, 1.0],
		[0.0, -0.15, -0.05, 1.5, 1.3, 0.5, 0.2],
		[0.0, -0.15, 0.45, 1.4, 1.2, 0.5, 1.0],
		[0.0, -0.15, 0.85, 1.0, 0.8, 0.3, 0.2],
		[0.0, 0.0, -0.95, 0.8, 0.8, 0.1, 0.2],
		[0.55, 0.7, 0.0, 0.9, 0.15, 0.9, 1.7],
	]
