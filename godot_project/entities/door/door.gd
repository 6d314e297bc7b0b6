# The base of the doors (hinge_door.gd, sliding_door.gd; docs/doors.md): a panel body whose whole
# state is one number, `opening` (degrees turned about the hinge, or metres slid), within limits.
# It is a kinematic RigidBody on the items layer, so it blocks the player and items, and is moved
# only by this script, along its constraint (no Bullet joint):
# - held by a hand: each tick, to the opening that brings the grabbed point nearest the hand
#   (`follow`: the hand's path projected onto the arc or the rail);
# - walked into by the body (player/pushing.gd `push_by_body`): by the body's walk along the
#   constraint at the contact;
# in both cases only as far as the limits allow and never into the player's body.
# Latched (the `latching` field: never, until the first grab, again on every release) or locked
# (any lock on it still closed, entities/door/lock.gd) it does not move: a locked door cannot be
# grabbed, a latched one is grabbable and the grab unlatches it (the reference).
# Frames: `frame` is the shut pose (the spec's position, yaw) in the parent's frame; the body's
# local frame is the shut frame moved by the opening, so shapes are placed in shut-frame
# coordinates; local +z faces the approach side (locks, the pull handle).
extends "res://entities/item.gd"

const DT = 1.0 / C.PHYSICS_FPS
const WOOD = Color(0.55, 0.36, 0.2)
const HANDLE_COLOR = Color(0.25, 0.22, 0.2)
const BLOCK_STEPS = 6  # halvings when the target opening would overlap the player's body
const BODY_CLEARANCE = 0.02  # m kept between the panel and the player's body
const MAX_QUERY_RESULTS = 4

var width := 1.0  # m, the doorway the door fills
var height := 3.0
var latching := 0
var latched := false
var opening := 0.0  # degrees (hinge) or metres (sliding) from shut
var min_opening := 0.0
var max_opening := 0.0
var frame := Transform()  # the shut pose in the parent's frame
var locks := []  # lock.gd nodes that registered themselves
var panel_size := Vector3.ONE  # m, the panel box (set by the kind)
var panel_center := Vector3.ZERO  # its centre in the shut frame
var pull_only := false  # a hinge door that only opens toward the approach side

var _grab_local := Vector3.ZERO  # the grabbed point in the body frame when grabbed
var _grab_frame := Vector3.ZERO  # the same point in the shut frame
var _grab_opening := 0.0
var _query := PhysicsShapeQueryParameters.new()
var _query_shape := BoxShape.new()
var _builder: MeshBuilder = null


func _init() -> void:
	mode = MODE_KINEMATIC
	add_to_group("doors")


func build(spec: Dictionary, _context: Dictionary) -> String:
	width = spec["width"]
	height = spec["height"]
	latching = spec["latching"]
	if latching < C.LATCHING_NONE or latching > C.LATCHING_AUTO:
		return "%s %d: latching %d is not 0, 1 or 2" % [kind, item_id, latching]
	latched = latching != C.LATCHING_NONE
	mass = E.KINDS[kind]["physics"]["mass"]
	frame = Transform(Basis(Vector3.UP, deg2rad(spec["yaw"])), spec["position"])
	_builder = MeshBuilder.new()
	var problem := _build_door(spec)
	if problem != "":
		return problem
	add_mesh(_builder.commit(MeshBuilder.material()))
	_builder = null
	_query_shape.extents = panel_size / 2.0 + Vector3.ONE * BODY_CLEARANCE
	_query.set_shape(_query_shape)
	_query.collision_mask = Layers.PLAYER
	bounding_radius = (panel_center + panel_size / 2.0).length()
	set_opening(0.0)
	ghost_first_step()
	return ""


# Kinds: sizes, limits, shapes and meshes (`_add_part`) from the spec. Returns "" or the problem.
func _build_door(_spec: Dictionary) -> String:
	return "%s: its script does not implement _build_door()" % kind


# Kinds: the body's pose in the shut frame at `value`.
func _pose_at(_value: float) -> Transform:
	return Transform()


# Kinds: the opening that puts the grabbed point (shut-frame `grabbed`, at `_grab_opening`) nearest
# the shut-frame point `target`.
func _opening_toward(_grabbed: Vector3, _target: Vector3) -> float:
	return opening


# Kinds: how much a body walking at `velocity` (shut frame) against shut-frame `contact` changes the
# opening this tick.
func _push_change(_velocity: Vector3, _contact: Vector3) -> float:
	return 0.0


# Kinds: the side of the closing edge (+1: local +x, -1: -x), where the locks go.
func closing_side() -> float:
	return 1.0


# The shut-frame z of the panel's approach face.
func front_z() -> float:
	return panel_center.z + panel_size.z / 2.0


# Kinds: the opening beyond which the door counts as open (C.ENTITY_FLAG_OPEN).
func _open_threshold() -> float:
	return C.DOOR_OPEN_DEGREES


# A box of the door body: collision (if `solid`) and mesh, `size` centred at shut-frame `center`.
func _add_part(center: Vector3, size: Vector3, color: Color, solid := true) -> void:
	if solid:
		var shape := BoxShape.new()
		shape.extents = size / 2.0
		add_shape(shape).transform.origin = center
	_builder.box(center, size, color)


# A loop handle on the face whose outward normal is `face` (+-1 along z), at shut-frame `center` on
# that face: two posts and a grip, `size` wide, tall and deep.
func _add_loop_handle(center: Vector3, size: Vector3, face: float) -> void:
	var post := Vector3(0.03, 0.03, size.z)
	var depth := Vector3(0.0, 0.0, face * size.z / 2.0)
	for sign_y in [-1.0, 1.0]:
		_add_part(center + depth + Vector3(0.0, sign_y * size.y / 2.0, 0.0), post, HANDLE_COLOR)
	var grip := Vector3(0.03, size.y + 0.03, 0.03)
	_add_part(center + Vector3(0.0, 0.0, face * (size.z - 0.015)), grip, HANDLE_COLOR)


func get_flags() -> int:
	var flags := .get_flags()
	if is_locked():
		flags |= C.ENTITY_FLAG_LOCKED
	if latched:
		flags |= C.ENTITY_FLAG_LATCHED
	if abs(opening) >= _open_threshold():
		flags |= C.ENTITY_FLAG_OPEN
	return flags


func is_locked() -> bool:
	for lock in locks:
		if lock.locked:
			return true
	return false


# Grabbable while no lock is closed (grabbing a latched door unlatches it).
func is_grabbable() -> bool:
	return .is_grabbable() and not is_locked()


# Walking into it moves it only while it is free.
func is_pushable() -> bool:
	return .is_pushable() and not is_locked() and not latched


# A lock on this door (lock.gd `_ready`).
func register_lock(lock: Object) -> void:
	if not (lock in locks):
		locks.append(lock)


# The hand's point when it grabs (player/hand.gd), before `grab`.
func grab_point(point: Vector3) -> void:
	_grab_local = global_transform.affine_inverse().xform(point)
	_grab_frame = _to_frame(point)
	_grab_opening = opening


# Held: it stays kinematic and only moves along its constraint; the grab works the latch.
func grab() -> void:
	is_held = true
	latched = false


func follow(target: Transform, hand_velocity: Vector3) -> void:
	_velocity = hand_velocity
	if is_locked() or latched:
		return
	move_to(_opening_toward(_grab_frame, _to_frame(target.xform(_grab_local))))


# No throw: a released door stays where it is, latched again if it latches automatically.
func release(_velocity_unused: Vector3) -> void:
	is_held = false
	_velocity = Vector3.ZERO
	if latching == C.LATCHING_AUTO:
		latched = true


# The body ignores nothing of a held door: it stays solid.
func player_colliders() -> Array:
	return []


# player/pushing.gd: a side contact of the walking body (nothing to do; `push_by_body` moves it).
func on_player_contact(_is_floor: bool) -> void:
	pass


# player/pushing.gd: the body walked at `walk_velocity` (world) against `contact` (world).
func push_by_body(walk_velocity: Vector3, contact: Vector3) -> void:
	if is_held or not is_pushable():
		return
	var basis := _parent_transform().basis * frame.basis
	var local_velocity := basis.inverse().xform(walk_velocity)
	move_to(opening + _push_change(local_velocity, _to_frame(contact)))


# Goes toward `value` (clamped to the limits), as far as it can without the panel overlapping the
# player's body.
func move_to(value: float) -> void:
	var wanted: float = clamp(value, min_opening, max_opening)
	if wanted == opening:
		return
	if not _hits_body(wanted):
		set_opening(wanted)
		return
	var free := opening
	var blocked := wanted
	for _i in range(BLOCK_STEPS):
		var middle := (free + blocked) / 2.0
		if _hits_body(middle):
			blocked = middle
		else:
			free = middle
	set_opening(free)


# Puts the body at `value` and its locks with it.
func set_opening(value: float) -> void:
	opening = value
	transform = frame * _pose_at(value)
	for lock in locks:
		lock.follow_door()


# The shut frame in world coordinates.
func frame_global() -> Transform:
	return _parent_transform() * frame


func _hits_body(value: float) -> bool:
	if not is_inside_tree():
		return false
	var panel := Transform(Basis(), panel_center)
	_query.transform = _parent_transform() * frame * _pose_at(value) * panel
	_query.exclude = [get_rid()]
	var space := get_world().direct_space_state
	return not space.intersect_shape(_query, MAX_QUERY_RESULTS).empty()


func _to_frame(point: Vector3) -> Vector3:
	return frame_global().affine_inverse().xform(point)


func _parent_transform() -> Transform:
	var parent := get_parent() as Spatial
	if parent == null or not is_inside_tree():
		return Transform()
	return parent.global_transform
