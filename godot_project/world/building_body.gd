# One collision body of a building (world/building_builder.gd): climbable only for ladder slabs and
# floors flagged climbable, as in the reference (walls, roofs and ramps are not).
extends StaticBody

const Layers = preload("res://world/layers.gd")

var kind := 0  # building_builder.gd's SOLID, CLIMBABLE or GLASS
var climbable := false


func _init() -> void:
	collision_layer = Layers.STATIC
	collision_mask = 0
	add_to_group("buildings")


func is_climbable() -> bool:
	return climbable
