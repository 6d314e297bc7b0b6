# An animal's movement (docs/animals.md "Movement"): the controller (a KinematicBody with the body's
# box) slides over the ground or through the air, the animal's root then takes its place. One call
# per tick moves it: `move` (walk with gravity), `hop` (launch a hop from the floor), `continue_hop`
# (mid-hop), `fly` (no gravity). The yaw (degrees about +Y, 0 facing -Z) turns only through
# `turn_*`. Every move records the observed velocity (the displacement over the tick), which is
# what "continue the ongoing motion" repeats and what a weapon's relative speed uses.
extends Reference

const C = preload("res://generated/constants.gd")
const Layers = preload("res://world/layers.gd")

const GROUND = "ground"
const AIR = "air"
const SLIDES = 4
const FLOOR_MAX_ANGLE = deg2rad(45.0)
const FLOOR_ANGLE_THRESHOLD = 0.01  # rad, as the engine's move_and_slide
const GRAVITY_PER_TICK = C.GRAVITY / C.PHYSICS_FPS  # m/s lost each tick in the air
const MID_HOP_MIN_MOVE = 0.1  # m in the last tick: an airborne animal moving this much is mid-hop
const PROBE_TOP = 200.0  # m: the ocean probe's vertical ray runs from here ...
const PROBE_BOTTOM = -20.0  # ... down to here
const PROBE_AHEAD = 3.0  # m ahead of the body's front, grounded animals
const PROBE_AHEAD_FLYING = 5.0  # m, fliers
const PROBE_LAND_MARGIN = 0.01  # m: ground this far above the water is land without a ray
const FLY_PITCH_DEG = 30.0  # a flier more than ALTITUDE_SLACK off its altitude climbs or dives
const ALTITUDE_SLACK = 2.0  # m
const PITCH_EASING = 0.1  # per tick, toward the wanted pitch
const ALTITUDE_RAY = 100.0  # m: a flier sees the ground this far below
# The reference scales its climbing speed by the tick twice: 12 m/s on paper, 1.2 m/s in effect
# (kept for fidelity).
const CLIMB_SPEED = 1.2  # m/s
const CLIMB_HOLD = 0.5  # m/s into the surface while climbing, so the slide keeps touching it
# A tree touched this far ahead of the centre (a fraction of the body's half length) is in the way.
const SIDESTEP_AHEAD = 0.5
const STAND_CHECK_TICKS = 10  # a standing animal re-checks its footing this often
# m between the bottom of a body resting on the heightmap and the ground: where the engine's slide
# leaves it (Bullet's collision margin), so the flat-ground step rests it at the same height
const REST_GAP = 0.04
const FLAT_SLACK = 0.1  # m of flat ground wanted round the box's reach along the tick's motion

var animal: RigidBody = null  # animal.gd
var controller: KinematicBody = null
var domain := GROUND
var yaw := 0.0  # degrees
var pitch := 0.0  # degrees, fliers only: nose up > 0
var velocity := Vector3.ZERO  # observed over the last move
var on_floor := false
var moved := 0.0  # m in the last move
var touching := {}  # instance id -> collider the slides met since the animal last cleared it
var landed := false  # the last move ended a hop
var climbing := false  # on a wall or trunk (no gravity); climb_when_needed.gd decides
var floor_normal := Vector3.UP  # of the floor under it after the last move (UP off the floor)
var tree_contact = null  # Vector3: where the slides last touched a tree (group "trees"), or null
var flat_steps := 0  # moves made by the flat-ground step (`_slide_on_flat`): for tests and profiles
var _fall_speed := 0.0  # m/s downward speed carried by `move` (ground only); <= 0 is falling
var _hop_lift := 0.0  # the launching hop's vertical speed, while mid-hop
var _hop_ticks := 0  # ticks since the launch, while mid-hop
var _standing_ticks := 0  # ticks told to stand still on the floor in a row


func _init(
	body: RigidBody, kinematic: KinematicBody, primary_domain: String, yaw_deg: float
) -> void:
	animal = body
	controller = kinematic
	domain = primary_domain
	_set_yaw(yaw_deg)


# Walks with velocity `v` (its y ignored on the ground, where gravity pulls). Grounded animals fall
# 1 m/s faster each tick they are off the floor; the observed speed never exceeds the commanded
# horizontal speed, so a slope or a wall never speeds it up.
func move(v: Vector3) -> void:
	if domain == AIR:
		_slide(v)
		return
	if _stands_still(v):
		return
	_fall_speed -= GRAVITY_PER_TICK
	_slide(Vector3(v.x, _fall_speed, v.z))
	if on_floor:
		_fall_speed = 0.0
	var flat := Vector2(velocity.x, velocity.z)
	var limit := Vector2(v.x, v.z).length()
	if flat.length() > limit:
		flat = flat.normalized() * limit
		velocity = Vector3(flat.x, velocity.y, flat.y)
	velocity.y = min(velocity.y, max(v.y, 0.0))


# A slide costs about 0.1 ms; an animal standing on the floor is told to stand most ticks. It skips
# the slide (it would move nothing: the floor holds it) and checks its footing with a real slide
# every STAND_CHECK_TICKS ticks, so it falls at most that late if its support goes.
func _stands_still(v: Vector3) -> bool:
	if not on_floor or climbing or v.x != 0.0 or v.z != 0.0 or v.y > 0.0:
		_standing_ticks = 0
		return false
	_standing_ticks += 1
	if _standing_ticks % STAND_CHECK_TICKS == 0:
		return false
	landed = false
	moved = 0.0
	velocity = Vector3.ZERO
	return true


# Launches a hop with velocity `v` (horizontal speed and lift) when on the floor. Off the floor and
# not mid-hop (stopped against a wall, caught on an edge) there is nothing to push off: it walks
# with `v`'s horizontal part and falls, and its arc carries no lift. (The reference slid with `v`,
# lift and all, which let a ground animal stopped against a steep wall hop up it a little every
# other tick: a turtle rose 1 m up the wall of THROW's pit.) `anywhere`: launch off the floor too
# (a predator's knock-back).
func hop(v: Vector3, anywhere := false) -> void:
	if not on_floor and not anywhere:
		_hop_lift = 0.0
		move(Vector3(v.x, 0.0, v.z))
		return
	_hop_lift = v.y
	_hop_ticks = 0
	_slide(v)
	_fall_speed = v.y


# Leaves a surface it was climbing with velocity `v`: no lift is stored (it was not on the floor),
# so the arc falls 1 m/s more each tick from the start (the reference's escape hop).
func leap(v: Vector3) -> void:
	climbing = false
	_hop_lift = 0.0
	_hop_ticks = 0
	_slide(v)


# Mid-hop: the hop goes on. The reference's arc (kept for fidelity): each tick the vertical speed
# becomes the last observed one plus (lift - ticks since launch), so a hop rises higher and longer
# than a plain ballistic one of its launch speed, e.g. (3, 2.5): apex 1.75 m, 9 ticks. The
# horizontal speed is kept until landing.
# `ahead` > 0 replaces the horizontal speed with that speed straight ahead (an escape hop's).
func continue_hop(ahead := 0.0) -> void:
	_hop_ticks += 1
	var v := velocity
	if ahead > 0.0:
		v = forward() * ahead + Vector3.UP * v.y
	v.y = velocity.y + _hop_lift - _hop_ticks
	_slide(v)
	if on_floor:
		_fall_speed = 0.0
		_hop_ticks = 0
		landed = true


# Where a hop along `direction` should go instead when a tree it touched lies ahead (its contact
# point in the front half of the body): straight sideways, away from the tree's side. The contact
# is used up. Returns `direction` when there is no such tree.
func sidestep(direction: Vector3) -> Vector3:
	if tree_contact == null:
		return direction
	var offset: Vector3 = tree_contact - animal.global_transform.origin
	tree_contact = null
	if offset.dot(forward()) <= animal.extents.z * SIDESTEP_AHEAD:
		return direction
	return -_right() if offset.dot(_right()) > 0.0 else _right()


# Continues whatever it was doing: a flier flies on, a climber climbs on, a grounded animal
# finishes its hop or stands.
func continue_motion() -> void:
	if domain == AIR or climbing:
		_slide(velocity)
	elif is_mid_hop():
		continue_hop()
	else:
		move(Vector3.ZERO)


# Grounded, off the floor and moving: a hop in progress.
func is_mid_hop() -> bool:
	return domain == GROUND and not climbing and not on_floor and moved > MID_HOP_MIN_MOVE


# Climbs the surface whose normal is `normal`, up (`direction` 1) or down (-1), at CLIMB_SPEED
# along the surface in the plane of its normal and the animal's right axis; no gravity.
func climb(direction: float, normal: Vector3) -> void:
	climbing = true
	_fall_speed = 0.0
	var along := normal.cross(_right()).normalized()
	_slide(along * direction * CLIMB_SPEED - normal * CLIMB_HOLD)


# What the climbing ray (`length` m straight ahead from the body's centre) hits: the ray's result
# (collider, position, normal), or empty.
func climb_ray(length: float) -> Dictionary:
	var from := animal.global_transform.origin
	return _ray(from, from + forward() * length, Layers.TERRAIN | Layers.STATIC | Layers.ITEMS)


# The floor ray (`length` m straight down from the body's centre) hits something.
func floor_below(length: float) -> bool:
	var from := animal.global_transform.origin
	return not _ray(from, from + Vector3.DOWN * length).empty()


func fly(v: Vector3) -> void:
	_slide(v)


# Flies forward along the yaw at `speed`, pitched toward `altitude` m above the ground below.
func fly_forward(speed: float, altitude: float) -> void:
	var height := _height_above_ground()
	var wanted := 0.0
	if height > altitude + ALTITUDE_SLACK:
		wanted = -FLY_PITCH_DEG
	elif height < altitude - ALTITUDE_SLACK:
		wanted = FLY_PITCH_DEG
	pitch += (wanted - pitch) * PITCH_EASING
	var p := deg2rad(pitch)
	fly(forward() * speed * cos(p) + Vector3.UP * speed * sin(p))


# Metres from the body's centre down to terrain or a static body (INF: none within ALTITUDE_RAY).
func _height_above_ground() -> float:
	var from := animal.global_transform.origin
	var hit := _ray(from, from + Vector3.DOWN * ALTITUDE_RAY)
	if hit.empty():
		return INF
	return from.y - hit["position"].y


# The horizontal unit vector the animal faces.
func forward() -> Vector3:
	return Vector3(-sin(deg2rad(yaw)), 0.0, -cos(deg2rad(yaw)))


func _right() -> Vector3:
	return Vector3(cos(deg2rad(yaw)), 0.0, -sin(deg2rad(yaw)))


# The yaw facing along `direction` (horizontal part).
static func yaw_of(direction: Vector3) -> float:
	return rad2deg(atan2(-direction.x, -direction.z))


# Signed degrees from the current yaw to `target_yaw`, the short way round.
func yaw_error(target_yaw: float) -> float:
	return wrapf(target_yaw - yaw, -180.0, 180.0)


# Turns toward `target_yaw` by at most `max_step` degrees; returns the degrees turned.
func turn_at_most(target_yaw: float, max_step: float) -> float:
	var error := yaw_error(target_yaw)
	var step := clamp(error, -max_step, max_step)
	_set_yaw(yaw + step)
	return abs(step)


# Turns a fraction `weight` of the way toward `target_yaw` (the reference's interpolated facing,
# weight = turn rate per second x tick); returns the degrees turned.
func turn_by(target_yaw: float, weight: float) -> float:
	var step := yaw_error(target_yaw) * clamp(weight, 0.0, 1.0)
	_set_yaw(yaw + step)
	return abs(step)


func turn(degrees: float) -> void:
	_set_yaw(yaw + degrees)


# True when the ground a little ahead along the heading is under water or missing (off the
# world's edge): the reference's ocean probe, a vertical ray from high above to below the sea.
func sees_ocean(water_height: float) -> bool:
	var heading := Vector3(velocity.x, 0.0, velocity.z)
	if heading.length() < 0.01:
		heading = forward()
	heading = heading.normalized()
	var ahead: float = PROBE_AHEAD_FLYING if domain == AIR else PROBE_AHEAD
	var half_length: float = animal.extents.z
	var point: Vector3 = animal.global_transform.origin + heading * (ahead + half_length)
	# Every animal probes every tick, and a ray costs more than reading the heightmap: where the
	# heightmap under the point (the same triangles as its collision) is clearly above the water,
	# the ray would hit it or something on it, so it would see land.
	var world = animal.ground
	if (
		world != null
		and world.has_method("on_heightmap")
		and world.on_heightmap(point.x, point.z)
		and world.ground_height(point.x, point.z) > water_height + PROBE_LAND_MARGIN
	):
		return false
	var hit := _ray(Vector3(point.x, PROBE_TOP, point.z), Vector3(point.x, PROBE_BOTTOM, point.z))
	return hit.empty() or hit["position"].y <= water_height


# Starts from rest where the animal is (after it was held, or fell as a rigid body).
func restart() -> void:
	velocity = Vector3.ZERO
	moved = 0.0
	_fall_speed = 0.0
	_hop_ticks = 0
	on_floor = false
	climbing = false
	controller.transform = Transform.IDENTITY


# Puts the root (and so the controller) upright at the current yaw, where it is.
func face() -> void:
	animal.global_transform = Transform(
		Basis(Vector3.UP, deg2rad(yaw)), animal.global_transform.origin
	)


func _set_yaw(degrees: float) -> void:
	yaw = wrapf(degrees, -180.0, 180.0)


# The engine's move_and_slide written out (move_and_collide up to SLIDES times, sliding the rest
# along what it met, stopping on slopes) so that a grounded animal that is not climbing cannot go
# up a wall: move_and_slide turns motion into a face steeper than FLOOR_MAX_ANGLE into motion up
# it, so an animal hopping against a cliff rose by more than its hop. Here sliding along such a
# face (or a ceiling) never rises more than the remaining motion asked to (nothing when it was
# level or falling): the reference's clamp of the vertical speed to max(commanded y, 0), which
# keeps its ground animals below walls; climbers go up them only by `climb`.
func _slide(v: Vector3) -> void:
	landed = false
	var before := animal.global_transform.origin
	var upright := domain == GROUND and not climbing
	if not (upright and _slide_on_flat(v / C.PHYSICS_FPS, before)):
		_slide_in_engine(v, upright)
	var after := controller.global_transform.origin
	animal.global_transform = Transform(Basis(Vector3.UP, deg2rad(yaw)), after)
	controller.transform = Transform.IDENTITY
	moved = (after - before).length()
	velocity = (after - before) * C.PHYSICS_FPS


# A grounded animal on flat ground (world.gd `flat_height` under everything its box can reach this
# tick) with nothing but the terrain in its way moves by `motion` and lands on the ground's plane,
# as the engine's slide would move it, without the slide's costly collision with the heightmap. The
# sweep against everything else (items, trees, the player, walls) is cheap; if it meets anything,
# or the ground is not flat, returns false and the engine slides instead.
func _slide_on_flat(motion: Vector3, from: Vector3) -> bool:
	var world = animal.ground
	if world == null or not world.has_method("flat_height"):
		return false
	var reach: float = (
		Vector2(animal.extents.x, animal.extents.z).length()
		+ Vector2(motion.x, motion.z).length()
		+ FLAT_SLACK
	)
	var height: float = world.flat_height(
		from.x - reach, from.z - reach, from.x + reach, from.z + reach
	)
	if is_nan(height):
		return false
	var rest: float = height + animal.extents.y + REST_GAP
	if from.y < rest - REST_GAP:  # sunk into the ground: the engine pushes it out
		return false
	var to := from + motion
	var lands := to.y <= rest
	if lands:
		to.y = rest
	var mask := controller.collision_mask
	controller.collision_mask = mask & ~Layers.TERRAIN
	var hit := controller.move_and_collide(to - from, false, true, true)
	controller.collision_mask = mask
	if hit != null:
		return false
	controller.global_transform.origin = to
	on_floor = lands
	floor_normal = Vector3.UP
	flat_steps += 1
	return true


func _slide_in_engine(v: Vector3, upright: bool) -> void:
	var motion := v / C.PHYSICS_FPS
	var straight_down := v.x == 0.0 and v.z == 0.0 and v.y < 0.0
	on_floor = false
	floor_normal = Vector3.UP
	for _i in range(SLIDES):
		var hit := controller.move_and_collide(motion, false)
		if hit == null:
			break
		_touch(hit)
		var normal := hit.normal
		if normal.angle_to(Vector3.UP) <= FLOOR_MAX_ANGLE + FLOOR_ANGLE_THRESHOLD:
			on_floor = true
			floor_normal = normal
			if straight_down and hit.travel.length() < 1.0:
				# Stop on the slope: undo the sideways part of the fall (as the engine's stop_on_slope).
				controller.global_transform.origin -= hit.travel.slide(Vector3.UP)
				break
			motion = hit.remainder.slide(normal)
		else:
			motion = hit.remainder.slide(normal)
			if upright:
				motion.y = min(motion.y, max(hit.remainder.y, 0.0))
		if motion == Vector3.ZERO:
			break


# Records what a slide met (damage reads `touching`; a tree met is where a sidestep turns away).
func _touch(hit: KinematicCollision) -> void:
	var other: Object = hit.collider
	if other == null:
		return
	touching[other.get_instance_id()] = other
	if other.is_in_group("trees"):
		tree_contact = hit.position


func _ray(from: Vector3, to: Vector3, mask := Layers.TERRAIN | Layers.STATIC) -> Dictionary:
	var space := animal.get_world().direct_space_state
	return space.intersect_ray(from, to, [animal, controller], mask)
