# A carrot: an orange upright capsule with leaves, often buried in the ground until the first grab
# pulls it out. Shape, mass and behaviour: the kind's row of the entity table (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(1.0, 0.45, 0.05)


func color() -> Color:
	return COLOR


func _mesh(extents: Vector3, look: Color, material: Material) -> Mesh:
	return ItemMeshes.carrot(extents, look, material)
