# Decodes and validates an encoded WorldSpec (docs/world_format.md). `decode` returns the payload
# Dictionary, or null with `error` naming the first problem (e.g. "items[3]: unknown key 'foo'").
# A RESET's world may come packed (docs/world_format.md "On the wire": header "AVWZ", then one zstd
# frame); `decode` inflates it natively first, and the encoded world's own SHA-256 then proves the
# inflated bytes are the ones Python checked.
# The header's SHA-256 of the payload and the Variant structure (world/payload_check.gd) are checked
# before `bytes2var`; counts, sizes and every scalar and vector must be finite and within the
# format's limits (mirrored in avalon/world/validate.py, which refuses the same worlds before they
# are sent and also checks every element of the big arrays, such as terrain heights: the hash
# proves Godot got exactly those bytes).
extends Reference

const C = preload("res://generated/constants.gd")
const E = preload("res://generated/entities.gd")
const PayloadCheck = preload("res://world/payload_check.gd")

const MAGIC = "AVWS"
const HEADER_BYTES = 44  # magic 4, version 2, reserved 2, payload length 4, sha256 32
const PACKED_MAGIC = "AVWZ"
const PACKED_HEADER_BYTES = 12  # magic 4, packing version 2, method 2, inflated length 4
const ZSTD = 1  # the one packing method
const TREE_KINDS = 3
const MAX_TERRAIN_POINTS = 4096  # per axis
const MAX_COORDINATE = 100000.0  # m
const MAX_ITEMS = 4096
const MAX_TREES = 100000
const MAX_ITEM_SIZE = 100.0  # m
const MAX_ITEM_MASS = 10000.0  # kg

const TOP_KEYS = {
	"version": TYPE_INT,
	"task": TYPE_STRING,
	"seed": TYPE_INT,
	"difficulty": TYPE_REAL,
	"generator_version": TYPE_INT,
	"terrain": TYPE_DICTIONARY,
	"trees": TYPE_DICTIONARY,
	"items": TYPE_ARRAY,
	"spawn": TYPE_DICTIONARY,
}
const TERRAIN_KEYS = {
	"points_x": TYPE_INT,
	"points_z": TYPE_INT,
	"origin": TYPE_VECTOR3,
	"cell_size": TYPE_REAL,
	"heights": TYPE_REAL_ARRAY,
	"cell_colors": TYPE_RAW_ARRAY,
	"climbable": TYPE_RAW_ARRAY,
	"palette": TYPE_COLOR_ARRAY,
	"water_height": TYPE_REAL,
}
const TREES_KEYS = {
	"positions": TYPE_VECTOR3_ARRAY,
	"heights": TYPE_REAL_ARRAY,
	"kinds": TYPE_RAW_ARRAY,
}
# A building (docs/buildings.md): Godot builds its boxes; the tiles are checked to match them in
# Python, and only their key and type here.
const BUILDING_KEYS = {
	"origin": TYPE_VECTOR3,
	"size_x": TYPE_INT,
	"size_z": TYPE_INT,
	"levels": TYPE_REAL_ARRAY,
	"inner_heights": TYPE_REAL_ARRAY,
	"tiles": TYPE_RAW_ARRAY,
	"floor": TYPE_REAL_ARRAY,
	"climbable": TYPE_RAW_ARRAY,
	"ceiling": TYPE_RAW_ARRAY,
	"ladders": TYPE_INT_ARRAY,
	"ramps": TYPE_INT_ARRAY,
	"boxes": TYPE_REAL_ARRAY,
	"box_kinds": TYPE_RAW_ARRAY,
	"box_looks": TYPE_RAW_ARRAY,
	"palette": TYPE_COLOR_ARRAY,
}
const BOX_FLOATS = 8
const BOX_KINDS = 4
const MAX_BUILDINGS = 64
const MAX_BUILDING_BOXES = 20000
const SPAWN_KEYS = {"position": TYPE_VECTOR3, "yaw": TYPE_REAL, "pitch": TYPE_REAL}
const ITEM_KEYS = {"id": TYPE_INT, "kind": TYPE_STRING, "position": TYPE_VECTOR3, "yaw": TYPE_REAL}
# Wire types of the kinds' fields (E.KINDS[kind]["fields"][key]["type"], from avalon/entities).
const WIRE_TYPES = {"bool": TYPE_BOOL, "real": TYPE_REAL, "int": TYPE_INT, "vector3": TYPE_VECTOR3}
const TYPE_NAMES = {
	TYPE_BOOL: "BOOL",
	TYPE_INT: "INT",
	TYPE_REAL: "REAL",
	TYPE_STRING: "STRING",
	TYPE_VECTOR3: "VECTOR3",
	TYPE_DICTIONARY: "DICTIONARY",
	TYPE_ARRAY: "ARRAY",
	TYPE_RAW_ARRAY: "POOL_BYTE_ARRAY",
	TYPE_REAL_ARRAY: "POOL_REAL_ARRAY",
	TYPE_INT_ARRAY: "POOL_INT_ARRAY",
	TYPE_VECTOR3_ARRAY: "POOL_VECTOR3_ARRAY",
	TYPE_COLOR_ARRAY: "POOL_COLOR_ARRAY",
}

var error := ""


func decode(data: PoolByteArray):
	if data.size() >= 4 and data.subarray(0, 3).get_string_from_ascii() == PACKED_MAGIC:
		data = _unpack(data)
		if data.empty():
			return null
	if data.size() > C.MAX_WORLD_BYTES:
		return _fail(
			"world: %d bytes, more than MAX_WORLD_BYTES = %d" % [data.size(), C.MAX_WORLD_BYTES]
		)
	if data.size() < HEADER_BYTES:
		return _fail(
			"world: %d bytes is shorter than the %d-byte header" % [data.size(), HEADER_BYTES]
		)
	if data.subarray(0, 3).get_string_from_ascii() != MAGIC:
		return _fail("world: bad magic, expected '%s'" % MAGIC)
	var header := StreamPeerBuffer.new()
	header.big_endian = false
	header.data_array = data.subarray(4, 11)
	var version := header.get_u16()
	header.get_u16()
	var length := header.get_u32()
	var digest := data.subarray(12, HEADER_BYTES - 1)
	if version != C.WORLD_FORMAT_VERSION:
		return _fail(
			"world: format version %d, this build reads %d" % [version, C.WORLD_FORMAT_VERSION]
		)
	if length != data.size() - HEADER_BYTES or length == 0:
		return _fail(
			(
				"world: header announces %d payload bytes, got %d"
				% [length, data.size() - HEADER_BYTES]
			)
		)
	var bytes := data.subarray(HEADER_BYTES, data.size() - 1)
	var hashing := HashingContext.new()
	hashing.start(HashingContext.HASH_SHA256)
	hashing.update(bytes)
	var actual := hashing.finish()
	if actual != digest:
		return _fail(
			(
				"world: checksum mismatch (header sha256 %s..., payload %s...)"
				% [digest.hex_encode().substr(0, 16), actual.hex_encode().substr(0, 16)]
			)
		)
	var structure := PayloadCheck.new()
	if not structure.check(bytes):
		return _fail("world: " + structure.error)
	var payload = bytes2var(bytes, false)
	if payload == null:
		return _fail("world: the payload is not a valid Variant")
	var top_keys := TOP_KEYS.duplicate()
	if typeof(payload) == TYPE_DICTIONARY and payload.has("buildings"):
		top_keys["buildings"] = TYPE_ARRAY  # only in worlds with buildings
	if not _check_dict(payload, top_keys, "world"):
		return null
	if payload["version"] != C.WORLD_FORMAT_VERSION:
		return _fail(
			"world.version: %d, expected %d" % [payload["version"], C.WORLD_FORMAT_VERSION]
		)
	if not (
		_check_terrain(payload["terrain"])
		and _check_trees(payload["trees"])
		and _check_items(payload["items"], payload["terrain"]["palette"].size())
		and _check_dict(payload["spawn"], SPAWN_KEYS, "spawn")
		and _check_buildings(payload.get("buildings", []))
	):
		return null
	return payload


# The encoded world inside a packed one, inflated by the engine (never a GDScript loop); an empty
# array with `error` naming the problem when the header or the zstd frame is bad.
func _unpack(data: PoolByteArray) -> PoolByteArray:
	if data.size() <= PACKED_HEADER_BYTES:
		_fail(
			(
				"packed world: %d bytes, no data after the %d-byte header"
				% [data.size(), PACKED_HEADER_BYTES]
			)
		)
		return PoolByteArray()
	var header := StreamPeerBuffer.new()
	header.big_endian = false
	header.data_array = data.subarray(4, PACKED_HEADER_BYTES - 1)
	var version := header.get_u16()
	var method := header.get_u16()
	var size := header.get_u32()
	if version != C.PACKED_WORLD_VERSION:
		_fail(
			(
				"packed world: packing version %d, this build reads %d"
				% [version, C.PACKED_WORLD_VERSION]
			)
		)
	elif method != ZSTD:
		_fail("packed world: unknown compression method %d (known: %d = zstd)" % [method, ZSTD])
	elif size < 1 or size > C.MAX_WORLD_BYTES:
		_fail(
			(
				"packed world: announces %d bytes, expected 1 to MAX_WORLD_BYTES = %d"
				% [size, C.MAX_WORLD_BYTES]
			)
		)
	if error != "":
		return PoolByteArray()
	var frame := data.subarray(PACKED_HEADER_BYTES, data.size() - 1)
	# Empty on a corrupt or truncated frame, on bytes after it, and when it holds more than `size`.
	var world := frame.decompress(size, File.COMPRESSION_ZSTD)
	if world.size() != size:
		_fail(
			(
				"packed world: the zstd data does not inflate to the announced %d bytes (%s)"
				% [size, _inflated(world)]
			)
		)
		return PoolByteArray()
	return world


static func _inflated(world: PoolByteArray) -> String:
	if world.empty():
		return "it is corrupt or truncated, holds more, or has bytes after it"
	return "it holds %d" % world.size()


func _check_terrain(terrain) -> bool:
	if not _check_dict(terrain, TERRAIN_KEYS, "terrain"):
		return false
	var points_x: int = terrain["points_x"]
	var points_z: int = terrain["points_z"]
	if (
		points_x < 2
		or points_z < 2
		or points_x > MAX_TERRAIN_POINTS
		or points_z > MAX_TERRAIN_POINTS
	):
		_fail(
			(
				"terrain: points_x and points_z must be in [2, %d], got %d, %d"
				% [MAX_TERRAIN_POINTS, points_x, points_z]
			)
		)
		return false
	if not _within(terrain["origin"]) or not _within_real(terrain["water_height"]):
		return _fail_bool("terrain: origin or water_height beyond %d m" % MAX_COORDINATE)
	var cell: float = terrain["cell_size"]
	if not (cell >= C.MIN_TERRAIN_CELL_SIZE and cell <= C.MAX_TERRAIN_CELL_SIZE):
		return _fail_bool(
			(
				"terrain.cell_size: %s m, expected metres between points in [%s, %s]"
				% [cell, C.MIN_TERRAIN_CELL_SIZE, C.MAX_TERRAIN_CELL_SIZE]
			)
		)
	if terrain["heights"].size() != points_x * points_z:
		_fail(
			(
				"terrain.heights: %d values, expected points_x * points_z = %d"
				% [terrain["heights"].size(), points_x * points_z]
			)
		)
		return false
	var cells := (points_x - 1) * (points_z - 1)
	for key in ["cell_colors", "climbable"]:
		if terrain[key].size() != cells:
			_fail(
				(
					"terrain.%s: %d values, expected one per cell (%d)"
					% [key, terrain[key].size(), cells]
				)
			)
			return false
	var palette_size: int = terrain["palette"].size()
	if palette_size == 0:
		return _fail_bool("terrain.palette: empty")
	var colors: PoolByteArray = terrain["cell_colors"]
	# Array.max() scans natively: a 512 m world's 262,144 cells took it 10 ms, a GDScript loop 18 ms
	# (medians of 9); the loop runs only to name the first bad cell.
	if Array(colors).max() < palette_size:
		return true
	for i in range(cells):
		if colors[i] >= palette_size:
			return _fail_bool(
				(
					"terrain.cell_colors[%d]: %d is not a palette index (< %d)"
					% [i, colors[i], palette_size]
				)
			)
	return true


func _check_trees(trees) -> bool:
	if not _check_dict(trees, TREES_KEYS, "trees"):
		return false
	var count: int = trees["positions"].size()
	if count > MAX_TREES:
		return _fail_bool("trees: %d trees, at most %d" % [count, MAX_TREES])
	if trees["heights"].size() != count or trees["kinds"].size() != count:
		return _fail_bool(
			(
				"trees: positions (%d), heights (%d) and kinds (%d) differ in length"
				% [count, trees["heights"].size(), trees["kinds"].size()]
			)
		)
	# Locals, not trees[key][i]: each lookup in the Dictionary copied a Variant per access.
	var kinds: PoolByteArray = trees["kinds"]
	var heights: PoolRealArray = trees["heights"]
	var positions: PoolVector3Array = trees["positions"]
	for i in range(count):
		if kinds[i] >= TREE_KINDS:
			return _fail_bool("trees.kinds[%d]: unknown tree kind %d" % [i, kinds[i]])
		if not (heights[i] > 0.0 and heights[i] <= MAX_ITEM_SIZE):
			return _fail_bool("trees.heights[%d]: must be in (0, %d]" % [i, MAX_ITEM_SIZE])
		if not _within(positions[i]):
			return _fail_bool("trees.positions[%d]: not finite, or beyond the limits" % i)
	return true


func _check_buildings(buildings: Array) -> bool:
	if buildings.size() > MAX_BUILDINGS:
		return _fail_bool("buildings: %d, at most %d" % [buildings.size(), MAX_BUILDINGS])
	for n in range(buildings.size()):
		var where := "buildings[%d]" % n
		if not _check_dict(buildings[n], BUILDING_KEYS, where):
			return false
		var building: Dictionary = buildings[n]
		var kinds: PoolByteArray = building["box_kinds"]
		var count := kinds.size()
		if count > MAX_BUILDING_BOXES:
			return _fail_bool("%s: %d boxes, at most %d" % [where, count, MAX_BUILDING_BOXES])
		if building["boxes"].size() != count * BOX_FLOATS or building["box_looks"].size() != count:
			return _fail_bool(
				(
					"%s: boxes (%d values), box_kinds (%d) and box_looks (%d) disagree: %d values a box"
					% [
						where,
						building["boxes"].size(),
						count,
						building["box_looks"].size(),
						BOX_FLOATS
					]
				)
			)
		if count > 0 and (Array(kinds).max() >= BOX_KINDS):
			return _fail_bool("%s.box_kinds: a kind is not below %d" % [where, BOX_KINDS])
		var palette_size: int = building["palette"].size()
		if count > 0 and Array(building["box_looks"]).max() >= palette_size:
			return _fail_bool("%s.box_looks: a look is not a palette index" % where)
		var boxes: PoolRealArray = building["boxes"]
		for i in range(boxes.size()):
			if not _within_real(boxes[i]):
				return _fail_bool("%s.boxes[%d]: not finite, or beyond the limits" % [where, i])
	return true


func _check_items(items: Array, palette_size: int) -> bool:
	if items.size() > MAX_ITEMS:
		return _fail_bool("items: %d items, at most %d" % [items.size(), MAX_ITEMS])
	var ids := {}
	for n in range(items.size()):
		var where := "items[%d]" % n
		var item = items[n]
		if typeof(item) != TYPE_DICTIONARY:
			return _fail_bool("%s: expected DICTIONARY, got %s" % [where, _type_name(item)])
		if not item.has("kind") or typeof(item["kind"]) != TYPE_STRING:
			return _fail_bool("%s.kind: missing, or not a STRING" % where)
		var kind: String = item["kind"]
		if not E.KINDS.has(kind):
			return _fail_bool("%s.kind: unknown item kind '%s'" % [where, kind])
		var fields: Dictionary = E.KINDS[kind]["fields"]
		var keys := ITEM_KEYS.duplicate()
		for key in fields:
			keys[key] = WIRE_TYPES[fields[key]["type"]]
		if not _check_dict(item, keys, where):
			return false
		var id: int = item["id"]
		if id < 1:
			return _fail_bool("%s.id: must be >= 1, got %d" % [where, id])
		if ids.has(id):
			return _fail_bool("%s.id: %d is not unique" % [where, id])
		ids[id] = true
		for key in fields:
			if not _check_limit(
				item[key], fields[key]["limit"], palette_size, "%s.%s" % [where, key]
			):
				return false
	return true


# The extra check of a field (E.KINDS[kind]["fields"][key]["limit"]): "size" (> 0 and at most
# MAX_ITEM_SIZE m), "mass" (> 0 and at most MAX_ITEM_MASS kg) or "palette" (an index into the
# terrain palette).
func _check_limit(value, limit: String, palette_size: int, where: String) -> bool:
	if limit == "size":
		if not _is_positive(value):
			return _fail_bool("%s: must be > 0, got %s" % [where, value])
		if not _at_most(value, MAX_ITEM_SIZE):
			return _fail_bool("%s: larger than %d m" % [where, MAX_ITEM_SIZE])
	elif limit == "mass" and not (value > 0.0 and value <= MAX_ITEM_MASS):
		return _fail_bool("%s: must be in (0, %d] kg, got %s" % [where, MAX_ITEM_MASS, value])
	elif limit == "palette" and (value < 0 or value >= palette_size):
		return _fail_bool("%s: %d is not a palette index" % [where, value])
	return true


static func _at_most(value, limit: float) -> bool:
	if typeof(value) == TYPE_VECTOR3:
		return value.x <= limit and value.y <= limit and value.z <= limit
	return value <= limit


static func _within_real(value: float) -> bool:
	return not is_nan(value) and abs(value) <= MAX_COORDINATE


static func _within(value: Vector3) -> bool:
	return _within_real(value.x) and _within_real(value.y) and _within_real(value.z)


static func _is_positive(value) -> bool:
	if typeof(value) == TYPE_VECTOR3:
		return value.x > 0.0 and value.y > 0.0 and value.z > 0.0
	return value > 0.0


func _check_dict(value, keys: Dictionary, where: String) -> bool:
	if typeof(value) != TYPE_DICTIONARY:
		return _fail_bool("%s: expected DICTIONARY, got %s" % [where, _type_name(value)])
	for key in value:
		if typeof(key) != TYPE_STRING or not keys.has(key):
			return _fail_bool("%s: unknown key '%s'" % [where, key])
	for key in keys:
		if not value.has(key):
			return _fail_bool("%s: missing key '%s'" % [where, key])
		if typeof(value[key]) != keys[key]:
			return _fail_bool(
				(
					"%s.%s: expected %s, got %s"
					% [where, key, TYPE_NAMES[keys[key]], _type_name(value[key])]
				)
			)
		if keys[key] == TYPE_REAL and (is_nan(value[key]) or is_inf(value[key])):
			return _fail_bool("%s.%s: not finite" % [where, key])
		if keys[key] == TYPE_VECTOR3 and not _within(value[key]):
			return _fail_bool(
				"%s.%s: %s is not finite, or beyond %d m" % [where, key, value[key], MAX_COORDINATE]
			)
	return true


static func _type_name(value) -> String:
	if value == null:
		return "nothing (not a valid Variant)"
	return TYPE_NAMES.get(typeof(value), "type %d" % typeof(value))


func _fail(message: String):
	if error == "":
		error = message if message != "" else "world: refused (no reason recorded)"
	return null


func _fail_bool(message: String) -> bool:
	_fail(message)
	return false
