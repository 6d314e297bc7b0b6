# A boulder: PUSH's stepping stone, a cube of edge `size` and mass `mass` (the item spec); too heavy
# to lift, pushed by walking into it (player/pushing.gd). Static once at rest (heavy_item.gd) and
# when the player stands on it while it touches terrain, so a boulder pushed into a chasm stays
# where it fell and carries the body across.
extends "res://entities/heavy/heavy_item.gd"

const COLOR = Color(0.42, 0.4, 0.38)
const LINEAR_DAMP_FACTOR = 1.0  # the reference's ground damping factors for the boulder
const ANGULAR_DAMP_FACTOR = 1.0


func build(spec: Dictionary, _context: Dictionary) -> String:
	size = spec["size"]
	if size <= 0.0 or spec["mass"] <= 0.0:
		return "%s %d needs a positive 'size' and 'mass'" % [kind, item_id]
	place(spec["position"], spec["yaw"])
	mass = spec["mass"]
	linear_damp_factor = LINEAR_DAMP_FACTOR
	angular_damp_factor = ANGULAR_DAMP_FACTOR
	add_cube(size, COLOR)
	return ""


func on_player_contact(is_floor: bool) -> void:
	if is_floor and touching_terrain:
		freeze()
