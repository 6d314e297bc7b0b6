# A banana: a yellow box-shaped food.
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.95, 0.85, 0.2)


func color() -> Color:
	return COLOR
