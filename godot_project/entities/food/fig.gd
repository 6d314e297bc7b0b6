# A fig: a purple box-shaped food that a hard landing squishes.
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.45, 0.2, 0.35)


func color() -> Color:
	return COLOR
