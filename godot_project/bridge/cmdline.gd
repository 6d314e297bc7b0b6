# Parses the user arguments Python passes after `--` (docs/protocol.md):
# --avalon-port=P --avalon-envs=K --avalon-resolution=R [--avalon-render-resolution=S]
# [--avalon-headless] [--avalon-human]
# and the handshake token from the environment variable AVALON_TOKEN (32 hex digits): a command
# line is readable by every local user, an environment only by the process's own user.
extends Reference

const TOKEN_BYTES = 16
const TOKEN_VARIABLE = "AVALON_TOKEN"
const MAX_ENVS = 64

var port := 0
var token := PoolByteArray()
var num_envs := 0
var resolution := 0
var render_resolution := 0  # > 0: each OBS record also carries an S x S RGB frame for render()
var headless := false
var human := false  # a person plays env 0 in the window (docs/protocol.md, "Human mode")
var error := ""


func parse(args: PoolStringArray) -> bool:
	var seen := {}
	for arg in args:
		if not arg.begins_with("--avalon-"):
			continue
		var key: String = arg.split("=", true, 1)[0]
		var value: String = arg.substr(key.length() + 1) if "=" in arg else ""
		seen[key] = true
		match key:
			"--avalon-port":
				port = _positive_int(key, value, 65535)
			"--avalon-envs":
				num_envs = _positive_int(key, value, MAX_ENVS)
			"--avalon-resolution":
				resolution = _positive_int(key, value, 4096)
			"--avalon-render-resolution":
				render_resolution = _positive_int(key, value, 4096)
			"--avalon-headless":
				headless = true
			"--avalon-human":
				human = true
			_:
				_fail("unknown argument %s" % arg)
	for key in ["--avalon-port", "--avalon-envs", "--avalon-resolution"]:
		if not seen.has(key):
			_fail("missing argument %s" % key)
	if not OS.has_environment(TOKEN_VARIABLE):
		_fail("missing the handshake token: environment variable %s is not set" % TOKEN_VARIABLE)
	else:
		token = _hex_bytes(TOKEN_VARIABLE, OS.get_environment(TOKEN_VARIABLE))
	if render_resolution > 0 and headless:
		_fail("--avalon-render-resolution needs rendering (no --avalon-headless)")
	if human and (headless or num_envs != 1):
		_fail("--avalon-human needs one env and rendering (no --avalon-headless)")
	return error == ""


func _positive_int(key: String, value: String, maximum: int) -> int:
	if not value.is_valid_integer() or int(value) < 1 or int(value) > maximum:
		_fail("%s must be an integer in [1, %d], got '%s'" % [key, maximum, value])
		return 0
	return int(value)


func _hex_bytes(key: String, value: String) -> PoolByteArray:
	var out := PoolByteArray()
	if value.length() != TOKEN_BYTES * 2 or not value.is_valid_hex_number(false):
		_fail("%s must be %d hex digits" % [key, TOKEN_BYTES * 2])
		return out
	for i in range(TOKEN_BYTES):
		out.append(("0x" + value.substr(i * 2, 2)).hex_to_int())
	return out


func _fail(message: String) -> void:
	if error == "":
		error = message
