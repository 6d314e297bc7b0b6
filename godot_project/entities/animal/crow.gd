# The crow: flies about at random; flies away from a near player (2-D distance).
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const WING = Vector3(2.1, 0.3, 0.75)  # m, half extents of the wing box (dead)


func _init() -> void:
	color = Color(0.12, 0.12, 0.14)


func _make_behaviors() -> void:
	altitude = 5.5
	idle = RandomFly.new(1.25, 1.0 / 16.0)
	active = DirectedFly.new(3.0, 1.25, 1.5, true)
	ocean = AvoidOcean.new(50, Vector2.ZERO, 3.0)


func _wants_active(player) -> bool:
	return _player_in_radius(player)


func _look_parts() -> Array:
	return _bird_parts(1.0, WING)


# Dead, the wings spread (the reference's wing box, enabled only at death).
func die() -> void:
	.die()
	call_deferred("_spread_wings", WING)
