# The deer: edges slowly away from a player within its radius; flees fast once the player
# comes within START (and keeps fleeing while within its radius).
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"

const START = 6.0  # m


func _init() -> void:
	color = Color(0.65, 0.45, 0.25)


func _make_behaviors() -> void:
	var edge_away := DirectedHop.new(Vector2(1.5, 1.25), 4, 8, true)
	edge_away.within = detection_radius
	idle = edge_away
	active = DirectedHop.new(Vector2(5.5, 2.25), 3, 4, true)
	ocean = AvoidOcean.new(3, Vector2(2.75, 1.125), 0.0)


func _wants_active(player) -> bool:
	var distance: float = player_offset(player).length()
	return _gate(distance <= START, distance <= detection_radius)


# The look: long legs, body, neck and head with antlers.
func _look_parts() -> Array:
	return [
		[0.0, 0.0, 0.1, 1.8, 0.7, 1.5, 1.0],
		[0.6, -0.67, 0.6, 0.35, 0.66, 0.15, 0.8],
		[0.6, -0.67, -0.45, 0.35, 0.66, 0.15, 0.8],
		[0.0, 0.45, -0.6, 0.6, 0.5, 0.25, 1.0],
		[0.0, 0.75, -0.8, 0.8, 0.25, 0.35, 1.0],
		[0.45, 0.92, -0.75, 0.5, 0.15, 0.1, 0.55],
	]
