# A coconut: closed until a hard impact opens it (white inside).
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.4, 0.25, 0.1)
const OPENED_COLOR = Color(0.95, 0.95, 0.9)


func color() -> Color:
	return COLOR


func opened_color() -> Color:
	return OPENED_COLOR
