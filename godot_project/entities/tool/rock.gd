# A rock: a grey cube of edge `size` (the item spec), mass from the entity table; a weapon, and
# what opens an avocado. large_rock.gd is the same with the edge from its row.
extends "res://entities/item.gd"

const ItemMeshes = preload("res://items/item_meshes.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

const COLOR = Color(0.5, 0.5, 0.52)


func build(spec: Dictionary, _context: Dictionary) -> String:
	var size := _edge(spec)
	if size <= 0.0:
		return "%s %d needs a positive 'size'" % [kind, item_id]
	place(spec["position"], spec["yaw"])
	mass = E.KINDS[kind]["physics"]["mass"]
	bounding_radius = size * sqrt(3.0) / 2.0
	rest_height = size / 2.0
	var shape := BoxShape.new()
	shape.extents = Vector3.ONE * size / 2.0
	add_shape(shape)
	add_mesh(ItemMeshes.box(Vector3.ONE * size, COLOR, MeshBuilder.material()))
	return ""


func _edge(spec: Dictionary) -> float:
	return spec["size"]
