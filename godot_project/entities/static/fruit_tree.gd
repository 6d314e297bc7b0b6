# A fruit tree of total `height` at `position` (the trunk base): trunk box collision and a canopy
# mesh; its trunk joins context["trunks"] ([base, radius, height]), which world.gd's climbability
# query reads. Climbable (the entity table's capabilities); food hangs from it as separate items.
extends "res://entities/static/static_entity.gd"

const TreeBuilder = preload("res://world/tree_builder.gd")


func build(spec: Dictionary, context: Dictionary) -> String:
	place(spec)
	add_to_group("trees")  # animals sidestep trees (entities/animal/mover.gd)
	var height: float = spec["height"]
	var radius := TreeBuilder.trunk_radius(height)
	add_child(
		TreeBuilder.trunk_collision(Vector3.ZERO, radius, height * TreeBuilder.TRUNK_FRACTION)
	)
	var material: Material = context["material"]
	if material != null:
		var instance := MeshInstance.new()
		instance.mesh = TreeBuilder.fruit_tree_mesh(material)
		instance.scale = Vector3(height, height, height)
		add_child(instance)
	context["trunks"].append([spec["position"], radius, height])
	return ""
