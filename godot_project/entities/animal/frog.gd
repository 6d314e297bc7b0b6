# The frog: hops about at random and never flees.
# Numbers: docs/animals.md (the reference's species tables); the row: avalon/entities/table.py.
extends "res://entities/animal/animal.gd"


func _init() -> void:
	color = Color(0.3, 0.65, 0.2)


func _make_behaviors() -> void:
	idle = RandomHop.new(1.0 / 16.0, Vector2(3.0, 2.5), 1)
	ocean = AvoidOcean.new(8, Vector2(1.5, 1.25), 0.0)


# The look: squat body, wide head with eyes on top, folded hind legs.
func _look_parts() -> Array:
	return [
		[0.0, -0.3, 0.15, 1.5, 1.1, 1.5, 1.0],
		[0.0, -0.05, -0.6, 1.3, 0.9, 0.7, 1.0],
		[0.4, 0.6, -0.6, 0.35, 0.5, 0.35, 1.35],
		[0.8, -0.6, 0.5, 0.4, 0.8, 0.9, 0.8],
	]
