# Framed messages over loopback TCP (docs/protocol.md): `u32 length | u8 type | payload`,
# little-endian, where length counts the type byte plus the payload.
extends Reference

const HEADER_BYTES = 5
const MAX_MESSAGE_BYTES = 1 << 28
const CONNECT_TIMEOUT_MS = 30000

var error := ""
var _tcp := StreamPeerTCP.new()


func open(port: int) -> bool:
	if _tcp.connect_to_host("127.0.0.1", port) != OK:
		error = "cannot connect to 127.0.0.1:%d" % port
		return false
	var deadline := OS.get_ticks_msec() + CONNECT_TIMEOUT_MS
	while _tcp.get_status() == StreamPeerTCP.STATUS_CONNECTING:
		if OS.get_ticks_msec() > deadline:
			error = "timed out connecting to 127.0.0.1:%d" % port
			return false
		OS.delay_msec(1)
	if _tcp.get_status() != StreamPeerTCP.STATUS_CONNECTED:
		error = "connection to 127.0.0.1:%d failed" % port
		return false
	_tcp.set_no_delay(true)
	_tcp.big_endian = false
	return true


func is_open() -> bool:
	return _tcp.get_status() == StreamPeerTCP.STATUS_CONNECTED


# Blocks until a whole message arrived. Returns [type, payload], or [] when the peer closed the
# connection (then `error` is "" ) or sent garbage (then `error` names it).
func read_message() -> Array:
	var header := _read(HEADER_BYTES)
	if header.size() != HEADER_BYTES:
		return []
	var length := header[0] | header[1] << 8 | header[2] << 16 | header[3] << 24
	if length < 1 or length > MAX_MESSAGE_BYTES:
		error = "bad message length %d" % length
		return []
	var payload := PoolByteArray()
	if length > 1:
		payload = _read(length - 1)
		if payload.size() != length - 1:
			return []
	return [header[4], payload]


# `message` is a whole frame, as built by `begin_message` / `finish_message`.
func send(message: PoolByteArray) -> bool:
	if _tcp.put_data(message) != OK:
		error = "sending %d bytes failed" % message.size()
		return false
	return true


func close() -> void:
	_tcp.disconnect_from_host()


# A buffer with room for the frame header; write the payload after it, then call `finish_message`.
static func begin_message(message_type: int) -> StreamPeerBuffer:
	var buffer := StreamPeerBuffer.new()
	buffer.big_endian = false
	buffer.put_u32(0)
	buffer.put_u8(message_type)
	return buffer


static func finish_message(buffer: StreamPeerBuffer) -> PoolByteArray:
	var size := buffer.get_size()
	buffer.seek(0)
	buffer.put_u32(size - 4)
	return buffer.data_array


func _read(count: int) -> PoolByteArray:
	var result: Array = _tcp.get_data(count)
	if result[0] != OK:
		return PoolByteArray()
	return result[1]
