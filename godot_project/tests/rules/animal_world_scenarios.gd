# Rule scenarios of the animals among the world's things (entities/animal: mover.gd, behaviors/):
# climbing walls, turning back from the sea (the rule world's floor ends at x, z = +-100, beyond it
# nothing, which animals take for the sea), sidestepping trees, being let go of, the knock-back hop.
# The decisions and plain motion: animal_behavior_scenarios.gd.
extends Reference

const C = preload("res://generated/constants.gd")
const E = preload("res://generated/entities.gd")
const Layers = preload("res://world/layers.gd")

const FAR = 40.0  # m: a player this far is outside every detection radius but not freezing animals
const CLIFF_HEIGHT = 3.0  # m
const STEEP_WALL_RUN = 1.0  # m: the steep wall rises CLIFF_HEIGHT over this
const STEEP_WALL_TICKS = 200
# m: a fleeing rabbit's or deer's hop, (x, 2.25) m/s, peaks 1.38 m up on flat ground (the
# reference's arc, docs/animals.md); against the steep wall its feet may rise that and the slack.
const FLEE_HOP_APEX = 1.38
const APEX_SLACK = 0.25
const FLAT_STEP_TICKS = 40
const FLAT_STEP_SETTLE = 5  # ticks standing first: both land on the floor


func _animal(w, id: int, kind: String, position: Vector3, yaw := 0.0) -> RigidBody:
	return w.add_item({"id": id, "kind": kind, "position": position, "yaw": yaw}) as RigidBody


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


# A rabbit fleeing straight into a tree sidesteps it (hops sideways, away from the tree's side) and
# flees on past it.
func scenario_animal_sidesteps_a_tree(w) -> void:
	w.cliff(0.0, -20.0, false, [[Vector3(0.3, 0.0, -3.0), 8.0]])
	w.spawn_player(Vector3(0.0, 0.0, 5.0))
	var rabbit := _animal(w, 1, "rabbit", Vector3(0.0, 0.9, 0.0))  # flees along -Z, into the tree
	var sidestepped := false
	for _i in range(40):
		yield()
		var v: Vector3 = rabbit.mover.velocity
		sidestepped = sidestepped or (v.x < -1.0 and abs(v.z) < 0.5)
	var at: Vector3 = rabbit.global_transform.origin
	w.check("hopped sideways (away from the tree, on its right)", sidestepped)
	w.check("and fled on past the tree", at.z < -5.0, str(at))
	w.finish()


# Prey hopping away from the player into a steep (71 degrees: 3 m up over 1 m) climbable wall, like
# THROW's pit, rise against it no higher than a hop on flat ground and stay below its top: only
# climbers go up walls steeper than 45 degrees, by climbing. (The engine's slide turned a hop into
# such a face into motion up it: a rabbit or a deer hopping against it went about 1 m higher.)
func scenario_animal_rabbit_stays_below_a_steep_wall(w) -> void:
	var rabbit := _fleeing_into_a_steep_wall(w, "rabbit")
	var reached := INF  # the nearest the body's front came to the wall's foot (z = 0)
	var feet := 0.0  # the highest the body's bottom rose
	for _i in range(STEEP_WALL_TICKS):
		yield()
		reached = min(reached, rabbit.global_transform.origin.z - rabbit.extents.z)
		feet = max(feet, rabbit.global_transform.origin.y - rabbit.extents.y)
	w.check("hopped against the wall", reached < 0.1, "front at z %.2f" % reached)
	w.check(
		"rises no more than a hop", feet < FLEE_HOP_APEX + APEX_SLACK, "feet up to %.2f m" % feet
	)
	w.check("stays below the top", feet < CLIFF_HEIGHT)
	w.finish()


func scenario_animal_deer_stays_below_a_steep_wall(w) -> void:
	var deer := _fleeing_into_a_steep_wall(w, "deer")
	var reached := INF
	var feet := 0.0
	for _i in range(STEEP_WALL_TICKS):
		yield()
		reached = min(reached, deer.global_transform.origin.z - deer.extents.z)
		feet = max(feet, deer.global_transform.origin.y - deer.extents.y)
	w.check("hopped against the wall", reached < 0.1, "front at z %.2f" % reached)
	w.check(
		"rises no more than a hop", feet < FLEE_HOP_APEX + APEX_SLACK, "feet up to %.2f m" % feet
	)
	w.check("stays below the top", feet < CLIFF_HEIGHT)
	w.finish()


# The same wall is no obstacle to a climber: it ends on top, past the wall's upper edge.
func scenario_animal_squirrel_climbs_a_steep_wall(w) -> void:
	var squirrel := _fleeing_into_a_steep_wall(w, "squirrel")
	var at: Vector3 = squirrel.global_transform.origin
	for _i in range(STEEP_WALL_TICKS):
		yield()
		at = squirrel.global_transform.origin
		if at.y > CLIFF_HEIGHT and at.z < -STEEP_WALL_RUN:
			break
	w.check("on top of the wall", at.y > CLIFF_HEIGHT and at.z < -STEEP_WALL_RUN, str(at))
	w.finish()


# A climbable wall rising STEEP_WALL_RUN m to CLIFF_HEIGHT m along -z from z = 0, the player in
# front of it and an animal of `kind` between them, facing the wall, its front 1 m from the foot.
func _fleeing_into_a_steep_wall(w, kind: String) -> RigidBody:
	w.cliff(CLIFF_HEIGHT, 0.0, true, [], STEEP_WALL_RUN)
	var half: Array = E.KINDS[kind]["physics"]["extents"]
	w.spawn_player(Vector3(0.0, 0.0, half[2] + 4.0))
	return _animal(w, 1, kind, Vector3(0.0, half[1] + 0.05, half[2] + 1.0))


# A bird that dies spreads its wings: the reference's flat wing box joins its body (and its dead
# look), so it lies on the floor as wide as its wings.
func scenario_animal_dead_bird_spreads_its_wings(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, 8.0))
	var crow := _animal(w, 1, "crow", Vector3(0.0, 3.0, 0.0))
	yield()
	w.check("no wing box alive", not crow.has_node("Wings"))
	crow.die()
	for _i in range(30):
		yield()
	w.check("a wing box dead", crow.has_node("Wings"))
	if crow.has_node("Wings"):
		var wings: BoxShape = crow.get_node("Wings").shape
		w.check("the crow's", wings.extents == crow.WING, str(wings.extents))
	w.check(
		"fell to the floor", crow.global_transform.origin.y < 1.0, str(crow.global_transform.origin)
	)
	w.finish()


# Birds' body boxes are turned 45 degrees about the vertical (the reference's): a still pigeon's
# (0.75 m half extents, yaw 0) reaches 1.06 m out along x, but not 0.7 m out along x and z at once.
func scenario_animal_bird_box_is_turned(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, FAR))
	var pigeon := _animal(w, 1, "pigeon", Vector3(0.0, 3.0, 0.0))
	pigeon.behaviour_enabled = false
	var frog := _animal(w, 2, "frog", Vector3(6.0, 0.4, 0.0))
	frog.behaviour_enabled = false
	yield()
	yield()
	var centre := pigeon.global_transform.origin
	w.check("reaches 0.9 m along x", _solid_at(pigeon, centre + Vector3(0.9, 0.0, 0.0)))
	w.check("not 0.7 m along x and z", not _solid_at(pigeon, centre + Vector3(0.7, 0.0, 0.7)))
	centre = frog.global_transform.origin
	w.check("a frog's box is not", _solid_at(frog, centre + Vector3(0.7, 0.0, 0.7)))
	w.finish()


# A 1 cm ball at `point` overlaps `body`'s shapes.
func _solid_at(body: RigidBody, point: Vector3) -> bool:
	var ball := SphereShape.new()
	ball.radius = 0.01
	var query := PhysicsShapeQueryParameters.new()
	query.set_shape(ball)
	query.transform = Transform(Basis(), point)
	query.collision_mask = Layers.ITEMS
	for hit in body.get_world().direct_space_state.intersect_shape(query, 8):
		if hit["collider"] == body:
			return true
	return false


# On flat ground an animal skips the engine's costly slide over the heightmap (mover.gd
# `_slide_on_flat`); it must move just as the slide would: two rabbits make the same hops on the
# same flat heightmap, one with the flat-ground step, one without (no `ground`: the engine's slide
# every tick). The player is too far for their own behaviour to run.
func scenario_animal_flat_step_moves_as_the_slide_does(w) -> void:
	w.cliff(0.0, 0.0, false)
	w.spawn_player(Vector3(0.0, 0.0, 60.0))
	var flat := _animal(w, 1, "rabbit", Vector3(-3.0, 0.95, 8.0))
	var slid := _animal(w, 2, "rabbit", Vector3(3.0, 0.95, 8.0))
	flat.ground = w.ground
	for _i in range(flat.GHOST_TICKS):  # until they collide (a new animal collides with nothing)
		yield()
	var apart := Vector3(6.0, 0.0, 0.0)
	var worst := 0.0
	var highest := 0.0
	for i in range(FLAT_STEP_TICKS):
		for rabbit in [flat, slid]:
			if i < FLAT_STEP_SETTLE:
				rabbit.mover.move(Vector3.ZERO)
			elif rabbit.mover.on_floor:
				rabbit.mover.hop(rabbit.mover.forward() * 3.0 + Vector3.UP * 2.0)
			else:
				rabbit.mover.continue_hop()
		yield()
		var a: Vector3 = flat.global_transform.origin
		var b: Vector3 = slid.global_transform.origin
		worst = max(worst, (b - a - apart).length())
		highest = max(highest, a.y)
	w.check("the flat-ground step was used", flat.mover.flat_steps > FLAT_STEP_TICKS / 2)
	w.check("and not without ground", slid.mover.flat_steps == 0)
	w.check("they hopped", highest > 1.5 and flat.global_transform.origin.z < 0.0)
	w.check("along the same path", worst < 0.02, "%.3f m apart at worst" % worst)
	w.finish()


# The sea probe reads the heightmap instead of casting its ray where the ground there is clearly
# above the water (mover.gd `sees_ocean`): it must answer as the ray does, here for a rabbit
# facing every way at points over a cliff world with the water between its foot (sea) and its top
# (land).
func scenario_animal_sea_probe_reads_the_heightmap_as_the_ray_does(w) -> void:
	w.cliff(CLIFF_HEIGHT, 0.0, false)
	w.spawn_player(Vector3(0.0, 0.0, 60.0))
	var rabbit := _animal(w, 1, "rabbit", Vector3(0.0, 0.95, 5.0))
	yield()
	var water := CLIFF_HEIGHT / 2.0
	var differ := []
	var seen := {true: 0, false: 0}
	for x in [-5.5, -3.0, 0.0, 3.0, 5.5]:
		for z in [-9.5, -6.0, -2.0, 1.0, 5.0, 9.5]:
			for yaw in [0.0, 90.0, 180.0, -90.0]:
				rabbit.global_transform.origin = Vector3(x, 5.0, z)
				rabbit.mover.velocity = Vector3.ZERO
				rabbit.mover.yaw = yaw
				rabbit.ground = w.ground
				var read: bool = rabbit.mover.sees_ocean(water)
				rabbit.ground = null
				var cast: bool = rabbit.mover.sees_ocean(water)
				seen[cast] += 1
				if read != cast:
					differ.append([x, z, yaw])
	w.check("both answers occur", seen[true] > 0 and seen[false] > 0, str(seen))
	w.check("the same answers", differ.empty(), str(differ))
	w.finish()


# A rock lying on a new animal is not thrown up by it (a kinematic body's first physics step counts
# as a move from the origin into its place: animal.gd GHOST_TICKS); the rock stays on its back.
func scenario_animal_new_one_throws_nothing(w) -> void:
	w.spawn_player(Vector3(0.0, 0.0, FAR))
	var turtle := _animal(w, 1, "turtle", Vector3(0.0, 0.51, 5.0))
	turtle.behaviour_enabled = false
	var top := 1.02 + 0.25
	var rock: RigidBody = w.add_item(
		{"id": 2, "kind": "rock", "position": Vector3(0.0, top, 5.0), "yaw": 0.0, "size": 0.5}
	)
	var highest := -INF
	for _i in range(20):
		yield()
		highest = max(highest, rock.global_transform.origin.y)
	w.check("the rock was not thrown up", highest < top + 0.05, str(highest))
	var at := rock.global_transform.origin
	w.check("it lies on the turtle", at.y > top - 0.15, str(at))
	w.finish()
