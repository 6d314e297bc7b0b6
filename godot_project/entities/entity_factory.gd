# Creates the node of any entity kind from an item spec Dictionary (validated by
# world/world_spec.gd): the kind's script comes from the generated map (E.SCRIPTS); the factory
# gives the node what every entity has from its row of the entity table (id, kind, kind id,
# capabilities, name: both family bases, item.gd and static_entity.gd, declare them), then the node
# builds itself (`build(spec, context)`). No kind names here.
extends Reference

const E = preload("res://generated/entities.gd")

const COMMON_KEYS = ["id", "kind", "position", "yaw"]
# Kind -> its script, loaded once for the process. Without it a reset, which frees the old world
# (and with it the last reference to its scripts) before building the new one, loaded and compiled
# them all again: about 40 ms for the animals' scripts (animal.gd, mover.gd, the behaviours), 10
# for the foods'. (A const Dictionary is the cache: Godot 3 scripts have no static variables.)
const SCRIPTS = {}


# `context`: "material" (null: no meshes for static kinds), "palette" (the terrain's colours) and
# "trunks" (an Array that climbable trees append [base, radius, height] to).
static func context(material: Material, palette: PoolColorArray, trunks: Array) -> Dictionary:
	return {"material": material, "palette": palette, "trunks": trunks}


# The item's node (in group "items"; foods also in "food"), or null after push_error naming the
# problem.
static func create(spec: Dictionary, build_context: Dictionary) -> Node:
	for key in COMMON_KEYS:
		if not spec.has(key):
			push_error("entity_factory: item spec without '%s': %s" % [key, spec])
			return null
	var kind: String = spec["kind"]
	if not E.SCRIPTS.has(kind):
		push_error("entity_factory: unknown kind '%s'" % kind)
		return null
	if not SCRIPTS.has(kind):
		SCRIPTS[kind] = load(E.SCRIPTS[kind])
	var script = SCRIPTS[kind]
	if script == null or not script.can_instance():
		push_error("entity_factory: cannot load %s for '%s'" % [E.SCRIPTS[kind], kind])
		return null
	var node = script.new()
	var row: Dictionary = E.KINDS[kind]
	node.item_id = spec["id"]
	node.kind = kind
	node.kind_id = row["id"]
	for capability in row["capabilities"]:
		node.capabilities[capability] = true
	node.name = "%s_%d" % [kind, spec["id"]]
	for key in row["fields"]:
		if not spec.has(key):
			node.free()
			push_error("entity_factory: %s spec without '%s'" % [kind, key])
			return null
	var problem: String = node.build(spec, build_context)
	if problem != "":
		node.free()
		push_error("entity_factory: " + problem)
		return null
	return node
