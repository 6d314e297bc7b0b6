# The pigeon: flies about its territory; flies away from a near player (2-D distance).
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const WING = Vector3(1.953, 0.25, 0.5)  # m, half extents of the wing box (dead)


func _init() -> void:
	color = Color(0.6, 0.62, 0.7)


func _make_behaviors() -> void:
	altitude = 4.0
	idle = RandomFly.new(2.0, 1.0 / 16.0)
	home = GoHome.new(null, 2.0, 2.0)
	active = DirectedFly.new(2.75, 1.25, 1.5, true)
	ocean = AvoidOcean.new(50, Vector2.ZERO, 2.75)


func _wants_active(player) -> bool:
	return _player_in_radius(player)


func _look_parts() -> Array:
	return _bird_parts(1.25, WING)


# Dead, the wings spread (the reference's wing box, enabled only at death).
func die() -> void:
	.die()
	call_deferred("_spread_wings", WING)
