# A platform rock: a static box of `size` (`position` is its centre) that can be climbed (the entity
# table's capabilities) and stood on; DESCEND puts one halfway down the cliff.
extends "res://entities/static/static_entity.gd"

const COLOR = Color(0.45, 0.43, 0.41)


func build(spec: Dictionary, context: Dictionary) -> String:
	place(spec)
	add_box(spec["size"], COLOR, context["material"])
	return ""
