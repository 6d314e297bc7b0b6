# The base of every dynamic entity kind (families food and tool): a rigid body that reports its id,
# kind and flags, answers the capability queries (`is_grabbable()` ...) from its row of the
# generated entity table, follows a hand while held (kinematic), is thrown on release, and detects
# impacts for subclasses. A kind's script extends this (or its family's base) and implements
# `build(spec, context)`; entities/entity_factory.gd creates it.
#
# Impact speed = the relative speed of the two bodies over the tick before a *new* contact appears
# (both velocities sampled after the previous physics step). Bullet resolves a contact in the step
# after it detects it, so by the time the contact is reported the velocities are already
# post-collision; the previous tick's velocities are the approach speed. A resting contact is not
# new and never counts, so a body lying on the ground never "impacts" again. Items record their
# velocities in `_integrate_forces`, which runs once per physics tick right after the step (and only
# while the env's physics space is active), so items need no per-tick call from the env.
extends RigidBody

const C = preload("res://generated/constants.gd")
const E = preload("res://generated/entities.gd")
const ItemMeshes = preload("res://items/item_meshes.gd")
const Layers = preload("res://world/layers.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")

const CONTACTS_REPORTED = 6
const ANGULAR_DAMP = 5.0  # per second

var item_id := 0
var kind := ""
var kind_id := 0  # the kind's append-only id (E.KIND_*), reported in observations
var capabilities := {}  # E.CAPABILITY_* -> true, from the kind's row
var bounding_radius := 0.1  # m, radius of a sphere around the origin that holds the collision shape
var is_held := false
var rest_height := 0.1  # m from the origin down to the lowest point when lying in its resting pose
var ground: Object = null  # answers ground_height(x, z) (world.gd); null: no terrain guard
var terrain_body: Object = null  # the terrain's StaticBody, the `other` of guarded landings

var _velocity := Vector3.ZERO  # after the last physics step (or the hand's while held)
var _velocity_before := Vector3.ZERO  # after the step before that
var _velocity_frame := -1  # physics frame in which `_velocity` was sampled
var _contacts := {}  # instance id -> true: colliders touching after the last step
var _new_ghost_ticks := 0  # ticks left until a new kinematic item collides (`ghost_first_step`)
var _new_ghost_layers := Vector2.ZERO  # its (layer, mask) until then


func _init() -> void:
	collision_layer = Layers.ITEMS
	collision_mask = Layers.TERRAIN | Layers.STATIC | Layers.ITEMS | Layers.PLAYER
	contact_monitor = true
	contacts_reported = CONTACTS_REPORTED
	continuous_cd = true
	# Rolling resistance, which Bullet lacks: without it round foods and sticks roll away on any slope.
	angular_damp = ANGULAR_DAMP
	add_to_group("items")


func _ready() -> void:
	set_physics_process(_new_ghost_ticks > 0)


# Bullet gives a kinematic body, on its first physics step, the velocity of a move from the origin
# to where it was placed, and throws what it touches with that velocity (a rock against a door
# placed 1 m up and 0.5 m out flew 1 m back in a tick). A kind that is kinematic from its creation
# (doors) calls this in `build`: it collides with nothing until it has been stepped in place.
# (Animals do the same in their entity tick, animal.gd `GHOST_TICKS`.)
func ghost_first_step() -> void:
	_new_ghost_layers = Vector2(collision_layer, collision_mask)
	collision_layer = 0
	collision_mask = 0
	# The tick it is added in may step physics before or after this node's turn: two.
	_new_ghost_ticks = 2


func _physics_process(_delta: float) -> void:
	_new_ghost_ticks -= 1
	if _new_ghost_ticks <= 0:
		collision_layer = int(_new_ghost_layers.x)
		collision_mask = int(_new_ghost_layers.y)
		set_physics_process(false)


# Places the item, `yaw_deg` about +Y. Call before adding it to the tree.
func place(position: Vector3, yaw_deg: float) -> void:
	transform = Transform(Basis(Vector3.UP, deg2rad(yaw_deg)), position)


# Subclasses: build the shape and look from the validated item spec (world/world_spec.gd) and the
# kind's row; `context` holds "material" (null: no meshes wanted), "palette" and "trunks". Returns
# "" or what is wrong.
func build(_spec: Dictionary, _context: Dictionary) -> String:
	return "%s: its script does not implement build()" % kind


func has_capability(capability: String) -> bool:
	return capabilities.has(capability)


func get_flags() -> int:
	return C.ENTITY_FLAG_HELD if is_held else 0


# Hit points in observations: an animal's (animal.gd); 0 for everything else.
func get_hit_points() -> float:
	return 0.0


# Degrees about +Y, 0 facing -Z (observations).
func get_yaw() -> float:
	var back := global_transform.basis.z
	return rad2deg(atan2(back.x, back.z))


func is_grabbable() -> bool:
	return has_capability(E.CAPABILITY_GRABBABLE) and not is_held


func is_edible() -> bool:
	return has_capability(E.CAPABILITY_EDIBLE)


func is_climbable() -> bool:
	return has_capability(E.CAPABILITY_CLIMBABLE)


func is_pushable() -> bool:
	return has_capability(E.CAPABILITY_PUSHABLE)


# A collision shape child named "Shape".
func add_shape(shape: Shape) -> CollisionShape:
	var collision := CollisionShape.new()
	collision.name = "Shape"
	collision.shape = shape
	add_child(collision)
	return collision


# A cube of edge `edge` in `color`: its box shape and mesh, and the bounding radius and resting
# height that go with it (rocks, stones, boulders).
func add_cube(edge: float, color: Color) -> void:
	bounding_radius = edge * sqrt(3.0) / 2.0
	rest_height = edge / 2.0
	var shape := BoxShape.new()
	shape.extents = Vector3.ONE * edge / 2.0
	add_shape(shape)
	add_mesh(ItemMeshes.box(Vector3.ONE * edge, color, MeshBuilder.material()))


# A mesh child named "Mesh".
func add_mesh(mesh: Mesh) -> MeshInstance:
	var instance := MeshInstance.new()
	instance.name = "Mesh"
	instance.mesh = mesh
	add_child(instance)
	return instance


# A hand took the item: it turns kinematic and follows the hand (`follow`) until `release`.
func grab() -> void:
	is_held = true
	mode = MODE_KINEMATIC
	_contacts.clear()


# Called by the holding hand once per tick (before the physics step). Bullet picks up a kinematic
# body's new transform one step late, so a contact the held item makes is reported a tick after the
# move: the hand velocity of the previous tick is this item's velocity "before the step" then.
func follow(target: Transform, hand_velocity: Vector3) -> void:
	global_transform = target
	var frame := Engine.get_physics_frames()
	if _velocity_frame != frame:
		_velocity_before = _velocity
	_velocity = hand_velocity
	_velocity_frame = frame


# Back to a rigid body moving with the hand's last velocity (a throw when the hand moved). An item
# heavier than C.RELEASE_MASS keeps only RELEASE_MASS / mass of it: the hand cannot throw it.
func release(velocity: Vector3) -> void:
	var thrown := velocity * min(1.0, C.RELEASE_MASS / mass)
	is_held = false
	mode = MODE_RIGID
	linear_velocity = thrown
	angular_velocity = Vector3.ZERO
	sleeping = false
	_velocity = thrown
	_velocity_frame = -1


# The bodies the player's body must ignore while it holds this item and until it is clear of it
# after release (a kind with extra collision bodies, the stone's shell, adds them).
func player_colliders() -> Array:
	return [self]


# This item's velocity before the current physics step, for the other body of an impact.
func velocity_before_step() -> Vector3:
	if _velocity_frame == Engine.get_physics_frames():
		return _velocity_before
	return _velocity


func _integrate_forces(state: PhysicsDirectBodyState) -> void:
	if is_held or mode != MODE_RIGID:
		return
	var frame := Engine.get_physics_frames()
	if _velocity_frame != frame:
		_velocity_before = _velocity
		_velocity_frame = frame
	_guard_terrain(state)
	_velocity = state.linear_velocity
	_on_state(state)
	var contacts := {}
	for i in range(state.get_contact_count()):
		var other: Object = state.get_contact_collider_object(i)
		if other == null:
			continue
		var key := other.get_instance_id()
		if contacts.has(key):
			continue
		contacts[key] = true
		if not _contacts.has(key):
			_on_new_contact(other)
	_contacts = contacts


func _on_new_contact(other: Object) -> void:
	var other_velocity := Vector3.ZERO
	if other.has_method("velocity_before_step"):
		other_velocity = other.velocity_before_step()
	var speed := (_velocity_before - other_velocity).length()
	_on_impact(other, speed)
	# A held (kinematic) item detects nothing itself: tell it about the hit.
	if other.has_method("velocity_before_step") and other.is_held:
		other.receive_impact(self, speed)
	# A live animal is kinematic too and detects nothing either: a weapon tells it (animal.gd).
	if other.has_method("on_weapon_contact") and has_method("weapon_damage"):
		other.on_weapon_contact(self)


# An impact that another item detected on behalf of this (held) one.
func receive_impact(other: Object, speed: float) -> void:
	_on_impact(other, speed)


# Bullet at 10 Hz lets a small item falling faster than about 3 m/s step from above the heightmap
# to below it (continuous collision detection does not catch the heightmap), and lets a resting
# item slowly sink through it. The guard keeps free items on top of the terrain surface (the same
# triangles as the collision, via `ground.ground_height`): an item whose next step would take it
# more than half its rest height into the ground instead arrives at the surface, and the landing is
# reported as an impact at its real speed; an item found that deep is lifted back onto it.
func _guard_terrain(state: PhysicsDirectBodyState) -> void:
	if ground == null:
		return
	var t := state.transform
	var v := state.linear_velocity
	var floor_y: float = ground.ground_height(t.origin.x, t.origin.z)
	if t.origin.y < floor_y + rest_height * 0.5:
		t.origin.y = floor_y + rest_height
		state.transform = t
		if v.y < 0.0:
			var speed := v.length()
			v.y = 0.0
			state.linear_velocity = v
			_on_impact(terrain_body, speed)
		return
	if v.y >= 0.0:
		return
	var dt := state.step
	var next := t.origin + v * dt + state.total_gravity * dt * dt
	var next_floor: float = ground.ground_height(next.x, next.z)
	if next.y < next_floor + rest_height * 0.5:
		var speed := v.length()
		v.y = min(0.0, (next_floor + rest_height - t.origin.y) / dt - state.total_gravity.y * dt)
		state.linear_velocity = v
		_on_impact(terrain_body, speed)


# Subclasses: called once per physics tick with the post-step state (rigid, not held).
func _on_state(_state: PhysicsDirectBodyState) -> void:
	pass


# Subclasses: a new contact with `other` at relative `speed` (m/s). Runs inside a physics callback:
# change collision or mode only with `set_deferred` / `call_deferred`.
func _on_impact(_other: Object, _speed: float) -> void:
	pass
