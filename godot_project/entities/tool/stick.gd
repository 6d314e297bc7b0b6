# A stick: a brown capsule along local Z (Godot 3's CapsuleShape axis) of total length `length`
# (the item spec, round ends included); radius and mass from the entity table. large_stick.gd is
# the same with the length from its row.
extends "res://entities/item.gd"

const COLOR = Color(0.45, 0.3, 0.15)


func build(spec: Dictionary, _context: Dictionary) -> String:
	var physics: Dictionary = E.KINDS[kind]["physics"]
	var radius: float = physics["extents"][0]
	var length := _length(spec)
	if length <= 2.0 * radius:
		return "%s %d needs 'length' > %s" % [kind, item_id, 2.0 * radius]
	place(spec["position"], spec["yaw"])
	mass = physics["mass"]
	bounding_radius = length / 2.0
	rest_height = radius
	var shape := CapsuleShape.new()
	shape.radius = radius
	shape.height = length - 2.0 * radius
	add_shape(shape)
	add_mesh(ItemMeshes.stick(radius, length, COLOR, MeshBuilder.material()))
	return ""


func _length(spec: Dictionary) -> float:
	return spec["length"]
