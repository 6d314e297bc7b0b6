# Rule scenarios of doors and locks (docs/doors.md), worked by the player through actions: each
# door opens by the right sequence and not by a wrong one; a latched door stays shut until grabbed;
# each lock keeps its door shut until worked the right way. The doorway is a 1 x 3 m opening in a
# 0.5 m thick wall of blocks along x, its approach face at z = 0; the door stands at the origin
# (yaw 0: the approach side is +z). Yaw 0 looks along -Z; the right hand rests at head + (0.5, -0.5,
# -0.5); HEAD_Z 1 walks backward at 3 m/s. Scenarios wait for states, up to a bound of ticks.
extends Reference

const C = preload("res://generated/constants.gd")

const RIGHT = 1
const WALL = 0.5  # m, the wall's thickness (behind z = 0)
const DOOR_ID = 10
const LOCK_ID = 20
const HAND_STEP = 0.2  # m per tick the scripted hand moves
const ARRIVED = 0.03  # m
const REACH_TICKS = 20
const MAX_TICKS = 40
# Grips of the 1 x 3 m doors at the origin (their handles' grips on the approach side), for a hinge
# on the left (free edge at +x) and a sliding door opening to the right (handle at -x).
const HINGE_GRIP = Vector3(0.36, 1.5, 0.17)
const SLIDING_GRIP = Vector3(-0.41, 1.46, 0.16)


# The wall with its doorway: two slabs and a lintel (blocks).
func _doorway(w) -> void:
	var slab := Vector3(3.0, 3.0, WALL)
	for x in [-2.0, 2.0]:
		_block(w, Vector3(x, 1.5, -WALL / 2.0), slab)
	_block(w, Vector3(0.0, 3.5, -WALL / 2.0), Vector3(1.0, 1.0, WALL))


func _block(w, center: Vector3, size: Vector3) -> void:
	var spec := {"kind": "block", "position": center, "yaw": 0.0, "size": size, "color": 0}
	spec["id"] = 100 + w.root.get_child_count()
	w.add_item(spec)


func _hinge_door(w, mechanics: int, latching: int) -> RigidBody:
	_doorway(w)
	var spec := {
		"id": DOOR_ID,
		"kind": "hinge_door",
		"position": Vector3.ZERO,
		"yaw": 0.0,
		"width": 1.0,
		"height": 3.0,
		"mechanics": mechanics,
		"hinge_right": false,
		"latching": latching,
	}
	return w.add_item(spec) as RigidBody


func _sliding_door(w, latching: int) -> RigidBody:
	_doorway(w)
	var spec := {
		"id": DOOR_ID,
		"kind": "sliding_door",
		"position": Vector3.ZERO,
		"yaw": 0.0,
		"width": 1.0,
		"height": 3.0,
		"slide_right": true,
		"latching": latching,
	}
	return w.add_item(spec) as RigidBody


func _lock(w, id: int, kind: String, extra := {}) -> RigidBody:
	var spec := {"id": id, "kind": kind, "position": Vector3.ZERO, "yaw": 0.0, "door": DOOR_ID}
	for key in extra:
		spec[key] = extra[key]
	return w.add_item(spec) as RigidBody


# Sets the action moving the right hand toward world `target` by at most HAND_STEP, plus `extra`
# (grasp, walking); true once the hand is there.
static func _hand_to(w, target: Vector3, extra := {}) -> bool:
	var delta: Vector3 = target - w.player.get_hand_transform(RIGHT).origin
	if delta.length() > HAND_STEP:
		delta = delta.normalized() * HAND_STEP
	_hand_by(w, delta, extra)
	return w.player.get_hand_transform(RIGHT).origin.distance_to(target) <= ARRIVED


# Sets the action moving the right hand by world `delta` this tick, plus `extra`.
static func _hand_by(w, delta: Vector3, extra := {}) -> void:
	var local: Vector3 = w.player.get_head_transform().basis.xform_inv(delta)
	var values := {
		C.ACTION_RIGHT_HAND_X: local.x / C.MAX_HAND_LINEAR_SPEED,
		C.ACTION_RIGHT_HAND_Y: local.y / C.MAX_HAND_LINEAR_SPEED,
		C.ACTION_RIGHT_HAND_Z: local.z / C.MAX_HAND_LINEAR_SPEED,
	}
	for key in extra:
		values[key] = extra[key]
	w.set_action(values)


# Moves the right hand to `target` (up to REACH_TICKS ticks), then grasps for a tick. A coroutine:
# run it with `_step` in a loop (see the scenarios).
func _grab(w, target: Vector3):
	for _i in range(REACH_TICKS):
		if _hand_to(w, target):
			break
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()


# Crouches until the head is at most `head_y` high (up to REACH_TICKS ticks). A coroutine.
func _crouch(w, head_y: float):
	for _i in range(REACH_TICKS):
		if w.player.get_head_transform().origin.y <= head_y:
			break
		w.set_action({C.ACTION_HEAD_Y: -0.5})
		yield()
	w.clear_action()


func scenario_door_push_opens_by_walking_through(w) -> void:
	var door := _hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.1, 0.0, 1.5))
	yield()
	w.check("a push door starts shut", not w.has_flag(door, C.ENTITY_FLAG_OPEN))
	var ticks := 0
	while w.feet().z > -WALL - 0.5 and ticks < MAX_TICKS:
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
		ticks += 1
	w.check("walking into a push door opens it", door.opening <= -45.0, "%.1f" % door.opening)
	w.check("and the body walks through", ticks < MAX_TICKS, "feet z %.2f" % w.feet().z)
	w.check("reported open", w.has_flag(door, C.ENTITY_FLAG_OPEN))
	w.finish()


func scenario_door_push_not_opened_by_pulling(w) -> void:
	var door := _hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.8, 0.0, 0.8))
	yield()
	var run = _grab(w, HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds the push door", w.player.get_held_item(RIGHT) == door)
	for _i in range(10):
		w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_Z: 0.5})
		yield()
	w.check("pulling a push door leaves it shut", door.opening == 0.0, "%.1f" % door.opening)
	w.check("not reported open", not w.has_flag(door, C.ENTITY_FLAG_OPEN))
	w.finish()


func scenario_door_pull_opens_by_pulling(w) -> void:
	var door := _hinge_door(w, C.DOOR_MECHANICS_PULL, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.8, 0.0, 0.8))
	yield()
	var run = _grab(w, HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds the pull door", w.player.get_held_item(RIGHT) == door)
	var ticks := 0
	while door.opening < 45.0 and ticks < MAX_TICKS:
		w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_Z: 0.5})
		yield()
		ticks += 1
	w.check("walking back holding it pulls it open", door.opening >= 45.0, "%.1f" % door.opening)
	w.check("reported open", w.has_flag(door, C.ENTITY_FLAG_OPEN))
	w.finish()


func scenario_door_pull_not_opened_by_pushing(w) -> void:
	var door := _hinge_door(w, C.DOOR_MECHANICS_PULL, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.1, 0.0, 1.5))
	yield()
	for _i in range(15):
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
	w.check("walking into a pull door leaves it shut", door.opening == 0.0, "%.1f" % door.opening)
	w.check("and it stops the body", w.feet().z > 0.0, "feet z %.2f" % w.feet().z)
	w.set_action({C.ACTION_HEAD_Z: 1.0})
	yield()
	var run = _grab(w, HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds it", w.player.get_held_item(RIGHT) == door)
	for _i in range(5):
		_hand_by(w, Vector3(0.0, 0.0, -0.1), {C.ACTION_RIGHT_GRASP: 1.0})
		yield()
	w.check("pushing it by hand leaves it shut", door.opening == 0.0, "%.1f" % door.opening)
	w.finish()


func scenario_door_both_ways(w) -> void:
	var door := _hinge_door(w, C.DOOR_MECHANICS_BOTH, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.8, 0.0, 0.8))
	yield()
	var run = _grab(w, HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	for _i in range(3):
		_hand_by(w, Vector3(0.0, 0.0, 0.1), {C.ACTION_RIGHT_GRASP: 1.0})
		yield()
	w.check("a two-way door opens toward the puller", door.opening > 10.0, "%.1f" % door.opening)
	for _i in range(6):
		_hand_by(w, Vector3(0.0, 0.0, -0.1), {C.ACTION_RIGHT_GRASP: 1.0})
		yield()
	w.check("and away from the pusher", door.opening < -10.0, "%.1f" % door.opening)
	w.finish()


func scenario_door_sliding_opens_along_the_wall(w) -> void:
	var door := _sliding_door(w, C.LATCHING_NONE)
	w.spawn_player(Vector3(-0.6, 0.0, 0.9))
	yield()
	var run = _grab(w, SLIDING_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds the sliding door", w.player.get_held_item(RIGHT) == door)
	var ticks := 0
	while door.opening < 0.8 and ticks < MAX_TICKS:
		w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_X: 0.3})
		yield()
		ticks += 1
	w.check("walking sideways holding it slides it open", door.opening >= 0.8, "%.2f" % door.opening)
	w.check("reported open", w.has_flag(door, C.ENTITY_FLAG_OPEN))
	w.set_action({})
	yield()
	ticks = 0
	while w.feet().z > -WALL - 0.5 and ticks < MAX_TICKS:
		w.set_action({C.ACTION_HEAD_Z: -1.0, C.ACTION_HEAD_X: -1.0 if w.feet().x > 0.0 else 0.0})
		yield()
		ticks += 1
	w.check("the body walks through the opened doorway", ticks < MAX_TICKS, "%.2f" % w.feet().z)
	w.finish()


func scenario_door_sliding_not_opened_by_walking_into_it(w) -> void:
	var door := _sliding_door(w, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.0, 0.0, 1.5))
	yield()
	for _i in range(15):
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
	w.check("walking into a sliding door leaves it shut", door.opening == 0.0, "%.2f" % door.opening)
	w.check("and it stops the body", w.feet().z > 0.0, "feet z %.2f" % w.feet().z)
	w.finish()
