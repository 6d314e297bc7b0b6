# An altar: a stone pillar of `size` (width, height, depth; `position` is its centre) that food
# rests on. Not climbable (the entity table's capabilities).
extends "res://entities/static/static_entity.gd"

const COLOR = Color(0.6, 0.58, 0.55)


func build(spec: Dictionary, context: Dictionary) -> String:
	place(spec)
	add_box(spec["size"], COLOR, context["material"])
	return ""
