# Pushing (docs/body.md "Pushing"; the reference's 3.6). The body's own slide never moves rigid
# bodies (move_and_slide runs with infinite_inertia off), so this is the only way the body moves
# one: after a walking move, for each item the body's slide touched (once per item),
# - a floor contact (the body stands on it) or a side contact is reported to the item
#   (`on_player_contact(is_floor)`: the heavy items freeze there);
# - on a tick that ends on the floor, a pushable item touched from the side, and not stood on, gets
#   woken and pushed:
#   ratio = clamp(C.PUSH_MASS / mass, 0, 1), impulse = max(0, |v_body| - |v_item|) unit(v_body)
#   ratio mass, i.e. its speed changes by about (|v_body| - |v_item|) ratio; applied at the
#   contact's x, z at the item's centre height plus C.PUSH_HEIGHT_FRACTION of its size.
#   A door (`push_by_body`) instead moves along its constraint (entities/door/door.gd).
extends Reference

const C = preload("res://generated/constants.gd")


# `walk_velocity`: the horizontal velocity the body tried to walk at this tick; `on_floor`: the
# body is on the floor after the move.
static func apply(body: KinematicBody, walk_velocity: Vector3, on_floor: bool) -> void:
	var floor_cos := cos(deg2rad(C.FLOOR_MAX_ANGLE))
	var items := []  # each touched item once, in slide order
	var contacts := {}  # item -> the first side contact's position
	var floors := {}  # item -> true: the body stands on it
	for i in range(body.get_slide_count()):
		var collision: KinematicCollision = body.get_slide_collision(i)
		var item: Object = collision.collider
		if item == null or not item.has_method("on_player_contact") or item.is_held:
			continue
		if not (item in items):
			items.append(item)
		if collision.normal.dot(Vector3.UP) >= floor_cos:
			floors[item] = true
		elif not contacts.has(item):
			contacts[item] = collision.position
	for item in items:
		item.on_player_contact(floors.has(item))
		if not on_floor or not contacts.has(item) or floors.has(item) or not item.is_pushable():
			continue
		if item.has_method("push_by_body"):  # a door: turns or slides along its constraint
			item.push_by_body(walk_velocity, contacts[item])
		else:
			_push(item, walk_velocity, contacts[item])


static func _push(item: RigidBody, walk_velocity: Vector3, contact: Vector3) -> void:
	var was_frozen: bool = item.is_frozen()
	item.wake()
	if was_frozen:
		# Bullet does not apply an impulse in the step that turns a static body rigid (it arrives a
		# step late, on top of the next push), so a frozen item is only woken on this tick.
		return
	var body_speed := walk_velocity.length()
	var gain: float = max(0.0, body_speed - item.linear_velocity.length())
	if gain <= 0.0:
		return
	var ratio: float = clamp(C.PUSH_MASS / item.mass, 0.0, 1.0)
	var impulse := walk_velocity / body_speed * gain * ratio * item.mass
	var centre := item.global_transform.origin
	var at := Vector3(contact.x, centre.y + C.PUSH_HEIGHT_FRACTION * item.size, contact.z)
	item.apply_impulse(at - centre, impulse)
