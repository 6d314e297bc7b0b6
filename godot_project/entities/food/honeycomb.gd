# A honeycomb: a hexagonal prism that grows only on trees and spoils (turns dark, inedible) when
# it touches the ground. Shape, mass and behaviour: the kind's row of the entity table
# (avalon/entities).
extends "res://entities/food/food.gd"

const COLOR = Color(0.95, 0.65, 0.1)
const DIRTY_DARKEN = 0.35  # a dirty honeycomb keeps this fraction of its brightness


func color() -> Color:
	return COLOR


func _mesh(extents: Vector3, look: Color, material: Material) -> Mesh:
	return ItemMeshes.prism(extents.x, look, material)


func _spoiled_mesh(extents: Vector3, material: Material) -> Mesh:
	return ItemMeshes.prism(extents.x, COLOR.darkened(1.0 - DIRTY_DARKEN), material)
