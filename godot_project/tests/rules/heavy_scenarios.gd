# Rule scenarios of the heavy items and pushing (docs/body.md "Pushing", "Heavy items"): boulders
# pushed by walking into them (by the mass ratio), into a chasm and crossed on; stones frozen at
# rest, woken by a grab, stacked into stairs and climbed; a log carried, laid across a chasm and
# walked over. Yaw 0 looks along -Z; walking forward (HEAD_Z -1) is 3 m/s; the right hand rests at
# head + (0.5, -0.5, -0.5); the floor's top is y = 0. Scenarios wait for states, up to a bound.
extends Reference

const C = preload("res://generated/constants.gd")
const E = preload("res://generated/entities.gd")

const SETTLE_TICKS = 3
const WALK = -1.0  # HEAD_Z for a full step forward (-z), 0.3 m per tick
const BOULDER = 1.4  # m, a boulder's edge
const LOG_RADIUS = 0.7  # m
const STONE = 1.0  # m, a stone's edge
const SHELL_TOP = 0.15  # m, a stone's shell reaches this far above it
const PUSH_TICKS = 10


# Walking into a boulder pushes it: the first push gives it (3 m/s - 0) * clamp(300 / m, 0, 1),
# 1.5 m/s at 600 kg and 0.375 m/s at 2,400 kg, a ratio of 4; pushing on for 1 s, the light one
# moves about 4 times as far as the heavy one (measured: 1.03 m and 0.27 m).
func scenario_push_by_mass(w) -> void:
	var light: RigidBody = w.heavy(1, "boulder", Vector3(0.0, BOULDER / 2.0, -2.0), {"mass": 600.0})
	var heavy: RigidBody = w.heavy(
		2, "boulder", Vector3(4.0, BOULDER / 2.0, -2.0), {"mass": 2400.0}
	)
	w.spawn_player(Vector3.ZERO)
	for _i in range(15):
		yield()
	w.check("a boulder at rest turns static", light.is_frozen() and heavy.is_frozen())
	w.set_action({C.ACTION_HEAD_Z: WALK})
	var light_push = _push_and_measure(light)
	while light_push is GDScriptFunctionState and light_push.is_valid():
		yield()
		light_push = light_push.resume()
	# Back off, step aside to the heavy one, push it the same way.
	w.set_action({C.ACTION_HEAD_Z: 1.0})
	for _i in range(8):
		yield()
	w.set_action({C.ACTION_HEAD_X: 1.0})
	for _i in range(13):
		yield()
	w.set_action({C.ACTION_HEAD_X: 1.0 / 3.0})
	yield()
	w.set_action({C.ACTION_HEAD_Z: WALK})
	var heavy_push = _push_and_measure(heavy)
	while heavy_push is GDScriptFunctionState and heavy_push.is_valid():
		yield()
		heavy_push = heavy_push.resume()
	var a: Array = light_push
	var b: Array = heavy_push
	for measured in [[600, a], [2400, b]]:
		print(
			(
				"push %d kg: first push %.3f m/s, %.3f m in %d ticks, %.3f m in the last"
				% [measured[0], measured[1][0], measured[1][1], PUSH_TICKS, measured[1][2]]
			)
		)
	w.near("first push of 600 kg: 1.5 m/s", a[0], 1.5, 0.05)
	w.near("first push of 2,400 kg: 0.375 m/s", b[0], 0.375, 0.02)
	w.near("speed ratio 600 : 2,400 kg is 4", a[0] / max(b[0], 1e-6), 4.0, 0.25)
	w.near("distance ratio after 1 s of pushing", a[1] / max(b[1], 1e-6), 4.0, 0.5)
	w.check("pushed along the walk", a[1] > 0.5, "%.3f m" % a[1])
	w.finish()


# Only pushable items are pushed: walking into a 1 kg rock or a stone leaves them where they are
# (the body's slide moves no rigid body) and stops the body.
func scenario_walking_moves_nothing_else(w) -> void:
	var rock: RigidBody = w.rock(1, Vector3(0.0, 0.25, -1.5), 0.5)
	var stone: RigidBody = w.heavy(2, "stone", Vector3(3.0, STONE / 2.0, -1.5))
	w.spawn_player(Vector3.ZERO)
	w.set_action({C.ACTION_HEAD_Z: WALK})
	for _i in range(10):
		yield()
	w.near("the body stopped at the rock", w.feet().z, -1.25 + C.BODY_RADIUS, 0.02)
	w.check(
		"the rock did not move",
		rock.global_transform.origin.distance_to(Vector3(0.0, 0.25, -1.5)) < 0.01,
		str(rock.global_transform.origin)
	)
	w.set_action({C.ACTION_HEAD_Z: 1.0})
	for _i in range(3):
		yield()
	w.set_action({C.ACTION_HEAD_X: 1.0})
	for _i in range(10):
		yield()
	w.set_action({C.ACTION_HEAD_Z: WALK})
	for _i in range(10):
		yield()
	# The stone's shell (1.3 m) stops the body 0.15 m before the stone.
	w.near("the body stopped at the stone's shell", w.feet().z, -0.85 + C.BODY_RADIUS, 0.03)
	w.check(
		"the stone did not move",
		stone.global_transform.origin.distance_to(Vector3(3.0, STONE / 2.0, -1.5)) < 0.01,
		str(stone.global_transform.origin)
	)
	w.finish()


# Walks (the action is set) until `boulder` moves; returns [its speed after the first push, how far
# it moved in PUSH_TICKS ticks of pushing, how far in the last of them].
func _push_and_measure(boulder: RigidBody) -> Array:
	var start: Vector3 = boulder.global_transform.origin
	for _i in range(30):
		if boulder.linear_velocity.length() > 0.01:
			break
		yield()
	var first: float = boulder.linear_velocity.length()
	for _i in range(PUSH_TICKS - 2):
		yield()
	var before_last: Vector3 = boulder.global_transform.origin
	yield()
	var moved: float = boulder.global_transform.origin.distance_to(start)
	return [first, moved, boulder.global_transform.origin.distance_to(before_last)]


# A boulder pushed over the rim falls into the chasm (1.5 m deep, 2.5 m wide at the rims, 1.5 m at
# the bottom), turns static where it fell and stays there; the body walks onto it and jumps to the
# far rim.
func scenario_boulder_into_chasm(w) -> void:
	var depth := 1.5
	var near_z := -3.0
	var gap := 2.5
	w.chasm(depth, near_z, gap)
	var boulder: RigidBody = w.heavy(
		1, "boulder", Vector3(0.0, depth + BOULDER / 2.0, -2.0), {"mass": 600.0}
	)
	w.spawn_player(Vector3(0.0, depth, 0.0))
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_HEAD_Z: WALK})
	for _i in range(40):
		if boulder.global_transform.origin.y < depth or w.feet().z < near_z + 0.3:
			break
		yield()
	w.clear_action()
	for _i in range(60):
		if boulder.is_frozen():
			break
		yield()
	var fell: Vector3 = boulder.global_transform.origin
	print("boulder in the chasm at %s" % fell)
	w.check("the boulder fell into the chasm", fell.y < depth and fell.z < near_z, str(fell))
	w.check("and turned static there", boulder.is_frozen())
	var top: float = fell.y + BOULDER / 2.0
	w.near("its top near the rims", top, depth, 0.15)
	# Across: walk, jumping once on the boulder.
	for _i in range(40):
		var on_boulder: bool = w.feet().z < fell.z + 0.4
		var jump := 1.0 if on_boulder else 0.0
		w.set_action({C.ACTION_HEAD_Z: WALK, C.ACTION_JUMP: jump})
		if w.feet().z < near_z - gap - 0.5 and w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0:
			break
		yield()
	w.clear_action()
	for _i in range(SETTLE_TICKS):
		yield()
	w.check("the body crossed to the far rim", w.feet().z < near_z - gap - 0.3, str(w.feet()))
	w.near("standing on the far rim", w.feet().y, depth, 0.05)
	for _i in range(30):
		yield()
	var moved: float = boulder.global_transform.origin.distance_to(fell)
	w.check("the boulder stays where it fell", moved < 0.02, "moved %.3f m" % moved)
	w.finish()


# A boulder on the floor turns static as soon as the body stands on it (before the 1 s freeze
# check could).
func scenario_boulder_static_when_stood_on(w) -> void:
	var boulder: RigidBody = w.heavy(1, "boulder", Vector3(0.0, BOULDER / 2.0, 0.0))
	w.spawn_player(Vector3(0.0, BOULDER + 0.05, 0.0))
	for _i in range(SETTLE_TICKS):
		yield()
	w.near("the body stands on the boulder", w.feet().y, BOULDER, 0.05)
	w.check("which is static at once", boulder.is_frozen(), "tick %d" % w.ticks)
	w.finish()


# A log on the floor turns static as soon as the body walks into it (before the 1 s freeze check
# could), and is not pushed.
func scenario_log_static_when_touched(w) -> void:
	var log_item: RigidBody = w.heavy(1, "log", Vector3(0.0, LOG_RADIUS, -1.5))
	w.spawn_player(Vector3.ZERO)
	w.set_action({C.ACTION_HEAD_Z: WALK})
	for _i in range(C.FREEZE_CHECK_TICKS - 1):
		yield()
		if log_item.is_frozen():
			break
	w.check("the log, walked into, is static", log_item.is_frozen(), "tick %d" % w.ticks)
	w.check("the body is against it", w.feet().z < -0.65, str(w.feet()))
	w.near("the log did not move", log_item.global_transform.origin.z, -1.5, 0.01)
	w.finish()


# A stone resting flat on the floor turns static at once (the rest freeze); a grab makes it follow
# the hand; a release drops it and it turns static again once it rests.
func scenario_stone_freeze_and_grab(w) -> void:
	var stone: RigidBody = w.heavy(1, "stone", Vector3(0.5, STONE / 2.0, -1.0))
	w.spawn_player(Vector3.ZERO)
	for _i in range(C.FREEZE_CHECK_TICKS):
		if stone.is_frozen():
			break
		yield()
	w.check("a stone resting flat turns static", stone.is_frozen(), "tick %d" % w.ticks)
	w.check("before the 1 s check", w.ticks < C.FREEZE_CHECK_TICKS, "tick %d" % w.ticks)
	# The hand (0.5, 1.5, -0.5) is 0.5 m above the stone's top edge and reaches 1 m from the head:
	# crouch 0.3 m, hand down 0.15 m, grab.
	w.set_action({C.ACTION_HEAD_Y: -1.0})
	yield()
	w.set_action({C.ACTION_RIGHT_HAND_Y: -0.15})
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("the grab takes the stone", w.player.get_held_item(1) == stone)
	w.check("held: not static", not stone.is_frozen() and stone.mode == RigidBody.MODE_KINEMATIC)
	var before: Vector3 = stone.global_transform.origin
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_Y: 1.0})
	yield()
	var lifted: Vector3 = stone.global_transform.origin - before
	w.near("the held stone follows the hand up", lifted.y, 0.3, 0.01)
	w.clear_action()
	yield()
	w.check("released", w.player.get_held_item(1) == null and stone.mode == RigidBody.MODE_RIGID)
	for _i in range(30):
		if stone.is_frozen():
			break
		yield()
	w.check("static again after landing", stone.is_frozen())
	w.near("on the floor", stone.global_transform.origin.y, STONE / 2.0, 0.03)
	w.finish()


# A stone balanced on a narrow pedestal (its face's corners over air) is not resting flat: it turns
# static by the 1 s check (mean speed over the second), not at once.
func scenario_stone_balanced_freezes_after_1_s(w) -> void:
	var top := 1.0
	w.pedestal(0.5, -1.5, top, 0.4)
	var stone: RigidBody = w.heavy(1, "stone", Vector3(0.5, top + STONE / 2.0, -1.5))
	w.spawn_player(Vector3.ZERO)
	for _i in range(C.FREEZE_CHECK_TICKS - 2):
		yield()
	w.check("rigid before 1 s at rest", not stone.is_frozen(), "tick %d" % w.ticks)
	for _i in range(C.FREEZE_CHECK_TICKS + 4):
		if stone.is_frozen():
			break
		yield()
	w.check("static after the 1 s check", stone.is_frozen(), "tick %d" % w.ticks)
	w.near("still on the pedestal", stone.global_transform.origin.y, top + STONE / 2.0, 0.05)
	w.finish()


# A stone put 0.2 m over the edge of another (its centre beyond the lower one's face) is not held by
# the rest freeze: it tips off, and leans against the lower one or lies on the floor.
func scenario_stone_overhanging_tips(w) -> void:
	var lower: RigidBody = w.heavy(1, "stone", Vector3(0.5, STONE / 2.0, -1.5))
	var upper: RigidBody = w.heavy(2, "stone", Vector3(1.2, 1.5 * STONE, -1.5))
	w.spawn_player(Vector3.ZERO)
	for _i in range(3 * C.FREEZE_CHECK_TICKS):
		if upper.global_transform.origin.y < 1.0:
			break
		yield()
	var y: float = upper.global_transform.origin.y
	w.check("the overhanging stone tipped off", y < 1.0, "its centre at %.3f m" % y)
	var moved: float = lower.global_transform.origin.distance_to(Vector3(0.5, 0.5, -1.5))
	w.check("the lower stone stayed", moved < 0.1, "moved %.3f m" % moved)
	w.finish()


# A column of three stones put on a heightmap (task terrain, where Bullet at 10 Hz lets a dynamic
# column jitter apart) stays stacked: each stone freezes as it comes to rest flat on the one below.
func scenario_stone_column_on_heightmap(w) -> void:
	w.chasm(2.0, -6.0, 2.0)
	var stones := []
	for k in range(3):
		stones.append(
			w.heavy(k + 1, "stone", Vector3(0.3, 2.0 + (k + 0.5) * STONE, -1.5), {}, 30.0)
		)
	w.spawn_player(Vector3(0.0, 2.0, 2.0))
	for _i in range(3 * C.FREEZE_CHECK_TICKS):
		yield()
	for k in range(3):
		var stone: RigidBody = stones[k]
		var moved: float = stone.global_transform.origin.distance_to(
			Vector3(0.3, 2.0 + (k + 0.5) * STONE, -1.5)
		)
		w.check("stone %d of the column stayed" % k, moved < 0.1, "moved %.3f m" % moved)
		w.check("stone %d is static" % k, stone.is_frozen())
	w.finish()


# Taking the lower stone of a frozen stack wakes the one on it, which falls once the lower one is
# pulled away (it does not hang in the air).
func scenario_stack_wakes_when_taken(w) -> void:
	var lower: RigidBody = w.heavy(1, "stone", Vector3(0.5, 0.5, -1.0))
	var upper: RigidBody = w.heavy(2, "stone", Vector3(0.5, 1.5, -1.0))
	w.spawn_player(Vector3.ZERO)
	for _i in range(2 * C.FREEZE_CHECK_TICKS):
		if lower.is_frozen() and upper.is_frozen():
			break
		yield()
	w.check("the stack froze", lower.is_frozen() and upper.is_frozen())
	# Crouch until the right hand (head + (0.5, -0.5, -0.5)) is at the lower stone's face, grab.
	w.set_action({C.ACTION_HEAD_Y: -1.0})
	for _i in range(3):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("the lower stone is taken", w.player.get_held_item(1) == lower)
	w.check("the upper stone woke", not upper.is_frozen())
	# Walk backwards with it, out from under the upper one.
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_Z: 1.0})
	for _i in range(5):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	for _i in range(20):
		if upper.global_transform.origin.y < 0.6:
			break
		yield()
	var fell: float = upper.global_transform.origin.y
	w.check("the upper stone fell to the floor", fell < 0.6, "its centre at %.3f m" % fell)
	w.finish()


# Heavy items dropped from 12 m land on the heightmap and stay on top of it (Bullet alone lets fast
# bodies pass a heightmap at 10 Hz; item.gd's terrain guard keeps them on it).
func scenario_heavy_items_land_on_terrain(w) -> void:
	var rim := 2.0
	w.chasm(rim, -3.0, 3.0)
	var drop := rim + 12.0
	var stone: RigidBody = w.heavy(1, "stone", Vector3(-4.0, drop, 1.0))
	var boulder: RigidBody = w.heavy(2, "boulder", Vector3(-1.5, drop, 1.0), {"mass": 2400.0})
	var log_item: RigidBody = w.heavy(3, "log", Vector3(2.0, drop, 3.0), {}, 90.0)
	for _i in range(60):
		if stone.is_frozen() and boulder.is_frozen() and log_item.is_frozen():
			break
		yield()
	w.check("all came to rest", stone.is_frozen() and boulder.is_frozen() and log_item.is_frozen())
	# Bullet's heightmap margin leaves bodies a few centimetres above it.
	w.near("the stone on the rim", stone.global_transform.origin.y, rim + STONE / 2.0, 0.06)
	w.near("the boulder on the rim", boulder.global_transform.origin.y, rim + BOULDER / 2.0, 0.06)
	w.near("the log on the rim", log_item.global_transform.origin.y, rim + LOG_RADIUS, 0.06)
	w.finish()


# A large rock opens an avocado like a rock; large rocks and sticks are weapons.
func scenario_large_rock_and_stick(w) -> void:
	var avocado: RigidBody = w.food(1, "avocado", Vector3(0.0, 0.4, 0.0))
	var rock: RigidBody = w.add_item(
		{"id": 2, "kind": "large_rock", "position": Vector3(-2.5, 0.6, 0.0), "yaw": 0.0}
	)
	var stick: RigidBody = w.add_item(
		{"id": 3, "kind": "large_stick", "position": Vector3(0.0, 0.2, 5.0), "yaw": 0.0}
	)
	w.check("a large rock is a weapon", rock.has_capability(E.CAPABILITY_WEAPON))
	w.check("a large stick is a weapon", stick.has_capability(E.CAPABILITY_WEAPON))
	w.check("both grabbable", rock.is_grabbable() and stick.is_grabbable())
	for _i in range(SETTLE_TICKS):
		yield()
	w.check("the avocado starts closed", w.has_flag(avocado, C.ENTITY_FLAG_UNOPENED))
	rock.release(Vector3(8.0, 0.5, 0.0))
	for _i in range(10):
		yield()
	w.check(
		"an avocado hit by a thrown large rock opens",
		not w.has_flag(avocado, C.ENTITY_FLAG_UNOPENED)
	)
	w.finish()


# Stacked stones (a column of three, a two-step stair) stay stacked for 30 s of simulated time.
func scenario_stacked_stones_stay(w) -> void:
	var stones := []
	var places := [
		Vector3(0.0, 0.5, -3.0),
		Vector3(0.0, 1.5, -3.0),
		Vector3(0.0, 2.5, -3.0),
		Vector3(3.0, 0.5, -3.0),
		Vector3(4.0, 0.5, -3.0),
		Vector3(4.0, 1.5, -3.0),
	]
	for i in range(places.size()):
		stones.append(w.heavy(i + 1, "stone", places[i]))
	for _i in range(30 * C.PHYSICS_FPS):
		yield()
	var worst := 0.0
	var frozen := true
	for i in range(stones.size()):
		worst = max(worst, stones[i].global_transform.origin.distance_to(places[i]))
		frozen = frozen and stones[i].is_frozen()
	w.check("stacked stones stay stacked for 30 s", worst < 0.02, "worst move %.4f m" % worst)
	w.check("and are static", frozen)
	w.finish()


# Three stones as a two-step stair (1 m, then 2 m high) against the face of a ledge 1.5 m above the
# top stone: walking forward with jump held, the body jumps up the steps, stands on the top stone,
# then jumps onto the ledge.
func scenario_stone_stairs(w) -> void:
	var top := 2.0 * STONE
	var ledge := top + 1.5
	w.pedestal(0.0, -6.0, ledge, 5.0)  # its face at z = -3.5
	var places := [Vector3(0.0, 0.5, -2.0), Vector3(0.0, 0.5, -3.0), Vector3(0.0, 1.5, -3.0)]
	var stones := []
	for i in range(places.size()):
		stones.append(w.heavy(i + 1, "stone", places[i]))
	w.spawn_player(Vector3(0.0, 0.0, 1.0))
	for _i in range(15):
		yield()
	var highest_on_stone := 0.0
	w.set_action({C.ACTION_HEAD_Z: WALK, C.ACTION_JUMP: 1.0})
	for _i in range(80):
		yield()
		var feet: Vector3 = w.feet()
		if feet.z > -3.5:
			var on_floor: bool = w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0
			if on_floor:
				highest_on_stone = max(highest_on_stone, feet.y)
		elif w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0:
			break
	w.clear_action()
	for _i in range(SETTLE_TICKS):
		yield()
	print("stairs: highest stand on the stones %.3f m, feet %s" % [highest_on_stone, w.feet()])
	w.near("stood on the top stone's shell", highest_on_stone, top + SHELL_TOP, 0.05)
	w.near("ended on the ledge 1.5 m above the top stone", w.feet().y, ledge, 0.05)
	w.check("beyond its edge", w.feet().z < -3.6, str(w.feet()))
	var worst := 0.0
	for i in range(stones.size()):
		worst = max(worst, stones[i].global_transform.origin.distance_to(places[i]))
	w.check("the stair did not move", worst < 0.05, "worst move %.3f m" % worst)
	w.finish()


# A log lying on the near rim is grabbed by its near end, carried 2.1 m forward (so it spans the
# 3 m chasm), laid down (released), and walked across: the body jumps onto it (1.4 m), walks along
# its top and drops onto the far rim. The log turns static under the body and stays put.
func scenario_log_bridge(w) -> void:
	var depth := 3.0
	var near_z := -3.0
	var gap := 3.0
	w.chasm(depth, near_z, gap)
	# Along -z (yaw 90 turns the local x axis to -z), near end at z = 0.8, centre on the rim.
	var start := Vector3(0.5, depth + LOG_RADIUS, -2.4)
	var log_item: RigidBody = w.heavy(1, "log", start, {}, 90.0)
	w.spawn_player(Vector3(0.0, depth, 1.5))
	for _i in range(SETTLE_TICKS):
		yield()
	w.near("the log rests on the rim", log_item.global_transform.origin.y, start.y, 0.03)
	# The right hand (0.5, depth + 1.5, 1.0) goes to (0.3, depth + 1.5, 0.75), over the log's near
	# end (within the 1 m reach of the head), and grabs.
	w.set_action({C.ACTION_RIGHT_HAND_X: -0.2, C.ACTION_RIGHT_HAND_Z: -0.25})
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("the hand holds the log", w.player.get_held_item(1) == log_item)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_HEAD_Z: WALK})
	for _i in range(7):
		yield()
	var carried: Vector3 = log_item.global_transform.origin - start
	w.near("carried 2.1 m forward", -carried.z, 2.1, 0.05)
	w.clear_action()
	yield()
	w.check("laid down", w.player.get_held_item(1) == null and not log_item.is_held)
	for _i in range(40):
		yield()
	var laid: Vector3 = log_item.global_transform.origin
	print("log laid at %s" % laid)
	w.near("it rests on both rims", laid.y, depth + LOG_RADIUS, 0.05)
	w.near("centred over the chasm", laid.z, near_z - gap / 2.0, 0.3)
	# Onto its axis (x = 0.5), then forward with jump held until on the far rim.
	w.set_action({C.ACTION_HEAD_X: 1.0})
	yield()
	w.set_action({C.ACTION_HEAD_X: 2.0 / 3.0})
	yield()
	var highest := 0.0
	w.set_action({C.ACTION_HEAD_Z: WALK, C.ACTION_JUMP: 1.0})
	for _i in range(60):
		yield()
		var on_floor: bool = w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0
		if on_floor:
			highest = max(highest, w.feet().y)
		if w.feet().z < laid.z - 3.4 and on_floor:
			break
	w.clear_action()
	for _i in range(SETTLE_TICKS):
		yield()
	print("log: highest stand %.3f m, feet %s" % [highest, w.feet()])
	w.near("walked on the log's top", highest, depth + 2.0 * LOG_RADIUS, 0.1)
	w.check("crossed to the far rim", w.feet().z < near_z - gap, str(w.feet()))
	w.near("standing on the far rim", w.feet().y, depth, 0.05)
	w.check("the log turned static", log_item.is_frozen())
	var moved: float = log_item.global_transform.origin.distance_to(laid)
	w.check("the log stayed put", moved < 0.05, "moved %.3f m" % moved)
	w.finish()
