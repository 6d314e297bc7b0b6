# An apple: a red sphere.
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.8, 0.1, 0.1)


func color() -> Color:
	return COLOR
