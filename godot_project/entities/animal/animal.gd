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


# Species' behaviour for one tick; the base stands still. Sets `is_active`.
func behave(_player) -> void:
	pass


# A predator's knock-back hop on the tick it bites (2 m/s back, 2 up in the reference).
func knock_back() -> void:
	pass


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
