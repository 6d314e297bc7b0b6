# Rule scenarios of the animals' behaviour (entities/animal: mover.gd, behaviors/, the species'
# scripts): hops, flight, fleeing, chasing, the activation criteria, going home, and determinism.
# The floor's top is at y = 0. Animals are ticked after the player's action (rule_driver). Climbing,
# the sea, trees, release and knock-back: animal_world_scenarios.gd.
extends Reference

const C = preload("res://generated/constants.gd")

const FAR = 40.0  # m: a player this far is outside every detection radius but not freezing animals


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
# pillar, out of reach even at the top of the wolf's hops) is ignored. Once there it bites and
# hops back (combat_scenarios.gd), so what counts is its closest approach, not where it ends.
func scenario_animal_wolf_chases(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	var wolf := _animal(w, 1, "wolf", Vector3(0.0, 1.1, -10.0))
	var active_seen := false
	var closest := INF
	for _i in range(80):
		yield()
		active_seen = active_seen or w.has_flag(wolf, C.ENTITY_FLAG_ACTIVE)
		closest = min(closest, _flat_distance(wolf.global_transform.origin, w.feet()))
	w.check("chasing: reported active", active_seen)
	w.check("reaches the player (centre within 3 m)", closest < 3.0, "%.1f m" % closest)
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


# Going home comes first for the hawk, even with a player to hunt: far from its territory it
# ignores a player near it (and near its territory) until it is back within 10 m, then hunts.
func scenario_animal_hawk_home_before_hunting(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, -12.0))  # 12 m from the territory's centre
	var hawk := _animal(w, 1, "hawk", Vector3(0.0, 8.0, -22.0))  # 10 m from the player (2-D)
	hawk.territory_centre = Vector3(0.0, 8.0, 0.0)
	var first_active := -1
	var home_when_active := INF
	for i in range(150):
		yield()
		if first_active < 0 and w.has_flag(hawk, C.ENTITY_FLAG_ACTIVE):
			first_active = i
			home_when_active = _flat_distance(hawk.global_transform.origin, hawk.territory_centre)
	w.check(
		"not hunting while far from home", first_active > 0, "active from tick %d" % first_active
	)
	w.check(
		"hunts once back within 10 m",
		home_when_active < 10.5,
		"%.1f m from home" % home_when_active
	)
	w.finish()
