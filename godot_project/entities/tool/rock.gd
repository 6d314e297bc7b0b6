# A rock: a grey cube of edge `size` (the item spec), mass from the entity table; a weapon, and
# what opens an avocado. large_rock.gd is the same with the edge from its row.
#
# As a weapon (docs/animals.md "Damage, death, eating") a rock hurts an animal it meets while it
# is "dangerous": not held, touching no terrain, and moving at C.THROWN_ROCK_DANGER_SPEED or more
# after a throw, or at C.FALLING_ROCK_DANGER_SPEED or more in any case. A throw is a release while
# touching no terrain (a rock dropped in the air is thrown too, as in the original); the rock's
# first terrain contact ends it, while bounces off trees, animals and other items do not.
extends "res://entities/item.gd"

const COLOR = Color(0.5, 0.5, 0.52)
const TERRAIN_QUERY_MARGIN = 0.02  # m: touching, for the release's terrain test

var is_thrown := false
var is_touching_terrain := false  # after the last physics step (false while held)

var _approach_speed := 0.0  # see `is_dangerous`
var _speed_before := 0.0  # the speed after the step before last


func build(spec: Dictionary, _context: Dictionary) -> String:
	var size := _edge(spec)
	if size <= 0.0:
		return "%s %d needs a positive 'size'" % [kind, item_id]
	place(spec["position"], spec["yaw"])
	mass = E.KINDS[kind]["physics"]["mass"]
	add_cube(size, COLOR)
	return ""


func _edge(spec: Dictionary) -> float:
	return spec["size"]


func grab() -> void:
	.grab()
	is_thrown = false
	is_touching_terrain = false
	_speed_before = 0.0


# A held item gets no contacts (it is kinematic), so whether it touches the terrain as it leaves
# the hand is asked of the physics space.
func release(velocity: Vector3) -> void:
	.release(velocity)
	is_thrown = not _overlaps_terrain()
	_speed_before = 0.0


# The speed is the approach speed: the rock's speed before the physics step that found the
# contact (after it, the collision has stopped the rock, and gravity has added a tick of fall), or
# before the step before, if larger: continuous collision detection stops a fast rock at the
# moment of impact, which slows that step's velocity, and the contact shows a step later.
func is_dangerous() -> bool:
	if is_held or is_touching_terrain:
		return false
	return (
		(is_thrown and _approach_speed >= C.THROWN_ROCK_DANGER_SPEED)
		or _approach_speed >= C.FALLING_ROCK_DANGER_SPEED
	)


# The hit points this rock takes from an animal moving at `animal_velocity` that it has just met
# (animal.gd): the relative speed is the larger of the rock's before and after the physics step
# that found the contact (the original's rule).
func weapon_damage(animal_velocity: Vector3) -> float:
	if not is_dangerous():
		return 0.0
	var relative: float = max(
		(animal_velocity - _velocity_before).length(), (animal_velocity - _velocity).length()
	)
	return C.WEAPON_DAMAGE if relative >= C.ROCK_HIT_SPEED else 0.0


# Runs before the step's new contacts are reported (item.gd), so a hit in the same step as the
# first terrain contact finds the rock touching the terrain.
# The terrain guard (item.gd) may hold the rock on a heightmap without a Bullet contact: lying on
# the guarded surface counts as touching it.
func _on_state(state: PhysicsDirectBodyState) -> void:
	var speed := _velocity_before.length()
	_approach_speed = max(speed, _speed_before)
	_speed_before = speed
	is_touching_terrain = false
	if ground != null:
		var at := state.transform.origin
		var floor_y: float = ground.ground_height(at.x, at.z)
		is_touching_terrain = at.y <= floor_y + rest_height + TERRAIN_QUERY_MARGIN
	for i in range(state.get_contact_count()):
		if _is_terrain(state.get_contact_collider_object(i)):
			is_touching_terrain = true
	if is_touching_terrain:
		is_thrown = false


func _is_terrain(other: Object) -> bool:
	return other is CollisionObject and (other.collision_layer & Layers.TERRAIN) != 0


func _overlaps_terrain() -> bool:
	if not is_inside_tree():
		return false
	var query := PhysicsShapeQueryParameters.new()
	var shape: CollisionShape = get_node("Shape")
	query.set_shape(shape.shape)
	query.transform = shape.global_transform
	query.collision_mask = Layers.TERRAIN
	query.margin = TERRAIN_QUERY_MARGIN
	return not get_world().direct_space_state.intersect_shape(query, 1).empty()
