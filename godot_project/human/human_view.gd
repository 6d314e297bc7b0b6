# The player's window in human mode (docs/protocol.md, "Human mode"): the env's camera filling the
# window, a HUD (hit points, time left, the task's goal), a crosshair, a pause overlay with the
# controls, and banners between worlds. It only collects keys and mouse motion for the INPUT
# message; Python turns them into the agent's action (avalon/human/controls.py), so every play is
# recorded in the agent's own action space and the text shown here comes from Python (HUD message).
extends CanvasLayer

const C = preload("res://generated/constants.gd")

const KEY_BITS = {
	KEY_W: C.HUMAN_KEY_FORWARD,
	KEY_S: C.HUMAN_KEY_BACK,
	KEY_A: C.HUMAN_KEY_LEFT,
	KEY_D: C.HUMAN_KEY_RIGHT,
	KEY_SPACE: C.HUMAN_KEY_JUMP,
	KEY_C: C.HUMAN_KEY_CROUCH,
	KEY_CONTROL: C.HUMAN_KEY_CROUCH,
	KEY_Q: C.HUMAN_KEY_THROW_LEFT,
	KEY_E: C.HUMAN_KEY_THROW_RIGHT,
	KEY_F: C.HUMAN_KEY_EAT,
	KEY_ENTER: C.HUMAN_KEY_CONTINUE,
	KEY_KP_ENTER: C.HUMAN_KEY_CONTINUE,
}
const BUTTON_BITS = {BUTTON_LEFT: C.HUMAN_KEY_GRAB_LEFT, BUTTON_RIGHT: C.HUMAN_KEY_GRAB_RIGHT}
const OPAQUE_SHADER = """
shader_type canvas_item;
void fragment() {
	COLOR = vec4(texture(TEXTURE, UV).rgb, 1.0);
}
"""
const UI_SCALE = 1.5  # the default font is small: the HUD is laid out at 1/1.5 size, drawn scaled
const MARGIN = 6.0
const HEALTH_BAR_SIZE = Vector2(90.0, 5.0)
const HEALTH_BAR_FULL = 2.0  # hit points that fill the bar
const SHADE = Color(0.0, 0.0, 0.0, 0.55)
const HEALTH_COLOR = Color(0.85, 0.2, 0.2)
const DAMAGE_COLOR = Color(1.0, 0.25, 0.2)
const FLASH_ALPHA = 0.35  # the red flash over the view when hit, fading out over FLASH_SECONDS
const FLASH_SECONDS = 0.5

var paused := false
var screenshot_dir := ""

var _held := 0  # key bits held now
var _pressed := 0  # key bits pressed since the last INPUT
var _mouse := Vector2.ZERO  # mouse motion since the last INPUT (pixels)
var _give_up := false
var _close := false
var _root := Control.new()  # window size / UI_SCALE
var _view := TextureRect.new()
var _health := Label.new()
var _health_fill := ColorRect.new()
var _damage := Label.new()  # the last damage taken this world ("-0.50"), beside the health bar
var _flash := ColorRect.new()
var _time := Label.new()
var _goal := Label.new()
var _title := Label.new()
var _crosshair := Label.new()
var _overlay := ColorRect.new()
var _controls_keys := Label.new()
var _controls_what := Label.new()
var _banner := ColorRect.new()
var _banner_text := Label.new()


func setup(env: Viewport) -> void:
	name = "HumanView"
	OS.set_window_title("Avalon")
	VisualServer.set_default_clear_color(Color.black)
	get_tree().set_auto_accept_quit(false)
	scale = Vector2(UI_SCALE, UI_SCALE)
	_root.mouse_filter = Control.MOUSE_FILTER_IGNORE
	add_child(_root)
	_resize()
	get_viewport().connect("size_changed", self, "_resize")
	_view.name = "View"
	_view.texture = env.get_texture()
	_view.expand = true
	_view.stretch_mode = TextureRect.STRETCH_KEEP_ASPECT_CENTERED
	var shader := Shader.new()
	shader.code = OPAQUE_SHADER
	var material := ShaderMaterial.new()
	material.shader = shader
	_view.material = material
	_full_rect(_view)
	_root.add_child(_view)
	var health_bar := ColorRect.new()
	health_bar.color = SHADE
	health_bar.rect_position = Vector2(MARGIN, MARGIN + 16.0)
	health_bar.rect_size = HEALTH_BAR_SIZE
	_root.add_child(health_bar)
	_health_fill.color = HEALTH_COLOR
	_health_fill.rect_size = HEALTH_BAR_SIZE
	health_bar.add_child(_health_fill)
	_add_text(_health, Vector2(MARGIN, MARGIN))
	_add_text(_damage, Vector2(MARGIN + HEALTH_BAR_SIZE.x + 6.0, MARGIN + 12.0))
	_damage.modulate = DAMAGE_COLOR
	_flash.color = Color(DAMAGE_COLOR.r, DAMAGE_COLOR.g, DAMAGE_COLOR.b, 0.0)
	_full_rect(_flash)
	_root.add_child(_flash)
	_add_text(_time, Vector2(MARGIN, MARGIN))
	_time.align = Label.ALIGN_RIGHT
	_add_text(_goal, Vector2(MARGIN, -MARGIN - 14.0))
	_goal.anchor_top = 1.0
	_goal.anchor_bottom = 1.0
	_goal.margin_bottom = -MARGIN
	_add_text(_title, Vector2(MARGIN, -MARGIN - 30.0))
	_title.anchor_top = 1.0
	_title.anchor_bottom = 1.0
	_title.margin_bottom = -MARGIN - 16.0
	_title.modulate = Color(1.0, 1.0, 1.0, 0.7)
	_crosshair.text = "+"
	_crosshair.align = Label.ALIGN_CENTER
	_crosshair.valign = Label.VALIGN_CENTER
	_full_rect(_crosshair)
	_root.add_child(_crosshair)
	_banner.color = SHADE
	_full_rect(_banner)
	_banner.visible = false
	_root.add_child(_banner)
	_center_text(_banner_text, _banner)
	_overlay.color = Color(0.0, 0.0, 0.0, 0.75)
	_full_rect(_overlay)
	_overlay.visible = false
	_root.add_child(_overlay)
	var center := CenterContainer.new()
	_full_rect(center)
	_overlay.add_child(center)
	var column := VBoxContainer.new()
	column.add_constant_override("separation", 12)
	center.add_child(column)
	var heading := Label.new()
	heading.text = "PAUSED"
	heading.align = Label.ALIGN_CENTER
	column.add_child(heading)
	var table := HBoxContainer.new()
	table.add_constant_override("separation", 16)
	column.add_child(table)
	_controls_keys.align = Label.ALIGN_RIGHT
	table.add_child(_controls_keys)
	table.add_child(_controls_what)
	var footer := Label.new()
	footer.align = Label.ALIGN_CENTER
	footer.text = (
		"Esc or click: resume\nBackspace: give up this world\n"
		+ "F12: screenshot    closing the window stops playing"
	)
	column.add_child(footer)
	Input.set_mouse_mode(Input.MOUSE_MODE_CAPTURED)


# Applies a HUD message (a JSON object; every key optional): hit_points, damage (hit points lost
# this tick: a red flash, and the amount beside the health bar until the next world), time_left
# (s), goal, title, banner ("" hides it), controls ([[keys, what], ...]), screenshot_dir.
func apply_hud(data: Dictionary) -> void:
	if data.has("title"):
		_damage.text = ""  # a new world
	if data.has("damage") and float(data["damage"]) > 0.0:
		_damage.text = "-%.2f" % float(data["damage"])
		_flash.color.a = FLASH_ALPHA
	if data.has("hit_points"):
		var hit_points := float(data["hit_points"])
		_health.text = "Health %.2f" % hit_points
		var fill: float = clamp(hit_points / HEALTH_BAR_FULL, 0.0, 1.0)
		_health_fill.rect_size = Vector2(HEALTH_BAR_SIZE.x * fill, HEALTH_BAR_SIZE.y)
	if data.has("time_left"):
		var seconds := int(ceil(float(data["time_left"])))
		_time.text = "Time %d:%02d" % [seconds / 60, seconds % 60]
	if data.has("goal"):
		_goal.text = str(data["goal"])
	if data.has("title"):
		_title.text = str(data["title"])
	if data.has("banner"):
		_banner_text.text = str(data["banner"])
		_banner.visible = _banner_text.text != ""
	if data.has("controls"):
		var keys := PoolStringArray()
		var what := PoolStringArray()
		for row in data["controls"]:
			keys.append(str(row[0]))
			what.append(str(row[1]))
		_controls_keys.text = keys.join("\n")
		_controls_what.text = what.join("\n")
	if data.has("screenshot_dir"):
		screenshot_dir = str(data["screenshot_dir"])


# [status bits, key bits, mouse dx, mouse dy] since the last call (C.HUMAN_STATUS_*, C.HUMAN_KEY_*).
func take_input() -> Array:
	var status := 0
	if paused:
		status |= C.HUMAN_STATUS_PAUSED
	if _give_up:
		status |= C.HUMAN_STATUS_GIVE_UP
		_give_up = false
	if _close:
		status |= C.HUMAN_STATUS_CLOSE
	var keys := _held | _pressed
	_pressed = 0
	var motion := _mouse
	_mouse = Vector2.ZERO
	return [status, keys, motion.x, motion.y]


func _process(delta: float) -> void:
	if _flash.color.a > 0.0:
		_flash.color.a = max(0.0, _flash.color.a - FLASH_ALPHA * delta / FLASH_SECONDS)


func _input(event: InputEvent) -> void:
	if event is InputEventKey:
		_on_key(event)
	elif event is InputEventMouseButton:
		_on_mouse_button(event)
	elif event is InputEventMouseMotion and not paused:
		_mouse += event.relative


func _notification(what: int) -> void:
	if what == MainLoop.NOTIFICATION_WM_QUIT_REQUEST:
		_close = true
	elif what == MainLoop.NOTIFICATION_WM_FOCUS_OUT and not paused:
		_set_paused(true)


func _on_key(event: InputEventKey) -> void:
	if event.echo:
		return
	var code: int = event.scancode
	if event.pressed:
		match code:
			KEY_ESCAPE:
				_set_paused(not paused)
				return
			KEY_F12:
				_screenshot()
				return
			KEY_BACKSPACE:
				if paused:
					_give_up = true
					_set_paused(false)
				return
	if paused or not KEY_BITS.has(code):
		return
	_set_bit(KEY_BITS[code], event.pressed)


func _on_mouse_button(event: InputEventMouseButton) -> void:
	if paused:
		if event.pressed:
			_set_paused(false)
		return
	if BUTTON_BITS.has(event.button_index):
		_set_bit(BUTTON_BITS[event.button_index], event.pressed)


func _set_bit(bit: int, pressed: bool) -> void:
	if pressed:
		_held |= 1 << bit
		_pressed |= 1 << bit
	else:
		_held &= ~(1 << bit)


func _set_paused(value: bool) -> void:
	paused = value
	_overlay.visible = value
	_held = 0
	_pressed = 0
	_mouse = Vector2.ZERO
	Input.set_mouse_mode(Input.MOUSE_MODE_VISIBLE if value else Input.MOUSE_MODE_CAPTURED)


func _screenshot() -> void:
	if screenshot_dir == "":
		return
	var image := get_viewport().get_texture().get_data()
	image.flip_y()
	var path := "%s/screenshot-%d.png" % [screenshot_dir, OS.get_system_time_msecs()]
	var error := image.save_png(path)
	if error != OK:
		push_error("screenshot: cannot write %s (error %d)" % [path, error])
	else:
		print("avalon: screenshot ", path)


func _resize() -> void:
	_root.rect_size = get_viewport().size / UI_SCALE


# A label spanning the width (less the margins) at `position.y` from the top (or, anchored at the
# bottom, from the bottom).
func _add_text(label: Label, position: Vector2) -> void:
	label.anchor_right = 1.0
	label.margin_left = position.x
	label.margin_right = -position.x
	label.margin_top = position.y
	label.mouse_filter = Control.MOUSE_FILTER_IGNORE
	_root.add_child(label)


func _center_text(label: Label, parent: Control) -> void:
	label.align = Label.ALIGN_CENTER
	label.valign = Label.VALIGN_CENTER
	_full_rect(label)
	parent.add_child(label)


static func _full_rect(control: Control) -> void:
	control.anchor_right = 1.0
	control.anchor_bottom = 1.0
	control.mouse_filter = Control.MOUSE_FILTER_IGNORE
