# A stone: STACK's building block, a cube of edge `size` (the item spec) with the row's
# mass; carried and stacked.
extends "res://entities/item.gd"

const ItemMeshes = preload("res://items/item_meshes.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

const COLOR = Color(0.62, 0.6, 0.55)


func build(spec: Dictionary, _context: Dictionary) -> String:
	var size: float = spec["size"]
	place(spec["position"], spec["yaw"])
	mass = E.KINDS[kind]["physics"]["mass"]
	bounding_radius = size * sqrt(3.0) / 2.0
	rest_height = size / 2.0
	var shape := BoxShape.new()
	shape.extents = Vector3.ONE * size / 2.0
	add_shape(shape)
	add_mesh(ItemMeshes.box(Vector3.ONE * size, COLOR, MeshBuilder.material()))
	return ""
