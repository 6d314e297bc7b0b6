# Terrain nodes from the spec's `terrain` Dictionary: flat-shaded ArrayMesh chunks (one colour
# per cell, `cell_size` m square), HeightMapShape collision, an opaque water plane with a collision
# floor 1 m below it, and invisible walls along the four edges. world.gd builds the parts one by one
# (collision, meshes only with visuals, water_and_walls) and times each.
extends Reference

const Layers = preload("res://world/layers.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

const CHUNK_METRES = 16.0  # side of a mesh chunk, whatever the cell size (culling granularity)
# Terrains larger than LOD_MIN_SIDE m (EXPLORE's, up to 512 m; the other tasks' are at most 100 m)
# are drawn in full detail only within FINE_RADIUS m of the eye, farther in blocks about
# FAR_BLOCK_METRES square (world.gd redraws chunks in full detail as the eye nears them): a 512 m
# world's 263,000 cells took about 0.6 s.
const LOD_MIN_SIDE = 256.0
const FINE_RADIUS = 64.0
const FAR_BLOCK_METRES = 4.0
const SKIRT_MIN_METRES = 0.01  # coarse edges closer than this to the full-detail edge get no skirt
# Towards the neighbour chunk on each side, in chunks (x, z): -z, +z, -x, +x (skirt_mesh's order).
const SIDES = [Vector2(0, -1), Vector2(0, 1), Vector2(-1, 0), Vector2(1, 0)]
const SUPER_CHUNKS = 4  # coarse chunks share a mesh per square of this many chunks a side
# Fine grids are drawn at this density where they are smooth (see _add_blocks): EAT and MOVE's cell.
const COARSE_CELL = 1.0
const PLANAR_TOLERANCE = 0.05  # m a merged block's points may lie off its two big triangles
const WATER_COLOR = Color(0.22, 0.42, 0.62)
const WALL_THICKNESS = 1.0
const WALL_HEADROOM = 50.0
const FLOOR_BELOW_WATER = 1.0
const NEGATE = Transform(Basis(-Vector3.RIGHT, -Vector3.UP, -Vector3.BACK), Vector3.ZERO)


# The water plane (drawn when `material` is not null) with its floor, and the four edge walls.
static func water_and_walls(terrain: Dictionary, material: Material) -> Array:
	var bounds := bounds(terrain)
	return [_water(bounds, terrain["water_height"], material), _walls(bounds, terrain)]


# The heightmap's extent in x and z as a Rect2 (x, z).
static func bounds(terrain: Dictionary) -> Rect2:
	var origin: Vector3 = terrain["origin"]
	var cell: float = terrain["cell_size"]
	return Rect2(
		origin.x, origin.z, (terrain["points_x"] - 1) * cell, (terrain["points_z"] - 1) * cell
	)


# The visual terrain in chunks of CHUNK_METRES square, so the renderer culls the chunks outside the
# view. Returns [the chunks' parent node, {chunk key: true} of the chunks drawn coarse (see
# chunk_is_near), which world.gd redraws in full detail as the eye comes near, {super key:
# MeshInstance or null} of their meshes (coarse_mesh), and {skirt key: MeshInstance} of the skirts
# (skirt_mesh) where a coarse chunk meets a full one]. A chunk's key is Vector2(its first cell's
# i, j); a super key, the key of the first chunk of a SUPER_CHUNKS x SUPER_CHUNKS square.
static func meshes(terrain: Dictionary, material: Material, eye: Vector3) -> Array:
	var px: int = terrain["points_x"]
	var pz: int = terrain["points_z"]
	var chunk := chunk_cells(terrain)
	var chunks := Spatial.new()
	chunks.name = "TerrainMesh"
	var coarse := {}
	var supers := {}
	for j0 in range(0, pz - 1, chunk):
		for i0 in range(0, px - 1, chunk):
			if chunk_is_near(terrain, i0, j0, eye):
				var instance := chunk_mesh(terrain, material, i0, j0)
				if instance != null:
					chunks.add_child(instance)
			else:
				coarse[Vector2(i0, j0)] = true
				supers[super_key(terrain, Vector2(i0, j0))] = null
	for key in supers.keys():
		supers[key] = coarse_mesh(terrain, material, key, coarse)
		if supers[key] != null:
			chunks.add_child(supers[key])
	var skirts := {}
	for key in coarse:
		for side in range(SIDES.size()):
			var beside: Vector2 = key + SIDES[side] * chunk
			if beside.x < px - 1 and beside.y < pz - 1 and beside.x >= 0 and beside.y >= 0:
				if not coarse.has(beside):
					add_skirt(terrain, material, chunks, skirts, key, side)
	return [chunks, coarse, supers, skirts]


# The key of the square of SUPER_CHUNKS x SUPER_CHUNKS chunks that holds chunk `key`.
static func super_key(terrain: Dictionary, key: Vector2) -> Vector2:
	var span := chunk_cells(terrain) * SUPER_CHUNKS
	return Vector2(floor(key.x / span), floor(key.y / span)) * span


# One mesh of the chunks of `coarse` in the square of chunks `super`, drawn coarse (_add_coarse);
# null when nothing of them shows above the water. One mesh, not one per chunk: a 512 m world has
# about 950 coarse chunks, and each mesh costs time to build, to free and to draw.
static func coarse_mesh(
	terrain: Dictionary, material: Material, super: Vector2, coarse: Dictionary
) -> MeshInstance:
	var chunk := chunk_cells(terrain)
	var step := coarse_step(terrain)
	var builder := MeshBuilder.new()
	for dj in range(SUPER_CHUNKS):
		for di in range(SUPER_CHUNKS):
			var key := super + Vector2(di, dj) * chunk
			if not coarse.has(key):
				continue
			var i0 := int(key.x)
			var j0 := int(key.y)
			var i1 := int(min(i0 + chunk, terrain["points_x"] - 1))
			var j1 := int(min(j0 + chunk, terrain["points_z"] - 1))
			_add_coarse(builder, terrain, i0, j0, i1, j1, step)
	return _instance(builder, material)


# Builds the skirt of coarse chunk `key` on `side` (an index of SIDES) under `parent`, and files it
# in `skirts` (when it has one).
static func add_skirt(
	terrain: Dictionary,
	material: Material,
	parent: Node,
	skirts: Dictionary,
	key: Vector2,
	side: int
) -> void:
	var instance := skirt_mesh(terrain, material, int(key.x), int(key.y), side)
	if instance != null:
		parent.add_child(instance)
		skirts[skirt_key(key, side)] = instance


static func skirt_key(key: Vector2, side: int) -> Vector3:
	return Vector3(key.x, key.y, side)


# Cells per side of a mesh chunk.
static func chunk_cells(terrain: Dictionary) -> int:
	return int(max(1, round(CHUNK_METRES / terrain["cell_size"])))


# True when the chunk whose first cell is (i0, j0) is drawn in full detail for an eye at `eye`: on
# terrains at most LOD_MIN_SIDE m across (every task's but EXPLORE's) always; on larger ones when
# the chunk comes within `radius` m of the eye (in x and z). Farther chunks are drawn coarse.
static func chunk_is_near(
	terrain: Dictionary, i0: int, j0: int, eye: Vector3, radius := FINE_RADIUS
) -> bool:
	var cell: float = terrain["cell_size"]
	var extent := bounds(terrain)
	if max(extent.size.x, extent.size.y) <= LOD_MIN_SIDE:
		return true
	var origin: Vector3 = terrain["origin"]
	var side := chunk_cells(terrain) * cell
	var corner := Vector2(origin.x + i0 * cell, origin.z + j0 * cell)
	var nearest := Vector2(
		clamp(eye.x, corner.x, corner.x + side), clamp(eye.z, corner.y, corner.y + side)
	)
	return nearest.distance_to(Vector2(eye.x, eye.z)) <= radius


# The chunk whose first cell is (i0, j0) in full detail; null when nothing of it shows above the
# water.
static func chunk_mesh(terrain: Dictionary, material: Material, i0: int, j0: int) -> MeshInstance:
	var chunk := chunk_cells(terrain)
	var builder := MeshBuilder.new()
	var i1 := int(min(i0 + chunk, terrain["points_x"] - 1))
	var j1 := int(min(j0 + chunk, terrain["points_z"] - 1))
	if 2.0 * terrain["cell_size"] <= COARSE_CELL:
		_add_blocks(builder, terrain, i0, j0, i1, j1)
	else:
		_add_cells(builder, terrain, i0, j0, i1, j1)
	return _instance(builder, material)


# A MeshInstance of what `builder` holds, or null when it holds nothing.
static func _instance(builder, material: Material) -> MeshInstance:
	if builder.is_empty():
		return null
	var instance := MeshInstance.new()
	instance.mesh = builder.commit(material)
	instance.cast_shadow = GeometryInstance.SHADOW_CASTING_SETTING_OFF
	return instance


# Cells per side of a coarse block: about FAR_BLOCK_METRES, and a divisor of the chunk's cells, so
# neighbouring coarse chunks share their edge points.
static func coarse_step(terrain: Dictionary) -> int:
	var chunk := chunk_cells(terrain)
	var step := int(clamp(round(FAR_BLOCK_METRES / terrain["cell_size"]), 1, chunk))
	while chunk % step != 0:
		step -= 1
	return step


# Cells [i0, i1) x [j0, j1) in blocks of `step` x `step` cells, each drawn as the two triangles of
# its corner points (split along the same diagonal) in the colour of its first cell; blocks whose
# corners are all under the water are left out.
static func _add_coarse(
	builder, terrain: Dictionary, i0: int, j0: int, i1: int, j1: int, step: int
) -> void:
	var px: int = terrain["points_x"]
	var origin: Vector3 = terrain["origin"]
	var cell: float = terrain["cell_size"]
	var water: float = terrain["water_height"]
	var h: PoolRealArray = terrain["heights"]
	var cell_colors: PoolByteArray = terrain["cell_colors"]
	var palette: PoolColorArray = terrain["palette"]
	var sun := MeshBuilder.SUN.normalized()
	var ambient := MeshBuilder.AMBIENT
	var diffuse := MeshBuilder.DIFFUSE
	var vertices := PoolVector3Array()
	var colors := PoolColorArray()
	var blocks_x := int(ceil(float(i1 - i0) / step))
	var blocks_z := int(ceil(float(j1 - j0) / step))
	vertices.resize(blocks_x * blocks_z * 6)
	colors.resize(vertices.size())
	var n := 0
	for j in range(j0, j1, step):
		var je := int(min(j + step, j1))
		var z0 := origin.z + j * cell
		var z1 := origin.z + je * cell
		var sz := (je - j) * cell
		for i in range(i0, i1, step):
			var ie := int(min(i + step, i1))
			var h00 := h[j * px + i]
			var h10 := h[j * px + ie]
			var h01 := h[je * px + i]
			var h11 := h[je * px + ie]
			if max(max(h00, h10), max(h01, h11)) <= water:
				continue
			var color := palette[cell_colors[j * (px - 1) + i]]
			var x0 := origin.x + i * cell
			var x1 := origin.x + ie * cell
			var sx := (ie - i) * cell
			var n1 := Vector3((h00 - h10) * sz, sx * sz, (h00 - h01) * sx)
			var n2 := Vector3((h01 - h11) * sz, sx * sz, (h10 - h11) * sx)
			var c1 := color * (ambient + diffuse * max(0.0, n1.dot(sun)) / n1.length())
			var c2 := color * (ambient + diffuse * max(0.0, n2.dot(sun)) / n2.length())
			c1.a = 1.0
			c2.a = 1.0
			var p10 := Vector3(x1, h10, z0)
			var p01 := Vector3(x0, h01, z1)
			vertices[n] = Vector3(x0, h00, z0)
			vertices[n + 1] = p10
			vertices[n + 2] = p01
			vertices[n + 3] = p10
			vertices[n + 4] = Vector3(x1, h11, z1)
			vertices[n + 5] = p01
			colors[n] = c1
			colors[n + 1] = c1
			colors[n + 2] = c1
			colors[n + 3] = c2
			colors[n + 4] = c2
			colors[n + 5] = c2
			n += 6
	vertices.resize(n)
	colors.resize(n)
	builder.add_arrays(vertices, colors)


# The skirt of the coarse chunk whose first cell is (i0, j0) on `side` (SIDES[side] points to the
# neighbour), facing that neighbour; null when none is needed. Where a full-detail neighbour's
# edge dips below the coarse edge, sky would show through the seam: per coarse block along the
# edge whose full-detail points dip more than SKIRT_MIN_METRES below its straight line, a vertical
# quad hangs from that line to the lowest of them. (Beside a coarse neighbour it would lie under
# the ground; world.gd frees it when the neighbour is redrawn in full detail.)
static func skirt_mesh(
	terrain: Dictionary, material: Material, i0: int, j0: int, side: int
) -> MeshInstance:
	var chunk := chunk_cells(terrain)
	var i1 := int(min(i0 + chunk, terrain["points_x"] - 1))
	var j1 := int(min(j0 + chunk, terrain["points_z"] - 1))
	var edge: Array = [
		[i0, j0, 1, 0, i1 - i0, Vector3.FORWARD],
		[i0, j1, 1, 0, i1 - i0, Vector3.BACK],
		[i0, j0, 0, 1, j1 - j0, Vector3.LEFT],
		[i1, j0, 0, 1, j1 - j0, Vector3.RIGHT],
	][side]
	var builder := MeshBuilder.new()
	_add_skirts(builder, terrain, edge, coarse_step(terrain))
	return _instance(builder, material)


# The skirt quads of one chunk edge [first point i, j, step di, dj, points - 1, outward] (see
# skirt_mesh), one per `step` points.
static func _add_skirts(builder, terrain: Dictionary, edge: Array, step: int) -> void:
	var px: int = terrain["points_x"]
	var origin: Vector3 = terrain["origin"]
	var cell: float = terrain["cell_size"]
	var h: PoolRealArray = terrain["heights"]
	var palette: PoolColorArray = terrain["palette"]
	var cell_colors: PoolByteArray = terrain["cell_colors"]
	var i: int = edge[0]
	var j: int = edge[1]
	var di: int = edge[2]
	var dj: int = edge[3]
	var outward: Vector3 = edge[5]
	# Which way round the triangles go for their front to face `outward` (MeshBuilder.triangle).
	var flip := outward == Vector3.FORWARD or outward == Vector3.RIGHT
	# The chunk's own cells along the edge: the far edges' cells are one back.
	var back_i := 1 if outward == Vector3.RIGHT else 0
	var back_j := 1 if outward == Vector3.BACK else 0
	var vertices := PoolVector3Array()
	var colors := PoolColorArray()
	for start in range(0, edge[4], step):
		var end := int(min(start + step, edge[4]))
		var top_a := h[(j + dj * start) * px + i + di * start]
		var top_b := h[(j + dj * end) * px + i + di * end]
		if max(top_a, top_b) <= terrain["water_height"]:
			continue
		var low := min(top_a, top_b)
		var dips := false
		for n in range(start + 1, end):
			var height := h[(j + dj * n) * px + i + di * n]
			var line := top_a + (top_b - top_a) * (n - start) / float(end - start)
			dips = dips or height < line - SKIRT_MIN_METRES
			low = min(low, height)
		if not dips:
			continue
		var a := Vector3(
			origin.x + (i + di * start) * cell, top_a, origin.z + (j + dj * start) * cell
		)
		var b := Vector3(origin.x + (i + di * end) * cell, top_b, origin.z + (j + dj * end) * cell)
		var b_low := Vector3(b.x, low, b.z)
		var a_low := Vector3(a.x, low, a.z)
		if flip:
			vertices.append_array(PoolVector3Array([a, b_low, b, a, a_low, b_low]))
		else:
			vertices.append_array(PoolVector3Array([a, b, b_low, a, b_low, a_low]))
		var index: int = (j + dj * start - back_j) * (px - 1) + i + di * start - back_i
		var lit := MeshBuilder.shade(palette[cell_colors[index]], outward)
		colors.append_array(PoolColorArray([lit, lit, lit, lit, lit, lit]))
	builder.add_arrays(vertices, colors)


# Cells [i0, i1) x [j0, j1): two triangles each, except runs of flat cells of one colour along x
# (one quad) and cells entirely under the water (left out).
static func _add_cells(builder, terrain: Dictionary, i0: int, j0: int, i1: int, j1: int) -> void:
	var px: int = terrain["points_x"]
	var origin: Vector3 = terrain["origin"]
	var cell: float = terrain["cell_size"]
	var water: float = terrain["water_height"]
	var h: PoolRealArray = terrain["heights"]
	var cell_colors: PoolByteArray = terrain["cell_colors"]
	var palette: PoolColorArray = terrain["palette"]
	var up := Vector3.UP
	var sun := MeshBuilder.SUN.normalized()
	var ambient := MeshBuilder.AMBIENT
	var diffuse := MeshBuilder.DIFFUSE
	var vertices := PoolVector3Array()
	var colors := PoolColorArray()
	vertices.resize((i1 - i0) * (j1 - j0) * 6)
	colors.resize(vertices.size())
	var n := 0
	for j in range(j0, j1):
		var i := i0
		var z0 := origin.z + j * cell
		var z1 := z0 + cell
		var row := j * (px - 1)
		while i < i1:
			var k := j * px + i
			var h00 := h[k]
			var h10 := h[k + 1]
			var h01 := h[k + px]
			var h11 := h[k + px + 1]
			if max(max(h00, h10), max(h01, h11)) <= water:
				i += 1
				continue
			var color := palette[cell_colors[row + i]]
			var x0 := origin.x + i * cell
			if h00 == h10 and h00 == h01 and h00 == h11:
				var end := i + 1
				while (
					end < i1
					and cell_colors[row + end] == cell_colors[row + i]
					and h[k + end - i + 1] == h00
					and h[k + px + end - i + 1] == h00
				):
					end += 1
				var x_end := origin.x + end * cell
				builder.quad(
					Vector3(x0, h00, z0),
					Vector3(x_end, h00, z0),
					Vector3(x_end, h00, z1),
					Vector3(x0, h00, z1),
					color,
					up
				)
				i = end
				continue
			# Two triangles split along the diagonal Bullet's heightfield uses, (i+1, j) to (i, j+1),
			# written out inline (this loop is most of a reset's time).
			var x1 := x0 + cell
			var p00 := Vector3(x0, h00, z0)
			var p10 := Vector3(x1, h10, z0)
			var p01 := Vector3(x0, h01, z1)
			var p11 := Vector3(x1, h11, z1)
			var n1 := Vector3(h00 - h10, cell, h00 - h01)
			var n2 := Vector3(h01 - h11, cell, h10 - h11)
			var c1 := color * (ambient + diffuse * max(0.0, n1.dot(sun)) / n1.length())
			var c2 := color * (ambient + diffuse * max(0.0, n2.dot(sun)) / n2.length())
			c1.a = 1.0
			c2.a = 1.0
			vertices[n] = p00
			vertices[n + 1] = p10
			vertices[n + 2] = p01
			vertices[n + 3] = p10
			vertices[n + 4] = p11
			vertices[n + 5] = p01
			colors[n] = c1
			colors[n + 1] = c1
			colors[n + 2] = c1
			colors[n + 3] = c2
			colors[n + 4] = c2
			colors[n + 5] = c2
			n += 6
			i += 1
	vertices.resize(n)
	colors.resize(n)
	builder.add_arrays(vertices, colors)


# Fine grids (2 cells fit in COARSE_CELL): each 2 x 2 block of cells of one colour whose nine points
# lie within PLANAR_TOLERANCE of the block's own two big triangles (split along the same diagonal)
# is drawn as those two, the others cell by cell; cells under the water are left out. Smooth ground
# then costs the triangles of a 1 m grid while walls, rims and paths keep every point. Collision
# keeps every point; beside an unmerged neighbour a merged block's edge may leave a sliver at most
# PLANAR_TOLERANCE high (invisible at the observation's resolution).
static func _add_blocks(builder, terrain: Dictionary, i0: int, j0: int, i1: int, j1: int) -> void:
	var px: int = terrain["points_x"]
	var origin: Vector3 = terrain["origin"]
	var cell: float = terrain["cell_size"]
	var water: float = terrain["water_height"]
	var h: PoolRealArray = terrain["heights"]
	var cell_colors: PoolByteArray = terrain["cell_colors"]
	var palette: PoolColorArray = terrain["palette"]
	var sun := MeshBuilder.SUN.normalized()
	var ambient := MeshBuilder.AMBIENT
	var diffuse := MeshBuilder.DIFFUSE
	var tol := PLANAR_TOLERANCE
	var vertices := PoolVector3Array()
	var colors := PoolColorArray()
	vertices.resize((i1 - i0) * (j1 - j0) * 6)
	colors.resize(vertices.size())
	var n := 0
	for j in range(j0, j1, 2):
		for i in range(i0, i1, 2):
			var merged := false
			var k := j * px + i
			var row := j * (px - 1) + i
			if i + 1 < i1 and j + 1 < j1:
				var a00 := h[k]
				var a20 := h[k + 2]
				var a02 := h[k + 2 * px]
				var a22 := h[k + 2 * px + 2]
				var c: int = cell_colors[row]
				merged = (
					c == cell_colors[row + 1]
					and c == cell_colors[row + px - 1]
					and c == cell_colors[row + px]
					and abs(h[k + px + 1] - (a20 + a02) / 2.0) <= tol
					and abs(h[k + 1] - (a00 + a20) / 2.0) <= tol
					and abs(h[k + px] - (a00 + a02) / 2.0) <= tol
					and abs(h[k + px + 2] - (a20 + a22) / 2.0) <= tol
					and abs(h[k + 2 * px + 1] - (a02 + a22) / 2.0) <= tol
				)
			for q in range(1 if merged else 4):
				var qi := i + q % 2
				var qj := j + q / 2
				if qi >= i1 or qj >= j1:
					continue
				var qk := qj * px + qi
				var step := 2 if merged else 1
				var size := cell * step
				var h00 := h[qk]
				var h10 := h[qk + step]
				var h01 := h[qk + step * px]
				var h11 := h[qk + step * px + step]
				if max(max(h00, h10), max(h01, h11)) <= water:
					continue
				var color := palette[cell_colors[qj * (px - 1) + qi]]
				var x0 := origin.x + qi * cell
				var z0 := origin.z + qj * cell
				var p00 := Vector3(x0, h00, z0)
				var p10 := Vector3(x0 + size, h10, z0)
				var p01 := Vector3(x0, h01, z0 + size)
				var p11 := Vector3(x0 + size, h11, z0 + size)
				var n1 := Vector3(h00 - h10, size, h00 - h01)
				var n2 := Vector3(h01 - h11, size, h10 - h11)
				var c1 := color * (ambient + diffuse * max(0.0, n1.dot(sun)) / n1.length())
				var c2 := color * (ambient + diffuse * max(0.0, n2.dot(sun)) / n2.length())
				c1.a = 1.0
				c2.a = 1.0
				vertices[n] = p00
				vertices[n + 1] = p10
				vertices[n + 2] = p01
				vertices[n + 3] = p10
				vertices[n + 4] = p11
				vertices[n + 5] = p01
				colors[n] = c1
				colors[n + 1] = c1
				colors[n + 2] = c1
				colors[n + 3] = c2
				colors[n + 4] = c2
				colors[n + 5] = c2
				n += 6
	vertices.resize(n)
	colors.resize(n)
	builder.add_arrays(vertices, colors)


static func collision(terrain: Dictionary) -> StaticBody:
	var px: int = terrain["points_x"]
	var pz: int = terrain["points_z"]
	var shape := HeightMapShape.new()
	shape.map_width = px
	shape.map_depth = pz
	shape.map_data = terrain["heights"]
	var collision := CollisionShape.new()
	collision.shape = shape
	# A HeightMapShape is centred on its node in x and z, and its points are 1 unit apart in 3.2: scale
	# x and z (not y, the heights are metres) to the cell size.
	var origin: Vector3 = terrain["origin"]
	var cell: float = terrain["cell_size"]
	collision.scale = Vector3(cell, 1.0, cell)
	collision.translation = Vector3(
		origin.x + (px - 1) * cell / 2.0, 0.0, origin.z + (pz - 1) * cell / 2.0
	)
	var body := _static_body("TerrainBody")
	body.add_child(collision)
	return body


static func _water(bounds: Rect2, water_height: float, material: Material) -> StaticBody:
	var body := _static_body("Water")
	if material != null:
		var builder := MeshBuilder.new()
		var x0 := bounds.position.x
		var z0 := bounds.position.y
		var x1 := bounds.end.x
		var z1 := bounds.end.y
		builder.quad(
			Vector3(x0, water_height, z0),
			Vector3(x1, water_height, z0),
			Vector3(x1, water_height, z1),
			Vector3(x0, water_height, z1),
			WATER_COLOR,
			Vector3.UP
		)
		var instance := MeshInstance.new()
		instance.mesh = builder.commit(material)
		body.add_child(instance)
	var floor_shape := BoxShape.new()
	floor_shape.extents = Vector3(
		bounds.size.x / 2.0 + WALL_THICKNESS, 0.5, bounds.size.y / 2.0 + WALL_THICKNESS
	)
	var collision := CollisionShape.new()
	collision.shape = floor_shape
	var center := bounds.position + bounds.size / 2.0
	collision.translation = Vector3(center.x, water_height - FLOOR_BELOW_WATER - 0.5, center.y)
	body.add_child(collision)
	return body


static func _walls(bounds: Rect2, terrain: Dictionary) -> StaticBody:
	var lowest := lowest_value(terrain["heights"])
	var highest := -lowest_value(NEGATE.xform(as_points(terrain["heights"])))
	var low: float = min(terrain["water_height"] - FLOOR_BELOW_WATER - 1.0, lowest - 1.0)
	var high: float = max(terrain["water_height"], highest) + WALL_HEADROOM
	var body := _static_body("Walls")
	var t := WALL_THICKNESS
	var center := bounds.position + bounds.size / 2.0
	var mid_y := (low + high) / 2.0
	var half_y := (high - low) / 2.0
	var walls := [
		[
			Vector3(bounds.position.x - t / 2.0, mid_y, center.y),
			Vector3(t / 2.0, half_y, bounds.size.y / 2.0 + t)
		],
		[
			Vector3(bounds.end.x + t / 2.0, mid_y, center.y),
			Vector3(t / 2.0, half_y, bounds.size.y / 2.0 + t)
		],
		[
			Vector3(center.x, mid_y, bounds.position.y - t / 2.0),
			Vector3(bounds.size.x / 2.0 + t, half_y, t / 2.0)
		],
		[
			Vector3(center.x, mid_y, bounds.end.y + t / 2.0),
			Vector3(bounds.size.x / 2.0 + t, half_y, t / 2.0)
		],
	]
	for wall in walls:
		var shape := BoxShape.new()
		shape.extents = wall[1]
		var collision := CollisionShape.new()
		collision.shape = shape
		collision.translation = wall[0]
		body.add_child(collision)
	return body


# The smallest of `values` (a PoolRealArray, or all coordinates of a PoolVector3Array), computed
# natively: a GDScript loop over a 512 m world's 263,000 heights cost 30 ms, this about 5. Exact:
# ArrayMesh only ever copies a vertex's coordinates into its bounding box's lower corner.
static func lowest_value(values) -> float:
	var arrays := []
	arrays.resize(Mesh.ARRAY_MAX)
	arrays[Mesh.ARRAY_VERTEX] = values if values is PoolVector3Array else as_points(values)
	var mesh := ArrayMesh.new()
	mesh.add_surface_from_arrays(Mesh.PRIMITIVE_POINTS, arrays)
	var corner := mesh.get_aabb().position
	return min(corner.x, min(corner.y, corner.z))


# `values` three at a time as points (the last repeats the first value as needed): the same bytes
# with a PoolVector3Array's header, so nothing loops over them in GDScript.
static func as_points(values: PoolRealArray) -> PoolVector3Array:
	var padded := values  # copied on write
	while padded.size() % 3 != 0:
		padded.append(values[0])
	var data := var2bytes(padded)  # u32 type, u32 count, the floats
	var count := padded.size() / 3
	data[0] = TYPE_VECTOR3_ARRAY
	for b in range(4):
		data[4 + b] = (count >> (8 * b)) & 0xFF
	return bytes2var(data)


static func _static_body(node_name: String) -> StaticBody:
	var body := StaticBody.new()
	body.name = node_name
	body.collision_layer = Layers.TERRAIN
	body.collision_mask = 0
	return body
