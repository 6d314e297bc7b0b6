# Rule scenarios of climbing (docs/body.md, "Climbing"): up a climbable cliff, nothing to hold on
# an unclimbable one, down without damage, a fall from high after letting go, onto the ledge at
# the top, up a tree trunk. The cliffs come from rule_world.gd's `cliff` (a real heightmap with a
# climb map): flat at y = 0 in front, the face rising along -z from z = FACE_Z. The agent starts in
# front of it, looking at it (yaw 0 looks along -z), and climbs hand over hand: one hand takes a
# hold above (or below) the head while the other still holds, then lets the other go and pulls.
extends Reference

const C = preload("res://generated/constants.gd")

const LEFT = 0
const RIGHT = 1
const HAND_ACTION = [C.ACTION_LEFT_HAND_X, C.ACTION_RIGHT_HAND_X]
const GRASP = [C.ACTION_LEFT_GRASP, C.ACTION_RIGHT_GRASP]
const HOLDING = [C.PROPRIO_LEFT_HAND_HOLDING, C.PROPRIO_RIGHT_HAND_HOLDING]
const TOUCHING = [C.PROPRIO_LEFT_HAND_TOUCHING, C.PROPRIO_RIGHT_HAND_TOUCHING]
const FACE_Z = 0.0
const START = Vector3(0.0, 0.0, 0.3)  # feet, 0.3 m in front of the foot of the face
const SETTLE_TICKS = 3
# Where a hand reaches for a hold (head frame, right hand; the left mirrors x), in order of
# preference: above the head, straight ahead, ahead and down (over a ledge, onto its top).
const UP_HOLDS = [Vector3(0.15, 0.75, -0.6), Vector3(0.15, 0.0, -0.95), Vector3(0.15, -0.5, -0.8)]
const DOWN_HOLDS = [Vector3(0.15, -0.75, -0.6), Vector3(0.15, -0.4, -0.85)]
const LIP_HOLD = Vector3(0.1, -0.9, -0.35)  # steeply down, onto the lip just ahead
# A holding hand's move per tick (head frame): down and back pulls the body up and towards the
# face; up and back lowers it along the face.
const PULL_UP = Vector3(0.0, -0.5, 0.2)
const PULL_DOWN = Vector3(0.0, 0.5, 0.2)
const REACH_TICKS = 3
const MAX_PULL_TICKS = 6
const STUCK = 0.02  # m per tick: a pull that gains less than this has reached the end of the arm


func scenario_climb_cliff(w) -> void:
	w.cliff(8.0, FACE_Z, true)
	w.spawn_player(START)
	for _i in range(SETTLE_TICKS):
		yield()
	var start: Vector3 = w.feet()
	var climb = climb_up_or_down(w, true, start.y + 3.0, 6)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	var holds: Array = climb
	w.check("climbs hand over hand", not holds.empty(), "lost every hold")
	w.check("gains 3 m up the face", w.feet().y - start.y >= 3.0, "feet at %.2f" % w.feet().y)
	w.check("hangs while holding", w.player.is_climbing())
	var side: int = holds[-1] if not holds.empty() else RIGHT
	var obs: Dictionary = w.observe()
	w.check("the holding hand is 'holding'", obs["proprio"][HOLDING[side]] == 1.0)
	w.check("the holding hand is 'touching'", obs["proprio"][TOUCHING[side]] == 1.0)
	w.check("a hold is no item", obs["state"][C.STATE_LEFT_HELD_ID + side] == 0.0)
	w.check("not on the floor while hanging", obs["state"][C.STATE_IS_ON_FLOOR] == 0.0)
	# No gravity while holding: nothing pressed but the grasp, the body stays.
	var hang: Vector3 = w.feet()
	w.set_action({GRASP[side]: 1.0, C.ACTION_JUMP: 1.0, C.ACTION_HEAD_Z: -1.0})
	for _i in range(3):
		yield()
	w.near("hangs without sliding down", w.feet().y, hang.y, 0.001)
	w.near("walking and jumping do nothing while hanging", w.feet().z, hang.z, 0.001)
	# Reach: pulling on and on stops where the arm is straight.
	var hold: Vector3 = w.player.get_hand_transform(side).origin
	for _i in range(4):
		w.set_action({GRASP[side]: 1.0, HAND_ACTION[side] + 1: -1.0})
		yield()
	var hand: Vector3 = w.player.get_hand_transform(side).origin
	var head: Vector3 = w.player.get_head_transform().origin
	w.check(
		"the hold stays within arm's length",
		hand.distance_to(head) <= C.ARM_LENGTH + 0.002,
		"%.3f m" % hand.distance_to(head)
	)
	w.check("the hand stays where it holds", hand.is_equal_approx(hold))
	w.finish()


# Two hands pull no faster than one: the body moves by the mean of their moves.
func scenario_climb_two_hands(w) -> void:
	w.cliff(8.0, FACE_Z, true)
	w.spawn_player(START)
	for _i in range(SETTLE_TICKS):
		yield()
	for _i in range(REACH_TICKS):
		var values := {}
		for side in [LEFT, RIGHT]:
			_reach(w, values, side, Vector3(0.2, 0.3, -0.8))
		w.set_action(values)
		yield()
	var obs: Dictionary = w.observe()
	w.check(
		"both hands hold",
		obs["proprio"][HOLDING[LEFT]] == 1.0 and obs["proprio"][HOLDING[RIGHT]] == 1.0
	)
	var before: Vector3 = w.feet()
	w.set_action(
		{
			GRASP[LEFT]: 1.0,
			GRASP[RIGHT]: 1.0,
			HAND_ACTION[LEFT] + 1: -0.3,
			HAND_ACTION[RIGHT] + 1: -0.3,
		}
	)
	yield()
	w.near("two hands 0.3 m down: the body rises 0.3 m", w.feet().y - before.y, 0.3, 0.01)
	before = w.feet()
	w.set_action({GRASP[LEFT]: 1.0, GRASP[RIGHT]: 1.0, HAND_ACTION[LEFT] + 1: -0.3})
	yield()
	w.near("one of two hands 0.3 m down: 0.15 m", w.feet().y - before.y, 0.15, 0.01)
	w.finish()


func scenario_climb_unclimbable(w) -> void:
	w.cliff(8.0, FACE_Z, false)
	w.spawn_player(START)
	for _i in range(SETTLE_TICKS):
		yield()
	var start: Vector3 = w.feet()
	var held := false
	for hold in UP_HOLDS:
		for _i in range(REACH_TICKS):
			var values := {}
			_reach(w, values, RIGHT, hold)
			w.set_action(values)
			yield()
			held = held or w.observe()["proprio"][HOLDING[RIGHT]] == 1.0
	w.check("no hold on an unclimbable face", not held and not w.player.is_climbing())
	for _i in range(3):
		w.set_action({GRASP[RIGHT]: 1.0, HAND_ACTION[RIGHT] + 1: -0.5})
		yield()
	w.near("pulling gains no height", w.feet().y, start.y, 0.01)
	w.check("still standing", w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0)
	w.finish()


# Up to 5 m, back down hand over hand, let go with the feet under a metre up: no damage.
func scenario_climb_down(w) -> void:
	w.cliff(8.0, FACE_Z, true)
	w.spawn_player(START)
	for _i in range(SETTLE_TICKS):
		yield()
	var climb = climb_up_or_down(w, true, 5.0, 8)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	w.check("up to 5 m", w.feet().y >= 5.0, "feet at %.2f" % w.feet().y)
	climb = climb_up_or_down(w, false, 0.8, 10)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	w.check("down below 0.8 m", w.feet().y <= 0.8, "feet at %.2f" % w.feet().y)
	w.check("still holding on", w.player.is_climbing())
	w.clear_action()
	var damage := 0.0
	for _i in range(10):
		yield()
		damage += w.observe()["proprio"][C.PROPRIO_FALL_DAMAGE]
	w.near("lands at the foot", w.feet().y, 0.0, 0.06)
	w.near("no fall damage", damage, 0.0, 0.0)
	w.near("full hit points", w.player.hit_points, C.STARTING_HIT_POINTS, 0.0)
	w.check("standing again", w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0)
	w.finish()


# From the top: crouched at the edge, a hand takes hold of the lip (a floor-like surface counts
# there: the ground beyond it drops away), the body lowers itself over it and down the face.
func scenario_climb_down_from_top(w) -> void:
	var top := 6.0
	w.cliff(top, FACE_Z, true)
	# looking along +z, over the drop
	w.spawn_player(Vector3(0.0, top, FACE_Z - w.CLIFF_RUN - 0.15), 180.0)
	for _i in range(SETTLE_TICKS + 6):
		w.set_action({C.ACTION_HEAD_Y: -1.0})
		yield()
	var held := false
	for _i in range(REACH_TICKS):
		var values := {}
		_reach(w, values, RIGHT, LIP_HOLD)
		w.set_action(values)
		yield()
		held = w.observe()["proprio"][HOLDING[RIGHT]] == 1.0
		if held:
			break
	w.check("a hand holds the lip", held and w.player.is_climbing())
	var hold: Vector3 = w.player.get_hand_transform(RIGHT).origin
	w.near("the hold is on the top", hold.y, top, 0.01)
	for _i in range(4):  # over the lip: the floor stops the downward part, the rest slides out
		var values := {GRASP[RIGHT]: 1.0}
		_put(values, HAND_ACTION[RIGHT], PULL_DOWN)
		w.set_action(values)
		yield()
	w.check("over the edge and below the top", w.feet().y < top - 0.5, "feet at %.2f" % w.feet().y)
	w.set_action({GRASP[RIGHT]: 1.0, C.ACTION_HEAD_YAW: 1.0})
	for _i in range(18):  # turn to face the cliff, hanging on
		yield()
	w.check(
		"turning keeps the hold", w.player.get_hand_transform(RIGHT).origin.is_equal_approx(hold)
	)
	var climb = climb_up_or_down(w, false, 0.8, 12)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	w.check("down below 0.8 m", w.feet().y <= 0.8, "feet at %.2f" % w.feet().y)
	w.clear_action()
	var damage := 0.0
	for _i in range(10):
		yield()
		damage += w.observe()["proprio"][C.PROPRIO_FALL_DAMAGE]
	w.check("at the foot, in front of the face", w.feet().y < 0.1 and w.feet().z > FACE_Z)
	w.near("no fall damage", damage, 0.0, 0.0)
	w.finish()


# Standing on flat ground nothing is held: the ground is no lip.
func scenario_climb_no_hold_on_flat_ground(w) -> void:
	w.cliff(6.0, FACE_Z, true)
	w.spawn_player(START + Vector3(0.0, 0.0, 3.0))
	for _i in range(SETTLE_TICKS + 6):
		w.set_action({C.ACTION_HEAD_Y: -1.0})  # crouch: the head 0.2 m above the ground
		yield()
	for _i in range(REACH_TICKS):
		var values := {}
		_reach(w, values, RIGHT, Vector3(0.1, -0.3, -0.5))  # just into the ground
		w.set_action(values)
		yield()
	var obs: Dictionary = w.observe()
	w.check("the hand touches the ground", obs["proprio"][TOUCHING[RIGHT]] == 1.0)
	w.check(
		"but holds nothing", obs["proprio"][HOLDING[RIGHT]] == 0.0 and not w.player.is_climbing()
	)
	w.finish()


# Letting go 7 m up is a 7 m fall: landing at ~11.8 m/s does damage.
func scenario_climb_fall(w) -> void:
	w.cliff(10.0, FACE_Z, true)
	w.spawn_player(START)
	for _i in range(SETTLE_TICKS):
		yield()
	var climb = climb_up_or_down(w, true, 7.0, 10)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	var height: float = w.feet().y
	w.check("up to 7 m", height >= 7.0, "feet at %.2f" % height)
	w.near("no damage while climbing", w.player.hit_points, C.STARTING_HIT_POINTS, 0.0)
	w.clear_action()
	var damage := 0.0
	for _i in range(20):
		yield()
		damage += w.observe()["proprio"][C.PROPRIO_FALL_DAMAGE]
	w.check("falls when letting go", w.feet().y < 0.1, "feet at %.2f" % w.feet().y)
	w.check("the landing hurts", damage > 0.0, "damage %.4f after %.2f m" % [damage, height])
	w.finish()


# At the top the body steps up onto the plateau and lets go; it stands there and walks on.
func scenario_climb_ledge(w) -> void:
	var top := 3.0
	w.cliff(top, FACE_Z, true)
	w.spawn_player(START)
	for _i in range(SETTLE_TICKS):
		yield()
	var climb = climb_up_or_down(w, true, top + 1.0, 6)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	w.check("let go at the top", not w.player.is_climbing())
	w.clear_action()
	for _i in range(SETTLE_TICKS):
		yield()
	var feet: Vector3 = w.feet()
	# (Bullet keeps bodies a collision margin, ~4 cm, above a heightmap.)
	w.near("feet on the plateau", feet.y, top, 0.06)
	w.check("over the plateau, not the face", feet.z < FACE_Z - w.CLIFF_RUN, "z %.2f" % feet.z)
	var obs: Dictionary = w.observe()
	w.check("standing", obs["state"][C.STATE_IS_ON_FLOOR] == 1.0)
	w.near("no damage", w.player.hit_points, C.STARTING_HIT_POINTS, 0.0)
	w.set_action({C.ACTION_HEAD_Z: -1.0})
	for _i in range(5):
		yield()
	w.near("walks on: 5 ticks forward", w.feet().z - feet.z, -1.5, 0.1)
	w.near("walks on: on the plateau", w.feet().y, top, 0.06)
	w.finish()


func scenario_climb_tree(w) -> void:
	var tree_height := 8.0  # a trunk 0.28 m in half-width, 4.8 m tall
	w.cliff(0.0, -8.0, true, [[Vector3(0.0, 0.0, -0.3), tree_height]])
	w.spawn_player(Vector3(0.0, 0.0, 0.3))
	for _i in range(SETTLE_TICKS):
		yield()
	var climb = climb_up_or_down(w, true, 2.0, 6)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	w.check("up the trunk 2 m", w.feet().y >= 2.0, "feet at %.2f" % w.feet().y)
	w.check("holding the trunk", w.player.is_climbing())
	w.finish()


# A platform rock (a climbable static entity) on unclimbable ground: the hands hold the rock, the
# body climbs it hand over hand and steps onto its top.
func scenario_climb_platform_rock(w) -> void:
	w.cliff(0.0, -8.0, false)
	var size := Vector3(5.5, 2.5, 6.0)
	var rock: Node = w.add_item(
		{
			"id": 1,
			"kind": "platform_rock",
			"position": Vector3(0.0, size.y / 2.0, FACE_Z - size.z / 2.0),
			"yaw": 0.0,
			"size": size,
		}
	)
	w.check("the rock is climbable", rock != null and rock.is_climbable())
	w.spawn_player(START)
	for _i in range(SETTLE_TICKS):
		yield()
	var climb = climb_up_or_down(w, true, size.y + 1.0, 6)
	while climb is GDScriptFunctionState and climb.is_valid():
		yield()
		climb = climb.resume()
	var holds: Array = climb
	w.check("holds the rock", not holds.empty(), "no hold on the rock")
	w.check("let go on top", not w.player.is_climbing())
	w.clear_action()
	for _i in range(SETTLE_TICKS):
		yield()
	w.near("feet on the rock's top", w.feet().y, size.y, 0.06)
	w.check("over the rock, not in front", w.feet().z < FACE_Z - 0.2, "z %.2f" % w.feet().z)
	w.check("standing", w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0)
	w.finish()


# Climbs hand over hand until the feet are past `target_y` (up or down), the agent lets go (a
# ledge), or `max_holds` holds are used. Each hold: the free hand reaches for one (UP_HOLDS or
# DOWN_HOLDS, in order) while the other keeps holding, then the other lets go and the new hold
# pulls until the arm is straight. Starts from the hand already holding, if any. Returns the sides
# that held, in order ([] if nothing ever held).
func climb_up_or_down(w, up: bool, target_y: float, max_holds: int):
	var holds := []
	var obs: Dictionary = w.observe()
	for side in [LEFT, RIGHT]:
		if obs["proprio"][HOLDING[side]] == 1.0:
			holds.append(side)
	var free := LEFT if not holds.empty() and holds[-1] == RIGHT else RIGHT
	var targets: Array = UP_HOLDS if up else DOWN_HOLDS
	var pull: Vector3 = PULL_UP if up else PULL_DOWN
	for _n in range(max_holds):
		var held := false
		for target in targets:
			for _i in range(REACH_TICKS):
				var values := {}
				if not holds.empty():
					values[GRASP[holds[-1]]] = 1.0
				_reach(w, values, free, target)
				w.set_action(values)
				yield()
				held = w.observe()["proprio"][HOLDING[free]] == 1.0
				if held:
					break
			if held:
				break
		if not held:
			return holds
		if not holds.empty():
			# Let go of the old hold first: at the end of its arm, it would stop the pull.
			w.set_action({GRASP[free]: 1.0})
			yield()
		holds.append(free)
		var last_y: float = w.feet().y
		for _i in range(MAX_PULL_TICKS):
			var values := {GRASP[free]: 1.0}
			_put(values, HAND_ACTION[free], pull)
			w.set_action(values)
			yield()
			var y: float = w.feet().y
			if not w.player.is_climbing() or (y >= target_y if up else y <= target_y):
				return holds
			if abs(y - last_y) < STUCK:
				break
			last_y = y
		free = LEFT if free == RIGHT else RIGHT
	return holds


# Adds to `values` the hand action that moves `side`'s hand towards `target` (head frame, right
# hand; mirrored for the left) by at most a full step, with its grasp pressed on the step that
# arrives (grasping on the way would take hold wherever the line from the head first crosses).
static func _reach(w, values: Dictionary, side: int, target: Vector3) -> void:
	var goal := target * (Vector3(-1.0, 1.0, 1.0) if side == LEFT else Vector3.ONE)
	var head: Transform = w.player.get_head_transform()
	var offset: Vector3 = head.affine_inverse().xform(w.player.get_hand_transform(side).origin)
	var delta := (goal - offset) / C.MAX_HAND_LINEAR_SPEED
	var arrives := delta.length() <= 1.0
	if not arrives:
		delta = delta.normalized()
	_put(values, HAND_ACTION[side], delta)
	values[GRASP[side]] = 1.0 if arrives else 0.0


static func _put(values: Dictionary, first: int, vector: Vector3) -> void:
	values[first] = vector.x
	values[first + 1] = vector.y
	values[first + 2] = vector.z
