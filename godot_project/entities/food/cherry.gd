# A cherry: a dark red sphere.
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.6, 0.0, 0.12)


func color() -> Color:
	return COLOR
