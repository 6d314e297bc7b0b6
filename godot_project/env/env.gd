# One environment: a Viewport with its own World (so its own physics space), a camera with a sky
# backdrop and the depth quad, the current built world and the player. The sim loop (main.gd) drives
# it: `reset`, `act`, `idle`, then `write_observation` after the physics tick.
extends Viewport

const C = preload("res://generated/constants.gd")
const DepthQuad = preload("res://env/depth_quad.gd")
const E = preload("res://generated/entities.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")
const Player = preload("res://player/player.gd")
const Sky = preload("res://env/sky.gd")
const WorldRoot = preload("res://world/world.gd")

const FOOD_GONE = C.ENTITY_FLAG_EATEN | C.ENTITY_FLAG_DESTROYED

var frame := 0
var episode_seed := 0
var has_world := false
var camera: Camera
var world_root: Spatial = null
var player = null
var reset_usec := {}  # phase name -> microseconds of the last reset
var _image_bytes := 0
var _render_bytes := 0  # the extra RGB frame for render() (0: none)
var _render: Viewport = null  # shares this env's World; its camera follows the agent's
var _render_camera: Camera = null
var _headless := false
var _running := true
var _blank := PoolByteArray()
var _proprio := []
var _state := []
# With AVALON_PROFILE_RESET set in the environment, reset_usec is printed as one line
# "avalon-reset-profile {json}" with the first observation (avalon.bench --profile-world reads the
# log); unset, nothing is printed.
var _profile := false
var _reset_done_usec := 0


# `render_resolution` > 0: also render RGB frames of that size for Python's render() (never with
# `headless`).
func setup(index: int, resolution: int, headless: bool, render_resolution := 0) -> void:
	name = "Env%d" % index
	_image_bytes = resolution * resolution * 4
	_headless = headless
	size = Vector2(resolution, resolution)
	own_world = true
	transparent_bg = true
	msaa = Viewport.MSAA_DISABLED
	hdr = false
	usage = Viewport.USAGE_3D_NO_EFFECTS
	shadow_atlas_size = 0
	render_target_v_flip = true
	render_target_clear_mode = Viewport.CLEAR_MODE_ALWAYS
	render_target_update_mode = Viewport.UPDATE_DISABLED
	gui_disable_input = true
	audio_listener_enable_3d = false
	if headless:
		_blank.resize(_image_bytes)
		for i in range(_image_bytes):
			_blank[i] = 0
	_proprio.resize(C.PROPRIO_SIZE)
	_state.resize(C.STATE_SIZE)
	_profile = OS.get_environment("AVALON_PROFILE_RESET") != ""
	camera = Camera.new()
	camera.name = "Camera"
	camera.fov = C.CAMERA_FOV
	camera.near = C.CAMERA_NEAR
	camera.far = C.CAMERA_FAR
	camera.environment = _environment()
	camera.current = true
	if not headless:
		camera.add_child(Sky.create())
		camera.add_child(DepthQuad.create())
	add_child(camera)
	if render_resolution > 0 and not headless:
		_setup_render(render_resolution)
	var sun := DirectionalLight.new()
	sun.name = "Sun"
	sun.shadow_enabled = false
	sun.transform = Transform().looking_at(-MeshBuilder.SUN, Vector3.FORWARD)
	add_child(sun)


# Frees the old world and builds `spec` (validated by world/world_spec.gd); the player spawns at the
# spawn pose. Returns "" or what went wrong.
func reset(seed_value: int, spec: Dictionary) -> String:
	reset_usec = {}
	var clock := OS.get_ticks_usec()
	_free_world()
	# A fresh World, so a fresh physics space: Bullet's broadphase keeps history that would make the
	# same world and actions play out differently after a reset.
	world = World.new()
	episode_seed = seed_value
	world_root = WorldRoot.new()
	clock = _lap("free_old_world", clock)
	var problem: String = world_root.build(spec, not _headless)
	if problem != "":
		world_root.free()
		world_root = null
		return problem
	for phase in world_root.build_usec:
		reset_usec[phase] = world_root.build_usec[phase]
	world_root.seed_animals(episode_seed)
	clock = OS.get_ticks_usec()
	add_child(world_root)
	if _render != null:
		_render.world = find_world()
	clock = _lap("enter_tree", clock)
	var spawn: Dictionary = spec["spawn"]
	player = Player.new()
	world_root.add_child(player)
	player.setup(world_root, camera, spawn["position"], spawn["yaw"], spawn["pitch"], world_root)
	_reset_done_usec = _lap("player", clock)
	frame = 0
	has_world = true
	_set_running(true)
	return ""


# Records the microseconds since `since` as `phase` of reset_usec; returns now.
func _lap(phase: String, since: int) -> int:
	var now := OS.get_ticks_usec()
	reset_usec[phase] = now - since
	return now


func act(action: PoolRealArray) -> void:
	frame += 1
	_set_running(true)
	player.apply_action(action)
	world_root.tick_animals(player, frame)
	if not _headless:
		world_root.draw_near(camera.global_transform.origin)


func idle() -> void:
	_set_running(false)


# Appends this env's OBS record (docs/protocol.md) to `out`; `items` are this env's nodes of group
# "items".
func write_observation(out: StreamPeerBuffer, items: Array) -> String:
	if _profile and frame == 0:
		# The physics tick, and with rendering the drawing, since the reset: then reading back below.
		_lap("first_tick_and_draw", _reset_done_usec)
	out.put_u8(1)
	out.put_u32(frame)
	if _headless:
		out.put_data(_blank)
	else:
		var image := get_texture().get_data()
		if image.get_format() != Image.FORMAT_RGBA8:
			image.convert(Image.FORMAT_RGBA8)
		var pixels := image.get_data()
		if pixels.size() != _image_bytes:
			return "%s: rendered %d bytes, expected %d" % [name, pixels.size(), _image_bytes]
		out.put_data(pixels)
	if _render != null:
		var frame_image := _render.get_texture().get_data()
		frame_image.convert(Image.FORMAT_RGB8)
		var rgb := frame_image.get_data()
		if rgb.size() != _render_bytes:
			return (
				"%s: rendered %d bytes for render(), expected %d"
				% [name, rgb.size(), _render_bytes]
			)
		out.put_data(rgb)
	for i in range(C.PROPRIO_SIZE):
		_proprio[i] = 0.0
	for i in range(C.STATE_SIZE):
		_state[i] = 0.0
	player.fill_observation(_proprio, _state, frame)
	var remaining := 0
	var eaten := 0
	var destroyed := 0
	for item in items:
		if item.has_capability(E.CAPABILITY_EDIBLE):
			var flags: int = item.get_flags()
			remaining += int((flags & FOOD_GONE) == 0)
			eaten += int((flags & C.ENTITY_FLAG_EATEN) != 0)
			destroyed += int((flags & C.ENTITY_FLAG_DESTROYED) != 0)
	_state[C.STATE_EDIBLE_FOOD_REMAINING] = remaining
	_state[C.STATE_FOOD_EATEN] = eaten
	_state[C.STATE_FOOD_DESTROYED] = destroyed
	for value in _proprio:
		out.put_float(value)
	for value in _state:
		out.put_float(value)
	out.put_u16(items.size())
	for item in items:
		var position: Vector3 = item.global_transform.origin
		out.put_u32(item.item_id)
		out.put_u16(item.kind_id)
		out.put_u32(item.get_flags())
		out.put_float(position.x)
		out.put_float(position.y)
		out.put_float(position.z)
		out.put_float(item.get_hit_points())
		out.put_float(item.get_yaw())
	if _profile and frame == 0:
		_lap("read_back", _reset_done_usec + reset_usec["first_tick_and_draw"])
		print("avalon-reset-profile " + to_json(reset_usec))
	return ""


# Bullet hands rigid bodies their new transforms only at the start of the next tick (flush_queries),
# so after the physics step their nodes still show the previous tick. Copy the fresh transforms now,
# before rendering and observing, without echoing them back to the physics server.
func sync_bodies(items: Array) -> void:
	for item in items:
		if item is RigidBody:
			var state := PhysicsServer.body_get_direct_state(item.get_rid())
			item.set_ignore_transform_notification(true)
			item.global_transform = state.transform
			item.set_ignore_transform_notification(false)


func close() -> void:
	_free_world()


# Keeps the render camera on the agent's (after the player moved it, before drawing).
func follow_camera() -> void:
	if _render_camera != null:
		_render_camera.global_transform = camera.global_transform


func _setup_render(render_resolution: int) -> void:
	_render_bytes = render_resolution * render_resolution * 3
	_render = Viewport.new()
	_render.name = "Render"
	_render.size = Vector2(render_resolution, render_resolution)
	_render.msaa = Viewport.MSAA_DISABLED
	_render.hdr = false
	_render.usage = Viewport.USAGE_3D_NO_EFFECTS
	_render.shadow_atlas_size = 0
	_render.render_target_v_flip = true
	_render.render_target_update_mode = Viewport.UPDATE_DISABLED
	_render.gui_disable_input = true
	_render.audio_listener_enable_3d = false
	_render_camera = Camera.new()
	_render_camera.fov = C.CAMERA_FOV
	_render_camera.near = C.CAMERA_NEAR
	_render_camera.far = C.CAMERA_FAR
	_render_camera.environment = _environment()
	_render_camera.current = true
	_render_camera.add_child(Sky.create())
	_render.add_child(_render_camera)
	add_child(_render)


func _set_running(running: bool) -> void:
	if running == _running:
		return
	_running = running
	PhysicsServer.space_set_active(find_world().space, running)
	if not _headless:
		render_target_update_mode = Viewport.UPDATE_ALWAYS if running else Viewport.UPDATE_DISABLED
	if _render != null:
		_render.render_target_update_mode = (
			Viewport.UPDATE_ALWAYS
			if running
			else Viewport.UPDATE_DISABLED
		)


func _free_world() -> void:
	if world_root != null:
		remove_child(world_root)
		world_root.free()
	world_root = null
	player = null
	has_world = false


static func _environment() -> Environment:
	var environment := Environment.new()
	environment.background_mode = Environment.BG_COLOR
	environment.background_color = Color(0.0, 0.0, 0.0, 0.0)
	environment.ambient_light_color = Color(1.0, 1.0, 1.0)
	environment.ambient_light_energy = 0.5
	return environment
