# Exact distances from a point to collision shapes, for the overlap rules (grab: the hand's
# GRAB_RADIUS sphere overlaps a shape; eat: the head's EAT_RADIUS sphere overlaps a held food's
# shape). A sphere of radius r at p overlaps a shape when distance(p, shape) <= r. Bullet's own
# queries add collision margins of a few centimetres, so the rules use these instead.
extends Reference

const FAR = 1.0e9


# Distance from world point `point` to `shape` placed at `xform` (rigid, unscaled); negative inside.
# Shapes other than sphere, box, capsule (axis Z) and cylinder (axis Y): 0 (treated as touching).
static func to_shape(point: Vector3, shape: Shape, xform: Transform) -> float:
	var local: Vector3 = xform.affine_inverse().xform(point)
	if shape is SphereShape:
		return local.length() - shape.radius
	if shape is BoxShape:
		var extents: Vector3 = shape.extents
		var q: Vector3 = Vector3(abs(local.x), abs(local.y), abs(local.z)) - extents
		var box_outside: float = Vector3(max(q.x, 0.0), max(q.y, 0.0), max(q.z, 0.0)).length()
		return box_outside + min(max(q.x, max(q.y, q.z)), 0.0)
	if shape is CapsuleShape:
		var half: float = shape.height / 2.0
		var axis_z: float = clamp(local.z, -half, half)
		return Vector3(local.x, local.y, local.z - axis_z).length() - shape.radius
	if shape is CylinderShape:
		var radial: float = Vector2(local.x, local.z).length() - shape.radius
		var vertical: float = abs(local.y) - shape.height / 2.0
		var outside: float = Vector2(max(radial, 0.0), max(vertical, 0.0)).length()
		return outside + min(max(radial, vertical), 0.0)
	return 0.0


# Smallest distance from `point` to any enabled shape of `body` (a CollisionObject): its
# CollisionShape children and the shapes given to it directly (the decorative trees' trunks,
# world/tree_builder.gd), which Godot files alike as shape owners. A HeightMapShape counts by the
# height of `point` above `ground.ground_height(x, z)` (world.gd; at least the true distance), or
# as touching when `ground` is null. (Bullet's shape queries report no usable shape index, so a
# whole body is measured.)
static func to_body(point: Vector3, body: Node, ground: Object = null) -> float:
	var best := FAR
	for owner in body.get_shape_owners():
		if body.is_shape_owner_disabled(owner):
			continue
		# A CollisionShape child's owner transform is its own, so this is its global_transform.
		var xform: Transform = body.global_transform * body.shape_owner_get_transform(owner)
		for index in range(body.shape_owner_get_shape_count(owner)):
			var shape: Shape = body.shape_owner_get_shape(owner, index)
			if shape is HeightMapShape:
				var height := 0.0
				if ground != null:
					height = point.y - ground.ground_height(point.x, point.z)
				best = min(best, height)
				continue
			# Cheap rejection first: bodies such as the decorative trees hold many trunks.
			if xform.origin.distance_to(point) - bounding_radius(shape) >= best:
				continue
			best = min(best, to_shape(point, shape, xform))
	return best


# Radius of a sphere about the shape's origin that holds it (0 for shapes `to_shape` does not know).
static func bounding_radius(shape: Shape) -> float:
	if shape is SphereShape:
		return shape.radius
	if shape is BoxShape:
		return shape.extents.length()
	if shape is CapsuleShape:
		return shape.radius + shape.height / 2.0
	if shape is CylinderShape:
		return Vector2(shape.radius, shape.height / 2.0).length()
	return 0.0
