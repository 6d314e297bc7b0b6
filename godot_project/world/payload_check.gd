# A check of an encoded WorldSpec's payload before `bytes2var` sees it (docs/world_format.md):
# a walk over the Godot Variant encoding that refuses types the format does not use, lengths that
# overrun the data, too deep nesting and too many values. `bytes2var` recurses without limit, so
# 200,000 nested arrays would overflow its stack; the walk keeps its own stack instead.
extends Reference

const MAX_DEPTH = 8  # the world format nests 4 deep (payload > items > item > values)
const MAX_VALUES = 1 << 20  # Variants in one world, counting containers and their members
const FLAG_64 = 1 << 16
const TYPE_MASK = 0xFFFF
const COUNT_MASK = 0x7FFFFFFF  # a Dictionary's or Array's count; the top bit is the "shared" flag
# Variant types of the format and the bytes of their data after the 4-byte type word (-1: variable).
const NIL = 0
const BOOL = 1
const INT = 2
const REAL = 3
const STRING = 4
const VECTOR3 = 7
const DICTIONARY = 18
const ARRAY = 19
const POOL_BYTE_ARRAY = 20
const POOL_INT_ARRAY = 21
const POOL_REAL_ARRAY = 22
const POOL_VECTOR3_ARRAY = 25
const POOL_COLOR_ARRAY = 26
const POOL_ELEMENT_BYTES = {
	POOL_BYTE_ARRAY: 1,
	POOL_INT_ARRAY: 4,
	POOL_REAL_ARRAY: 4,
	POOL_VECTOR3_ARRAY: 12,
	POOL_COLOR_ARRAY: 16,
}

var error := ""


# True when `payload` is one well-formed Variant of the format's types within the limits; else
# false with `error` naming the first problem and its byte offset.
func check(payload: PoolByteArray) -> bool:
	var data := StreamPeerBuffer.new()
	data.big_endian = false
	data.data_array = payload
	var size := payload.size()
	# Each stack entry counts the values its container still holds (a Dictionary's two per entry).
	var pending := [1]
	var values := 0
	while not pending.empty():
		if pending[-1] == 0:
			pending.pop_back()
			continue
		pending[-1] -= 1
		var at := data.get_position()
		if size - at < 4:
			return _fail("payload truncated at byte %d (a value's type is missing)" % at)
		var header := data.get_u32()
		var type := header & TYPE_MASK
		var wide := (header & FLAG_64) != 0
		values += 1
		if values > MAX_VALUES:
			return _fail("payload holds more than %d values" % MAX_VALUES)
		var length := 0
		if type == NIL:
			length = 0
		elif type == BOOL:
			length = 4
		elif type == INT or type == REAL:
			length = 8 if wide else 4
		elif type == VECTOR3:
			length = 12
		elif type == STRING:
			if size - data.get_position() < 4:
				return _fail("payload truncated at byte %d (a string's length)" % at)
			var chars := data.get_u32()
			length = chars + (4 - chars % 4) % 4
		elif type == DICTIONARY or type == ARRAY:
			if size - data.get_position() < 4:
				return _fail("payload truncated at byte %d (a container's count)" % at)
			var count := data.get_u32() & COUNT_MASK
			if pending.size() >= MAX_DEPTH:
				return _fail("payload nests deeper than %d at byte %d" % [MAX_DEPTH, at])
			# Every member takes at least 4 bytes: a count beyond that is a lie.
			var members := count * (2 if type == DICTIONARY else 1)
			if members * 4 > size - data.get_position():
				return _fail("a container at byte %d announces %d members" % [at, count])
			pending.append(members)
			continue
		elif POOL_ELEMENT_BYTES.has(type):
			if size - data.get_position() < 4:
				return _fail("payload truncated at byte %d (an array's count)" % at)
			var bytes: int = data.get_u32() * POOL_ELEMENT_BYTES[type]
			length = bytes + (4 - bytes % 4) % 4
		else:
			return _fail("unsupported Variant type %d at byte %d" % [type, at])
		if length > size - data.get_position():
			return _fail(
				"payload truncated at byte %d (a value of type %d overruns it)" % [at, type]
			)
		data.seek(data.get_position() + length)
	if data.get_position() != size:
		return _fail("%d unexpected bytes after the payload" % (size - data.get_position()))
	return true


func _fail(message: String) -> bool:
	if error == "":
		error = message
	return false
