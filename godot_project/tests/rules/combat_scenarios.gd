# Rule scenarios of damage both ways (docs/animals.md "Damage, death, eating"): the player's
# weapons against animals (thrown rocks, held sticks, invincibility after a hit, the immune bear),
# predators' bites, grabbing and eating animals. Every `scenario_*` method gets a fresh
# rule_world.gd `w` (see rule_driver.gd). Animals behave as in the game (prey flee, predators
# chase and bite), except where a scenario needs a still target: `_still_animal` holds the
# animal's behaviour (animal.gd `behaviour_enabled`), so it stays exactly where it is put (in the
# air too) and is never active unless the scenario sets `is_active`. Yaw 0 looks along -Z; the
# right hand rests at head + (0.5, -0.5, -0.5); a standing agent's head is 2 m above its feet;
# the floor's top is at y = 0.
extends Reference

const C = preload("res://generated/constants.gd")
const E = preload("res://generated/entities.gd")
const EntityFactory = preload("res://entities/entity_factory.gd")
const WalkingRabbit = preload("res://tests/rules/walking_rabbit.gd")

const RIGHT = 1
const SETTLE_TICKS = 3
const HAND = Vector3(0.5, 1.5, -0.5)  # right hand of an agent standing at the origin, yaw 0
const NEAR_HAND = HAND + Vector3(0.0, 0.0, -0.1)
const ROCK_EDGE = 0.3
const ROCK_SPEED = 8.0  # m/s, a throw
const INSET = 0.05  # m inside a box: a point the hand's sphere surely touches
const MAX_REACH_TICKS = 6


func scenario_thrown_rock_kills_pigeon(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var rock: RigidBody = w.rock_on_pedestal(1, NEAR_HAND, 0.3, ROCK_EDGE)
	var pigeon: RigidBody = _still_animal(w, 2, "pigeon", Vector3(0.5, 1.0, -4.0))
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("rock grabbed", w.player.get_held_item(RIGHT) == rock)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_Z: 0.5})
	yield()
	w.set_action({C.ACTION_RIGHT_HAND_Z: -1.0})
	yield()
	w.check("released in the air: thrown", rock.is_thrown and not rock.is_held)
	w.clear_action()
	for _i in range(10):
		yield()
		if pigeon.is_dead:
			break
	w.check("the thrown rock kills the pigeon", w.has_flag(pigeon, C.ENTITY_FLAG_DEAD))
	w.near("dead pigeon's hit points", pigeon.get_hit_points(), 0.0, 0.0)
	for _i in range(15):
		yield()
	w.check("the dead pigeon falls to the floor", pigeon.global_transform.origin.y < 0.5)
	w.check(
		"and lies on its back",
		pigeon.global_transform.basis.y.y < -0.9,
		"up %s" % pigeon.global_transform.basis.y
	)
	w.finish()


# A rock let go in the air is "thrown" (the original's rule), but one the hand lays on the pigeon
# (touching it) meets it at under THROWN_ROCK_DANGER_SPEED and ROCK_HIT_SPEED and does not hurt
# it. (Let go even 1 cm above, a rock falls 1 m/s in its first tick: a dangerous thrown rock.)
func scenario_rock_dropped_on_pigeon(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var rock: RigidBody = w.rock_on_pedestal(1, NEAR_HAND, 0.3, ROCK_EDGE)
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_Z: -0.4})
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("rock held", w.player.get_held_item(RIGHT) == rock)
	# The pigeon (0.25 m half height) under the rock, touching it (5 mm into it), right of the body.
	var at: Vector3 = rock.global_transform.origin
	var pigeon_at := Vector3(at.x + 0.6, at.y - ROCK_EDGE / 2.0 - 0.25 + 0.005, at.z)
	var pigeon: RigidBody = _still_animal(w, 2, "pigeon", pigeon_at)
	yield()
	w.clear_action()
	yield()
	w.check("released touching no terrain: thrown", rock.is_thrown and not rock.is_held)
	for _i in range(10):
		yield()
	w.near(
		"the rock lies on the pigeon",
		rock.global_transform.origin.y,
		pigeon_at.y + 0.25 + ROCK_EDGE / 2.0,
		0.05
	)
	w.check("the pigeon lives", not pigeon.is_dead and pigeon.get_hit_points() == 1.0)
	# A rock thrown from touching distance at a second pigeon, too slowly to be dangerous (though
	# fast enough against the pigeon: the relative speed rule alone would let it hurt).
	var slow := ROCK_SPEED / 10.0
	var second: RigidBody = _still_animal(w, 3, "pigeon", Vector3(-6.0, 1.5, -3.0))
	var slow_rock: RigidBody = w.rock(4, Vector3(-6.0 - 0.75 - ROCK_EDGE / 2.0 + 0.005, 1.5, -3.0))
	slow_rock.release(Vector3(slow, 0.0, 0.0))
	for _i in range(5):
		yield()
	w.check(
		"a rock thrown at %.1f m/s does not hurt it" % slow,
		slow < C.THROWN_ROCK_DANGER_SPEED and slow >= C.ROCK_HIT_SPEED and not second.is_dead
	)
	w.finish()


func scenario_held_stick_kills_rabbit(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var length := 1.6
	# Lying along -z from the hand, on a pedestal under its middle.
	var stick_at := HAND + Vector3(0.0, 0.0, -length / 2.0)
	w.pedestal(stick_at.x, stick_at.z, stick_at.y - 0.05, 0.2)
	var stick: RigidBody = _stick(w, 1, stick_at, length)
	# The rabbit's near face 0.2 m beyond the stick's tip (the arm's reach ahead is about 0.35 m
	# more); a second one far off to the left.
	var rabbit: RigidBody = _still_animal(
		w, 2, "rabbit", Vector3(0.5, 0.9, HAND.z - length - 0.2 - 0.9)
	)
	var other: RigidBody = _still_animal(w, 3, "rabbit", Vector3(-6.0, 0.9, -3.0))
	var thrown: RigidBody = _stick(w, 4, Vector3(-6.0, 1.0, 0.0), length)
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("stick grabbed", w.player.get_held_item(RIGHT) == stick)
	w.check("rabbit alive while the stick is short of it", not rabbit.is_dead)
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_Z: -0.6})
	thrown.release(Vector3(0.0, 2.0, -ROCK_SPEED))
	for _i in range(3):
		yield()
		w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	w.check("a held stick touching a rabbit kills it", w.has_flag(rabbit, C.ENTITY_FLAG_DEAD))
	w.check("the stick still held", w.player.get_held_item(RIGHT) == stick)
	for _i in range(10):
		yield()
	w.check(
		"a thrown stick hitting a rabbit does not hurt it",
		not other.is_dead and other.get_hit_points() == 1.0
	)
	w.check(
		"(it hit the rabbit: stopped in front of it)",
		thrown.global_transform.origin.z > -2.5,
		"stick at %s" % thrown.global_transform.origin
	)
	w.finish()


# The deer has 2 hit points: a first rock takes one, a second within the invincibility ticks does
# nothing, a third after them kills. Dead, it lies on its flank (not on its tail, where the
# reference's tip about the body's X axis put its long body).
func scenario_deer_two_hits(w) -> void:
	var deer: RigidBody = _animal(w, 1, "deer", Vector3(0.0, 1.8, 0.0))
	w.spawn_player(Vector3(0.0, 0.0, 10.0))
	yield()
	var hit_tick := -1
	_launch_rock(w, 2, deer, -1.0)
	for _i in range(6):
		yield()
		if deer.get_hit_points() < 2.0:
			hit_tick = w.ticks
			break
	w.check("the first rock hurts the deer", deer.get_hit_points() == 1.0 and not deer.is_dead)
	_launch_rock(w, 3, deer, 1.0)
	var second_rock_hit := false
	for _i in range(4):
		yield()
		second_rock_hit = second_rock_hit or deer.get_hit_points() < 1.0
	w.check(
		"a second rock %d ticks later does nothing" % (w.ticks - hit_tick),
		not second_rock_hit and w.ticks - hit_tick < C.ANIMAL_INVINCIBLE_TICKS
	)
	while w.ticks - hit_tick < C.ANIMAL_INVINCIBLE_TICKS:
		yield()
	_launch_rock(w, 4, deer, -1.0)
	for _i in range(6):
		yield()
	w.check("a third rock after the invincibility kills it", w.has_flag(deer, C.ENTITY_FLAG_DEAD))
	for _i in range(20):
		yield()
	var basis: Basis = deer.global_transform.basis
	w.check("the dead deer lies on its flank", abs(basis.x.y) > 0.9, "right axis %s" % basis.x)
	w.check("its forward axis level", abs(basis.z.y) < 0.1, "back axis %s" % basis.z)
	# Its centre 0.6 m up on its flank (a little more on a rock that hit it); 1.8 standing, 1.9 on
	# its tail.
	w.check("down", deer.global_transform.origin.y < 1.0, str(deer.global_transform.origin))
	w.finish()


# A wolf chasing the player (its own behaviour) bites when its snout's box overlaps his body:
# 0.5, then it hops back and rests for 7 ticks (bite_rest), pursuing nobody, ready on the 8th; back
# at his body it bites again, and two bites kill him. (The bites cannot come exactly 8 ticks apart
# here: a wolf hopping back at 2 m/s outruns the overlap, its snout reaching only 0.165 m beyond
# its body. The exact interval of a predator that stays in contact: scenario_hawk_rests.) A wolf
# held inactive (`_still_animal`) with its snout in his body never bites.
func scenario_wolf_bites(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var wolf: RigidBody = _animal(w, 1, "wolf", Vector3(0.0, 1.1, -6.0), 180.0)  # faces him
	# Behind the player, facing him, its snout's box reaching into his body.
	var inactive: RigidBody = _still_animal(w, 2, "wolf", Vector3(0.0, 1.1, 2.1))
	var bites := []  # ticks of the bites
	var rested := []  # is_resting() on each tick after the first bite, until the second
	var gaps := []  # the wolf's distance from the player on those ticks
	var inactive_overlapped := false
	var last := 1.0
	for _i in range(60):
		yield()
		var body: PhysicsBody = w.player.get_body()
		inactive_overlapped = inactive_overlapped or inactive.natural_weapon.overlaps_body(body)
		var now: float = w.player.hit_points
		if now < last:
			bites.append(w.ticks)
			w.near(
				"lost from enemies this tick",
				w.observe()["proprio"][C.PROPRIO_HIT_POINTS_LOST_FROM_ENEMIES],
				0.5,
				1e-6
			)
			w.check("bitten by the wolf that chased him", wolf.is_active and wolf.is_resting())
		elif bites.size() == 1:
			rested.append(wolf.is_resting())
			gaps.append(wolf.player_distance(w.player))
		last = now
		if w.player.is_dead:
			break
	w.check("two bites of 0.5", bites.size() == 2, str(bites))
	if bites.size() == 2:
		w.check("at least 8 ticks apart", bites[1] - bites[0] >= 8, str(bites))
	var resting: bool = rested.size() >= 8 and not (false in rested.slice(0, 6)) and not rested[7]
	w.check("rests the 7 ticks after a bite, ready on the 8th", resting, str(rested))
	w.check(
		"hops back while resting (no pursuit)",
		gaps.size() >= 7 and gaps[6] > gaps[0] + 0.5,
		str(gaps.slice(0, 6) if gaps.size() >= 7 else gaps)
	)
	w.check("two bites kill the player", w.player.is_dead)
	w.check("state is_dead", w.observe()["state"][C.STATE_IS_DEAD] == 1.0)
	w.check(
		"an inactive wolf with its snout in him never bites",
		inactive_overlapped and not inactive.is_active and not inactive.is_resting()
	)
	w.finish()


# The hawk rests 64 ticks after a bite: its bites (0.25) come 65 ticks apart. Its own behaviour
# flies it off to circle while it rests (it comes back whenever it comes back), so this hawk is
# held (`_still_animal`) with its beak in the player's body and set active by hand.
func scenario_hawk_rests(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var hawk: RigidBody = _still_animal(w, 1, "hawk", Vector3(0.0, 1.5, -1.37), 180.0)
	hawk.is_active = true
	var bites := []
	var last := 1.0
	for _i in range(80):
		yield()
		if w.player.hit_points < last:
			bites.append(w.ticks)
		last = w.player.hit_points
	w.check("two bites", bites.size() == 2, str(bites))
	if bites.size() == 2:
		w.check("65 ticks apart", bites[1] - bites[0] == 65, str(bites))
	w.near("of 0.25 each", w.player.hit_points, 0.5, 1e-6)
	w.finish()


# A snake whose snout touches the player (within its 3 m start: it chases at once) bites.
func scenario_snake_bite_kills(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var snake: RigidBody = _animal(w, 1, "snake", Vector3(0.0, 0.3, -1.02), 180.0)
	for _i in range(4):
		yield()
		if w.player.is_dead:
			break
	var obs: Dictionary = w.observe()
	w.near("a snake bite takes 5", obs["proprio"][C.PROPRIO_HIT_POINTS_LOST_FROM_ENEMIES], 5.0, 0.0)
	w.check("and kills a full-health player", w.player.is_dead and w.player.hit_points == 0.0)
	w.check("(a snake that chased him)", snake.is_active and snake.is_resting())
	w.check("state is_dead", obs["state"][C.STATE_IS_DEAD] == 1.0)
	w.finish()


# A bee whose sting touches the player (within its radius: it chases at once) stings and dies.
func scenario_bee_dies_after_sting(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var bee: RigidBody = _animal(w, 1, "bee", Vector3(0.0, 1.5, -1.1), 180.0)
	for _i in range(4):
		yield()
		if bee.is_dead:
			break
	w.near("the sting takes 0.25", w.player.hit_points, 0.75, 1e-6)
	w.check("the bee dies on the tick it stings", w.has_flag(bee, C.ENTITY_FLAG_DEAD))
	for _i in range(10):
		yield()
	w.check("and drops", bee.global_transform.origin.y < 1.0)
	w.near("one sting only", w.player.hit_points, 0.75, 1e-6)
	w.finish()


# Rocks that kill a wolf (2 hit points) do nothing to a bear (500, immune).
func scenario_bear_cannot_be_killed(w) -> void:
	var bear: RigidBody = _animal(w, 1, "bear", Vector3(0.0, 1.7, 0.0))
	var wolf: RigidBody = _animal(w, 2, "wolf", Vector3(12.0, 1.1, 0.0))
	w.spawn_player(Vector3(0.0, 0.0, 12.0))
	yield()
	for i in range(4):
		_launch_rock(w, 10 + 2 * i, bear, -1.0 if i % 2 == 0 else 1.0)
		_launch_rock(w, 11 + 2 * i, wolf, -1.0 if i % 2 == 0 else 1.0)
		for _j in range(C.ANIMAL_INVINCIBLE_TICKS + 3):
			yield()
	w.check("the same rocks kill a wolf", w.has_flag(wolf, C.ENTITY_FLAG_DEAD))
	w.check("the bear lives", not bear.is_dead)
	w.near("with all its hit points", bear.get_hit_points(), 500.0, 0.0)
	w.finish()


func scenario_dead_prey_eaten(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var rabbit: RigidBody = _still_animal(w, 1, "rabbit", Vector3(0.0, 0.9, -1.6))
	yield()
	w.check("a live rabbit is not edible", not w.has_flag(rabbit, C.ENTITY_FLAG_EDIBLE))
	_launch_rock(w, 2, rabbit, 1.0)
	for _i in range(10):
		yield()
	w.check("the rabbit is killed", w.has_flag(rabbit, C.ENTITY_FLAG_DEAD))
	w.check("a dead rabbit is edible", w.has_flag(rabbit, C.ENTITY_FLAG_EDIBLE))
	var got = _grab(w, rabbit)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("the dead rabbit grabbed", w.player.get_held_item(RIGHT) == rabbit)
	got = _eat(w, rabbit)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("eaten", w.has_flag(rabbit, C.ENTITY_FLAG_EATEN) and not rabbit.visible)
	w.check("food_eaten signal", w.eaten == [[1, 1.0]], str(w.eaten))
	w.near("hit points +1", w.observe()["state"][C.STATE_HIT_POINTS], 2.0, 1e-6)
	w.finish()


# Eating a live frog kills it and gives nothing; grabbed again and eaten it gives 1.
func scenario_frog_eaten_alive(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var frog: RigidBody = _still_animal(w, 1, "frog", HAND + Vector3(0.0, 0.0, -0.825 - 0.05))
	yield()
	w.check("a live frog is edible", w.has_flag(frog, C.ENTITY_FLAG_EDIBLE))
	var got = _grab(w, frog)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("the live frog grabbed", w.player.get_held_item(RIGHT) == frog)
	got = _eat(w, frog)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("eating it alive kills it", w.has_flag(frog, C.ENTITY_FLAG_DEAD))
	w.check("not eaten: still there", not w.has_flag(frog, C.ENTITY_FLAG_EATEN) and frog.visible)
	w.check("food_eaten with 0", w.eaten == [[1, 0.0]], str(w.eaten))
	w.near("hit points unchanged", w.observe()["state"][C.STATE_HIT_POINTS], 1.0, 0.0)
	w.clear_action()
	w.set_action(
		{C.ACTION_RIGHT_HAND_X: 0.5, C.ACTION_RIGHT_HAND_Y: -0.5, C.ACTION_RIGHT_HAND_Z: -0.5}
	)
	for _i in range(10):
		yield()
		w.clear_action()
	w.check("the dead frog dropped", frog.global_transform.origin.y < 1.0)
	got = _grab(w, frog)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("the dead frog grabbed again", w.player.get_held_item(RIGHT) == frog)
	got = _eat(w, frog)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("then eaten", w.has_flag(frog, C.ENTITY_FLAG_EATEN))
	w.check("food_eaten with 1", w.eaten == [[1, 0.0], [1, 1.0]], str(w.eaten))
	w.near("hit points +1", w.observe()["state"][C.STATE_HIT_POINTS], 2.0, 1e-6)
	w.finish()


# A live rabbit (here with a plain walking behaviour) held in the hand has no behaviour and stays
# where the hand holds it; let go near the floor it moves by itself again at once, let go in the
# air it falls and moves again once it lands.
func scenario_grabbed_rabbit_held_still(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var rabbit: RigidBody = _walking_rabbit(w, 1, HAND + Vector3(-1.0, 0.0, -0.9 - 0.05))
	for _i in range(5):
		yield()
	# It behaves every tick but its first GHOST_TICKS - 1 (a new animal stands still at first).
	var ticks: int = 5 - (rabbit.GHOST_TICKS - 1)
	w.check("free, it walks", rabbit.behaved == ticks and rabbit.is_active, str(rabbit.behaved))
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()
	w.check("the live rabbit grabbed", w.player.get_held_item(RIGHT) == rabbit)
	var behaved: int = rabbit.behaved
	var hand: Transform = w.player.get_hand_transform(RIGHT)
	var relative: Transform = hand.affine_inverse() * rabbit.global_transform
	for _i in range(8):
		yield()
	var now: Transform = (
		w.player.get_hand_transform(RIGHT).affine_inverse()
		* rabbit.global_transform
	)
	w.check("held, it does not behave", rabbit.behaved == behaved, str(rabbit.behaved))
	w.check("nor is it active", not rabbit.is_active)
	w.near("it stays in the hand", now.origin.distance_to(relative.origin), 0.0, 1e-4)
	w.check("held flag", w.has_flag(rabbit, C.ENTITY_FLAG_HELD))
	# Up 1 m and let go: its feet 1 m above the floor.
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_Y: 0.5})
	yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0, C.ACTION_RIGHT_HAND_Y: 0.5})
	yield()
	w.clear_action()
	yield()
	w.check("let go in the air it falls (rigid)", rabbit.mode == RigidBody.MODE_RIGID)
	behaved = rabbit.behaved
	for _i in range(12):
		yield()
		if rabbit.mode == RigidBody.MODE_KINEMATIC:
			break
	w.check("until it lands", rabbit.global_transform.origin.y < 0.95)
	w.check("without behaving while it falls", rabbit.behaved == behaved, str(rabbit.behaved))
	w.check("then it moves by itself", rabbit.mode == RigidBody.MODE_KINEMATIC)
	yield()
	yield()
	w.check("and behaves again", rabbit.behaved > behaved)
	w.finish()


# A dead predator can be grabbed but is no food.
func scenario_dead_predator_not_edible(w) -> void:
	w.spawn_player(Vector3.ZERO)
	var snake: RigidBody = _animal(w, 1, "snake", Vector3(0.5, 0.3, -1.2))
	yield()
	w.check("a live snake cannot be grabbed", not snake.is_grabbable())
	_launch_rock(w, 2, snake, 1.0)
	for _i in range(10):
		yield()
	w.check("the snake is killed", w.has_flag(snake, C.ENTITY_FLAG_DEAD))
	w.check("a dead snake is not edible", not w.has_flag(snake, C.ENTITY_FLAG_EDIBLE))
	var got = _grab(w, snake)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("but can be grabbed", w.player.get_held_item(RIGHT) == snake)
	got = _eat(w, snake)
	while got is GDScriptFunctionState and got.is_valid():
		yield()
		got = got.resume()
	w.check("held at the mouth it is not eaten", not w.has_flag(snake, C.ENTITY_FLAG_EATEN))
	w.near("hit points unchanged", w.observe()["state"][C.STATE_HIT_POINTS], 1.0, 0.0)
	w.finish()


# A rock that no hand let go of is not thrown: falling onto a rabbit it hurts only from
# FALLING_ROCK_DANGER_SPEED (10 m/s) up. From 8 m above the rabbit's back it arrives at about
# 12 m/s and kills; from 2 m (about 6 m/s) it does not.
func scenario_falling_rock(w) -> void:
	var low: RigidBody = _still_animal(w, 1, "rabbit", Vector3(0.0, 0.9, 0.0))
	var high: RigidBody = _still_animal(w, 2, "rabbit", Vector3(6.0, 0.9, 0.0))
	var top := 1.8 + ROCK_EDGE / 2.0
	var low_rock: RigidBody = w.rock(3, Vector3(0.0, top + 2.0, 0.0), ROCK_EDGE)
	w.rock(4, Vector3(6.0, top + 8.0, 0.0), ROCK_EDGE)
	w.spawn_player(Vector3(0.0, 0.0, 12.0))
	for _i in range(20):
		yield()
	w.check("a rock falling 8 m onto a rabbit kills it", w.has_flag(high, C.ENTITY_FLAG_DEAD))
	w.check("one falling 2 m does not", not low.is_dead and low.get_hit_points() == 1.0)
	w.check(
		"(it landed on the rabbit)",
		low_rock.global_transform.origin.y > 1.8,
		"rock at %s" % low_rock.global_transform.origin
	)
	w.finish()


# A live animal falling freely (let go by a hand) takes floor(v / 40) hit points when it lands on
# the terrain faster than 40 m/s downwards; then it moves by itself again.
func scenario_animal_fall_damage(w) -> void:
	var wolf: RigidBody = _animal(w, 1, "wolf", Vector3(0.0, 4.0, 0.0))
	var fast: RigidBody = _animal(w, 2, "rabbit", Vector3(6.0, 4.0, 0.0))
	var slow: RigidBody = _animal(w, 3, "rabbit", Vector3(12.0, 4.0, 0.0))
	w.spawn_player(Vector3(0.0, 0.0, 12.0))
	yield()
	var speed := C.ANIMAL_FALL_DAMAGE_SPEED + 5.0
	for body in [wolf, fast, slow]:
		body.grab()  # as a hand would, then let go throwing it down
		body.release(Vector3(0.0, -speed if body != slow else -30.0, 0.0))
	for _i in range(6):
		yield()
	w.check("the rabbit landing at %.0f m/s dies" % speed, w.has_flag(fast, C.ENTITY_FLAG_DEAD))
	w.near("the wolf (2 hit points) loses 1", wolf.get_hit_points(), 1.0, 0.0)
	w.check("and moves by itself again", wolf.mode == RigidBody.MODE_KINEMATIC)
	w.check(
		"a rabbit landing at 30 m/s is unhurt", slow.get_hit_points() == 1.0 and not slow.is_dead
	)
	w.finish()


# --- helpers ---


func _animal(w, id: int, kind: String, position: Vector3, yaw := 0.0) -> RigidBody:
	return w.add_item({"id": id, "kind": kind, "position": position, "yaw": yaw}) as RigidBody


# An animal whose behaviour is held (animal.gd `behaviour_enabled`): a still target that never
# flees, chases or turns active by itself, whatever its species' criteria.
func _still_animal(w, id: int, kind: String, position: Vector3, yaw := 0.0) -> RigidBody:
	var animal := _animal(w, id, kind, position, yaw)
	animal.behaviour_enabled = false
	return animal


# A stick of `length` along -z (its capsule's axis).
func _stick(w, id: int, position: Vector3, length: float) -> RigidBody:
	var spec := {"id": id, "kind": "stick", "position": position, "yaw": 0.0, "length": length}
	return w.add_item(spec) as RigidBody


# A rock released 1.5 m from `target`'s side (x, `side` -1 or +1) flying at it at ROCK_SPEED.
func _launch_rock(w, id: int, target: Spatial, side: float) -> RigidBody:
	var at: Vector3 = target.global_transform.origin
	var extents: Vector3 = target.extents
	var rock: RigidBody = w.rock(id, at + Vector3(side * (extents.x + 1.5), 0.2, 0.0), ROCK_EDGE)
	rock.release(Vector3(-side * ROCK_SPEED, 0.5, 0.0))
	return rock


func _walking_rabbit(w, id: int, position: Vector3) -> RigidBody:
	var rabbit: RigidBody = WalkingRabbit.new()
	var row: Dictionary = E.KINDS["rabbit"]
	rabbit.item_id = id
	rabbit.kind = "rabbit"
	rabbit.kind_id = row["id"]
	for capability in row["capabilities"]:
		rabbit.capabilities[capability] = true
	var context := EntityFactory.context(null, PoolColorArray([Color.gray]), [])
	var spec := {"id": id, "kind": "rabbit", "position": position, "yaw": 0.0}
	var problem: String = rabbit.build(spec, context)
	w.check("build the walking rabbit", problem == "", problem)
	w.root.add_child(rabbit)
	w.animals.append(rabbit)
	return rabbit


# The point of `animal`'s box nearest to `point`, INSET inside it.
func _nearest_point(animal: Spatial, point: Vector3) -> Vector3:
	var local: Vector3 = animal.global_transform.xform_inv(point)
	var e: Vector3 = animal.extents - Vector3.ONE * INSET
	local = Vector3(clamp(local.x, -e.x, e.x), clamp(local.y, -e.y, e.y), clamp(local.z, -e.z, e.z))
	return animal.global_transform.xform(local)


# Moves the right hand onto the animal's box (at most MAX_REACH_TICKS ticks), then grasps.
func _grab(w, animal: Spatial) -> void:
	for _i in range(MAX_REACH_TICKS):
		var hand: Vector3 = w.player.get_hand_transform(RIGHT).origin
		var target := _nearest_point(animal, w.player.get_head_transform().origin)
		if hand.distance_to(target) < INSET:
			break
		_move_hand(w, target - hand, false)
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()


# Brings the held animal's box nearest point to the head (at most MAX_REACH_TICKS ticks).
func _eat(w, animal: Spatial) -> void:
	for _i in range(MAX_REACH_TICKS):
		var head: Vector3 = w.player.get_head_transform().origin
		var target := _nearest_point(animal, head)
		if w.player.get_held_item(RIGHT) != animal or head.distance_to(target) < INSET:
			break
		_move_hand(w, head - target, true)
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})


# Sets the action moving the right hand by `delta` (world), at most 1 m per head axis.
func _move_hand(w, delta: Vector3, grasp: bool) -> void:
	var local: Vector3 = w.player.get_head_transform().basis.xform_inv(delta)
	w.set_action(
		{
			C.ACTION_RIGHT_HAND_X: clamp(local.x, -1.0, 1.0),
			C.ACTION_RIGHT_HAND_Y: clamp(local.y, -1.0, 1.0),
			C.ACTION_RIGHT_HAND_Z: clamp(local.z, -1.0, 1.0),
			C.ACTION_RIGHT_GRASP: 1.0 if grasp else 0.0,
		}
	)
