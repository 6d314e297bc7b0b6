# Terrain rule scenarios: world.gd answers ground_height and is_climbable on a 0.5 m grid with the
# cell convention Python uses (avalon.world.spec.cell_of: cell (j, i) covers [origin + i * cell,
# origin + (i + 1) * cell)), and a rock dropped on the built HeightMapShape rests on ground_height;
# its trunk lookup answers as a scan of every trunk does, fruit trees included; the walls' height
# range found natively is the loop's; big terrains are drawn coarse far from the eye and in full
# detail as it comes near, with skirts exactly where a coarse chunk meets a full one.
extends Reference

const TerrainBuilder = preload("res://world/terrain_builder.gd")
const TreeBuilder = preload("res://world/tree_builder.gd")
const World = preload("res://world/world.gd")

const CELL = 0.5
const POINTS = 9  # 4 m square from (-2, -2)
const STEP_COLUMN = 4  # cells [0, 0.5) in x: the step's ramp, unclimbable
const TOP = 1.0  # height of the points at x >= 0.5


func _terrain() -> Dictionary:
	var heights := PoolRealArray()
	for _j in range(POINTS):
		for i in range(POINTS):
			heights.append(TOP if -2.0 + i * CELL >= 0.5 else 0.0)
	var colors := PoolByteArray()
	var climbable := PoolByteArray()
	for _j in range(POINTS - 1):
		for i in range(POINTS - 1):
			colors.append(0)
			climbable.append(0 if i == STEP_COLUMN else 1)
	return {
		"points_x": POINTS,
		"points_z": POINTS,
		"origin": Vector3(-2.0, 0.0, -2.0),
		"cell_size": CELL,
		"heights": heights,
		"cell_colors": colors,
		"climbable": climbable,
		"palette": PoolColorArray([Color(0.4, 0.6, 0.3)]),
		"water_height": -5.0,
	}


func scenario_half_metre_cells(w) -> void:
	var world: Spatial = World.new()
	var spec := {
		"terrain": _terrain(),
		"trees":
		{
			"positions": PoolVector3Array(),
			"heights": PoolRealArray(),
			"kinds": PoolByteArray(),
		},
		"items": [],
	}
	var error: String = world.build(spec, false)
	w.check("world builds", error == "", error)
	w.root.add_child(world)
	w.check("ground at x=0 is the foot", is_equal_approx(world.ground_height(0.0, 1.0), 0.0))
	w.check("ground at x=0.25 is half way", is_equal_approx(world.ground_height(0.25, 1.0), 0.5))
	w.check("ground at x=0.5 is the top", is_equal_approx(world.ground_height(0.5, 1.0), TOP))
	w.check("ground at x=1.9 is the top", is_equal_approx(world.ground_height(1.9, -1.9), TOP))
	for x in [0.0, 0.25, 0.49]:
		w.check("x=%s is in the unclimbable cell" % x, not world.is_climbable(Vector3(x, 0.5, 1.0)))
	for x in [-0.01, -1.0]:
		w.check("x=%s is climbable" % x, world.is_climbable(Vector3(x, 0.2, 1.0)))
	w.check("x=0.5 starts the next cell", world.is_climbable(Vector3(0.5, 1.2, 1.0)))
	w.check("far above the ground is not", not world.is_climbable(Vector3(-1.0, 3.0, 1.0)))
	var rock: RigidBody = w.rock(1, Vector3(1.25, 2.0, 0.75), 0.3)
	for _i in range(20):
		yield()
	var rest := rock.global_transform.origin.y
	w.check("rock rests on the step's top", abs(rest - (TOP + 0.15)) < 0.05, "y=%s" % rest)
	w.finish()


# is_climbable's trunk grid against a scan of every trunk (what world.gd did before the grid), on
# trees of all sizes around the 4 m terrain, whose own answer there is no, and a fruit tree, at
# random points and at points on and just beside every trunk's reach (grid cells are 4 m).
func scenario_trunk_lookup_matches_scan(w) -> void:
	var rng := RandomNumberGenerator.new()
	rng.seed = 7
	var positions := PoolVector3Array()
	var heights := PoolRealArray()
	var kinds := PoolByteArray()
	var trunks := []
	for n in range(400):
		var base := Vector3(rng.randf_range(-40.0, 40.0), rng.randf_range(-3.0, 3.0), 0.0)
		base.z = rng.randf_range(-40.0, 40.0)
		if abs(base.x) < 8.0 and abs(base.z) < 8.0:
			continue  # off the terrain and its climbable cells
		if n % 10 == 0:
			base.x = 4.0 * round(base.x / 4.0)  # bases on grid lines
		var height := rng.randf_range(0.5, 100.0) if n % 7 == 0 else rng.randf_range(2.0, 15.0)
		positions.append(base)
		heights.append(height)
		kinds.append(n % 3)
		trunks.append([base, TreeBuilder.trunk_radius(height), height])
	var fruit_base := Vector3(-12.0, 0.0, 12.0)
	trunks.append([fruit_base, TreeBuilder.trunk_radius(3.5), 3.5])
	var fruit_tree := {"id": 1, "kind": "fruit_tree", "position": fruit_base, "yaw": 0.0}
	fruit_tree["height"] = 3.5
	var world: Spatial = World.new()
	var spec := {
		"terrain": _terrain(),
		"trees": {"positions": positions, "heights": heights, "kinds": kinds},
		"items": [fruit_tree],
	}
	var error: String = world.build(spec, false)
	w.check("world builds", error == "", error)
	w.root.add_child(world)
	var points := []
	for _i in range(20000):
		var point := Vector3(rng.randf_range(-45.0, 45.0), 0.0, rng.randf_range(-45.0, 45.0))
		point.y = rng.randf_range(-4.0, 20.0)
		if abs(point.x) > 8.0 or abs(point.z) > 8.0:
			points.append(point)
	for trunk in trunks:
		var reach: float = trunk[1] + World.CLIMB_TRUNK_MARGIN
		for dx in [-reach, reach, -reach - 1e-4, reach + 1e-4, -reach + 1e-4, reach - 1e-4]:
			for dz in [-reach, 0.0, reach - 1e-4, reach + 1e-4]:
				points.append(trunk[0] + Vector3(dx, 0.5, dz))
	var agree := 0
	var climbable := 0
	var first_disagreement := ""
	for point in points:
		var expected := _scan(trunks, point)
		climbable += int(expected)
		if world.is_climbable(point) == expected:
			agree += 1
		elif first_disagreement == "":
			first_disagreement = "at %s the scan says %s" % [point, expected]
	w.check(
		"the grid agrees with the scan at all %d points" % points.size(),
		agree == points.size(),
		first_disagreement
	)
	w.check("many of them are climbable (%d)" % climbable, climbable > points.size() / 10)
	w.check("the fruit tree is climbable", world.is_climbable(fruit_base + Vector3(0.1, 1.0, 0.0)))
	w.finish()


static func _scan(trunks: Array, point: Vector3) -> bool:
	for trunk in trunks:
		var base: Vector3 = trunk[0]
		var reach: float = trunk[1] + World.CLIMB_TRUNK_MARGIN
		if (
			abs(point.x - base.x) <= reach
			and abs(point.z - base.z) <= reach
			and point.y >= base.y - World.CLIMB_GROUND_MARGIN
			and point.y <= base.y + trunk[2]
		):
			return true
	return false


# TerrainBuilder.lowest_value (and the negated highest, as the walls use it) against a loop, on
# arrays of every length modulo 3.
func scenario_native_height_range_is_exact(w) -> void:
	var rng := RandomNumberGenerator.new()
	rng.seed = 11
	for size in [1, 2, 3, 4, 5, 1000, 263169]:
		var values := PoolRealArray()
		values.resize(size)
		for i in range(size):
			values[i] = rng.randf_range(-300.0, 300.0) * rng.randf()
		var low := INF
		var high := -INF
		for value in values:
			low = min(low, value)
			high = max(high, value)
		var native_low := TerrainBuilder.lowest_value(values)
		var negated: PoolVector3Array = TerrainBuilder.NEGATE.xform(
			TerrainBuilder.as_points(values)
		)
		var native_high := -TerrainBuilder.lowest_value(negated)
		w.check(
			"%d values: lowest and highest" % size,
			native_low == low and native_high == high,
			"%s %s vs %s %s" % [native_low, native_high, low, high]
		)
	w.finish()


# A 300 m terrain (drawn coarse beyond TerrainBuilder.FINE_RADIUS of the eye) and a small one (in
# full everywhere); the eye then moves 100 m and draw_near is called as env.gd does, each tick.
func scenario_far_terrain_is_coarse_until_the_eye_nears(w) -> void:
	var small: Spatial = World.new()
	var flat := {
		"positions": PoolVector3Array(), "heights": PoolRealArray(), "kinds": PoolByteArray()
	}
	var spawn := {"position": Vector3.ZERO, "yaw": 0.0, "pitch": 0.0}
	small.build({"terrain": _terrain(), "trees": flat, "items": [], "spawn": spawn}, true)
	w.check("a small terrain is drawn in full", small._coarse_chunks.empty())
	small.free()
	var points := 301
	var heights := PoolRealArray()
	for j in range(points):
		for i in range(points):
			heights.append(1.0 + 2.0 * sin(i * 0.3) * cos(j * 0.2))
	var cells := PoolByteArray()
	cells.resize((points - 1) * (points - 1))
	for n in range(cells.size()):
		cells[n] = 0
	var terrain := {
		"points_x": points,
		"points_z": points,
		"origin": Vector3(-150.0, 0.0, -150.0),
		"cell_size": 1.0,
		"heights": heights,
		"cell_colors": cells,
		"climbable": cells,
		"palette": PoolColorArray([Color(0.4, 0.6, 0.3)]),
		"water_height": -5.0,
	}
	var world: Spatial = World.new()
	world.build({"terrain": terrain, "trees": flat, "items": [], "spawn": spawn}, true)
	w.root.add_child(world)
	_check_detail(w, world, terrain, Vector3.ZERO, "at the spawn")
	var eye := Vector3(100.0, 2.0, -30.0)
	for _tick in range(200):
		world.draw_near(eye)
	_check_detail(w, world, terrain, eye, "100 m away")
	w.finish()


# Chunks within FINE_RADIUS of `eye` are in full detail, some farther ones coarse, and the skirts
# are those of coarse chunks beside full ones, facing them.
func _check_detail(w, world: Spatial, terrain: Dictionary, eye: Vector3, where: String) -> void:
	var near_but_coarse := 0
	for key in world._coarse_chunks:
		if TerrainBuilder.chunk_is_near(terrain, int(key.x), int(key.y), eye):
			near_but_coarse += 1
	w.check("%s: nothing near is coarse" % where, near_but_coarse == 0, "%d" % near_but_coarse)
	w.check("%s: far chunks are coarse" % where, world._coarse_chunks.size() > 20)
	var chunk := TerrainBuilder.chunk_cells(terrain)
	var wrong_skirts := 0
	for key in world._skirts:
		var owner := Vector2(key.x, key.y)
		var beside: Vector2 = owner + TerrainBuilder.SIDES[int(key.z)] * chunk
		if not world._coarse_chunks.has(owner) or world._coarse_chunks.has(beside):
			wrong_skirts += 1
	w.check(
		"%s: skirts only where coarse meets full (%d)" % [where, world._skirts.size()],
		wrong_skirts == 0 and world._skirts.size() > 0,
		"%d misplaced" % wrong_skirts
	)


# Trees every 10 m on a 300 m terrain (drawn FULL only in the chunks near the eye, farther FAR, then
# CANOPY) and every 1 m on the small one (FULL everywhere); the eye then moves 200 m and draw_near
# is called once, as env.gd does each tick.
func scenario_far_trees_are_simple_until_the_eye_nears(w) -> void:
	var spawn := {"position": Vector3.ZERO, "yaw": 0.0, "pitch": 0.0}
	var small: Spatial = World.new()
	small.build(
		{"terrain": _terrain(), "trees": _tree_grid(4, 1.0), "items": [], "spawn": spawn}, true
	)
	var drawn := 0
	var levels := 0
	for key in small._tree_nodes:
		levels = int(max(levels, small._tree_nodes[key].size()))
		for node in small._tree_nodes[key][TreeBuilder.FULL].get_children():
			drawn += node.multimesh.instance_count
	w.check("a small terrain has one level", levels == 1 and not small._tree_lod)
	w.check("a small terrain draws every tree in full", drawn == 16, "%d of 16" % drawn)
	small.free()
	var points := 76  # 4 m cells: 300 m
	var heights := PoolRealArray()
	var cells := PoolByteArray()
	for _n in range(points * points):
		heights.append(1.0)
	for _n in range((points - 1) * (points - 1)):
		cells.append(0)
	var terrain := {
		"points_x": points,
		"points_z": points,
		"origin": Vector3(-150.0, 0.0, -150.0),
		"cell_size": 4.0,
		"heights": heights,
		"cell_colors": cells,
		"climbable": cells,
		"palette": PoolColorArray([Color(0.4, 0.6, 0.3)]),
		"water_height": -5.0,
	}
	var trees := _tree_grid(29, 10.0)
	var world: Spatial = World.new()
	world.build({"terrain": terrain, "trees": trees, "items": [], "spawn": spawn}, true)
	w.root.add_child(world)
	var far := TreeBuilder.lod_unit_meshes(TreeBuilder.FAR)
	var canopy := TreeBuilder.lod_unit_meshes(TreeBuilder.CANOPY)
	var full := TreeBuilder.unit_meshes(null)
	for kind in range(TreeBuilder.KINDS):
		var sizes := [
			full[kind].surface_get_array_len(0), far[kind][0].size(), canopy[kind][0].size()
		]
		w.check(
			"kind %d: FAR has under half FULL's vertices, CANOPY fewer" % kind,
			sizes[1] * 2 <= sizes[0] and sizes[2] < sizes[1],
			str(sizes)
		)
	var at_spawn := _check_tree_levels(w, world, trees, Vector3.ZERO, "at the spawn")
	var eye := Vector3(140.0, 2.0, -140.0)
	world.draw_near(eye)
	var moved := _check_tree_levels(w, world, trees, eye, "200 m away")
	var home := TreeBuilder.chunk_of(Vector3.ZERO)
	var there := TreeBuilder.chunk_of(eye)
	w.check(
		"the spawn's chunk went FULL -> CANOPY, the eye's CANOPY -> FULL",
		(
			at_spawn[home] == TreeBuilder.FULL
			and moved[home] == TreeBuilder.CANOPY
			and at_spawn[there] == TreeBuilder.CANOPY
			and moved[there] == TreeBuilder.FULL
		),
		"%s %s" % [[at_spawn[home], moved[home]], [at_spawn[there], moved[there]]]
	)
	var fresh: Spatial = World.new()
	spawn["position"] = eye
	fresh.build({"terrain": terrain, "trees": trees, "items": [], "spawn": spawn}, true)
	w.root.add_child(fresh)
	var again := _check_tree_levels(w, fresh, trees, eye, "built there")
	w.check("the same levels as on arriving there", str(again) == str(moved))
	w.finish()


# `count` x `count` trees `spacing` m apart, centred on the origin, of every kind and 5-9 m tall.
func _tree_grid(count: int, spacing: float) -> Dictionary:
	var positions := PoolVector3Array()
	var heights := PoolRealArray()
	var kinds := PoolByteArray()
	for j in range(count):
		for i in range(count):
			var offset := (count - 1) * spacing / 2.0
			positions.append(Vector3(i * spacing - offset, 1.0, j * spacing - offset))
			heights.append(5.0 + (i + j) % 5)
			kinds.append((i + 2 * j) % TreeBuilder.KINDS)
	return {"positions": positions, "heights": heights, "kinds": kinds}


# Each tree chunk shows the meshes of one level only, each with all its trees; chunks within
# TreeBuilder.FULL_RADIUS of `eye` are FULL, those within FAR_RADIUS FULL or FAR, those a chunk's
# diagonal beyond them coarser, and every level is used. Returns {chunk key: level}.
func _check_tree_levels(
	w, world: Spatial, trees: Dictionary, eye: Vector3, where: String
) -> Dictionary:
	var units := [
		null,
		TreeBuilder.lod_unit_meshes(TreeBuilder.FAR),
		TreeBuilder.lod_unit_meshes(TreeBuilder.CANOPY)
	]
	var side := TreeBuilder.DRAW_CHUNK_METRES
	var kinds: PoolByteArray = trees["kinds"]
	var levels := {}
	var counts := [0, 0, 0]
	var problems := []
	var placed := 0
	for key in world._tree_chunks:
		var indices: PoolIntArray = world._tree_chunks[key]
		placed += indices.size()
		var nodes: Array = world._tree_nodes[key]
		var shown := []
		for level in range(nodes.size()):
			if nodes[level] != null and nodes[level].visible:
				shown.append(level)
		if shown.size() != 1:
			problems.append("%s shows levels %s" % [key, shown])
			continue
		var level: int = shown[0]
		levels[key] = level
		counts[level] += 1
		var corner: Vector2 = key * side
		var nearest := Vector2(
			clamp(eye.x, corner.x, corner.x + side), clamp(eye.z, corner.y, corner.y + side)
		)
		var distance := nearest.distance_to(Vector2(eye.x, eye.z))
		var slack := side * sqrt(2.0)
		if (
			(distance <= TreeBuilder.FULL_RADIUS and level != TreeBuilder.FULL)
			or (distance <= TreeBuilder.FAR_RADIUS and level == TreeBuilder.CANOPY)
			or (distance > TreeBuilder.FULL_RADIUS + slack and level == TreeBuilder.FULL)
			or (distance > TreeBuilder.FAR_RADIUS + slack and level != TreeBuilder.CANOPY)
		):
			problems.append("%s is %.0f m away but at level %d" % [key, distance, level])
		var drawn := 0
		if level == TreeBuilder.FULL:
			for node in nodes[level].get_children():
				drawn += node.multimesh.instance_count
		else:
			var vertices := 0
			for n in indices:
				vertices += units[level][kinds[n]][0].size()
			drawn = indices.size() if nodes[level].mesh.surface_get_array_len(0) == vertices else -1
		if drawn != indices.size():
			problems.append(
				"%s at level %d draws %d of %d trees" % [key, level, drawn, indices.size()]
			)
	w.check("%s: every tree in one chunk" % where, placed == kinds.size())
	w.check("%s: each chunk's level by its distance" % where, problems.empty(), str(problems))
	w.check(
		"%s: chunks FULL, FAR, CANOPY: %s" % [where, counts],
		counts[0] > 0 and counts[1] > 0 and counts[2] > 0
	)
	return levels
