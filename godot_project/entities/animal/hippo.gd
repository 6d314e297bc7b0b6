# The hippo: edges away from a player within its radius; chases once the player comes within
# START, while the player stays within its radius and reachable.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const START = 6.0  # m


func _init() -> void:
	color = Color(0.5, 0.45, 0.55)


func _make_behaviors() -> void:
	var edge_away := DirectedHop.new(Vector2(1.5, 1.5), 4, 8, true)
	edge_away.within = detection_radius
	idle = edge_away
	active = DirectedHop.new(Vector2(3.25, 1.25), 8, 4, false)
	ocean = AvoidOcean.new(8, Vector2(1.5, 1.5), 0.0)


func _wants_active(player) -> bool:
	return _gate(
		player_offset(player).length() <= START,
		_player_in_radius(player) and _player_reachable(player)
	)


# The look: a barrel body on short legs, a big square head.
func _look_parts() -> Array:
	return [
		[0.0, 0.2, 0.2, 2.0, 1.3, 1.5, 1.0],
		[0.6, -0.65, 0.7, 0.5, 0.7, 0.3, 0.85],
		[0.6, -0.65, -0.3, 0.5, 0.7, 0.3, 0.85],
		[0.0, 0.15, -0.7, 1.6, 1.0, 0.6, 1.0],
		[0.4, 0.75, -0.6, 0.3, 0.3, 0.15, 0.7],
	]
