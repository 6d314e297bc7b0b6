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


# The look: legs, body, head with a snout and pointed ears, tail.
func _look_parts() -> Array:
	return [
		[0.0, 0.05, 0.1, 1.6, 0.8, 1.3, 1.0],
		[0.55, -0.62, 0.55, 0.35, 0.75, 0.15, 0.85],
		[0.55, -0.62, -0.35, 0.35, 0.75, 0.15, 0.85],
		[0.0, 0.4, -0.7, 1.0, 0.7, 0.45, 1.0],
		[0.0, 0.25, -0.95, 0.5, 0.35, 0.1, 1.2],
		[0.3, 0.85, -0.6, 0.25, 0.3, 0.1, 0.8],
		[0.0, 0.2, 0.85, 0.3, 0.3, 0.3, 0.8],
	]
