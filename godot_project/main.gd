# The sim loop (docs/protocol.md): connect, send HELLO, then per tick read one STEP in
# `_physics_process` (blocking), apply every env's command, let physics tick, and reply with one OBS
# from VisualServer's `frame_post_draw` (headless: from `_process`, which runs right after the
# physics tick). Needs `--fixed-fps 10`, so one main-loop iteration is exactly one physics tick and
# one frame.
extends Node

enum Phase { WAITING, APPLIED, STEPPED, DONE }

const C = preload("res://generated/constants.gd")
const Cmdline = preload("res://bridge/cmdline.gd")
const Connection = preload("res://bridge/connection.gd")
const Env = preload("res://env/env.gd")
const HumanView = preload("res://human/human_view.gd")
const WorldSpec = preload("res://world/world_spec.gd")

const EXIT_DISCONNECTED = 2
const EXIT_ERROR = 3
const ACTION_BYTES = C.ACTION_SIZE * 4

var _args := Cmdline.new()
var _connection := Connection.new()
var _envs := []
var _idle := []  # per env: true when the last STEP left it IDLE
var _phase: int = Phase.DONE
var _human = null  # human/human_view.gd in human mode


func _ready() -> void:
	process_priority = -1000
	if not _args.parse(OS.get_cmdline_args()):
		_exit_with_error("command line: " + _args.error)
		return
	if not _connection.open(_args.port):
		_exit_with_error(_connection.error)
		return
	for index in range(_args.num_envs):
		var env := Env.new()
		env.setup(index, _args.resolution, _args.headless, _args.render_resolution)
		add_child(env)
		_envs.append(env)
		_idle.append(true)
		env.idle()
	if _args.human:
		_human = HumanView.new()
		add_child(_human)
		_human.setup(_envs[0])
	elif not _args.headless:
		# Nothing is shown in the window: drawing it would only cost time.
		VisualServer.viewport_set_active(get_tree().root.get_viewport_rid(), false)
	if not _args.headless:
		VisualServer.connect("frame_post_draw", self, "_on_frame_post_draw")
	var hello := Connection.begin_message(C.MSG_HELLO)
	hello.put_u32(C.PROTOCOL_VERSION)
	hello.put_data(_args.token)
	hello.put_u32(_args.num_envs)
	hello.put_u32(_args.resolution)
	var version: PoolByteArray = Engine.get_version_info()["string"].to_utf8()
	hello.put_u32(version.size())
	hello.put_data(version)
	if not _connection.send(Connection.finish_message(hello)):
		_exit_with_error(_connection.error)
		return
	_phase = Phase.WAITING


func _physics_process(_delta: float) -> void:
	if _phase != Phase.WAITING:
		return
	var message := _connection.read_message()
	while _human != null and not message.empty() and message[0] == C.MSG_HUD:
		var problem := _apply_hud(message[1])
		if problem != "":
			_fail(problem)
			return
		message = _connection.read_message()
	if message.empty():
		if _connection.error != "":
			_fail("protocol: " + _connection.error)
		else:
			_quit(EXIT_DISCONNECTED)
		return
	match message[0]:
		C.MSG_STEP:
			var problem := _apply_step(message[1])
			if problem != "":
				_fail(problem)
				return
			_phase = Phase.APPLIED
		C.MSG_CLOSE:
			_close()
		_:
			_fail("protocol: unexpected message type %d" % message[0])


func _process(_delta: float) -> void:
	if _phase == Phase.APPLIED:
		_phase = Phase.STEPPED
		var items_by_env := _items_by_env()
		for index in range(_envs.size()):
			if not _idle[index]:
				_envs[index].sync_bodies(items_by_env[_envs[index]])
				_envs[index].follow_camera()
		if _args.headless:
			_reply()


func _on_frame_post_draw() -> void:
	if _phase == Phase.STEPPED:
		_reply()


# Parses the whole STEP first, so a malformed message changes nothing; then applies each env's
# command.
func _apply_step(payload: PoolByteArray) -> String:
	var data := StreamPeerBuffer.new()
	data.big_endian = false
	data.data_array = payload
	if payload.size() < 4:
		return "protocol: STEP of %d bytes" % payload.size()
	var count := data.get_u32()
	if count != _envs.size():
		return "protocol: STEP for %d envs, this process hosts %d" % [count, _envs.size()]
	var commands := []
	for index in range(count):
		if data.get_available_bytes() < 1:
			return "protocol: STEP truncated at env %d" % index
		var command := data.get_u8()
		match command:
			C.CMD_IDLE:
				commands.append([command, null])
			C.CMD_ACT:
				if data.get_available_bytes() < ACTION_BYTES:
					return "protocol: STEP truncated in env %d's action" % index
				if not _envs[index].has_world:
					return (
						"protocol: ACT for env %d, which has no world yet (send RESET first)"
						% index
					)
				var action := PoolRealArray()
				action.resize(C.ACTION_SIZE)
				for i in range(C.ACTION_SIZE):
					action[i] = data.get_float()
				commands.append([command, action])
			C.CMD_RESET:
				if data.get_available_bytes() < 12:
					return "protocol: STEP truncated in env %d's RESET" % index
				var episode_seed := data.get_u64()
				var size := data.get_u32()
				if data.get_available_bytes() < size:
					return (
						"protocol: STEP truncated in env %d's world (%d bytes announced)"
						% [index, size]
					)
				var position := data.get_position()
				var decode_start := OS.get_ticks_usec()
				var decoder := WorldSpec.new()
				var spec = decoder.decode(
					payload.subarray(position, position + size - 1) if size > 0 else PoolByteArray()
				)
				if spec == null:
					var why: String = decoder.error
					return (
						"env %d: %s"
						% [index, why if why != "" else "world refused (no reason given)"]
					)
				data.seek(position + size)
				var decode_usec := OS.get_ticks_usec() - decode_start
				commands.append([command, [episode_seed, spec, decode_usec]])
			_:
				return "protocol: unknown command %d for env %d" % [command, index]
	if data.get_available_bytes() != 0:
		return "protocol: %d unexpected bytes after the STEP commands" % data.get_available_bytes()
	for index in range(count):
		var env = _envs[index]
		var command: int = commands[index][0]
		_idle[index] = command == C.CMD_IDLE
		match command:
			C.CMD_IDLE:
				env.idle()
			C.CMD_ACT:
				env.act(commands[index][1])
			C.CMD_RESET:
				var problem: String = env.reset(commands[index][1][0], commands[index][1][1])
				if problem != "":
					return "env %d: %s" % [index, problem]
				if not env.has_world:
					return "env %d: the world could not be built (no reason given)" % index
				env.reset_usec["decode_and_checks"] = commands[index][1][2]
	return ""


func _reply() -> void:
	_phase = Phase.WAITING
	if _human != null and not _send_input():
		_quit(EXIT_DISCONNECTED)
		return
	var items_by_env := _items_by_env()
	var out := Connection.begin_message(C.MSG_OBS)
	out.put_u32(_envs.size())
	for index in range(_envs.size()):
		if _idle[index]:
			out.put_u8(0)
			continue
		var problem: String = _envs[index].write_observation(out, items_by_env[_envs[index]])
		if problem != "":
			_fail(problem)
			return
	if not _connection.send(Connection.finish_message(out)):
		_quit(EXIT_DISCONNECTED)


# Human mode: the HUD payload is `u32 len` + a UTF-8 JSON object (human/human_view.gd, apply_hud).
func _apply_hud(payload: PoolByteArray) -> String:
	var data := StreamPeerBuffer.new()
	data.big_endian = false
	data.data_array = payload
	if payload.size() < 4 or data.get_u32() != payload.size() - 4:
		return "protocol: malformed HUD message of %d bytes" % payload.size()
	var parsed := JSON.parse(payload.subarray(4, payload.size() - 1).get_string_from_utf8())
	if parsed.error != OK or typeof(parsed.result) != TYPE_DICTIONARY:
		return "protocol: HUD is not a JSON object (%s)" % parsed.error_string
	_human.apply_hud(parsed.result)
	return ""


# Human mode: the INPUT message that precedes every OBS: u8 status, u32 keys, f32 mouse dx, dy.
func _send_input() -> bool:
	var input: Array = _human.take_input()
	var out := Connection.begin_message(C.MSG_INPUT)
	out.put_u8(input[0])
	out.put_u32(input[1])
	out.put_float(input[2])
	out.put_float(input[3])
	return _connection.send(Connection.finish_message(out))


# Nodes of group "items", per env (keyed by the env node).
func _items_by_env() -> Dictionary:
	var items_by_env := {}
	for env in _envs:
		items_by_env[env] = []
	for item in get_tree().get_nodes_in_group("items"):
		var viewport: Viewport = item.get_viewport()
		if items_by_env.has(viewport):
			items_by_env[viewport].append(item)
	return items_by_env


func _close() -> void:
	for env in _envs:
		env.close()
		remove_child(env)
		env.free()
	_envs.clear()
	_connection.close()
	_quit(0)


# Reports `message` to Python as an ERROR, then exits with EXIT_ERROR.
func _fail(message: String) -> void:
	push_error(message)
	var error := Connection.begin_message(C.MSG_ERROR)
	var text := message.to_utf8()
	error.put_u32(text.size())
	error.put_data(text)
	_connection.send(Connection.finish_message(error))
	_connection.close()
	_quit(EXIT_ERROR)


func _exit_with_error(message: String) -> void:
	printerr("avalon: " + message)
	_quit(EXIT_ERROR)


func _quit(code: int) -> void:
	_phase = Phase.DONE
	get_tree().quit(code)
