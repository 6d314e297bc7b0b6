# Trees: one unit-height mesh per kind (trunk ~60 %, canopy ~40 %), drawn as a MultiMesh per kind
# and scaled by each tree's height; trunks collide as boxes (a StaticBody per chunk of trees).
extends Reference

const Layers = preload("res://world/layers.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

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
			var top := Vector3(0.0, 0.9, 0.0)
			for s in range(5):
				var angle := TAU * s / 5.0
				var d := Vector3(cos(angle), 0.0, sin(angle))
				var side := Vector3(-d.z, 0.0, d.x) * 0.06
				var tip := top + d * 0.35 + Vector3(0.0, -0.15, 0.0)
				b.triangle(top - side, top + side, tip, canopy, Vector3.UP)
				b.triangle(top + side, top - side, tip, canopy, Vector3.DOWN)
		_:
			b.frustum(Vector3.ZERO, trunk_top, TRUNK_RADIUS, TRUNK_RADIUS * 0.7, 4, TRUNK_COLOR)
			var middle := Vector3(0.0, 0.72, 0.0)
			b.frustum(middle, 0.28, 0.24, 0.0, 6, canopy)
			b.frustum(middle, -0.2, 0.24, 0.0, 6, canopy.darkened(0.1))
	return b.commit(material)


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


# One MultiMeshInstance per tree kind present, each tree turned by the golden angle times its index
# and scaled by its height.
static func meshes(trees: Dictionary, material: Material) -> Array:
	var positions: PoolVector3Array = trees["positions"]
	var heights: PoolRealArray = trees["heights"]
	var kinds: PoolByteArray = trees["kinds"]
	var transforms := []
	for _k in range(KINDS):
		transforms.append([])
	for n in range(positions.size()):
		var height: float = heights[n]
		var basis := Basis(Vector3.UP, GOLDEN_ANGLE * n).scaled(Vector3(height, height, height))
		transforms[kinds[n]].append(Transform(basis, positions[n]))
	var nodes := []
	for kind in range(KINDS):
		if transforms[kind].empty():
			continue
		var multimesh := MultiMesh.new()
		multimesh.transform_format = MultiMesh.TRANSFORM_3D
		multimesh.mesh = unit_mesh(kind, material)
		multimesh.instance_count = transforms[kind].size()
		for n in range(transforms[kind].size()):
			multimesh.set_instance_transform(n, transforms[kind][n])
		var instance := MultiMeshInstance.new()
		instance.name = "Trees%d" % kind
		instance.multimesh = multimesh
		nodes.append(instance)
	return nodes


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
