# A button lock (docs/doors.md): a 0.2 m square button on the wall 0.25 m beside the door's closing
# edge, at the panel's mid-height; grabbing it once unlocks the door for good (red turns green).
extends "res://entities/door/lock.gd"

const SIZE = Vector3(0.2, 0.2, 0.1)
const BESIDE = 0.25  # m from the doorway's edge to the button's centre
const RED = Color(0.8, 0.12, 0.1)
const GREEN = Color(0.15, 0.7, 0.2)

var _pressed := false
var _green: MeshInstance = null


func _fit_to(on: Object) -> void:
	var side: float = on.closing_side()
	base = Transform(
		Basis(), Vector3(side * (on.width / 2.0 + BESIDE), on.panel_center.y, SIZE.z / 2.0)
	)
	_add_part(Vector3.ZERO, SIZE, RED)
	_green = MeshInstance.new()
	_green.name = "Unlocked"
	_green.mesh = ItemMeshes.box(SIZE * 1.01, GREEN, MeshBuilder.material())
	_green.visible = false
	add_child(_green)


func grab() -> void:
	.grab()
	_pressed = true
	set_state(state)
	if _green != null:
		_green.visible = true


func _opens_at(_value: float) -> bool:
	return _pressed
