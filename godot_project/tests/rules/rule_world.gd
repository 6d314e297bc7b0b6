# A sandbox for one rule scenario: a Viewport with its own World (so its own physics space), a flat
# terrain floor (top at y = 0), optionally a player, items from the real entity factory, and helpers
# for scripted actions and checks.
extends Viewport

const C = preload("res://generated/constants.gd")
const E = preload("res://generated/entities.gd")
const EntityFactory = preload("res://entities/entity_factory.gd")
const Layers = preload("res://world/layers.gd")
const Player = preload("res://player/player.gd")
const World = preload("res://world/world.gd")

const FLOOR_SIZE = 200.0
const FLOOR_THICKNESS = 2.0
const CLIFF_HALF_WIDTH = 6.0  # m
const CLIFF_DEPTH = 10.0  # m of heightmap behind the face's foot
const CLIFF_FRONT = 10.0  # m in front of it
const CLIFF_CELL = C.FINE_CELL_SIZE  # m: the obstacle tasks' terrain grid
const CLIFF_RUN = CLIFF_CELL  # m: the face rises over one cell

var scenario_name := ""
var root := Spatial.new()
var player = null
var ground: Spatial = null  # a world.gd root made by `cliff` or `chasm` (terrain, trees), else null
# Set by `chasm`, whose heightmap covers the scene: items get its terrain guard (item.gd).
var guard_items := false
var camera := Camera.new()
var action := PoolRealArray()  # applied to the player every tick until changed
var eaten := []  # [item_id, energy] per food_eaten signal
var failures := 0
var animals := []  # animals added with add_item, ticked by the driver after the player's action
var episode_seed := 0  # seeds the animals' generators (set before adding them)
var ticks := 0
var finished := false  # set by the scenario's last line; a script error ends it without


func _init(scenario: String) -> void:
	scenario_name = scenario
	name = scenario
	own_world = true
	size = Vector2(2, 2)
	render_target_update_mode = Viewport.UPDATE_DISABLED
	add_child(root)
	add_child(camera)
	var floor_body := StaticBody.new()
	floor_body.name = "Floor"
	floor_body.collision_layer = Layers.TERRAIN
	floor_body.collision_mask = 0
	var shape := BoxShape.new()
	shape.extents = Vector3(FLOOR_SIZE, FLOOR_THICKNESS, FLOOR_SIZE) / 2.0
	var collision := CollisionShape.new()
	collision.shape = shape
	floor_body.add_child(collision)
	floor_body.transform.origin = Vector3(0.0, -FLOOR_THICKNESS / 2.0, 0.0)
	root.add_child(floor_body)
	action.resize(C.ACTION_SIZE)
	clear_action()


# Call once the viewport is in the tree.
func spawn_player(feet: Vector3, yaw_deg := 0.0, pitch_deg := 0.0) -> void:
	player = Player.new()
	root.add_child(player)
	player.setup(root, camera, feet, yaw_deg, pitch_deg, ground)
	player.connect("food_eaten", self, "_on_food_eaten")


# Any kind through the real entity factory (static kinds get no meshes).
func add_item(spec: Dictionary) -> Node:
	var context := EntityFactory.context(null, PoolColorArray([Color.gray]), [])
	var item: Node = EntityFactory.create(spec, context)
	if item == null:
		check("create %s" % spec.get("kind", "?"), false, "entity factory returned null")
		return null
	if guard_items and item is RigidBody:
		item.ground = ground
		item.terrain_body = ground.get_child(0)
	root.add_child(item)
	if item.is_in_group("animals"):
		item.seed_rng(episode_seed)
		animals.append(item)
	return item


# The entity tick (world.gd `tick_animals`), which the driver runs after the player's action.
func tick_animals() -> void:
	if player == null:
		return
	for animal in animals:
		animal.tick(player, ticks)


# A heavy item (stone, boulder, log) lying at `position`; `extra`: its fields (size, mass, length).
func heavy(id: int, kind: String, position: Vector3, extra := {}, yaw := 0.0) -> RigidBody:
	var spec := {"id": id, "kind": kind, "position": position, "yaw": yaw}
	var row: Dictionary = E.KINDS[kind]
	for key in row["fields"]:
		spec[key] = extra.get(key, row["fields"][key]["default"])
	return add_item(spec) as RigidBody


func food(id: int, kind: String, position: Vector3, extra := {}) -> RigidBody:
	var spec := {
		"id": id,
		"kind": kind,
		"position": position,
		"yaw": 0.0,
		"attached": false,
		"opened": false,
		"buried": false,
	}
	for key in extra:
		spec[key] = extra[key]
	return add_item(spec) as RigidBody


func rock(id: int, position: Vector3, edge := 0.3) -> RigidBody:
	var spec := {"id": id, "kind": "rock", "position": position, "yaw": 0.0, "size": edge}
	return add_item(spec) as RigidBody


# A static box (like an altar) with its top at `top` under (x, z).
func pedestal(x: float, z: float, top: float, width := 0.3) -> void:
	var body := StaticBody.new()
	body.collision_layer = Layers.STATIC
	body.collision_mask = 0
	var shape := BoxShape.new()
	shape.extents = Vector3(width, top, width) / 2.0
	var collision := CollisionShape.new()
	collision.shape = shape
	body.add_child(collision)
	body.transform.origin = Vector3(x, top / 2.0, z)
	root.add_child(body)


# A food resting on a pedestal: `half_height` is how far its centre is above its support.
func food_on_pedestal(
	id: int, kind: String, position: Vector3, half_height: float, extra := {}, width := 0.3
) -> RigidBody:
	pedestal(position.x, position.z, position.y - half_height, width)
	return food(id, kind, position, extra)


# A rock (a cube of `edge`) resting on a pedestal.
func rock_on_pedestal(id: int, position: Vector3, width := 0.3, edge := 0.3) -> RigidBody:
	pedestal(position.x, position.z, position.y - edge / 2.0, width)
	return rock(id, position, edge)


# A heightmap with a cliff, built by the real world.gd (terrain collision, climb map, trees): flat
# at y = 0 for z > face_z, `height` for z <= face_z - `run` (the face rises along -z between
# them, as steep as the heightmap allows), over x in [-CLIFF_HALF_WIDTH, CLIFF_HALF_WIDTH] and z in
# [face_z - CLIFF_DEPTH, face_z + CLIFF_FRONT]; every cell `climbable` or not. `trees`: [base,
# height] pairs (broadleaf); `run`: m over which the face rises (a multiple of CLIFF_CELL). The
# world is also what the player asks about climbability, so call it before `spawn_player`. The only
# place that knows the terrain format: patch it here if it changes.
func cliff(height: float, face_z: float, climbable: bool, trees := [], run := CLIFF_RUN) -> Spatial:
	var origin := Vector3(-CLIFF_HALF_WIDTH, 0.0, face_z - CLIFF_DEPTH)
	var points_x := int(round(2.0 * CLIFF_HALF_WIDTH / CLIFF_CELL)) + 1
	var points_z := int(round((CLIFF_DEPTH + CLIFF_FRONT) / CLIFF_CELL)) + 1
	var heights := PoolRealArray()
	for j in range(points_z):
		var z := origin.z + j * CLIFF_CELL
		for _i in range(points_x):
			heights.append(height if z <= face_z - run + 0.001 else 0.0)  # 1 mm: float grid
	return _heightmap_world(origin, points_x, points_z, heights, climbable, trees)


# A chasm across the scene: flat rims at y = `depth` for z >= near_z and z <= near_z - gap, the
# floor (y = 0) between them; its walls drop over one cell (CLIFF_CELL) inside the gap, so the gap
# is `gap` wide at the rims' level and `gap` - 2 cells at the bottom. Over x in
# [-CLIFF_HALF_WIDTH, CLIFF_HALF_WIDTH] and z in [near_z - gap - CLIFF_DEPTH, near_z + CLIFF_FRONT];
# near_z and gap on the CLIFF_CELL grid. Items added afterwards get the terrain guard.
func chasm(depth: float, near_z: float, gap: float) -> Spatial:
	var origin := Vector3(-CLIFF_HALF_WIDTH, 0.0, near_z - gap - CLIFF_DEPTH)
	var points_x := int(round(2.0 * CLIFF_HALF_WIDTH / CLIFF_CELL)) + 1
	var points_z := int(round((gap + CLIFF_DEPTH + CLIFF_FRONT) / CLIFF_CELL)) + 1
	var heights := PoolRealArray()
	for j in range(points_z):
		var z := origin.z + j * CLIFF_CELL
		var inside := z > near_z - gap + 0.01 and z < near_z - 0.01
		for _i in range(points_x):
			heights.append(0.0 if inside else depth)
	guard_items = true
	return _heightmap_world(origin, points_x, points_z, heights, true, [])


func _heightmap_world(
	origin: Vector3,
	points_x: int,
	points_z: int,
	heights: PoolRealArray,
	climbable: bool,
	trees: Array
) -> Spatial:
	var cells := (points_x - 1) * (points_z - 1)
	var flags := PoolByteArray()
	var colors := PoolByteArray()
	for _k in range(cells):
		flags.append(1 if climbable else 0)
		colors.append(0)
	var positions := PoolVector3Array()
	var tree_heights := PoolRealArray()
	var kinds := PoolByteArray()
	for tree in trees:
		positions.append(tree[0])
		tree_heights.append(tree[1])
		kinds.append(0)
	var spec := {
		"terrain":
		{
			"points_x": points_x,
			"points_z": points_z,
			"origin": origin,
			"heights": heights,
			"cell_colors": colors,
			"climbable": flags,
			"palette": PoolColorArray([Color.gray]),
			"water_height": -CLIFF_HALF_WIDTH,
			"cell_size": CLIFF_CELL,
		},
		"trees": {"positions": positions, "heights": tree_heights, "kinds": kinds},
		"items": [],
	}
	ground = World.new()
	var error: String = ground.build(spec, false)
	check("build the cliff world", error == "", error)
	root.add_child(ground)
	return ground


func clear_action() -> void:
	for i in range(C.ACTION_SIZE):
		action[i] = 0.0


# Sets action entries: {index: value}; everything else 0.
func set_action(values: Dictionary) -> void:
	clear_action()
	for index in values:
		action[index] = values[index]


func observe() -> Dictionary:
	var proprio := []
	var state := []
	proprio.resize(C.PROPRIO_SIZE)
	state.resize(C.STATE_SIZE)
	for i in range(C.PROPRIO_SIZE):
		proprio[i] = 0.0
	for i in range(C.STATE_SIZE):
		state[i] = 0.0
	player.fill_observation(proprio, state, ticks)
	return {"proprio": proprio, "state": state}


func feet() -> Vector3:
	return player.get_body().global_transform.origin - Vector3.UP * C.AGENT_HEIGHT / 2.0


func finish() -> void:
	finished = true


func check(what: String, passed: bool, detail := "") -> void:
	var line := "%s  %s: %s" % ["PASS" if passed else "FAIL", scenario_name, what]
	if detail != "":
		line += "  (%s)" % detail
	print(line)
	if not passed:
		failures += 1


func near(what: String, value: float, expected: float, tolerance: float) -> void:
	check(
		what,
		abs(value - expected) <= tolerance,
		"got %.3f, expected %.3f +- %.3f" % [value, expected, tolerance]
	)


static func has_flag(item: Object, flag: int) -> bool:
	return (item.get_flags() & flag) != 0


func _on_food_eaten(item_id: int, energy: float) -> void:
	eaten.append([item_id, energy])
