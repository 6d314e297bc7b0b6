# A block: a box of `size` (`position` is its centre) in the terrain palette's colour `color`, for
# walls in tests and later tasks. Not climbable (the entity table's capabilities).
extends "res://entities/static/static_entity.gd"


func build(spec: Dictionary, context: Dictionary) -> String:
	var palette: PoolColorArray = context["palette"]
	var index: int = spec["color"]
	if index < 0 or index >= palette.size():
		return "block %d: color %d is not a palette index" % [item_id, index]
	place(spec)
	add_box(spec["size"], palette[index], context["material"])
	return ""
