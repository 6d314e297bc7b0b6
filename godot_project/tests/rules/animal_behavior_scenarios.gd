# Rule scenarios of the animals' behaviour (entities/animal: mover.gd, behaviors/, the species'
# scripts): hops, flight, fleeing, chasing, the activation criteria, turning back from the water,
# going home, and determinism. The floor's top is at y = 0 and ends at x, z = +-100 (beyond:
# nothing, which the animals treat as the sea). Animals are ticked after the player's action
# (rule_driver).
extends Reference

const C = preload("res://generated/constants.gd")

const FAR = 40.0  # m: a player this far is outside every detection radius but not freezing animals
const CLIFF_HEIGHT = 3.0  # m


func _animal(w, id: int, kind: String, position: Vector3, yaw := 0.0) -> RigidBody:
	return w.add_item({"id": id, "kind": kind, "position": position, "yaw": yaw}) as RigidBody


func _flat_distance(a: Vector3, b: Vector3) -> float:
	return Vector2(a.x - b.x, a.z - b.z).length()


# The reference's hop arc: launched at (3, 2.5) m/s, the vertical speed grows by (lift - ticks since
# launch) each tick, so the hop peaks 1.75 m up and lands on the 9th tick (8 ticks end in the air),
# keeping its 3 m/s forward.
func scenario_animal_hop_arc(w) -> void:
	w.spawn_player(Vector3(FAR, 0.0, 0.0))
	var frog := _animal(w, 1, "frog", Vector3(0.0, 0.45, 0.0))
	frog.idle = frog.HopInCircle.new(Vector2(3.0, 2.5), 0, 1000, 0.0)  # stands
	for _i in range(5):  # settle on the floor before the hop
		yield()
	var rest: Vector3 = frog.global_transform.origin
	frog.idle.count = 1  # one hop, then a long rest
	frog.idle.reset()
	var apex := rest.y
	var airborne := 0
	for _i in range(20):
		yield()
		var at: Vector3 = frog.global_transform.origin
		apex = max(apex, at.y)
		if at.y > rest.y + 0.01:
			airborne += 1
	var landed: Vector3 = frog.global_transform.origin
	w.near("apex above the rest height", apex - rest.y, 1.75, 0.05)
	w.check("8 ticks end in the air, the 9th lands", airborne == 8, str(airborne))
	w.near("lands back on the floor", landed.y, rest.y, 0.02)
	w.near("forward 3 m/s for 9 ticks", rest.z - landed.z, 2.7, 0.05)
	w.finish()


# A rabbit flees from a player inside its 12 m radius (and is reported active) until it is out of
# it; a rabbit outside it only hops about.
func scenario_animal_rabbit_flees(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 8.0))
	var rabbit := _animal(w, 1, "rabbit", Vector3(0.0, 0.9, 0.0))
	var calm := _animal(w, 2, "rabbit", Vector3(-60.0, 0.9, 20.0))
	var active_seen := false
	for _i in range(60):
		yield()
		active_seen = active_seen or w.has_flag(rabbit, C.ENTITY_FLAG_ACTIVE)
	var fled: float = rabbit.player_offset(w.player).length()
	w.check("flees out of its radius", fled > 12.0, "%.1f m" % fled)
	w.check("and then stops fleeing", not w.has_flag(rabbit, C.ENTITY_FLAG_ACTIVE))
	w.check("the fleeing rabbit was reported active", active_seen)
	w.check("a far rabbit is not active", not w.has_flag(calm, C.ENTITY_FLAG_ACTIVE))
	var wandered := _flat_distance(calm.global_transform.origin, Vector3(-60.0, 0.0, 20.0))
	w.check("a far rabbit stays about its place", wandered < 15.0, "%.1f m" % wandered)
	w.finish()


# A wolf chases a player on the ground up to its snout; a player more than 4 m above it (on a
# pillar, out of reach even at the top of the wolf's hops) is ignored.
func scenario_animal_wolf_chases(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var wolf := _animal(w, 1, "wolf", Vector3(0.0, 1.1, -10.0))
	var active_seen := false
	for _i in range(80):
		yield()
		active_seen = active_seen or w.has_flag(wolf, C.ENTITY_FLAG_ACTIVE)
	var gap := _flat_distance(wolf.global_transform.origin, w.feet())
	w.check("chasing: reported active", active_seen)
	w.check("reaches the player (centre within 3 m)", gap < 3.0, "%.1f m" % gap)
	w.finish()


func scenario_animal_wolf_ignores_player_out_of_reach(w) -> void:
	w.pedestal(0.0, 0.0, 7.0, 2.0)
	w.spawn_player(Vector3(0.0, 7.0, 0.0))
	var wolf := _animal(w, 1, "wolf", Vector3(0.0, 1.1, -8.0))
	var active_seen := false
	for _i in range(40):
		yield()
		active_seen = active_seen or w.has_flag(wolf, C.ENTITY_FLAG_ACTIVE)
	w.check("the player on the pillar is out of reach: never active", not active_seen)
	w.finish()


# The deer edges away from a player within 12 m and flees only once he comes within 6 m.
func scenario_animal_deer_gate(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var deer := _animal(w, 1, "deer", Vector3(0.0, 1.8, -9.0))
	var active_seen := false
	for _i in range(30):
		yield()
		active_seen = active_seen or w.has_flag(deer, C.ENTITY_FLAG_ACTIVE)
	var edged: float = deer.player_offset(w.player).length()
	w.check("player at 9 m: not fleeing", not active_seen)
	w.check("player at 9 m: edges away", edged > 9.5, "%.1f m" % edged)
	var near: Vector3 = deer.global_transform.origin
	w.player.get_body().global_transform.origin = Vector3(near.x, 1.0, near.z + 4.0)
	for _i in range(3):
		yield()
	w.check("player at 4 m: flees", w.has_flag(deer, C.ENTITY_FLAG_ACTIVE))
	w.finish()


# The mouse notices a near player only in front of it (its front half-space, -Z); behind it, it
# stays calm.
func scenario_animal_mouse_front(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var facing := _animal(w, 1, "mouse", Vector3(3.0, 0.55, -4.0), 180.0)  # faces +Z: the player
	var back := _animal(w, 2, "mouse", Vector3(-3.0, 0.55, -4.0), 0.0)  # faces -Z: away
	back.idle = back.HopInCircle.new(Vector2.ZERO, 0, 1000, 0.0)  # stands, so it never turns round
	yield()
	yield()
	w.check("player in front: flees", w.has_flag(facing, C.ENTITY_FLAG_ACTIVE))
	w.check("player behind: calm", not w.has_flag(back, C.ENTITY_FLAG_ACTIVE))
	w.finish()


# The jaguar pounces on a player who moves in front of it, and gives up once he has stood still
# for 16 ticks.
func scenario_animal_jaguar_still_player(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var jaguar := _animal(w, 1, "jaguar", Vector3(0.0, 1.32, -9.0), 0.0)  # back to the player
	jaguar.idle = jaguar.HopInCircle.new(Vector2.ZERO, 0, 1000, 0.0)
	w.set_action({C.ACTION_HEAD_X: 0.3})
	for _i in range(3):
		yield()
	w.check("moving player behind it: no pounce", not w.has_flag(jaguar, C.ENTITY_FLAG_ACTIVE))
	jaguar.mover.yaw = 180.0  # faces the player
	for _i in range(3):
		yield()
	w.check("moving player in front: pounces", w.has_flag(jaguar, C.ENTITY_FLAG_ACTIVE))
	w.clear_action()
	for _i in range(10):
		yield()
	w.check("still for 10 ticks: still chasing", w.has_flag(jaguar, C.ENTITY_FLAG_ACTIVE))
	for _i in range(8):
		yield()
	w.check("still for 18 ticks: gives up", not w.has_flag(jaguar, C.ENTITY_FLAG_ACTIVE))
	w.finish()


# Once a player comes within 3 m of a snake, it chases him for good, however far he goes.
func scenario_animal_snake_never_stops(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var snake := _animal(w, 1, "snake", Vector3(0.0, 0.3, -2.5))
	yield()
	yield()
	w.check("player at 2.5 m: chases", w.has_flag(snake, C.ENTITY_FLAG_ACTIVE))
	w.player.get_body().global_transform.origin = Vector3(0.0, 1.0, 20.0)
	for _i in range(30):
		yield()
	w.check("player 20 m away: still chasing", w.has_flag(snake, C.ENTITY_FLAG_ACTIVE))
	var gap := _flat_distance(snake.global_transform.origin, w.feet())
	w.check("and closing in", gap < 20.0, "%.1f m" % gap)
	w.finish()


# Fliers keep their altitude above the ground while idle, and flee (pigeon) or chase (bee)
# on the ground plane.
func scenario_animal_fliers(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var far_pigeon := _animal(w, 1, "pigeon", Vector3(-30.0, 1.0, -20.0))
	var pigeon := _animal(w, 2, "pigeon", Vector3(3.0, 4.0, 0.0))
	var bee := _animal(w, 3, "bee", Vector3(-5.0, 4.0, 0.0))
	var pigeon_fled := 0.0
	var bee_closest := INF
	for _i in range(100):
		yield()
		pigeon_fled = max(pigeon_fled, pigeon.player_distance(w.player))
		bee_closest = min(bee_closest, bee.player_distance(w.player))
	var height: float = far_pigeon.global_transform.origin.y
	w.near("an idle pigeon flies 4 m up (its floor ray) give or take 2 m", height, 4.0, 2.6)
	w.check("a near pigeon flies off beyond its 6 m", pigeon_fled > 6.0, "%.1f m" % pigeon_fled)
	w.check("a near bee closes in (2-D)", bee_closest < 1.5, "%.1f m" % bee_closest)
	w.finish()


# A hawk carried far from its territory flies home first (going home beats everything but the
# water for it); a player far from the territory is not hunted.
func scenario_animal_hawk_goes_home(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var hawk := _animal(w, 1, "hawk", Vector3(-20.0, 8.0, 0.0))
	hawk.territory_centre = Vector3(-20.0, 8.0, -25.0)
	var active_seen := false
	for _i in range(150):
		yield()
		active_seen = active_seen or w.has_flag(hawk, C.ENTITY_FLAG_ACTIVE)
	var home := _flat_distance(hawk.global_transform.origin, hawk.territory_centre)
	w.check("back within 15 m of its territory", home < 15.0, "%.1f m" % home)
	w.check("the player 30 m from its territory is never hunted", not active_seen)
	w.finish()


# A rabbit fleeing toward the floor's edge turns back from it (beyond the edge the probe finds
# nothing: the sea) instead of hopping off; the probe looks 3 m beyond its front, so a hop already
# under way may carry it up to the brink.
func scenario_animal_turns_back_from_the_sea(w) -> void:
	w.spawn_player(Vector3(88.0, 0.0, 0.0))
	var rabbit := _animal(w, 1, "rabbit", Vector3(93.0, 0.9, 0.0), -90.0)  # faces +X, the edge
	var lowest := INF
	var furthest := 0.0
	for _i in range(100):
		yield()
		lowest = min(lowest, rabbit.global_transform.origin.y)
		furthest = max(furthest, rabbit.global_transform.origin.x)
	var half_length: float = rabbit.extents.z
	w.check("never falls", lowest > 0.5, "lowest centre %.2f m" % lowest)
	w.check("never past the brink", furthest < 100.0 + half_length, "x up to %.1f m" % furthest)
	w.check("back from the edge", rabbit.global_transform.origin.x < 99.0)
	w.finish()


# Same seed and id, same motion: two frogs with the same id, 30 m apart on the flat floor, hop
# alike; a frog with another id hops otherwise.
func scenario_animal_deterministic(w) -> void:
	w.episode_seed = 7
	w.spawn_player(Vector3(15.0, 0.0, 30.0))
	var a := _animal(w, 5, "frog", Vector3(0.0, 0.45, 0.0))
	var b := _animal(w, 5, "frog", Vector3(30.0, 0.45, 0.0))
	var c := _animal(w, 6, "frog", Vector3(15.0, 0.45, -30.0))
	w.check("same id, same generator", a.rng.seed == b.rng.seed)
	w.check("another id, another generator", a.rng.seed != c.rng.seed)
	for _i in range(150):
		yield()
	var pa: Vector3 = a.global_transform.origin
	var pb: Vector3 = b.global_transform.origin - Vector3(30.0, 0.0, 0.0)
	var pc: Vector3 = c.global_transform.origin - Vector3(15.0, 0.0, -30.0)
	w.check("the frog hopped", pa.length() > 0.5, "%.2f m" % pa.length())
	# Bullet's rounding differs a little 30 m apart: the same place within a centimetre.
	w.near("same id: same place", (pa - pb).length(), 0.0, 0.01)
	w.near("same id: same heading", a.mover.yaw - b.mover.yaw, 0.0, 0.01)
	w.check("another id: elsewhere", (pa - pc).length() > 0.5, "%.3f m" % (pa - pc).length())
	w.finish()


# The eagle swoops only on a player who has not noticed it: once it has been in the player's view
# (the camera's frustum) for 10 ticks in a row it gives up; one behind the player keeps chasing.
func scenario_animal_eagle_noticed(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))  # looks along -Z
	var seen := _animal(w, 1, "eagle", Vector3(0.0, 7.0, -10.0))
	var unseen := _animal(w, 2, "eagle", Vector3(0.0, 7.0, 10.0))
	for _i in range(5):
		yield()
	w.check("in view for 5 ticks: chasing", w.has_flag(seen, C.ENTITY_FLAG_ACTIVE))
	for _i in range(7):
		yield()
	w.check("in view for 12 ticks: noticed, gives up", not w.has_flag(seen, C.ENTITY_FLAG_ACTIVE))
	w.check("behind the player: still chasing", w.has_flag(unseen, C.ENTITY_FLAG_ACTIVE))
	w.finish()


# A flier turns back from the sea too: a crow fleeing toward the floor's edge never crosses it.
func scenario_animal_flier_turns_back_from_the_sea(w) -> void:
	w.spawn_player(Vector3(88.0, 0.0, 0.0))
	var crow := _animal(w, 1, "crow", Vector3(93.0, 5.5, 0.0), -90.0)  # faces +X, the edge
	var furthest := 0.0
	for _i in range(100):
		yield()
		furthest = max(furthest, crow.global_transform.origin.x)
	w.check("stays over the floor", furthest < 100.0, "x up to %.1f m" % furthest)
	w.finish()


# A squirrel fleeing into a climbable cliff climbs it (headway lost at the wall, the player behind
# it) and tops it with an escape hop; at an unclimbable cliff it stays below.
func scenario_animal_squirrel_climbs_to_flee(w) -> void:
	w.cliff(CLIFF_HEIGHT, 0.0, true)
	w.spawn_player(Vector3(0.0, 0.0, 4.5))
	var squirrel := _animal(w, 1, "squirrel", Vector3(0.0, 0.75, 1.5))  # faces -Z: the cliff
	var climbed := false
	for _i in range(120):
		yield()
		climbed = climbed or squirrel.mover.climbing
	var at: Vector3 = squirrel.global_transform.origin
	w.check("climbed", climbed)
	w.check("on top of the cliff", at.y > CLIFF_HEIGHT and at.z < -0.5, str(at))
	w.finish()


func scenario_animal_squirrel_cannot_climb_unclimbable(w) -> void:
	w.cliff(CLIFF_HEIGHT, 0.0, false)
	w.spawn_player(Vector3(0.0, 0.0, 4.5))
	var squirrel := _animal(w, 1, "squirrel", Vector3(0.0, 0.75, 1.5))
	var highest := 0.0
	for _i in range(120):
		yield()
		highest = max(highest, squirrel.global_transform.origin.y)
	w.check("stays below the top", highest < CLIFF_HEIGHT, "up to %.2f m" % highest)
	w.finish()


# A bear chasing a player who stands on a climbable cliff in front of it climbs up after him.
func scenario_animal_bear_climbs_to_chase(w) -> void:
	w.cliff(CLIFF_HEIGHT, 0.0, true)
	w.spawn_player(Vector3(0.0, CLIFF_HEIGHT, -3.0))
	var bear := _animal(w, 1, "bear", Vector3(0.0, 1.7, 5.0))
	var climbed := false
	for _i in range(150):
		yield()
		climbed = climbed or bear.mover.climbing
	var at: Vector3 = bear.global_transform.origin
	w.check("climbed", climbed)
	w.check("on top of the cliff", at.y > CLIFF_HEIGHT and at.z < -0.5, str(at))
	w.finish()


# A squirrel that stops fleeing halfway up a tall cliff climbs back down to the ground.
func scenario_animal_squirrel_climbs_down(w) -> void:
	w.cliff(3.0 * CLIFF_HEIGHT, 0.0, true)
	w.spawn_player(Vector3(0.0, 0.0, 4.5))
	var squirrel := _animal(w, 1, "squirrel", Vector3(0.0, 0.75, 1.5))
	for _i in range(100):
		yield()
		if squirrel.global_transform.origin.y > CLIFF_HEIGHT:
			break
	w.check("climbing up", squirrel.mover.climbing, str(squirrel.global_transform.origin))
	w.player.get_body().global_transform.origin = Vector3(FAR, 1.0, 4.5)
	var highest: float = squirrel.global_transform.origin.y
	var down_at := -1  # tick it stood on the ground again
	for i in range(60):
		yield()
		var y: float = squirrel.global_transform.origin.y
		highest = max(highest, y)
		if down_at < 0 and y < 1.0 and not squirrel.mover.climbing:
			down_at = i
	w.check("went no higher than a hop", highest < CLIFF_HEIGHT + 1.5, "up to %.2f m" % highest)
	w.check("back on the ground (then idles as it likes)", down_at >= 0)
	w.finish()


# A live rabbit let go of in the air falls as a rigid body and hops on once it touches the ground.
func scenario_animal_moves_again_after_release(w) -> void:
	w.spawn_player(Vector3(FAR, 0.0, 0.0))
	var rabbit := _animal(w, 1, "rabbit", Vector3(0.0, 0.9, 0.0))
	yield()
	rabbit.grab()
	rabbit.global_transform.origin = Vector3(0.0, 3.0, 0.0)
	yield()
	rabbit.release(Vector3.ZERO)
	yield()
	w.check("falls as a rigid body", rabbit.mode == RigidBody.MODE_RIGID)
	var mobile_at := -1
	for i in range(30):
		yield()
		if rabbit.mode == RigidBody.MODE_KINEMATIC:
			mobile_at = i
			break
	w.check("moves again once on the ground", mobile_at >= 0)
	w.near("there, on the floor", rabbit.global_transform.origin.y, 0.9, 0.1)
	w.check("upright", rabbit.global_transform.basis.y.dot(Vector3.UP) > 0.99)
	w.finish()


# On the tick a predator bites (the attack calls knock_back), it hops back (away from where it
# faces) instead of pursuing.
func scenario_animal_knock_back(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var wolf := _animal(w, 1, "wolf", Vector3(0.0, 1.1, -8.0))
	for _i in range(3):
		yield()
	w.check("chasing", w.has_flag(wolf, C.ENTITY_FLAG_ACTIVE))
	while wolf.mover.is_mid_hop() or not wolf.mover.on_floor:
		yield()
	var before: Vector3 = wolf.global_transform.origin
	var ahead: Vector3 = wolf.mover.forward()
	wolf.knock_back()
	yield()
	var moved: Vector3 = wolf.global_transform.origin - before
	w.near("hops back at 2 m/s", moved.dot(ahead), -0.2, 0.02)
	w.near("and up at 2 m/s", moved.y, 0.2, 0.02)
	w.finish()
