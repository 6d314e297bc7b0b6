# The root of one built world: terrain, water, walls, trees, static and dynamic items. Also answers
# the player's climbability queries (`is_climbable`).
extends Spatial

const BuildingBuilder = preload("res://world/building_builder.gd")
const EntityFactory = preload("res://entities/entity_factory.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")
const TerrainBuilder = preload("res://world/terrain_builder.gd")
const TreeBuilder = preload("res://world/tree_builder.gd")

const CLIMB_GROUND_MARGIN = 0.5
const CLIMB_TRUNK_MARGIN = 0.2
const CHUNKS_REDRAWN_PER_CALL = 1
const TRUNK_GRID_METRES = 4.0  # cell of the trunk lookup; a tree of the tasks' density is in 1-4
# Trunks are filed in every grid cell this much beyond their reach too, so float rounding at a
# cell's edge can never leave out a trunk the exact test below would accept.
const TRUNK_GRID_SLACK = 0.001
const FLAT_TILE = 8  # cells a side of the tiles `flat_height` files the heightmap's flat parts by

var build_usec := {}  # phase name -> microseconds of the last build
var animals := []  # the world's animals in item order: the entity tick's order (`tick_animals`)
var water_height := -INF  # m: ground at or below it is under water (animals turn back)
var _origin := Vector3.ZERO
var _cell := 1.0  # m between heightmap points
var _points_x := 0
var _points_z := 0
var _heights := PoolRealArray()
var _climbable := PoolByteArray()
var _trunks := []  # [base: Vector3, radius, height] per tree and fruit tree
var _trunk_grid := {}  # _trunk_cell(x, z) -> the _trunks whose reach overlaps grid cell (x, z)
var _flat_tiles := {}  # Vector2(tile i, j) -> height of the FLAT_TILE tile if flat, else NAN; lazy
# Terrain drawn coarse far from the eye (TerrainBuilder.chunk_is_near), redrawn as the eye nears.
var _terrain := {}
var _material: Material = null
var _terrain_meshes: Spatial = null
var _coarse_chunks := {}  # Vector2(first cell i, j) of each chunk drawn coarse -> true
var _coarse_meshes := {}  # TerrainBuilder.super_key -> the coarse chunks' mesh there, or null
var _skirts := {}  # TerrainBuilder.skirt_key -> the skirt of a coarse chunk beside a full one
var _eye_chunk := Vector2(INF, INF)  # the chunk the eye was last seen in
var _to_redraw := []  # keys of coarse chunks near the eye, nearest first
# Trees by TreeBuilder.draw_chunks; on big terrains (TreeBuilder.has_levels) each chunk drawn at
# the level of detail TreeBuilder.chunk_level gives for the eye's chunk.
var _trees := {}
var _tree_chunks := {}  # TreeBuilder.draw_chunks
var _tree_meshes: Spatial = null  # parent of the chunks' meshes
var _tree_looks := []  # by level: the kinds' unit meshes (FULL), lod_unit_meshes (FAR, CANOPY)
var _tree_material: Material = null
# Chunk key -> its nodes by level: [FULL meshes' parent, FAR mesh, CANOPY mesh] (small terrains:
# only FULL), each made when first needed.
var _tree_nodes := {}
var _tree_levels := {}  # chunk key -> the level it is drawn at
var _tree_lod := false  # TreeBuilder.has_levels
var _tree_eye_chunk := Vector2(INF, INF)  # TreeBuilder.chunk_of the eye when last seen


# Builds everything from a validated spec payload (world/world_spec.gd). Call before adding to the
# tree. `visuals` false (headless runs): collision only, no meshes. Returns "" or what went wrong.
# `build_usec` then holds each phase's microseconds (avalon.bench --profile-world reports them).
func build(spec: Dictionary, visuals: bool) -> String:
	name = "World"
	build_usec = {}
	var clock := OS.get_ticks_usec()
	var terrain: Dictionary = spec["terrain"]
	_origin = terrain["origin"]
	_cell = terrain["cell_size"]
	_points_x = terrain["points_x"]
	_points_z = terrain["points_z"]
	_heights = terrain["heights"]
	_climbable = terrain["climbable"]
	_flat_tiles = {}
	water_height = terrain["water_height"]
	var material: Material = MeshBuilder.material() if visuals else null
	var terrain_body := TerrainBuilder.collision(terrain)
	add_child(terrain_body)
	clock = _lap("terrain_collision", clock)
	if material != null:
		_terrain = terrain
		_material = material
		_eye_chunk = Vector2(INF, INF)
		var meshes := TerrainBuilder.meshes(terrain, material, spec["spawn"]["position"])
		_terrain_meshes = meshes[0]
		_coarse_chunks = meshes[1]
		_coarse_meshes = meshes[2]
		_skirts = meshes[3]
		add_child(_terrain_meshes)
		clock = _lap("terrain_meshes", clock)
	for node in TerrainBuilder.water_and_walls(terrain, material):
		add_child(node)
	clock = _lap("water_walls", clock)
	var trees: Dictionary = spec["trees"]
	for node in TreeBuilder.collision(trees):
		add_child(node)
	_trunks = TreeBuilder.trunks(trees)
	clock = _lap("tree_collision", clock)
	if material != null:
		_build_tree_meshes(trees, terrain, material, spec["spawn"]["position"])
		clock = _lap("tree_meshes", clock)
	var buildings: Array = spec.get("buildings", [])
	for n in range(buildings.size()):
		add_child(BuildingBuilder.build(buildings[n], material, "building_%d" % n))
	clock = _lap("buildings", clock)
	var items: Array = spec["items"]
	var context := EntityFactory.context(material, terrain["palette"], _trunks)
	for n in range(items.size()):
		var item: Dictionary = items[n]
		var node: Node = EntityFactory.create(item, context)
		if node == null:
			return "items[%d]: the entity factory could not create a '%s'" % [n, item["kind"]]
		if node is RigidBody:
			node.ground = self
			node.terrain_body = terrain_body
		add_child(node)
		if node.is_in_group("animals"):
			animals.append(node)
	# Fruit trees have appended their trunks by now.
	_trunk_grid = _grid_trunks(_trunks)
	_lap("items", clock)
	return ""


# The entity tick: every animal, in item order, after the player's action and before the physics
# step (docs/animals.md).
func tick_animals(player, frame: int) -> void:
	for animal in animals:
		animal.tick(player, frame)


# Seeds every animal's generator from the episode seed and its id.
func seed_animals(episode_seed: int) -> void:
	for animal in animals:
		animal.seed_rng(episode_seed)


# Files each trunk under every TRUNK_GRID_METRES cell its climbable square (radius +
# CLIMB_TRUNK_MARGIN around the base) overlaps, so is_climbable looks at a few trunks, not all.
static func _grid_trunks(trunks: Array) -> Dictionary:
	var grid := {}
	for trunk in trunks:
		var base: Vector3 = trunk[0]
		var reach: float = trunk[1] + CLIMB_TRUNK_MARGIN + TRUNK_GRID_SLACK
		var x0 := int(floor((base.x - reach) / TRUNK_GRID_METRES))
		var x1 := int(floor((base.x + reach) / TRUNK_GRID_METRES))
		var z0 := int(floor((base.z - reach) / TRUNK_GRID_METRES))
		var z1 := int(floor((base.z + reach) / TRUNK_GRID_METRES))
		for x in range(x0, x1 + 1):
			for z in range(z0, z1 + 1):
				var key := _trunk_cell(x, z)
				if grid.has(key):
					grid[key].append(trunk)
				else:
					grid[key] = [trunk]
	return grid


# The grid's key of cell (x, z): one int, distinct for cells within +-2^15 (trunks lie within 100 km
# of the origin, cells 4 m). A query point farther out may read another cell's list, whose trunks
# are all out of its reach, so the exact test still answers.
static func _trunk_cell(x: int, z: int) -> int:
	return (x + 32768) * 65536 + (z + 32768)


# The trees' meshes under one "TreeMeshes" node: on small terrains every chunk FULL, on big ones
# (TreeBuilder.has_levels) each chunk at its level for `eye`.
func _build_tree_meshes(
	trees: Dictionary, terrain: Dictionary, material: Material, eye: Vector3
) -> void:
	_trees = trees
	_tree_chunks = TreeBuilder.draw_chunks(trees)
	_tree_material = material
	_tree_meshes = Spatial.new()
	_tree_meshes.name = "TreeMeshes"
	_tree_nodes = {}
	_tree_levels = {}
	_tree_eye_chunk = Vector2(INF, INF)
	_tree_lod = TreeBuilder.has_levels(terrain)
	_tree_looks = [TreeBuilder.unit_meshes(material)]
	add_child(_tree_meshes)
	if not _tree_lod:
		for key in _tree_chunks:
			_tree_nodes[key] = [null]
			_show_trees(key, TreeBuilder.FULL)
		return
	_tree_looks.append(TreeBuilder.lod_unit_meshes(TreeBuilder.FAR))
	_tree_looks.append(TreeBuilder.lod_unit_meshes(TreeBuilder.CANOPY))
	for key in _tree_chunks:
		_tree_nodes[key] = [null, null, null]
	_draw_trees_near(eye)


# Shows chunk `key`'s trees at `level` only, making that level's meshes the first time.
func _show_trees(key: Vector2, level: int) -> void:
	var nodes: Array = _tree_nodes[key]
	if nodes[level] == null:
		var looks: Array = _tree_looks[level]
		if level == TreeBuilder.FULL:
			nodes[level] = Spatial.new()
			for node in TreeBuilder.full_meshes(_trees, _tree_chunks[key], looks):
				nodes[level].add_child(node)
		else:
			nodes[level] = TreeBuilder.lod_mesh(_trees, _tree_chunks[key], looks, _tree_material)
		_tree_meshes.add_child(nodes[level])
	var shown: int = _tree_levels.get(key, -1)
	if shown >= 0:
		nodes[shown].visible = false
	nodes[level].visible = true
	_tree_levels[key] = level


# On big terrains, draws each tree chunk at the level TreeBuilder.chunk_level gives for the eye's
# chunk, when the eye has entered another chunk since the last call.
func _draw_trees_near(eye: Vector3) -> void:
	var eye_chunk := TreeBuilder.chunk_of(eye)
	if not _tree_lod or eye_chunk == _tree_eye_chunk:
		return
	_tree_eye_chunk = eye_chunk
	for key in _tree_chunks:
		var level := TreeBuilder.chunk_level(key, eye_chunk)
		if level != _tree_levels.get(key, -1):
			_show_trees(key, level)


# Redraws in full detail the coarse terrain chunks (see TerrainBuilder.chunk_is_near) that came near
# the eye, at most CHUNKS_REDRAWN_PER_CALL per call, nearest first (env.gd calls this every tick
# with the camera's position; a chunk takes a few ms), and sets the trees' levels of detail for the
# eye (_draw_trees_near). Nothing to do on worlds drawn in full.
func draw_near(eye: Vector3) -> void:
	_draw_trees_near(eye)
	if _coarse_chunks.empty():
		return
	var chunk := _chunk_of(eye)
	if chunk != _eye_chunk:
		_eye_chunk = chunk
		_to_redraw = _coarse_chunks_near(eye)
	for _n in range(CHUNKS_REDRAWN_PER_CALL):
		if _to_redraw.empty():
			return
		var key: Vector2 = _to_redraw.pop_front()
		if not _coarse_chunks.has(key):
			continue
		_redraw_in_full(key)


# Replaces coarse chunk `key` by its full-detail mesh (the coarse mesh of its square of chunks is
# built again without it); its skirts go, and its coarse neighbours get skirts facing it.
func _redraw_in_full(key: Vector2) -> void:
	_coarse_chunks.erase(key)
	var super := TerrainBuilder.super_key(_terrain, key)
	if _coarse_meshes[super] != null:
		_coarse_meshes[super].free()
	_coarse_meshes[super] = TerrainBuilder.coarse_mesh(_terrain, _material, super, _coarse_chunks)
	if _coarse_meshes[super] != null:
		_terrain_meshes.add_child(_coarse_meshes[super])
	var fine := TerrainBuilder.chunk_mesh(_terrain, _material, int(key.x), int(key.y))
	if fine != null:
		_terrain_meshes.add_child(fine)
	var cells := TerrainBuilder.chunk_cells(_terrain)
	for side in range(TerrainBuilder.SIDES.size()):
		var skirt = _skirts.get(TerrainBuilder.skirt_key(key, side))
		if skirt != null:
			_skirts.erase(TerrainBuilder.skirt_key(key, side))
			skirt.free()
		var beside: Vector2 = key + TerrainBuilder.SIDES[side] * cells
		if _coarse_chunks.has(beside):
			var facing := side ^ 1  # SIDES come in opposite pairs
			TerrainBuilder.add_skirt(_terrain, _material, _terrain_meshes, _skirts, beside, facing)


# The keys of the coarse chunks that may come within FINE_RADIUS of the eye while it stays in the
# chunk of `eye`, by rings of chunks around it, nearest first.
func _coarse_chunks_near(eye: Vector3) -> Array:
	var cells := TerrainBuilder.chunk_cells(_terrain)
	var side := cells * _cell
	var radius := TerrainBuilder.FINE_RADIUS + side * sqrt(2.0)
	var centre := _chunk_of(eye)
	var keys := []
	for ring in range(int(ceil(radius / side)) + 2):
		for dj in range(-ring, ring + 1):
			for di in range(-ring, ring + 1):
				if max(abs(di), abs(dj)) != ring:
					continue
				var key := (centre + Vector2(di, dj)) * cells
				if (
					_coarse_chunks.has(key)
					and TerrainBuilder.chunk_is_near(_terrain, int(key.x), int(key.y), eye, radius)
				):
					keys.append(key)
	return keys


# (i, j) of the terrain mesh chunk holding `point` (outside the terrain: as if it went on).
func _chunk_of(point: Vector3) -> Vector2:
	var side := TerrainBuilder.CHUNK_METRES
	if not _terrain.empty():
		side = TerrainBuilder.chunk_cells(_terrain) * _cell
	return Vector2(floor((point.x - _origin.x) / side), floor((point.z - _origin.z) / side))


# Records the microseconds since `since` as `phase` of build_usec; returns now.
func _lap(phase: String, since: int) -> int:
	var now := OS.get_ticks_usec()
	build_usec[phase] = now - since
	return now


# True on climbable terrain cells (at most CLIMB_GROUND_MARGIN above the ground) and next to tree
# trunks. Cell (j, i) covers [origin + i * cell, origin + (i + 1) * cell) in x (and z alike): the
# floor convention avalon.world.spec.cell_of uses, so Python and Godot read the same cell.
func is_climbable(world_pos: Vector3) -> bool:
	var cell := _trunk_cell(
		int(floor(world_pos.x / TRUNK_GRID_METRES)), int(floor(world_pos.z / TRUNK_GRID_METRES))
	)
	for trunk in _trunk_grid.get(cell, []):
		var base: Vector3 = trunk[0]
		var reach: float = trunk[1] + CLIMB_TRUNK_MARGIN
		if (
			abs(world_pos.x - base.x) <= reach
			and abs(world_pos.z - base.z) <= reach
			and world_pos.y >= base.y - CLIMB_GROUND_MARGIN
			and world_pos.y <= base.y + trunk[2]
		):
			return true
	var i := int(floor((world_pos.x - _origin.x) / _cell))
	var j := int(floor((world_pos.z - _origin.z) / _cell))
	if i < 0 or j < 0 or i >= _points_x - 1 or j >= _points_z - 1:
		return false
	var k := j * _points_x + i
	var top: float = max(
		max(_heights[k], _heights[k + 1]), max(_heights[k + _points_x], _heights[k + _points_x + 1])
	)
	return world_pos.y <= top + CLIMB_GROUND_MARGIN and _climbable[j * (_points_x - 1) + i] != 0


# (x, z) lies over the heightmap (where `ground_height` is the terrain's, not its edge's).
func on_heightmap(x: float, z: float) -> bool:
	var fx := (x - _origin.x) / _cell
	var fz := (z - _origin.z) / _cell
	return fx >= 0.0 and fz >= 0.0 and fx <= _points_x - 1.0 and fz <= _points_z - 1.0


# Ground height under (x, z) on the heightmap's triangles (same diagonal as the collision); the
# water floor is not considered. Outside the heightmap: the nearest edge point.
func ground_height(x: float, z: float) -> float:
	var fx := clamp((x - _origin.x) / _cell, 0.0, _points_x - 1.0)
	var fz := clamp((z - _origin.z) / _cell, 0.0, _points_z - 1.0)
	var i := int(min(floor(fx), _points_x - 2))
	var j := int(min(floor(fz), _points_z - 2))
	var u := fx - i
	var v := fz - j
	var k := j * _points_x + i
	var h10: float = _heights[k + 1]
	var h01: float = _heights[k + _points_x]
	if u + v <= 1.0:
		return _heights[k] + (h10 - _heights[k]) * u + (h01 - _heights[k]) * v
	var h11: float = _heights[k + _points_x + 1]
	return h11 + (h01 - h11) * (1.0 - u) + (h10 - h11) * (1.0 - v)


# The height of the heightmap over the horizontal rectangle [x0, x1] x [z0, z1] when it is flat
# there (every point of every FLAT_TILE tile it touches at that one height), else NAN; NAN too
# where it reaches beyond the heightmap. Animals on flat ground skip the engine's slide over the
# heightmap, which costs far more than the rest of their tick (mover.gd `_slide_on_flat`).
func flat_height(x0: float, z0: float, x1: float, z1: float) -> float:
	var side := FLAT_TILE * _cell
	var i0 := int(floor((x0 - _origin.x) / side))
	var i1 := int(floor((x1 - _origin.x) / side))
	var j0 := int(floor((z0 - _origin.z) / side))
	var j1 := int(floor((z1 - _origin.z) / side))
	var height := NAN
	for j in range(j0, j1 + 1):
		for i in range(i0, i1 + 1):
			var key := Vector2(i, j)
			if not _flat_tiles.has(key):
				_flat_tiles[key] = _tile_height(i, j)
			var h: float = _flat_tiles[key]
			if is_nan(h) or (not is_nan(height) and h != height):
				return NAN
			height = h
	return height


# The one height of every point of tile (i, j) (FLAT_TILE cells a side, edges included), or NAN.
func _tile_height(i: int, j: int) -> float:
	var x0 := i * FLAT_TILE
	var z0 := j * FLAT_TILE
	if x0 < 0 or z0 < 0 or x0 + FLAT_TILE >= _points_x or z0 + FLAT_TILE >= _points_z:
		return NAN
	var height: float = _heights[z0 * _points_x + x0]
	for z in range(z0, z0 + FLAT_TILE + 1):
		var row := z * _points_x
		for x in range(x0, x0 + FLAT_TILE + 1):
			if _heights[row + x] != height:
				return NAN
	return height
