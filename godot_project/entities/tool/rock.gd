# A rock: a grey cube of edge `size` (the item spec), mass from the entity table; a weapon, and
# what opens an avocado. large_rock.gd is the same with the edge from its row.
extends "res://entities/item.gd"

const COLOR = Color(0.5, 0.5, 0.52)


func build(spec: Dictionary, _context: Dictionary) -> String:
	var size := _edge(spec)
	if size <= 0.0:
		return "%s %d needs a positive 'size'" % [kind, item_id]
	place(spec["position"], spec["yaw"])
	mass = E.KINDS[kind]["physics"]["mass"]
	add_cube(size, COLOR)
	return ""


func _edge(spec: Dictionary) -> float:
	return spec["size"]
