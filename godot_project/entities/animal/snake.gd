# The snake: edges away from a player within its radius; once the player comes within START it
# chases for good (the reference's endless snake); one bite kills.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const START = 3.0  # m


func _init() -> void:
	color = Color(0.4, 0.55, 0.1)


func _make_behaviors() -> void:
	var edge_away := DirectedHop.new(Vector2(1.5, 1.5), 4, 8, true)
	edge_away.within = detection_radius
	idle = edge_away
	active = DirectedHop.new(Vector2(4.0, 1.5), 8, 4, false)
	ocean = AvoidOcean.new(8, Vector2(1.5, 1.5), 0.0)


func _wants_active(player) -> bool:
	return _gate(player_offset(player).length() <= START, true)


# The look: a long body in a zigzag, head in front.
func _look_parts() -> Array:
	return [
		[0.4, -0.5, 0.7, 0.4, 0.9, 0.6, 1.0],
		[0.0, -0.5, 0.35, 1.2, 0.9, 0.3, 1.0],
		[-0.4, -0.5, 0.0, 0.4, 0.9, 0.6, 1.0],
		[0.0, -0.5, -0.35, 1.2, 0.9, 0.3, 1.0],
		[0.0, -0.3, -0.8, 0.6, 1.3, 0.4, 0.75],
	]
