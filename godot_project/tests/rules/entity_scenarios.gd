# Rule scenarios of the entity table: every kind of the generated table (avalon/entities) is built
# through the real factory from its script in E.SCRIPTS, reports its id, and answers the capability
# queries (`is_grabbable()` ...) as its row says; the climbability decisions of the reference
# (fruit trees climbable, altars and blocks not) hold. A new kind gets its behaviour scenario here
# (or in its family's scenarios file).
extends Reference

const A = preload("res://generated/animals.gd")
const E = preload("res://generated/entities.gd")

# Values for fields the table gives no default for (the static kinds' sizes).
# A lock's door: the hinge door, built first with id = its kind id + 1.
const REQUIRED_VALUES = {"size": Vector3(1.0, 1.3, 1.0), "height": 3.5, "door": 39}
const SPACING = 4.0  # m between the kinds, so none touches another


func scenario_every_kind_builds(w) -> void:
	var x := 0.0
	var nodes := {}
	for kind in E.KINDS:
		var row: Dictionary = E.KINDS[kind]
		var spec := {
			"id": row["id"] + 1, "kind": kind, "position": Vector3(x, 2.0, 0.0), "yaw": 0.0
		}
		for key in row["fields"]:
			var value = row["fields"][key]["default"]
			spec[key] = REQUIRED_VALUES[key] if value == null else value
		x += SPACING
		var node: Node = w.add_item(spec)
		if node == null:
			continue
		nodes[kind] = node
		w.check(
			"%s is built by %s" % [kind, E.SCRIPTS[kind]],
			node.get_script().resource_path == E.SCRIPTS[kind]
		)
		w.check("%s reports id %d" % [kind, row["id"]], node.kind_id == row["id"])
		w.check("%s is an item" % kind, node.is_in_group("items"))
		var is_static: bool = row["family"] == E.FAMILY_STATIC
		w.check(
			"%s is a %s body" % [kind, "static" if is_static else "rigid"],
			(node is StaticBody) == is_static
		)
		var capabilities: Array = row["capabilities"]
		var grabbable: bool = E.CAPABILITY_GRABBABLE in capabilities
		var edible: bool = E.CAPABILITY_EDIBLE in capabilities
		if A.SPECIES.has(kind):  # alive: grabbed only if always grabbable, eaten only if edible alive
			grabbable = A.SPECIES[kind]["grab_when"] == "always"
			edible = edible and A.SPECIES[kind]["edible_alive"]
			w.check("%s is in group animals" % kind, node.is_in_group("animals"))
		w.check("%s grabbable as its row says" % kind, node.is_grabbable() == grabbable)
		w.check("%s edible as its row says" % kind, node.is_edible() == edible)
		w.check(
			"%s climbable as its row says" % kind,
			node.is_climbable() == (E.CAPABILITY_CLIMBABLE in capabilities)
		)
		w.check(
			"%s pushable as its row says" % kind,
			node.is_pushable() == (E.CAPABILITY_PUSHABLE in capabilities)
		)
		if row.has("food"):
			w.check("%s is in group food" % kind, node.is_in_group("food"))
	w.check(
		"every kind built",
		nodes.size() == E.KINDS.size(),
		"%d of %d" % [nodes.size(), E.KINDS.size()]
	)
	# The reference: trees (their trunks) are climbable; an altar is a plain table, a block a wall.
	w.check("fruit_tree climbable", nodes.has("fruit_tree") and nodes["fruit_tree"].is_climbable())
	w.check("altar not climbable", nodes.has("altar") and not nodes["altar"].is_climbable())
	w.check("block not climbable", nodes.has("block") and not nodes["block"].is_climbable())
	w.check("rock not edible", nodes.has("rock") and not nodes["rock"].is_edible())
	yield()
	w.finish()


# The factory refuses what it cannot build, with an error instead of a half-built node.
func scenario_factory_refuses_bad_specs(w) -> void:
	var EntityFactory = load("res://entities/entity_factory.gd")
	var context: Dictionary = EntityFactory.context(null, PoolColorArray([Color.gray]), [])
	var base := {"id": 1, "position": Vector3.ZERO, "yaw": 0.0}
	var unknown := base.duplicate()
	unknown["kind"] = "dragon"
	w.check("unknown kind refused", EntityFactory.create(unknown, context) == null)
	var missing := base.duplicate()
	missing["kind"] = "rock"
	w.check("rock without size refused", EntityFactory.create(missing, context) == null)
	var bad_color := base.duplicate()
	bad_color["kind"] = "block"
	bad_color["size"] = Vector3.ONE
	bad_color["color"] = 3
	w.check(
		"block colour outside the palette refused", EntityFactory.create(bad_color, context) == null
	)
	yield()
	w.finish()
