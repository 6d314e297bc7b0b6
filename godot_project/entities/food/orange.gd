# An orange: closed until an impact opens it (pale inside).
# Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(1.0, 0.5, 0.0)
const OPENED_COLOR = Color(1.0, 0.85, 0.55)


func color() -> Color:
	return COLOR


func opened_color() -> Color:
	return OPENED_COLOR
