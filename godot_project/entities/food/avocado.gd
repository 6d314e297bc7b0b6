# An avocado: closed until a rock opens it (light green inside).
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.15, 0.3, 0.1)
const OPENED_COLOR = Color(0.7, 0.85, 0.35)


func color() -> Color:
	return COLOR


func opened_color() -> Color:
	return OPENED_COLOR
