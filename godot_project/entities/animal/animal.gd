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
const PAIN_COLOR = Color(0.9, 0.1, 0.1)
const DEAD_COLOR = Color(0.3, 0.3, 0.3)
const TERRAIN_MARGIN = 0.05  # m: touching the terrain, for a release
# A new animal's first ticks: it stands still and collides with nothing (body and controller). In
# Bullet a kinematic body pushes what it touches with the velocity of its move over the step, and
# its first step counts as a move from the origin into its place: an animal standing y m up threw
# whatever touched it at 10 y m/s (a bee 4.7 m up threw FIGHT's hanging apple into the sea).
const GHOST_TICKS = 2

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
var natural_weapon: Area = null  # a predator's snout or sting (its row's weapon box)
var home_first := false  # the hawk: going home beats chasing
var territory_centre := Vector3.ZERO  # where it was placed
var altitude := 0.0  # m above the ground that fliers keep
# Tests only (tests/rules/combat_scenarios.gd): false holds the animal's own behaviour, so a damage
# scenario gets a still target whatever the species' activation criteria are (they differ: the
# deer's and the snake's do not use the detection radius). It then does not move at all (not even
# a slide, which would push it out of a rock laid on it; put in the air, it stays there), takes no
# knock-back hop and keeps `is_active` as the test set it (false unless set, so it never bites; a
# still predator set active bites whenever its rest allows). Damage, bites, death, grabbing and
# eating run as usual.
var behaviour_enabled := true

var _behavior = null  # the one chosen this tick
var _going_home := false
var _knocked_back := false  # bit this tick: the knock-back hop replaces the behaviour
var _touching := {}  # instance id -> collider the controller's slides met last tick
var _engaged := false  # `_gate`'s state

var _mesh_instance: MeshInstance = null
var _material: Material = null
var _invincible_count := 0  # 0: can be hurt; else 1 .. C.ANIMAL_INVINCIBLE_TICKS after a hit
var _rest_count := 0  # a predator's: 0 ready to bite; else 1 .. bite_rest + 1 after a bite
var _contact_frames := {}  # instance id -> physics frame of its last contact start (one hit each)
var _ghost_ticks := 0  # `tick`s left until the new body collides (GHOST_TICKS after `build`)
var _ghost_layers := Vector3.ZERO  # (layer, mask, the controller's mask) once it collides


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
	var turned := Transform(Basis(Vector3.UP, deg2rad(species["body_yaw"])), Vector3.ZERO)
	add_shape(box).transform = turned
	controller = KinematicBody.new()
	controller.name = "Controller"
	controller.collision_layer = 0
	controller.collision_mask = Layers.TERRAIN | Layers.STATIC | Layers.ITEMS | Layers.PLAYER
	var controller_shape := CollisionShape.new()
	controller_shape.shape = box
	controller_shape.transform = turned
	controller.add_child(controller_shape)
	controller.add_collision_exception_with(self)
	add_child(controller)
	if _is_predator():
		natural_weapon = _natural_weapon()
		add_child(natural_weapon)
	mode = MODE_KINEMATIC
	_ghost_layers = Vector3(collision_layer, collision_mask, controller.collision_mask)
	collision_layer = 0
	collision_mask = 0
	controller.collision_mask = 0
	_ghost_ticks = GHOST_TICKS
	detection_radius = species["detection_radius"]
	mover = Mover.new(self, controller, species["domain"], spec["yaw"])
	territory_centre = spec["position"]
	_make_behaviors()
	add_to_group("animals")
	if context.get("material") != null:
		_material = context["material"]
		_mesh_instance = add_mesh(_look("alive"))
	return ""


# The row's weapon box in the body frame; it sees only the player's body.
func _natural_weapon() -> Area:
	var area := Area.new()
	area.name = "NaturalWeapon"
	area.collision_layer = 0
	area.collision_mask = Layers.PLAYER
	area.monitorable = false
	var box := BoxShape.new()
	var e: Array = species["weapon_extents"]
	box.extents = Vector3(e[0], e[1], e[2])
	var shape := CollisionShape.new()
	shape.shape = box
	area.add_child(shape)
	var at: Array = species["weapon_offset"]
	area.transform = Transform(
		Basis(Vector3.UP, deg2rad(species["weapon_yaw"])), Vector3(at[0], at[1], at[2])
	)
	return area


# The look: boxes (`_look_parts`) in the species' colour, inside the body's box.
func _body_mesh(material: Material) -> Mesh:
	var builder := MeshBuilder.new()
	for part in _look_parts():
		var centre := Vector3(part[0], part[1], part[2]) * extents
		var size := Vector3(part[3], part[4], part[5]) * extents
		var shade: float = part[6]
		var tint := Color(color.r * shade, color.g * shade, color.b * shade)
		if shade > 1.0:
			tint = color.linear_interpolate(Color.white, shade - 1.0)
		builder.box(centre, size, tint)
		if centre.x != 0.0:  # animals are symmetric: a part off the middle has a mirror image
			builder.box(Vector3(-centre.x, centre.y, centre.z), size, tint)
	return builder.commit(material)


# Species' scripts give their look as boxes [centre x, y, z, size x, y, z, shade]: centre and size
# in half extents of the body's box (the whole box is [0, 0, 0, 2, 2, 2]; -z the front, +y up); a
# shade below 1 darkens the species' colour by that factor, one of 1 + f takes it a fraction f of
# the way to white. The default is the whole box.
func _look_parts() -> Array:
	return [[0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 1.0]]


# A bird's look (pigeon, crow, hawk, eagle): body, head, tail and wings over the body's width; dead,
# the wings spread to the wing box (`wing`: its half extents, added to the body when it dies).
func _bird_parts(head_shade: float, wing: Vector3) -> Array:
	var span := wing.x / extents.x if is_dead else 1.0
	return [
		[0.0, -0.1, 0.1, 0.6, 1.4, 1.3, 1.0],
		[0.0, 0.25, -0.75, 0.45, 1.1, 0.5, head_shade],
		[0.0, -0.1, 0.85, 0.5, 0.4, 0.3, 0.8],
		[0.0, 0.2, 0.0, 2.0 * span, 0.25, 2.0 * wing.z / extents.z, 0.85],
	]


# A bird dies with its wings spread: the flat wing box (half extents `wing`) joins its body.
func _spread_wings(wing: Vector3) -> void:
	var box := BoxShape.new()
	box.extents = wing
	add_shape(box).name = "Wings"
	bounding_radius = max(bounding_radius, wing.length())


# The episode's seed and this animal's id seed its generator (Godot's hash of the pair: the same in
# every run of a build).
func seed_rng(episode_seed: int) -> void:
	rng.seed = hash([episode_seed, item_id])


# One tick of the animal, after the player acted (`player`: player.gd; `frame`: ticks since reset):
# the damage counters, a predator's attack, then the behaviour (which moves the body).
# The invincibility counter runs every tick, held, falling or frozen too (the original's froze).
func tick(player, _frame: int) -> void:
	if _ghost_ticks > 0:
		_ghost_ticks -= 1
		if _ghost_ticks > 0:
			return
		collision_layer = int(_ghost_layers.x)
		collision_mask = int(_ghost_layers.y)
		controller.collision_mask = int(_ghost_layers.z)
	if is_dead or is_eaten:
		return
	_count_down()
	if is_held or mode != MODE_KINEMATIC:  # held, or let go and falling until it lands
		return
	var offset: Vector3 = player.get_body().global_transform.origin - global_transform.origin
	is_frozen = offset.length() >= C.ANIMAL_FREEZE_DISTANCE
	if is_frozen:
		return
	if _is_predator():
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
# Nothing at all while a test holds the behaviour (`behaviour_enabled`).
func behave(player) -> void:
	if mode != MODE_KINEMATIC:  # let go in the air: it falls until it lands (`_mobilise`)
		return
	mover.touching = {}
	if not behaviour_enabled:
		_knocked_back = false
		return
	_run_behaviour(player)
	mover.face()
	_pose_mesh()
	for key in mover.touching:
		if not _touching.has(key):
			_on_touched(mover.touching[key])
	_touching = mover.touching


func _run_behaviour(player) -> void:
	var chosen = _choose(player)
	if chosen != _behavior and _behavior != null:
		_behavior.reset()
	_behavior = chosen
	is_active = chosen != null and chosen == active
	if _knocked_back:
		_knocked_back = false
		# with its lift even mid-hop (the reference's knock-back; the biter is often mid-hop)
		mover.hop(-mover.forward() * KNOCK_BACK.x + Vector3.UP * KNOCK_BACK.y, true)
	elif chosen == null or (is_active and _is_predator() and is_resting()):
		mover.continue_motion()
	else:
		chosen.step(self, player)


func _choose(player):
	var wants: bool = active != null and _wants_active(player)
	if home != null:
		var offset := global_transform.origin - territory_centre
		var away := Vector2(offset.x, offset.z).length()
		_going_home = away >= TERRITORY_LEAVE or (_going_home and away >= TERRITORY_BACK)
	var homing := _going_home and (home_first or not wants)
	if wants and _is_predator() and not homing:  # predators chase into the sea
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


# Advances the invincibility counter: 1 on the hit's tick, then 2 .. ANIMAL_INVINCIBLE_TICKS, then
# 0 (hurt again); the pain look shows for the first ANIMAL_PAIN_FLASH_TICKS.
func _count_down() -> void:
	if _invincible_count == 0:
		return
	_invincible_count += 1
	if _invincible_count > C.ANIMAL_INVINCIBLE_TICKS:
		_invincible_count = 0
	if _invincible_count == 0 or _invincible_count > C.ANIMAL_PAIN_FLASH_TICKS:
		_show("alive")


# A predator's resting counter advances (1 .. bite_rest + 1, then 0); it bites when the counter is
# 0, it was active last tick (`is_active` is still last tick's: the behaviour runs after) and its
# natural weapon overlapped the player's body in the last physics step. The bite knocks it back;
# a kind that dies after biting (the bee) dies.
func attack(player) -> void:
	if _rest_count > 0:
		_rest_count += 1
		if _rest_count > species["bite_rest"] + 1:
			_rest_count = 0
	if _rest_count != 0 or not is_active or natural_weapon == null:
		return
	if not natural_weapon.overlaps_body(player.get_body()):
		return
	player.take_damage(species["bite_damage"])
	_rest_count = 1
	knock_back()
	if species["dies_after_bite"]:
		die()


# True while a predator rests after a bite: its behaviour only continues the ongoing motion.
func is_resting() -> bool:
	return _rest_count != 0


# The movement found `other` touching the body this tick (a slide collision of the controller)
# and had not touched it the tick before.
func _on_touched(other: Object) -> void:
	if other != null and other.has_method("weapon_damage"):
		on_weapon_contact(other)


# A weapon (rock.gd, stick.gd) started touching the body: it says what the hit is worth at the
# body's velocity. Reported by the weapon (a rigid rock's contact, a held stick's overlap), by the
# body's own contacts while it is rigid, and by the movement's slides; one pair counts once per
# physics frame.
func on_weapon_contact(weapon: Object) -> void:
	if is_dead or is_eaten:
		return
	var key := weapon.get_instance_id()
	var frame := Engine.get_physics_frames()
	if _contact_frames.get(key, -1) == frame:
		return
	_contact_frames[key] = frame
	_hurt(weapon.weapon_damage(_body_velocity()))


# Whole hit points only (the original floors damage); none while invincible after a hit, none for
# a kind of 100 hit points or more (the bear, the hippo).
func _hurt(amount: float) -> void:
	var damage := floor(amount)
	if is_dead or damage <= 0.0 or species["invincible"] or _invincible_count != 0:
		return
	hit_points -= damage
	if hit_points <= 0.0:
		die()
		return
	_invincible_count = 1
	_show("pain")


# Rigid (falling, dead): the physics body's velocity; held: the hand's; moving itself: the
# movement's observed velocity (mover.gd: its last move, as the reference's "last observed
# velocity"), none while it does not move (frozen, or held still by a test).
func _body_velocity() -> Vector3:
	if mode == MODE_RIGID:
		return linear_velocity
	if is_held:
		return _velocity
	if is_frozen or not behaviour_enabled:
		return Vector3.ZERO
	return mover.velocity


# A new contact while rigid (item.gd): a weapon's hit, or a landing on the terrain (fall damage for
# a free fall faster than ANIMAL_FALL_DAMAGE_SPEED; a live animal let go in the air moves by itself
# again once it lands).
func _on_impact(other: Object, _speed: float) -> void:
	if other == null or is_dead or is_eaten:
		return
	if other.has_method("weapon_damage"):
		on_weapon_contact(other)
		return
	if is_held or not _is_terrain(other):
		return
	var down := -_velocity_before.y
	if down > C.ANIMAL_FALL_DAMAGE_SPEED:
		_hurt(floor(down / C.ANIMAL_FALL_DAMAGE_SPEED))
	if not is_dead:
		call_deferred("_mobilise")


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


func _is_predator() -> bool:
	return species["predator"]


# --- grabbing and eating ---


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


# A hand takes the animal: a live one is held still (no behaviour, no bites: `tick` stops).
func grab() -> void:
	.grab()
	is_active = false
	_set_controller_enabled(false)


# Let go: a live animal moves by itself again at once if it flies or touches the terrain, else it
# falls as a rigid body until it lands on the terrain (`_on_impact`).
func release(velocity: Vector3) -> void:
	.release(velocity)
	if is_dead:
		return
	if species["domain"] == "air" or _overlaps_terrain():
		_mobilise()


# Eaten from the hand at the mouth (the player has already let go). A live animal edible alive dies
# and gives nothing (it must be grabbed and eaten again); a dead prey is hidden and gives its
# energy.
func eat() -> float:
	if not is_edible():
		return 0.0
	is_held = false
	if not is_dead:
		mode = MODE_RIGID
		die()
		return 0.0
	is_eaten = true
	visible = false
	for child in get_children():
		if child is CollisionShape:
			child.disabled = true
	mode = MODE_STATIC
	return species["energy"]


# --- death ---


# Hit points drop to 0: the body falls over (a ground animal onto its flank, a bird onto its back),
# no longer moves by itself or bites, and turns a dead colour. Damage arrives from physics
# callbacks, where a body must not change its mode: the body's part waits for `_fall_over`.
func die() -> void:
	if is_dead:
		return
	hit_points = 0.0
	is_dead = true
	is_active = false
	_invincible_count = 0
	_rest_count = 0
	_show("dead")
	call_deferred("_fall_over")


func _fall_over() -> void:
	_set_controller_enabled(false)
	if natural_weapon != null:
		natural_weapon.monitoring = false
	if is_held or is_eaten:
		return
	# The reference tips ground animals 90 degrees about the body's X axis, which stands a long body
	# (deer, wolf, alligator) on its tail, where a box can balance; rolled 90 degrees about its
	# forward (Z) axis it lies on its flank, as dead animals do (docs/animals.md).
	var tip := Basis(Vector3.BACK, PI / 2.0)
	if species["domain"] == "air":
		tip = Basis(Vector3.RIGHT, PI)
	global_transform.basis = global_transform.basis * tip
	# The body may come to rest on any face: the terrain guard (item.gd) must not lift it back up
	# to its standing height.
	rest_height = min(extents.x, min(extents.y, extents.z))
	mode = MODE_RIGID
	sleeping = false


# A live animal becomes a kinematic body again, upright, moved by its controller (where the body
# is) and its behaviour.
func _mobilise() -> void:
	if is_dead or is_held or is_eaten or mode == MODE_KINEMATIC:
		return
	var back := global_transform.basis.z
	mode = MODE_KINEMATIC
	mover.restart()  # no motion carried over from before the grab or the fall
	mover.yaw = rad2deg(atan2(back.x, back.z))
	mover.face()
	# Not deferred: the slide below needs the shape. A landing is found one physics step before
	# Bullet resolves it, so the box may still be deep in the terrain (a rabbit let go 2 m above
	# the floor: 0.6 m): one standing slide pushes it out onto the ground before it moves by itself.
	controller.get_child(0).disabled = false
	mover.move(Vector3.ZERO)


func _set_controller_enabled(enabled: bool) -> void:
	if controller != null:
		controller.get_child(0).set_deferred("disabled", not enabled)


# --- looks ---


# The body's mesh for `look`: the species' own colour, a reddish flash after a hit, greyed when
# dead (`_body_mesh` in `color` each time, so a species' own mesh gets the same looks). A look is
# the same for every animal of a kind: built once, then shared (MeshBuilder.SHARED, which outlives
# worlds), which saves about 0.5 ms an animal at every reset.
func _look(look: String) -> Mesh:
	var key := "animal %s %s %d" % [kind, look, _material.get_instance_id()]
	if not MeshBuilder.SHARED.has(key):
		var own := color
		match look:
			"pain":
				color = color.linear_interpolate(PAIN_COLOR, 0.6)
			"dead":
				color = color.linear_interpolate(DEAD_COLOR, 0.7)
		var mesh := _body_mesh(_material)
		color = own
		return MeshBuilder.share(key, mesh)
	return MeshBuilder.SHARED[key]


func _show(look: String) -> void:
	if _mesh_instance != null:
		_mesh_instance.mesh = _look(look)


func _overlaps_terrain() -> bool:
	if not is_inside_tree():
		return false
	var query := PhysicsShapeQueryParameters.new()
	var shape: CollisionShape = get_node("Shape")
	query.set_shape(shape.shape)
	query.transform = shape.global_transform
	query.collision_mask = Layers.TERRAIN
	query.margin = TERRAIN_MARGIN
	return not get_world().direct_space_state.intersect_shape(query, 1).empty()


func _is_terrain(other: Object) -> bool:
	return other is CollisionObject and (other.collision_layer & Layers.TERRAIN) != 0
