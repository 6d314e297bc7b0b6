# Rule scenarios of doors (docs/doors.md), worked by the player through actions: each door opens
# by the right sequence and not by a wrong one (latches and locks: lock_scenarios.gd). The doorway
# is a 1 x 3 m opening in a 0.5 m thick wall of blocks along x, its approach face at z = 0; the door
# stands at the origin (yaw 0: the approach side is +z); doorway, doors and hand helpers:
# door_world.gd. Yaw 0 looks along -Z; the right hand rests at head + (0.5, -0.5, -0.5); HEAD_Z 1
# walks backward at 3 m/s. Scenarios wait for states, up to a bound of ticks.
extends Reference

const C = preload("res://generated/constants.gd")

const Doors = preload("res://tests/rules/door_world.gd")

const RIGHT = 1

var doors = Doors.new()


func scenario_door_push_opens_by_walking_through(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.1, 0.0, 1.5))
	yield()
	w.check("a push door starts shut", not w.has_flag(door, C.ENTITY_FLAG_OPEN))
	var ticks := 0
	while w.feet().z > -Doors.WALL - 0.5 and ticks < Doors.MAX_TICKS:
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
		ticks += 1
	w.check("walking into a push door opens it", door.opening <= -45.0, "%.1f" % door.opening)
	w.check("and the body walks through", ticks < Doors.MAX_TICKS, "feet z %.2f" % w.feet().z)
	w.check("reported open", w.has_flag(door, C.ENTITY_FLAG_OPEN))
	w.finish()


func scenario_door_push_not_opened_by_pulling(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PUSH, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.8, 0.0, 0.8))
	yield()
	var run = doors.grab(w, Doors.HINGE_GRIP)
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
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PULL, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.8, 0.0, 0.8))
	yield()
	var run = doors.grab(w, Doors.HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds the pull door", w.player.get_held_item(RIGHT) == door)
	var ticks := 0
	while door.opening < 45.0 and ticks < Doors.MAX_TICKS:
		w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_Z: 0.5})
		yield()
		ticks += 1
	w.check("walking back holding it pulls it open", door.opening >= 45.0, "%.1f" % door.opening)
	w.check("reported open", w.has_flag(door, C.ENTITY_FLAG_OPEN))
	w.finish()


func scenario_door_pull_not_opened_by_pushing(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_PULL, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.1, 0.0, 1.5))
	yield()
	for _i in range(15):
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
	w.check("walking into a pull door leaves it shut", door.opening == 0.0, "%.1f" % door.opening)
	w.check("and it stops the body", w.feet().z > 0.0, "feet z %.2f" % w.feet().z)
	w.set_action({C.ACTION_HEAD_Z: 1.0})
	yield()
	var run = doors.grab(w, Doors.HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds it", w.player.get_held_item(RIGHT) == door)
	for _i in range(5):
		doors.hand_by(w, Vector3(0.0, 0.0, -0.1), {C.ACTION_RIGHT_GRASP: 1.0})
		yield()
	w.check("pushing it by hand leaves it shut", door.opening == 0.0, "%.1f" % door.opening)
	w.finish()


func scenario_door_both_ways(w) -> void:
	var door: RigidBody = doors.hinge_door(w, C.DOOR_MECHANICS_BOTH, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.8, 0.0, 0.8))
	yield()
	var run = doors.grab(w, Doors.HINGE_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	for _i in range(3):
		doors.hand_by(w, Vector3(0.0, 0.0, 0.1), {C.ACTION_RIGHT_GRASP: 1.0})
		yield()
	w.check("a two-way door opens toward the puller", door.opening > 10.0, "%.1f" % door.opening)
	for _i in range(6):
		doors.hand_by(w, Vector3(0.0, 0.0, -0.1), {C.ACTION_RIGHT_GRASP: 1.0})
		yield()
	w.check("and away from the pusher", door.opening < -10.0, "%.1f" % door.opening)
	w.finish()


func scenario_door_sliding_opens_along_the_wall(w) -> void:
	var door: RigidBody = doors.sliding_door(w, C.LATCHING_NONE)
	w.spawn_player(Vector3(-0.6, 0.0, 0.9))
	yield()
	var run = doors.grab(w, Doors.SLIDING_GRIP)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the hand holds the sliding door", w.player.get_held_item(RIGHT) == door)
	var ticks := 0
	while door.opening < 0.8 and ticks < Doors.MAX_TICKS:
		w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_X: 0.3})
		yield()
		ticks += 1
	w.check(
		"walking sideways holding it slides it open", door.opening >= 0.8, "%.2f" % door.opening
	)
	w.check("reported open", w.has_flag(door, C.ENTITY_FLAG_OPEN))
	w.set_action({})
	yield()
	ticks = 0
	while w.feet().z > -Doors.WALL - 0.5 and ticks < Doors.MAX_TICKS:
		w.set_action({C.ACTION_HEAD_Z: -1.0, C.ACTION_HEAD_X: -1.0 if w.feet().x > 0.0 else 0.0})
		yield()
		ticks += 1
	w.check(
		"the body walks through the opened doorway", ticks < Doors.MAX_TICKS, "%.2f" % w.feet().z
	)
	w.finish()


func scenario_door_sliding_not_opened_by_walking_into_it(w) -> void:
	var door: RigidBody = doors.sliding_door(w, C.LATCHING_NONE)
	w.spawn_player(Vector3(0.0, 0.0, 1.5))
	yield()
	for _i in range(15):
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
	w.check(
		"walking into a sliding door leaves it shut", door.opening == 0.0, "%.2f" % door.opening
	)
	w.check("and it stops the body", w.feet().z > 0.0, "feet z %.2f" % w.feet().z)
	w.finish()


# A door is a kinematic body: Bullet would give it, on its first step, the velocity of a move from
# the origin to its place and throw what touches it (item.gd `ghost_first_step`). A door placed
# 3 m out and a rock resting against its approach face: the rock stays.
func scenario_door_new_one_throws_nothing(w) -> void:
	var spec := {
		"id": Doors.DOOR_ID,
		"kind": "hinge_door",
		"position": Vector3(3.0, 0.0, 2.0),
		"yaw": 0.0,
		"width": 1.0,
		"height": 3.0,
		"mechanics": C.DOOR_MECHANICS_BOTH,
		"hinge_right": false,
		"latching": C.LATCHING_NONE,
	}
	w.add_item(spec)
	# The 0.3 m rock's back face 5 mm into the panel.
	var at := Vector3(3.0, 0.15, 2.0 + 0.0375 + 0.145)
	var rock: RigidBody = w.rock(30, at)
	w.spawn_player(Vector3(-3.0, 0.0, 6.0))
	for _i in range(5):
		yield()
	w.check(
		"the rock against a new door stays put",
		rock.global_transform.origin.distance_to(at) < 0.1,
		"moved to %s" % rock.global_transform.origin
	)
	w.finish()
