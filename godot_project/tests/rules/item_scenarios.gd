# Rule scenarios of the hands and items: grabbing, eating, throwing, opening foods, trees and rocks.
# Every `scenario_*` method gets a fresh rule_world.gd `w`, sets `w.action` and `yield()`s once per
# physics tick (see rule_driver.gd); its last line is `w.finish()`. Yaw 0 looks along -Z; the right
# hand rests at head + (0.5, -0.5, -0.5); the head of a standing agent is 2 m above the feet; the
# floor's top is at y = 0.
extends Reference

const C = preload("res://generated/constants.gd")

const SETTLE_TICKS = 3
const HEAD = Vector3(0.0, 2.0, 0.0)  # head of an agent standing at the origin
const HAND = Vector3(0.5, 1.5, -0.5)  # right hand of an agent standing at the origin, yaw 0
const NEAR_HAND = HAND + Vector3(0.0, 0.0, -0.1)
# 0.6 m in front of the right hand: a food centred here is within the hand's reach (an r 0.5 apple's
# shape is 0.1 m from it) and 1.3 m from the head, out of the mouth's reach.
const REACH = HAND + Vector3(0.0, 0.0, -0.6)
const FOOD_R = 0.5  # radius of an apple or orange
const AVOCADO_R = 0.4  # radius of the avocado's capsule


func scenario_grab_and_eat(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var apple: RigidBody = w.food_on_pedestal(7, "apple", REACH, FOOD_R, {"opened": true})
	for _i in range(SETTLE_TICKS):
		yield()
	w.check("apple not held before grasping", not w.has_flag(apple, C.ENTITY_FLAG_HELD))
	w.check("apple edible", w.has_flag(apple, C.ENTITY_FLAG_EDIBLE))
	var obs: Dictionary = w.observe()
	w.check("right hand touching the apple", obs["proprio"][C.PROPRIO_RIGHT_HAND_TOUCHING] == 1.0)
	w.check("left hand touching nothing", obs["proprio"][C.PROPRIO_LEFT_HAND_TOUCHING] == 0.0)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	obs = w.observe()
	w.check("grasp grabs the apple 0.6 m away", w.player.get_held_item(1) == apple)
	w.check("state right_held_id", obs["state"][C.STATE_RIGHT_HELD_ID] == 7.0)
	w.check("proprio right hand holding", obs["proprio"][C.PROPRIO_RIGHT_HAND_HOLDING] == 1.0)
	w.check("apple flag HELD", w.has_flag(apple, C.ENTITY_FLAG_HELD))
	w.check("not eaten at arm's length", not w.has_flag(apple, C.ENTITY_FLAG_EATEN))
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	var offset: Vector3 = apple.global_transform.origin - w.player.get_hand_transform(1).origin
	w.near("held apple follows the hand", offset.length(), 0.6, 0.02)
	w.set_action(
		{
			C.ACTION_RIGHT_GRASP: 1.0,
			C.ACTION_RIGHT_HAND_X: -0.5,
			C.ACTION_RIGHT_HAND_Y: 0.3,
			C.ACTION_RIGHT_HAND_Z: 0.3,
		}
	)
	yield()
	obs = w.observe()
	w.check("apple at the head is eaten", w.has_flag(apple, C.ENTITY_FLAG_EATEN))
	w.check("eaten apple hidden", not apple.visible)
	w.near("hit points +1", obs["state"][C.STATE_HIT_POINTS], C.STARTING_HIT_POINTS + 1.0, 1e-5)
	w.near(
		"gained from eating this tick",
		obs["proprio"][C.PROPRIO_HIT_POINTS_GAINED_FROM_EATING],
		1.0,
		1e-5
	)
	w.check("food_eaten signal", w.eaten == [[7, 1.0]], str(w.eaten))
	w.check("hand empty after eating", obs["state"][C.STATE_RIGHT_HELD_ID] == 0.0)
	yield()
	w.near(
		"gain counted once", w.observe()["state"][C.STATE_HIT_POINTS_GAINED_FROM_EATING], 0.0, 0.0
	)
	w.finish()


# The eat rule is an overlap: a held apple (r 0.5) touches the head's 0.5 m sphere when its centre
# is within 1.0 m of the head's. Held 1.1 m in front of the head it stays; 0.9 m away it is eaten.
func scenario_eat_distance(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var at := HEAD + Vector3(0.0, 0.0, -1.1)
	var apple: RigidBody = w.food_on_pedestal(1, "apple", at, FOOD_R, {"opened": true})
	for _i in range(SETTLE_TICKS):
		yield()
	# Right hand from (0.5, -0.5, -0.5) to (0, 0, -0.6) in the head frame: inside the apple.
	w.set_action(
		{
			C.ACTION_RIGHT_GRASP: 1.0,
			C.ACTION_RIGHT_HAND_X: -0.5,
			C.ACTION_RIGHT_HAND_Y: 0.5,
			C.ACTION_RIGHT_HAND_Z: -0.1,
		}
	)
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	for _i in range(3):
		yield()
	w.check("apple held", w.player.get_held_item(1) == apple)
	var distance: float = apple.global_transform.origin.distance_to(
		w.player.get_head_transform().origin
	)
	w.near("held apple's centre 1.1 m from the head's", distance, 1.1, 0.01)
	w.check(
		"an apple held 1.1 m from the head is not eaten", not w.has_flag(apple, C.ENTITY_FLAG_EATEN)
	)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_Z: 0.2})
	yield()
	distance = apple.global_transform.origin.distance_to(w.player.get_head_transform().origin)
	w.near("then its centre 0.9 m from the head's", distance, 0.9, 0.01)
	w.check("an apple held 0.9 m from the head is eaten", w.has_flag(apple, C.ENTITY_FLAG_EATEN))
	w.finish()


# The grab rule is an overlap: the hand's 0.15 m sphere reaches an apple (r 0.5) whose centre is
# within 0.65 m. At 0.7 m the grasp closes on nothing; 0.6 m away it takes the apple.
func scenario_grab_distance(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var at := HAND + Vector3(0.0, 0.0, -0.7)
	var apple: RigidBody = w.food_on_pedestal(1, "apple", at, FOOD_R, {"opened": true})
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	var obs: Dictionary = w.observe()
	var distance: float = apple.global_transform.origin.distance_to(
		w.player.get_hand_transform(1).origin
	)
	w.near("hand 0.7 m from the apple's centre", distance, 0.7, 0.005)
	w.check(
		"a hand 0.7 m from an apple's centre does not grab it", w.player.get_held_item(1) == null
	)
	w.check("nor touches it", obs["proprio"][C.PROPRIO_RIGHT_HAND_TOUCHING] == 0.0)
	w.set_action({C.ACTION_RIGHT_HAND_Z: -0.1})
	yield()
	distance = apple.global_transform.origin.distance_to(w.player.get_hand_transform(1).origin)
	w.near("hand 0.6 m from the apple's centre", distance, 0.6, 0.005)
	w.check("touching it", w.observe()["proprio"][C.PROPRIO_RIGHT_HAND_TOUCHING] == 1.0)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("a hand 0.6 m from an apple's centre grabs it", w.player.get_held_item(1) == apple)
	w.finish()


func scenario_unopened_not_eaten(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var orange: RigidBody = w.food_on_pedestal(3, "orange", REACH, FOOD_R)
	for _i in range(SETTLE_TICKS):
		yield()
	w.check("closed orange flagged UNOPENED", w.has_flag(orange, C.ENTITY_FLAG_UNOPENED))
	w.check("closed orange not EDIBLE", not w.has_flag(orange, C.ENTITY_FLAG_EDIBLE))
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.set_action(
		{C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_X: -0.5, C.ACTION_RIGHT_HAND_Z: 0.4}
	)
	yield()
	w.check("closed orange held at the head", w.player.get_held_item(1) == orange)
	w.check("closed orange not eaten", not w.has_flag(orange, C.ENTITY_FLAG_EATEN))
	w.near("hit points unchanged", w.observe()["state"][C.STATE_HIT_POINTS], 1.0, 0.0)
	w.finish()


func scenario_throw(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var rock: RigidBody = w.rock_on_pedestal(5, NEAR_HAND)
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("rock grabbed", w.player.get_held_item(1) == rock)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_Z: 0.5})
	yield()
	w.set_action({C.ACTION_RIGHT_HAND_Z: -1.0})
	yield()
	w.check("released", w.player.get_held_item(1) == null and not rock.is_held)
	w.check(
		"thrown rock flies forward",
		rock.linear_velocity.z < -5.0,
		"velocity %s" % rock.linear_velocity
	)
	w.clear_action()
	for _i in range(8):
		yield()
	w.check(
		"thrown rock lands far ahead",
		rock.global_transform.origin.z < -3.0,
		"at %s" % rock.global_transform.origin
	)
	w.finish()


func scenario_fig_squish(w) -> void:
	var dropped: RigidBody = w.food(1, "fig", Vector3(0.0, 3.0, 0.0), {"opened": true})
	var resting: RigidBody = w.food(2, "fig", Vector3(2.0, 0.6, 0.0), {"opened": true})
	var apple: RigidBody = w.food(3, "apple", Vector3(4.0, 3.0, 0.0), {"opened": true})
	for _i in range(15):
		yield()
	w.check("fig dropped from 3 m is squished", w.has_flag(dropped, C.ENTITY_FLAG_DESTROYED))
	w.check("squished fig hidden and inedible", not dropped.visible and not dropped.is_edible())
	w.check("fig lying on the ground is intact", not w.has_flag(resting, C.ENTITY_FLAG_DESTROYED))
	w.check("apple dropped from 3 m is intact", w.has_flag(apple, C.ENTITY_FLAG_EDIBLE))
	w.finish()


func scenario_orange_opens(w) -> void:
	var dropped: RigidBody = w.food(1, "orange", Vector3(0.0, 2.0, 0.0))
	var resting: RigidBody = w.food(2, "orange", Vector3(2.0, FOOD_R, 0.0))
	var coconut_low: RigidBody = w.food(3, "coconut", Vector3(4.0, 1.1, 0.0))
	var coconut_high: RigidBody = w.food(4, "coconut", Vector3(6.0, 5.0, 0.0))
	w.check("orange starts UNOPENED", w.has_flag(dropped, C.ENTITY_FLAG_UNOPENED))
	for _i in range(15):
		yield()
	w.check("orange dropped from 2 m opens", not w.has_flag(dropped, C.ENTITY_FLAG_UNOPENED))
	w.check("opened orange is EDIBLE", w.has_flag(dropped, C.ENTITY_FLAG_EDIBLE))
	w.check("orange lying on the ground stays closed", w.has_flag(resting, C.ENTITY_FLAG_UNOPENED))
	w.check("coconut dropped 0.6 m stays closed", w.has_flag(coconut_low, C.ENTITY_FLAG_UNOPENED))
	w.check("coconut dropped from 5 m opens", not w.has_flag(coconut_high, C.ENTITY_FLAG_UNOPENED))
	w.finish()


func scenario_avocado_needs_rock(w) -> void:
	var avocado: RigidBody = w.food(1, "avocado", Vector3(0.0, 2.0, 0.0))
	for _i in range(15):
		yield()
	w.check("avocado dropped from 2 m stays closed", w.has_flag(avocado, C.ENTITY_FLAG_UNOPENED))
	var target: Vector3 = avocado.global_transform.origin
	var rock: RigidBody = w.rock(2, target + Vector3(-1.5, 0.15, 0.0), 0.3)
	rock.release(Vector3(8.0, 1.0, 0.0))
	for _i in range(10):
		yield()
	w.check("avocado hit by a thrown rock opens", not w.has_flag(avocado, C.ENTITY_FLAG_UNOPENED))
	w.check("opened avocado is EDIBLE", w.has_flag(avocado, C.ENTITY_FLAG_EDIBLE))
	w.finish()


func scenario_tree_food(w) -> void:
	var hanging: RigidBody = w.food(
		1, "apple", Vector3(0.0, 2.5, 0.0), {"attached": true, "opened": true}
	)
	var honeycomb: RigidBody = w.food(
		2, "honeycomb", Vector3(3.0, 2.5, 0.0), {"attached": true, "opened": true}
	)
	for _i in range(10):
		yield()
	w.near("attached apple stays on the tree", hanging.global_transform.origin.y, 2.5, 0.01)
	w.check("attached apple flagged ATTACHED", w.has_flag(hanging, C.ENTITY_FLAG_ATTACHED))
	w.check("attached honeycomb stays clean", not w.has_flag(honeycomb, C.ENTITY_FLAG_DESTROYED))
	var rock: RigidBody = w.rock(3, Vector3(1.5, 2.5, 0.0), 0.3)
	rock.release(Vector3(8.0, 0.5, 0.0))
	for _i in range(15):
		yield()
	w.check("honeycomb hit by a rock is plucked", not w.has_flag(honeycomb, C.ENTITY_FLAG_ATTACHED))
	w.check("honeycomb on the ground is dirty", w.has_flag(honeycomb, C.ENTITY_FLAG_DESTROYED))
	w.check("dirty honeycomb stays visible", honeycomb.visible)
	w.check("dirty honeycomb inedible", not w.has_flag(honeycomb, C.ENTITY_FLAG_EDIBLE))
	w.finish()


func scenario_pluck_by_grab(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var apple: RigidBody = w.food(1, "apple", REACH, {"attached": true, "opened": true})
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("grabbing plucks attached food", not w.has_flag(apple, C.ENTITY_FLAG_ATTACHED))
	w.check("plucked apple held", w.has_flag(apple, C.ENTITY_FLAG_HELD))
	w.clear_action()
	for _i in range(12):
		yield()
	w.check(
		"released apple falls to the floor",
		apple.global_transform.origin.y < FOOD_R + 0.05,
		"y %.3f" % apple.global_transform.origin.y
	)
	w.finish()


func scenario_carrot(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var carrot: RigidBody = w.food(4, "carrot", REACH, {"buried": true, "opened": true})
	for _i in range(SETTLE_TICKS):
		yield()
	w.check("carrot BURIED", w.has_flag(carrot, C.ENTITY_FLAG_BURIED))
	w.check("buried carrot not EDIBLE", not w.has_flag(carrot, C.ENTITY_FLAG_EDIBLE))
	w.near("buried carrot does not move", carrot.global_transform.origin.y, REACH.y, 1e-4)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("grab pulls the carrot out", not w.has_flag(carrot, C.ENTITY_FLAG_BURIED))
	w.check(
		"pulled carrot held and EDIBLE",
		w.has_flag(carrot, C.ENTITY_FLAG_HELD | C.ENTITY_FLAG_EDIBLE)
	)
	w.set_action(
		{C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_X: -0.5, C.ACTION_RIGHT_HAND_Z: 0.4}
	)
	yield()
	w.check("carrot eaten", w.has_flag(carrot, C.ENTITY_FLAG_EATEN))
	w.near("hit points +1", w.observe()["state"][C.STATE_HIT_POINTS], 2.0, 1e-5)
	w.finish()


func scenario_smash_avocado_with_held_rock(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var rock: RigidBody = w.rock_on_pedestal(1, NEAR_HAND)
	# An avocado lying across the way (its capsule along x), its near side 0.2 m beyond the rock.
	var target := Vector3(0.4, 1.6, -1.35)
	var avocado: RigidBody = w.food_on_pedestal(2, "avocado", target, AVOCADO_R, {"yaw": 90.0}, 0.2)
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("rock grabbed", w.player.get_held_item(1) == rock)
	w.check("avocado untouched so far", w.has_flag(avocado, C.ENTITY_FLAG_UNOPENED))
	w.set_action(
		{
			C.ACTION_RIGHT_GRASP: 1.0,
			C.ACTION_RIGHT_HAND_X: -0.1,
			C.ACTION_RIGHT_HAND_Y: 0.1,
			C.ACTION_RIGHT_HAND_Z: -0.4,
		}
	)
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	for _i in range(3):
		yield()
	w.check(
		"avocado smashed with a held rock opens", not w.has_flag(avocado, C.ENTITY_FLAG_UNOPENED)
	)
	w.finish()


func scenario_smash_held_avocado_on_rock(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var held_at := Vector3(0.5, 1.5, -0.8)  # around the right hand, clear of the body
	var avocado: RigidBody = w.food_on_pedestal(1, "avocado", held_at, AVOCADO_R, {"yaw": 90.0})
	var target := Vector3(0.4, 1.6, -1.6)  # 0.25 m beyond the avocado
	var rock: RigidBody = w.rock_on_pedestal(2, target, 0.2)
	var orange: RigidBody = w.food_on_pedestal(3, "orange", Vector3(-0.7, 1.5, -0.9), FOOD_R)
	for _i in range(SETTLE_TICKS + 5):
		yield()
	w.check("rock resting", rock.sleeping or rock.linear_velocity.length() < 0.05)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_LEFT_GRASP: 1.0})
	yield()
	w.check("avocado grabbed", w.player.get_held_item(1) == avocado)
	w.check("orange grabbed", w.player.get_held_item(0) == orange)
	w.set_action(
		{
			C.ACTION_RIGHT_GRASP: 1.0,
			C.ACTION_RIGHT_HAND_X: -0.1,
			C.ACTION_RIGHT_HAND_Y: 0.1,
			C.ACTION_RIGHT_HAND_Z: -0.4,
			C.ACTION_LEFT_GRASP: 1.0,
			C.ACTION_LEFT_HAND_Y: 0.3,
		}
	)
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_LEFT_GRASP: 1.0})
	for _i in range(3):
		yield()
	w.check("held avocado smashed on a rock opens", not w.has_flag(avocado, C.ENTITY_FLAG_UNOPENED))
	w.check("orange waved in the air stays closed", w.has_flag(orange, C.ENTITY_FLAG_UNOPENED))
	w.finish()
