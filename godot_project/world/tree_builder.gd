# Trees: one unit-height mesh per kind (trunk ~60 %, canopy ~40 %), scaled by each tree's height,
# drawn in DRAW_CHUNK_METRES squares (a MultiMesh per kind and square, so squares out of view are
# culled); on big terrains squares far from the eye are drawn as one mesh of simpler trees
# (chunk_level). Trunks collide as boxes (a StaticBody per CHUNK_METRES square of trees).
extends Reference

const Layers = preload("res://world/layers.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")
const TerrainBuilder = preload("res://world/terrain_builder.gd")

const BROADLEAF = 0
const FIR = 1
const PALM = 2
const KINDS = 3
const TRUNK_FRACTION = 0.6
const TRUNK_RADIUS = 0.035  # fraction of the height
const MIN_TRUNK_RADIUS = 0.1
const TRUNK_COLOR = Color(0.42, 0.29, 0.18)
const CANOPY_COLORS = [Color(0.25, 0.55, 0.2), Color(0.13, 0.4, 0.24), Color(0.4, 0.62, 0.2)]
const GOLDEN_ANGLE = 2.39996
const FRUIT_CANOPY_BOTTOM = 0.75  # fraction of a fruit tree's height
const FRUIT_CANOPY_RADIUS = 0.46  # fraction of a fruit tree's height
const CHUNK_METRES = 16.0  # side of the square of trees that share one collision body
# Side of the square of trees drawn together, so the renderer culls the squares out of view.
const DRAW_CHUNK_METRES = 32.0
# A chunk's level of detail (chunk_level): FULL, each tree's own mesh (a MultiMesh per kind); FAR
# and CANOPY, all of the chunk's trees in one mesh (lod_mesh) of simpler looks (lod_unit_mesh).
const FULL = 0
const FAR = 1
const CANOPY = 2
# On terrains over TerrainBuilder.LOD_MIN_SIDE m across, chunks within FULL_RADIUS m of the eye's
# chunk are drawn FULL, within FAR_RADIUS m FAR, farther CANOPY; smaller terrains are FULL all over.
# FULL_RADIUS is the depth encoding's range (DEPTH_MAX_M): nearer, the simpler looks would show.
const FULL_RADIUS = 64.0
const FAR_RADIUS = 128.0
const LOD_SIDES = 3  # faces of the simpler looks' cones
const PALM_LEAVES = 5
const PALM_LEAF_WIDTH = 0.12  # fraction of the height, at the leaf's base
const FAR_PALM_LEAVES = 3  # as wide together as the full mesh's
# The simpler cones' radius over the full ones' (6 faces): a triangle's mean width (3 sqrt 3 r / pi)
# is then the hexagon's (6 r / pi).
const CONE_RADIUS_SCALE = 2.0 / 1.7320508


# A mesh of height 1 for `kind`.
static func unit_mesh(kind: int, material: Material) -> ArrayMesh:
	var b := MeshBuilder.new()
	var canopy: Color = CANOPY_COLORS[kind]
	var trunk_top := TRUNK_FRACTION
	match kind:
		FIR:
			b.frustum(Vector3.ZERO, trunk_top, TRUNK_RADIUS, TRUNK_RADIUS * 0.7, 4, TRUNK_COLOR)
			b.frustum(Vector3(0.0, 0.25, 0.0), 0.75, 0.22, 0.0, 6, canopy, true)
		PALM:
			b.frustum(Vector3.ZERO, 0.9, TRUNK_RADIUS, TRUNK_RADIUS * 0.6, 4, TRUNK_COLOR)
			_leaves(b, PALM_LEAVES, PALM_LEAF_WIDTH, canopy)
		_:
			b.frustum(Vector3.ZERO, trunk_top, TRUNK_RADIUS, TRUNK_RADIUS * 0.7, 4, TRUNK_COLOR)
			var middle := Vector3(0.0, 0.72, 0.0)
			b.frustum(middle, 0.28, 0.24, 0.0, 6, canopy)
			b.frustum(middle, -0.2, 0.24, 0.0, 6, canopy.darkened(0.1))
	return b.commit(material)


# The look of `kind` at height 1 at level FAR or CANOPY, [vertices, colours] (a MeshBuilder's
# arrays). FAR: the full mesh's trunk and canopy cones with LOD_SIDES faces (of the same mean
# width), the trunk a cone up to the canopy, and a palm's leaves FAR_PALM_LEAVES wider ones; 7-9
# triangles, not 18-20. CANOPY: the canopy alone (a trunk is under a pixel wide that far), 3-6.
static func lod_unit_mesh(kind: int, level: int) -> Array:
	var b := MeshBuilder.new()
	var canopy: Color = CANOPY_COLORS[kind]
	var r := CONE_RADIUS_SCALE
	var far := level == FAR
	match kind:
		FIR:
			if far:
				b.frustum(
					Vector3.ZERO, TRUNK_FRACTION, TRUNK_RADIUS * r, 0.0, LOD_SIDES, TRUNK_COLOR
				)
			_cone(b, Vector3(0.0, 0.25, 0.0), 0.75, 0.22 * r, canopy, far)
		PALM:
			if far:
				b.frustum(Vector3.ZERO, 0.9, TRUNK_RADIUS * r, 0.0, LOD_SIDES, TRUNK_COLOR)
				_leaves(b, FAR_PALM_LEAVES, PALM_LEAF_WIDTH * PALM_LEAVES / FAR_PALM_LEAVES, canopy)
			else:
				_cone(b, Vector3(0.0, 0.75, 0.0), 0.15, 0.35, canopy, false)
		_:
			if far:
				b.frustum(
					Vector3.ZERO, TRUNK_FRACTION, TRUNK_RADIUS * r, 0.0, LOD_SIDES, TRUNK_COLOR
				)
			var middle := Vector3(0.0, 0.72, 0.0)
			_cone(b, middle, 0.28, 0.24 * r, canopy, false)
			_cone(b, middle, -0.2, 0.24 * r, canopy.darkened(0.1), false)
	return [b.vertices, b.colors]


# A cone of LOD_SIDES faces on `base` (negative `height`: pointing down), its base closed when
# `cap`.
static func _cone(b, base: Vector3, height: float, radius: float, color: Color, cap: bool) -> void:
	var tip := base + Vector3(0.0, height, 0.0)
	var corners := []
	for s in range(LOD_SIDES):
		var angle := TAU * s / LOD_SIDES
		corners.append(base + Vector3(cos(angle), 0.0, sin(angle)) * radius)
	for s in range(LOD_SIDES):
		var a: Vector3 = corners[s]
		var c: Vector3 = corners[(s + 1) % LOD_SIDES]
		var out := (a + c) / 2.0 - base
		b.triangle(a, c, tip, color, Vector3(out.x, sign(height) * radius, out.z))
	if cap:
		for s in range(1, LOD_SIDES - 1):
			b.triangle(corners[0], corners[s], corners[s + 1], color, Vector3.DOWN * sign(height))


# A palm's `count` leaves from the top of its trunk, `width` wide at the base, drooping outwards;
# each is two triangles, one facing up and one down.
static func _leaves(b, count: int, width: float, color: Color) -> void:
	var top := Vector3(0.0, 0.9, 0.0)
	for s in range(count):
		var angle := TAU * s / count
		var d := Vector3(cos(angle), 0.0, sin(angle))
		var side := Vector3(-d.z, 0.0, d.x) * width / 2.0
		var tip := top + d * 0.35 + Vector3(0.0, -0.15, 0.0)
		b.triangle(top - side, top + side, tip, color, Vector3.UP)
		b.triangle(top + side, top - side, tip, color, Vector3.DOWN)


# A fruit tree of height 1: a trunk and a wide, flat canopy whose edge overhangs the food hanging
# beside the trunk (avalon/tasks/common.py: 1.25 m out and 2 m up on a 3.5 m tree).
static func fruit_tree_mesh(material: Material) -> ArrayMesh:
	var b := MeshBuilder.new()
	var canopy: Color = CANOPY_COLORS[BROADLEAF]
	b.frustum(Vector3.ZERO, FRUIT_CANOPY_BOTTOM, TRUNK_RADIUS, TRUNK_RADIUS * 0.7, 4, TRUNK_COLOR)
	var bottom := Vector3(0.0, FRUIT_CANOPY_BOTTOM, 0.0)
	b.frustum(bottom, 1.0 - FRUIT_CANOPY_BOTTOM, FRUIT_CANOPY_RADIUS, 0.0, 8, canopy, true)
	return b.commit(material)


static func trunk_radius(height: float) -> float:
	return max(MIN_TRUNK_RADIUS, TRUNK_RADIUS * height)


# [base: Vector3, radius, height] per tree, for climbability lookups (world.gd).
static func trunks(trees: Dictionary) -> Array:
	var positions: PoolVector3Array = trees["positions"]
	var heights: PoolRealArray = trees["heights"]
	var out := []
	for n in range(positions.size()):
		out.append([positions[n], trunk_radius(heights[n]), heights[n]])
	return out


# The trunks' collision: a box per trunk on layer STATIC, in one StaticBody per CHUNK_METRES square
# (by the trunk's base), under one "Trees" node (none without trees). Bodies sit at the origin and
# boxes at their trunks, as with one body for all. Why chunks: Godot 3.2's Bullet rebuilds a body's
# compound shape from all of its shapes each time one is added, moved or removed, so n trunks in
# one body cost O(n^2): building, entering the tree and freeing took 0.3 / 1.4 / 6.8 / 40 s for
# 500 / 1,000 / 2,000 / 4,000 trees (avalon.bench --profile-world on a loaded 2-core machine).
# Chunks also keep the grab rule's walk over a body's shapes (items/shapes.gd) short.
static func collision(trees: Dictionary) -> Array:
	var positions: PoolVector3Array = trees["positions"]
	var heights: PoolRealArray = trees["heights"]
	if positions.size() == 0:
		return []
	var root := Spatial.new()
	root.name = "Trees"
	var bodies := {}  # Vector2(chunk x, chunk z) -> StaticBody
	for n in range(positions.size()):
		var base: Vector3 = positions[n]
		var key := Vector2(floor(base.x / CHUNK_METRES), floor(base.z / CHUNK_METRES))
		var body: StaticBody = bodies.get(key)
		if body == null:
			# Unnamed: Godot checks a named node's name against all its siblings.
			body = StaticBody.new()
			body.collision_layer = Layers.STATIC
			body.collision_mask = 0
			body.add_to_group("trees")  # animals sidestep trees (entities/animal/mover.gd)
			bodies[key] = body
			root.add_child(body)
		# The box goes to the body directly (a shape owner, as a CollisionShape child would make):
		# a node per trunk cost more to create, to enter the tree and to free than the box itself.
		var height: float = heights[n]
		var trunk_height := height * TRUNK_FRACTION
		var owner := body.create_shape_owner(body)
		body.shape_owner_add_shape(owner, trunk_box(trunk_radius(height), trunk_height))
		var centre := base + Vector3(0.0, trunk_height / 2.0, 0.0)
		body.shape_owner_set_transform(owner, Transform(Basis(), centre))
	return [root]


# Vector2(chunk x, chunk z) -> PoolIntArray of the indices of the trees whose base lies in that
# DRAW_CHUNK_METRES square (x in [chunk x, chunk x + 1) * DRAW_CHUNK_METRES, z alike), in order.
static func draw_chunks(trees: Dictionary) -> Dictionary:
	var positions: PoolVector3Array = trees["positions"]
	var lists := {}
	for n in range(positions.size()):
		var key := chunk_of(positions[n])
		if lists.has(key):
			lists[key].append(n)
		else:
			lists[key] = [n]
	# Filled as Arrays: a PoolIntArray in a Dictionary is a copy, so appending to it would be lost.
	var chunks := {}
	for key in lists:
		chunks[key] = PoolIntArray(lists[key])
	return chunks


# Tree `n`'s transform: turned by the golden angle times its index and scaled by its height.
static func tree_transform(trees: Dictionary, n: int) -> Transform:
	var height: float = trees["heights"][n]
	var basis := Basis(Vector3.UP, GOLDEN_ANGLE * n).scaled(Vector3(height, height, height))
	return Transform(basis, trees["positions"][n])


# The unit meshes of the KINDS, to share between chunks (full_meshes).
static func unit_meshes(material: Material) -> Array:
	var meshes := []
	for kind in range(KINDS):
		meshes.append(unit_mesh(kind, material))
	return meshes


# The trees `indices` in full: a MultiMeshInstance per kind present, each tree at tree_transform.
# GLES2 draws a MultiMesh one instance at a time (a draw call per tree), so on big terrains these
# are kept to the chunks near the eye (chunk_level).
static func full_meshes(trees: Dictionary, indices: PoolIntArray, meshes: Array) -> Array:
	var kinds: PoolByteArray = trees["kinds"]
	var transforms := []
	for _k in range(KINDS):
		transforms.append([])
	for n in indices:
		transforms[kinds[n]].append(tree_transform(trees, n))
	var nodes := []
	for kind in range(KINDS):
		if transforms[kind].empty():
			continue
		var multimesh := MultiMesh.new()
		multimesh.transform_format = MultiMesh.TRANSFORM_3D
		multimesh.mesh = meshes[kind]
		multimesh.instance_count = transforms[kind].size()
		for n in range(transforms[kind].size()):
			multimesh.set_instance_transform(n, transforms[kind][n])
		var instance := MultiMeshInstance.new()
		instance.multimesh = multimesh
		nodes.append(instance)
	return nodes


# True when the trees are drawn at levels of detail (FULL near the eye, FAR and CANOPY farther): on
# terrains over TerrainBuilder.LOD_MIN_SIDE m across. Smaller ones are drawn FULL everywhere.
static func has_levels(terrain: Dictionary) -> bool:
	var extent := TerrainBuilder.bounds(terrain)
	return max(extent.size.x, extent.size.y) > TerrainBuilder.LOD_MIN_SIDE


# The key of the DRAW_CHUNK_METRES square holding `point` (draw_chunks).
static func chunk_of(point: Vector3) -> Vector2:
	return Vector2(floor(point.x / DRAW_CHUNK_METRES), floor(point.z / DRAW_CHUNK_METRES))


# The level of detail of chunk `key` for an eye in chunk `eye_key` (on terrains with levels) by how
# near the two squares come: FULL within FULL_RADIUS m, FAR within FAR_RADIUS m, else CANOPY. So a
# chunk within FULL_RADIUS of the eye is FULL, one within FAR_RADIUS is FULL or FAR. A function of
# the eye's chunk: the trees change look only as the eye enters another chunk.
static func chunk_level(key: Vector2, eye_key: Vector2) -> int:
	var gap := Vector2(
		max(abs(key.x - eye_key.x) - 1.0, 0.0), max(abs(key.y - eye_key.y) - 1.0, 0.0)
	)
	var metres := gap.length() * DRAW_CHUNK_METRES
	if metres <= FULL_RADIUS:
		return FULL
	return FAR if metres <= FAR_RADIUS else CANOPY


# The look of each kind at `level` (lod_unit_mesh), to share between chunks (lod_mesh).
static func lod_unit_meshes(level: int) -> Array:
	var units := []
	for kind in range(KINDS):
		units.append(lod_unit_mesh(kind, level))
	return units


# The trees `indices` as one mesh of their looks `units` (lod_unit_meshes), each at its
# tree_transform: one draw call for the chunk.
static func lod_mesh(
	trees: Dictionary, indices: PoolIntArray, units: Array, material: Material
) -> MeshInstance:
	var kinds: PoolByteArray = trees["kinds"]
	var builder := MeshBuilder.new()
	for n in indices:
		var unit: Array = units[kinds[n]]
		builder.add_arrays(tree_transform(trees, n).xform(unit[0]), unit[1])
	var instance := MeshInstance.new()
	instance.mesh = builder.commit(material)
	instance.cast_shadow = GeometryInstance.SHADOW_CASTING_SETTING_OFF
	return instance


static func trunk_collision(base: Vector3, radius: float, trunk_height: float) -> CollisionShape:
	var collision := CollisionShape.new()
	collision.shape = trunk_box(radius, trunk_height)
	collision.translation = base + Vector3(0.0, trunk_height / 2.0, 0.0)
	return collision


# A trunk's box: `radius` half wide, `trunk_height` tall, centred on its origin.
static func trunk_box(radius: float, trunk_height: float) -> BoxShape:
	var shape := BoxShape.new()
	shape.extents = Vector3(radius, trunk_height / 2.0, radius)
	return shape
