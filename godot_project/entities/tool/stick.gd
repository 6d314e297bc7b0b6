# A stick: a brown capsule along local Z (Godot 3's CapsuleShape axis) of total length `length`
# (the item spec, round ends included); radius and mass from the entity table. large_stick.gd is
# the same with the length from its row.
#
# As a weapon (docs/animals.md "Damage, death, eating") a stick hurts an animal whenever a hand
# holds it and it starts touching the animal; a thrown or lying stick never hurts. A held stick is
# kinematic, like a live animal, and Bullet reports no contact between two kinematic bodies, so
# while held the stick looks for the animals its shape overlaps once per tick (`follow`) and tells
# those it did not overlap the tick before.
extends "res://entities/item.gd"

const COLOR = Color(0.45, 0.3, 0.15)
const MAX_TOUCHED = 16

var _shape: CollisionShape = null
var _touching := {}  # animal -> true: the animals the held stick overlapped last tick
var _query := PhysicsShapeQueryParameters.new()


func build(spec: Dictionary, _context: Dictionary) -> String:
	var physics: Dictionary = E.KINDS[kind]["physics"]
	var radius: float = physics["extents"][0]
	var length := _length(spec)
	if length <= 2.0 * radius:
		return "%s %d needs 'length' > %s" % [kind, item_id, 2.0 * radius]
	place(spec["position"], spec["yaw"])
	mass = physics["mass"]
	bounding_radius = length / 2.0
	rest_height = radius
	var shape := CapsuleShape.new()
	shape.radius = radius
	shape.height = length - 2.0 * radius
	_shape = add_shape(shape)
	_query.set_shape(shape)
	_query.collision_mask = Layers.ITEMS
	add_mesh(ItemMeshes.stick(radius, length, COLOR, MeshBuilder.material()))
	return ""


func _length(spec: Dictionary) -> float:
	return spec["length"]


# The hit points a stick takes from an animal it has just met: WEAPON_DAMAGE while held.
func weapon_damage(_animal_velocity: Vector3) -> float:
	return C.WEAPON_DAMAGE if is_held else 0.0


func follow(target: Transform, hand_velocity: Vector3) -> void:
	.follow(target, hand_velocity)
	_touch_animals()


func release(velocity: Vector3) -> void:
	.release(velocity)
	_touching.clear()


func _touch_animals() -> void:
	if not is_inside_tree():
		return
	_query.transform = _shape.global_transform
	_query.exclude = [get_rid()]
	var touching := {}
	var hits := get_world().direct_space_state.intersect_shape(_query, MAX_TOUCHED)
	for hit in hits:
		var other: Object = hit["collider"]
		if other == null or not other.has_method("on_weapon_contact"):
			continue
		touching[other] = true
		if not _touching.has(other):
			other.on_weapon_contact(self)
	_touching = touching
