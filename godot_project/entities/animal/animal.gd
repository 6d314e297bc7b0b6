# The animal family base (prey and predators; docs/animals.md): a RigidBody like every dynamic item
# (so it is grabbed, held and reported like one) whose body is its row's box. Alive and free it is
# kinematic and moved each tick by a child KinematicBody, the controller, that slides over the
# ground; the root then takes the controller's place (the original's layout). Dead or held it is a
# plain rigid body. Numbers come from the kind's species row (generated/animals.gd, A.SPECIES) and
# its entity row; a species' script (entities/animal/<kind>.gd) sets its behaviour and look.
#
# The entity tick (`tick`) runs once per physics tick after the player's action and before the
# physics step, for every animal in the world's item order (world.gd `tick_animals`). Each animal
# draws its randomness from its own generator, seeded from (episode seed, item id) (`seed_rng`), so
# the same world, episode seed and actions give the same motion.
extends "res://entities/item.gd"

const A = preload("res://generated/animals.gd")
const AvoidOcean = preload("res://entities/animal/behaviors/avoid_ocean.gd")
const ClimbWhenNeeded = preload("res://entities/animal/behaviors/climb_when_needed.gd")
const DirectedFly = preload("res://entities/animal/behaviors/directed_fly.gd")
const DirectedHop = preload("res://entities/animal/behaviors/directed_hop.gd")
const FlyInCircles = preload("res://entities/animal/behaviors/fly_in_circles.gd")
const GoHome = preload("res://entities/animal/behaviors/go_home.gd")
const HopInCircle = preload("res://entities/animal/behaviors/hop_in_circle.gd")
const Mover = preload("res://entities/animal/mover.gd")
const RandomFly = preload("res://entities/animal/behaviors/random_fly.gd")
const RandomHop = preload("res://entities/animal/behaviors/random_hop.gd")

const KNOCK_BACK = Vector2(2.0, 2.0)  # m/s (back, up): a predator's hop on the tick it bites
const TERRITORY_LEAVE = 15.0  # m (2-D) from the centre: it turns for home ...
const TERRITORY_BACK = 10.0  # ... until this close
const REACH_HEIGHT = 4.0  # m: a ground predator gives up on a player this far above its centre
const FLOOR_TILT = 0.2  # the look leans this fraction of the way toward the floor's normal

var species := {}  # the kind's animal row
var hit_points := 1.0
var is_dead := false
var is_eaten := false
var is_active := false  # in its active behaviour (prey fleeing, predator chasing)
var is_frozen := false  # too far from the player to move (C.ANIMAL_FREEZE_DISTANCE)
var rng := RandomNumberGenerator.new()
var controller: KinematicBody = null
var extents := Vector3.ONE  # half extents of the body box
var color := Color(0.5, 0.5, 0.5)  # species' scripts set their own before `build`
var detection_radius := 1.0  # m: the species' (set in `build`, before the behaviours)
var mover = null  # mover.gd: moves the controller and the body
# The behaviours (behaviors/*.gd; species' scripts build them in `_make_behaviors`): `idle`,
# `active` (flee or chase, while `_wants_active`), `ocean` (turning back from the water), `home`
# (back to the territory: null for animals without one).
var idle = null
var active = null
var ocean = null
var home = null
var home_first := false  # the hawk: going home beats chasing
var territory_centre := Vector3.ZERO  # where it was placed
var altitude := 0.0  # m above the ground that fliers keep

var _behavior = null  # the one chosen this tick
var _going_home := false
var _knocked_back := false  # bit this tick: the knock-back hop replaces the behaviour
var _touching := {}  # instance id -> collider the controller's slides met last tick
var _engaged := false  # `_gate`'s state

var _mesh_instance: MeshInstance = null


func build(spec: Dictionary, context: Dictionary) -> String:
	var row: Dictionary = E.KINDS[kind]
	species = A.SPECIES[kind]
	var physics: Dictionary = row["physics"]
	var e: Array = physics["extents"]
	extents = Vector3(e[0], e[1], e[2])
	mass = physics["mass"]
	hit_points = species["hit_points"]
	bounding_radius = extents.length()
	rest_height = extents.y
	place(spec["position"], spec["yaw"])
	var box := BoxShape.new()
	box.extents = extents
	add_shape(box)
	controller = KinematicBody.new()
	controller.name = "Controller"
	controller.collision_layer = 0
	controller.collision_mask = Layers.TERRAIN | Layers.STATIC | Layers.ITEMS | Layers.PLAYER
	var controller_shape := CollisionShape.new()
	controller_shape.shape = box
	controller.add_child(controller_shape)
	controller.add_collision_exception_with(self)
	add_child(controller)
	mode = MODE_KINEMATIC
	detection_radius = species["detection_radius"]
	mover = Mover.new(self, controller, species["domain"], spec["yaw"])
	territory_centre = spec["position"]
	_make_behaviors()
	add_to_group("animals")
	if context.get("material") != null:
		_mesh_instance = add_mesh(body_mesh(context["material"]))
	return ""


# Species' scripts may give a better look; the default is the body box in the species' colour.
func body_mesh(material: Material) -> Mesh:
	return ItemMeshes.box(extents * 2.0, color, material)


# The episode's seed and this animal's id seed its generator (Godot's hash of the pair: the same in
# every run of a build).
func seed_rng(episode_seed: int) -> void:
	rng.seed = hash([episode_seed, item_id])


# One tick of the animal, after the player acted (`player`: player.gd; `frame`: ticks since reset):
# the damage counters, a predator's attack, then the behaviour (which moves the body).
func tick(player, _frame: int) -> void:
	if is_dead or is_held or is_eaten:
		return
	var offset: Vector3 = player.get_body().global_transform.origin - global_transform.origin
	is_frozen = offset.length() >= C.ANIMAL_FREEZE_DISTANCE
	if is_frozen:
		return
	count_down()
	if is_predator():
		attack(player)
		if is_dead:  # the bee dies on the tick it stings
			return
	behave(player)


# --- behaviour and movement (the behaviour parts) ---


# Species' scripts build their behaviours (`idle`, `active`, `ocean`, `home`) and set `altitude`.
# The base stands still.
func _make_behaviors() -> void:
	pass


# True while the species' activation criteria hold (prey flee, predators chase); evaluated once a
# tick, so criteria with memory (gates, counters) advance once a tick.
func _wants_active(_player) -> bool:
	return false


# One tick of behaviour: choose (ocean, home, active, idle: docs/animals.md), reset the previous
# behaviour when the choice changes, run it; then report the new contacts of the controller.
func behave(player) -> void:
	if not _ensure_mobile():
		return
	mover.touching = {}
	var chosen = _choose(player)
	if chosen != _behavior and _behavior != null:
		_behavior.reset()
	_behavior = chosen
	is_active = chosen != null and chosen == active
	if _knocked_back:
		_knocked_back = false
		mover.hop(-mover.forward() * KNOCK_BACK.x + Vector3.UP * KNOCK_BACK.y)
	elif chosen == null or (is_active and is_predator() and is_resting()):
		mover.continue_motion()
	else:
		chosen.step(self, player)
	mover.face()
	_pose_mesh()
	for key in mover.touching:
		if not _touching.has(key):
			on_touched(mover.touching[key])
	_touching = mover.touching


func _choose(player):
	var wants: bool = active != null and _wants_active(player)
	if home != null:
		var offset := global_transform.origin - territory_centre
		var away := Vector2(offset.x, offset.z).length()
		_going_home = away >= TERRITORY_LEAVE or (_going_home and away >= TERRITORY_BACK)
	var homing := _going_home and (home_first or not wants)
	if wants and is_predator() and not homing:  # predators chase into the sea
		return active
	if ocean != null and not mover.climbing and (ocean.running or sees_ocean()):
		return ocean
	if homing:
		return home
	if wants:
		return active
	return idle


# A predator's knock-back hop on the tick it bites (KNOCK_BACK), which also ends the chase it was
# in: the behaviour starts over when the rest is over.
func knock_back() -> void:
	_knocked_back = true
	if active != null:
		active.reset()


# The probe ahead sees water (the world's water level) or nothing (off the world's edge).
func sees_ocean() -> bool:
	var water := -INF
	if ground != null and "water_height" in ground:
		water = ground.water_height
	return mover.sees_ocean(water)


# The look (not the body box) leans toward the floor's normal, as the original's body did, and a
# flier's look pitches with its flight.
func _pose_mesh() -> void:
	if _mesh_instance == null:
		return
	var basis := Basis()
	if mover.domain == Mover.AIR:
		basis = Basis(Vector3.RIGHT, deg2rad(mover.pitch))
	elif mover.on_floor and not mover.climbing:
		var up: Vector3 = global_transform.basis.xform_inv(mover.floor_normal)
		var lean := Vector3.UP.linear_interpolate(up, FLOOR_TILT).normalized()
		var axis := Vector3.UP.cross(lean)
		if axis.length() > 1e-4:
			basis = Basis(axis.normalized(), Vector3.UP.angle_to(lean))
	_mesh_instance.transform.basis = basis


# A released or fallen live animal, a rigid body, moves again once it flies or touches the
# terrain (the reference); until then physics carries it.
func _ensure_mobile() -> bool:
	if mode == MODE_KINEMATIC:
		return true
	if species["domain"] != Mover.AIR and not _touches_terrain():
		return false
	var back := global_transform.basis.z
	mode = MODE_KINEMATIC
	mover.restart()
	mover.yaw = rad2deg(atan2(back.x, back.z))
	mover.face()
	return true


func _touches_terrain() -> bool:
	for key in _contacts:
		var other = instance_from_id(key)
		if other is CollisionObject and (other.collision_layer & Layers.TERRAIN) != 0:
			return true
	return false


# --- what the animal senses of the player ---


# From the body's centre to the player's body centre.
func player_offset(player) -> Vector3:
	return player.get_body().global_transform.origin - global_transform.origin


# Distance to the player's body centre; fliers measure it on the ground plane (2-D).
func player_distance(player) -> float:
	var offset := player_offset(player)
	if species["domain"] == Mover.AIR:
		return Vector2(offset.x, offset.z).length()
	return offset.length()


# Within the detection radius; a climber also when the player is within it on the ground plane.
func _player_in_radius(player) -> bool:
	if player_distance(player) <= detection_radius:
		return true
	var offset := player_offset(player)
	return mover.climbing and Vector2(offset.x, offset.z).length() <= detection_radius


# In the front half-space (the reference's "can see": no occlusion test).
func _player_in_front(player) -> bool:
	return player_offset(player).dot(mover.forward()) > 0.0


# The reference's gate: opens when `start` and `stay` hold, stays open while `stay` holds.
func _gate(start: bool, stay: bool) -> bool:
	_engaged = stay and (_engaged or start)
	return _engaged


# A ground predator's "reachable by ground" as the reference has it in effect: the player's body
# centre at most REACH_HEIGHT above the animal's.
func _player_reachable(player) -> bool:
	return player_offset(player).y <= REACH_HEIGHT


# --- damage (both ways) ---


# Advances the invincibility counter (one step per free, unfrozen tick).
func count_down() -> void:
	pass


# A predator bites when its natural weapon overlaps the player's body, it was active last tick and
# is not resting.
func attack(_player) -> void:
	pass


# True while a predator rests after a bite: its behaviour only continues the ongoing motion.
func is_resting() -> bool:
	return false


# The movement found `other` touching the body this tick (a slide collision of the controller)
# and had not touched it the tick before.
func on_touched(_other: Object) -> void:
	pass


func get_hit_points() -> float:
	return hit_points


func get_flags() -> int:
	var flags := .get_flags()
	if is_dead:
		flags |= C.ENTITY_FLAG_DEAD
	if is_active:
		flags |= C.ENTITY_FLAG_ACTIVE
	if is_frozen:
		flags |= C.ENTITY_FLAG_FROZEN
	if is_eaten:
		flags |= C.ENTITY_FLAG_EATEN
	if is_edible():
		flags |= C.ENTITY_FLAG_EDIBLE
	return flags


func is_predator() -> bool:
	return species["predator"]


func is_grabbable() -> bool:
	if is_eaten or not .is_grabbable():
		return false
	match species["grab_when"]:
		"always":
			return true
		"dead":
			return is_dead
	return false


# Prey only: dead, or alive for a kind edible alive (the frog).
func is_edible() -> bool:
	return (
		has_capability(E.CAPABILITY_EDIBLE)
		and not is_eaten
		and (is_dead or species["edible_alive"])
	)


# Eaten from the hand at the mouth (the player has already let go). A live animal edible alive dies
# and gives nothing (it must be grabbed and eaten again); a dead prey is hidden and gives its
# energy.
func eat() -> float:
	if not is_edible():
		return 0.0
	is_held = false
	if not is_dead:
		die()
		return 0.0
	is_eaten = true
	visible = false
	for child in get_children():
		if child is CollisionShape:
			child.disabled = true
	mode = MODE_STATIC
	return species["energy"]


# Hit points drop to 0: the body becomes a rigid body that falls over.
func die() -> void:
	hit_points = 0.0
	is_dead = true
	is_active = false
	if controller != null:
		controller.get_child(0).disabled = true
	if not is_held:
		mode = MODE_RIGID
		sleeping = false
