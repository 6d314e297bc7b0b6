# A mulberry: a small purple sphere.
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.35, 0.05, 0.4)


func color() -> Color:
	return COLOR
