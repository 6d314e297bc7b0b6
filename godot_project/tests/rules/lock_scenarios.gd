# Rule scenarios of latches and locks (docs/doors.md), worked by the player through actions: a
# latched door stays shut until grabbed (once: for good; auto: again on every release); each lock
# keeps its door locked (not grabbable, not pushed open) until worked the right way, and a wrong
# motion leaves it locked. Doorway, door and helpers: door_world.gd (a left-hinged push door at
# the origin, approach side +z).
extends Reference

const C = preload("res://generated/constants.gd")
const Doors = preload("res://tests/rules/door_world.gd")

const RIGHT = 1
const MAX_TICKS = 40
# Where the hand takes hold of the locks of a 1 x 3 m door hinged on the left (closing edge +x).
const BUTTON = Vector3(0.75, 1.5, 0.12)
const BAR_END = Vector3(-0.05, 2.2, 0.1)  # near the rotating bar's far end (pivot at x 0.55)
const BOTTOM_KNOB = Vector3(0.42, 0.35, 0.22)
const TOP_KNOB = Vector3(0.42, 2.65, 0.22)

var doors = Doors.new()


# Runs each step ([method name, arguments...]) of this script to its end, one after the other. A
# coroutine; `_run` it.
func _seq(steps: Array):
	for step in steps:
		var run = callv(step[0], step.slice(1, step.size() - 1))
		while run is GDScriptFunctionState and run.is_valid():
			yield()
			run = run.resume()


func _crouch(w, head_y: float):
	var run = doors.crouch(w, head_y)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()


# Runs `doors._grab` to its end. A coroutine.
func _grab(w, target: Vector3):
	var run = doors.grab(w, target)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()


# Holding, moves the right hand by world `step` for `ticks` ticks. A coroutine.
func _drag(w, step: Vector3, ticks: int):
	for _i in range(ticks):
		doors.hand_by(w, step, {C.ACTION_RIGHT_GRASP: 1.0})
		yield()


# Lets go for a tick.
func _let_go(w):
	w.clear_action()
	yield()


# Walks forward until the feet are past the doorway or MAX_TICKS; true if past.
func _walk_through(w):
	for _i in range(MAX_TICKS):
		if w.feet().z < -Doors.WALL - 0.5:
			return true
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
	return false


func scenario_door_latch_once_stays_shut_until_grabbed(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_ONCE)
	w.spawn_player(Vector3(0.1, 0.0, 1.5))
	yield()
	w.check("a latch-once door starts latched", w.has_flag(door, C.ENTITY_FLAG_LATCHED))
	for _i in range(15):
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
	w.check("walking into it leaves it shut", door.opening == 0.0, "%.1f" % door.opening)
	w.check("and it stops the body", w.feet().z > 0.0, "feet z %.2f" % w.feet().z)
	var steps = _seq([["_grab", w, Doors.HINGE_GRIP], ["_let_go", w]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("grabbing it unlatched it for good", not w.has_flag(door, C.ENTITY_FLAG_LATCHED))
	var run = _walk_through(w)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("then walking pushes it open and goes through", run == true, "%.2f" % w.feet().z)
	w.finish()


func scenario_door_auto_latch_relatches_on_release(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_BOTH, C.LATCHING_AUTO)
	w.spawn_player(Vector3(0.8, 0.0, 0.8))
	yield()
	var run = _grab(w, Doors.HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("held, it is unlatched", not w.has_flag(door, C.ENTITY_FLAG_LATCHED))
	run = _drag(w, Vector3(0.0, 0.0, 0.1), 3)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	var opened: float = door.opening
	w.check("pulled open", opened > 10.0, "%.1f" % opened)
	run = _let_go(w)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("released, it is latched again", w.has_flag(door, C.ENTITY_FLAG_LATCHED))
	w.check("where it was let go", door.opening == opened, "%.1f" % door.opening)
	w.check("and walking cannot push it", not door.is_pushable())
	var steps = _seq([["_grab", w, w.player.get_hand_transform(RIGHT).origin], ["_let_go", w]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("grabbed again it unlatched, released it latched", door.latched)
	w.finish()


func scenario_door_button_lock(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_ONCE)
	var button: RigidBody = doors.lock(w, Doors.LOCK_ID, "button_lock")
	w.spawn_player(Vector3(0.5, 0.0, 0.9))
	yield()
	w.check("the button locks the door", w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	w.check("the button reports locked", w.has_flag(button, C.ENTITY_FLAG_LOCKED))
	var run = _grab(w, Doors.HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("a locked door cannot be grabbed", w.player.get_held_item(RIGHT) == null)
	w.check("nor unlatched", w.has_flag(door, C.ENTITY_FLAG_LATCHED))
	var steps = _seq(
		[["_let_go", w], ["_grab", w, BUTTON], ["_let_go", w], ["_grab", w, Doors.HINGE_GRIP]]
	)
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("grabbing the button unlocked it", not w.has_flag(button, C.ENTITY_FLAG_LOCKED))
	w.check("and the door", not w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	w.check("which the hand then holds", w.player.get_held_item(RIGHT) == door)
	steps = _seq([["_drag", w, Vector3(0.0, 0.0, -0.1), 4]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("and pushes open", door.opening < -10.0, "%.1f" % door.opening)
	w.finish()


func scenario_door_rotating_bar_lock(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_ONCE)
	var bar: RigidBody = doors.lock(w, Doors.LOCK_ID, "rotating_bar_lock")
	w.spawn_player(Vector3(0.2, 0.0, 0.9))
	yield()
	w.check("the bar locks the door", w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	var run = _grab(w, BAR_END)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds the bar", w.player.get_held_item(RIGHT) == bar)
	run = _drag(w, Vector3(0.0, -0.1, 0.0), 2)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("pushed down it does not turn", bar.state == 0.0, "%.1f" % bar.state)
	w.check("and still locks", w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	run = _drag(w, Vector3(0.0, 0.1, 0.0), 4)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("lifted it turns up", bar.state >= 10.0, "%.1f" % bar.state)
	w.check("and unlocks the door", not w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	run = _drag(w, Vector3(0.0, -0.1, 0.0), 3)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check(
		"turned back it locks again", w.has_flag(door, C.ENTITY_FLAG_LOCKED), "%.1f" % bar.state
	)
	var steps = _seq([["_drag", w, Vector3(0.0, 0.1, 0.0), 4], ["_let_go", w], ["_let_go", w]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("released up, it stays up", bar.state >= 10.0, "%.1f" % bar.state)
	w.check("and the door stays unlocked", door.is_grabbable())
	w.finish()


# The threshold on a pull-only door, set directly: a bar turned 10 degrees would still be in the
# pulled door's way.
func scenario_door_rotating_bar_on_pull_door_needs_75_degrees(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PULL, C.LATCHING_ONCE)
	var bar: RigidBody = doors.lock(w, Doors.LOCK_ID, "rotating_bar_lock")
	yield()
	bar.set_state(30.0)
	w.check("30 degrees still locks a pull door", door.is_locked())
	bar.set_state(80.0)
	w.check("80 degrees unlocks it", not door.is_locked())
	w.finish()


func scenario_door_sliding_bar_locks(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_ONCE)
	var bottom: RigidBody = doors.lock(w, Doors.LOCK_ID, "sliding_bar_lock", {"top": false})
	var top: RigidBody = doors.lock(w, Doors.LOCK_ID + 1, "sliding_bar_lock", {"top": true})
	w.spawn_player(Vector3(0.6, 0.0, 0.6))
	yield()
	w.check("two bars lock the door", w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	var run = _grab(w, TOP_KNOB)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds the top bar", w.player.get_held_item(RIGHT) == top)
	var steps = _seq([["_drag", w, Vector3(0.0, 0.1, 0.0), 2]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("lifting the top bar does not move it", top.state == 0.0, "%.2f" % top.state)
	# The held point follows the hand, which went 0.2 m up: 0.35 m down slides the bar 0.15 m.
	steps = _seq([["_drag", w, Vector3(0.0, -0.05, 0.0), 7], ["_let_go", w]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("dropped, the top bar unlocks", not w.has_flag(top, C.ENTITY_FLAG_LOCKED))
	w.check("and stays where released", top.state > 0.05, "%.2f" % top.state)
	w.check("the bottom bar still locks the door", w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	steps = _seq([["_crouch", w, 0.8], ["_grab", w, BOTTOM_KNOB]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("the hand holds the bottom bar", w.player.get_held_item(RIGHT) == bottom)
	steps = _seq([["_drag", w, Vector3(0.0, -0.1, 0.0), 2]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("pushing the bottom bar down does not move it", bottom.state == 0.0)
	steps = _seq([["_drag", w, Vector3(0.0, 0.05, 0.0), 7]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("lifted, the bottom bar unlocks", not w.has_flag(bottom, C.ENTITY_FLAG_LOCKED))
	w.check("and the door", not w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	steps = _seq([["_drag", w, Vector3(0.0, -0.05, 0.0), 4]])
	while steps is GDScriptFunctionState and steps.is_valid():
		yield()
		steps = steps.resume()
	w.check("slid back, it locks again", w.has_flag(door, C.ENTITY_FLAG_LOCKED))
	w.finish()
