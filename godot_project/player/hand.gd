# One hand: a pose kept in the head frame (so it turns with the head), moved by the action and held
# within ARM_LENGTH of the head; a small debug marker; grasping (grab the nearest grabbable item
# whose shape the hand's GRAB_RADIUS sphere overlaps, hold it rigidly, release = throw with the
# hand's velocity over the last tick); holding on to a climbable surface (`grip`: the hand stays
# fixed in the world while it holds, player/climbing.gd).
extends Reference

const C = preload("res://generated/constants.gd")
const Layers = preload("res://world/layers.gd")
const MeshBuilder = preload("res://world/mesh_builder.gd")
const Shapes = preload("res://items/shapes.gd")

const MARKER_SIZE = Vector3(0.05, 0.025, 0.08)
const MARKER_COLOR = Color(0.9, 0.7, 0.55)
const QUERY_MASK = Layers.TERRAIN | Layers.STATIC | Layers.ITEMS | Layers.HANDS_ONLY
const MAX_QUERY_RESULTS = 16
# The physics query looks this much beyond GRAB_RADIUS (Bullet's margins make it inexact); what it
# finds is then measured exactly (items/shapes.gd).
const QUERY_SLACK = 0.1

var offset := Vector3.ZERO  # position in the head frame
var basis := Basis()  # orientation in the head frame
var world_transform := Transform()
var velocity := Vector3.ZERO  # world velocity over the last tick (m/s)
var held: Object = null  # the held item, or null
var is_touching := false
var grip_body: Object = null  # the climbable body the hand holds on to, or null
var grip_point := Vector3.ZERO  # where it holds (world), while `grip_body` is set
var marker := MeshInstance.new()

var _hold_relative := Transform()  # the held item's transform in the hand frame, fixed when grabbed
var _query := PhysicsShapeQueryParameters.new()
# The query keeps only the shape's RID, so the resource is held here.
var _query_shape := SphereShape.new()


func _init(rest_offset: Vector3, material: Material) -> void:
	offset = rest_offset
	var builder := MeshBuilder.new()
	builder.box(Vector3.ZERO, MARKER_SIZE, MARKER_COLOR)
	marker.mesh = builder.commit(material)
	marker.cast_shadow = GeometryInstance.SHADOW_CASTING_SETTING_OFF
	_query_shape.radius = C.GRAB_RADIUS + QUERY_SLACK
	_query.set_shape(_query_shape)
	_query.collision_mask = QUERY_MASK


# Puts the hand at its pose relative to `head` without a velocity (spawn).
func place(head: Transform) -> void:
	world_transform = head * Transform(basis, offset)
	velocity = Vector3.ZERO
	marker.global_transform = world_transform


# Moves the hand by `delta_position` (m, head frame) and rotates it by `delta_rotation_deg` (pitch,
# yaw, roll in its own frame), then places it relative to the (already moved) `head`.
func move(head: Transform, delta_position: Vector3, delta_rotation_deg: Vector3, dt: float) -> void:
	offset += delta_position
	if offset.length() > C.ARM_LENGTH:
		offset = offset.normalized() * C.ARM_LENGTH
	var delta_rotation := Basis(delta_rotation_deg * (PI / 180.0))
	basis = (basis * delta_rotation).orthonormalized()
	var target := head * Transform(basis, offset)
	velocity = (target.origin - world_transform.origin) / dt
	world_transform = target
	marker.global_transform = world_transform


# Looks for things within GRAB_RADIUS of the hand (sets `is_touching`) and, if `want_grab` and the
# hand is empty, grabs the nearest grabbable item. Returns the newly grabbed item or null.
# `exclude`: RIDs to ignore (the body). `ground` answers ground_height(x, z) for the terrain's
# heightmap (world.gd; null when there is none): the hand touches terrain within GRAB_RADIUS
# above it.
func touch_and_grab(
	space: PhysicsDirectSpaceState, exclude: Array, want_grab: bool, ground: Object
) -> Object:
	var point := world_transform.origin
	_query.transform = Transform(Basis(), point)
	_query.exclude = exclude
	var hits := space.intersect_shape(_query, MAX_QUERY_RESULTS)
	is_touching = is_holding()
	var best: Object = null
	var best_distance := INF
	for hit in hits:
		var body: Object = hit["collider"]
		if body == null:
			continue
		var distance: float = Shapes.to_body(point, body, ground)
		if distance > C.GRAB_RADIUS:
			continue
		is_touching = true
		if not body.has_method("is_grabbable") or not body.is_grabbable():
			continue
		if distance < best_distance or (distance == best_distance and body.item_id < best.item_id):
			best = body
			best_distance = distance
	if not want_grab or is_holding() or best == null:
		return null
	held = best
	# Doors and locks move along their constraint to keep the grabbed point near the hand.
	if best.has_method("grab_point"):
		best.grab_point(point)
	best.grab()
	_hold_relative = world_transform.affine_inverse() * best.global_transform
	return best


# Moves the held item with the hand (once per tick, after `move`).
func carry() -> void:
	if held != null:
		held.follow(world_transform * _hold_relative, velocity)


# Lets go of the held item, throwing it with the hand's velocity. Returns the released item (or
# null).
func release() -> Object:
	var item := held
	held = null
	if item != null:
		item.release(velocity)
	return item


# Takes hold of the climbable `body` at `point`: the hand goes there and stays while it holds.
func grip(point: Vector3, body: Object) -> void:
	grip_body = body
	grip_point = point
	is_touching = true
	world_transform.origin = point
	velocity = Vector3.ZERO
	marker.global_transform = world_transform


# While gripping, instead of `move`: the hand stays where it holds, so its pose in the frame of the
# (moved) `head` follows from it.
func hold_still(head: Transform) -> void:
	world_transform.origin = grip_point
	var local := head.affine_inverse() * world_transform
	offset = local.origin
	basis = local.basis.orthonormalized()
	velocity = Vector3.ZERO
	marker.global_transform = world_transform


# Lets go of the climbable; the hand keeps its pose in the head frame, within ARM_LENGTH.
func release_grip() -> void:
	grip_body = null
	if offset.length() > C.ARM_LENGTH:
		offset = offset.normalized() * C.ARM_LENGTH


func is_gripping() -> bool:
	return grip_body != null


# Holding an item or a climbable (the observation's "holding").
func is_holding() -> bool:
	return held != null or grip_body != null


func held_id() -> int:
	return held.item_id if held != null else 0
