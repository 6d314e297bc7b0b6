# The hawk: circles; goes home first whenever it is far from its territory; chases a near
# player (2-D distance) who is within HUNTING_GROUND of the territory's centre, not while resting
# after a bite.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const WING = Vector3(3.0, 0.3, 1.0)  # m, half extents of the wing box (dead)
const HUNTING_GROUND = 15.0  # m (2-D) from the territory's centre


func _init() -> void:
	color = Color(0.5, 0.35, 0.2)


func _make_behaviors() -> void:
	altitude = 8.0
	idle = FlyInCircles.new(2.0)
	home = GoHome.new(null, 2.0, 2.0)
	home_first = true
	active = DirectedFly.new(3.25, 1.5, 1.5, false)
	ocean = AvoidOcean.new(50, Vector2.ZERO, 2.0)


func _wants_active(player) -> bool:
	var from_centre: Vector3 = player.get_body().global_transform.origin - territory_centre
	return (
		_player_in_radius(player)
		and Vector2(from_centre.x, from_centre.z).length() <= HUNTING_GROUND
		and not is_resting()
	)


func _look_parts() -> Array:
	return _bird_parts(0.75, WING)


# Dead, the wings spread (the reference's wing box, enabled only at death).
func die() -> void:
	.die()
	call_deferred("_spread_wings", WING)
