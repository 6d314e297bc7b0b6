# Climbing when it must (mouse, squirrel, jaguar, bear), wrapped round a behaviour. Around the
# fleeing or chasing behaviour (`may_start`): every HEADWAY_LANDINGS-th landing it checks its
# headway, and if it moved less than HEADWAY since the last check and its climbing ray (`reach` m
# ahead) hits something climbable (terrain or a trunk where the world's climb map allows, a
# climbable item), it climbs: up when chasing a player in front of it or fleeing one behind it,
# else not at all. Around the idle behaviour it only climbs down. Up ends when the ray loses the
# surface (at the top): an escape hop (ESCAPE_AHEAD forward, `escape_lift` up) that keeps going
# ESCAPE_AHEAD m/s forward until it lands; down ends when the floor ray (`floor_reach` m) finds the
# ground.
extends Reference

const HEADWAY_LANDINGS = 3
const HEADWAY = 2.0  # m
const ESCAPE_AHEAD = 6.0  # m/s

var inner = null  # the wrapped behaviour
var may_start := false
var chasing := false
var reach := 3.0  # m
var floor_reach := 2.0  # m
var escape_lift := 8.0  # m/s
var _going_up := false
var _escaping := false
var _landings := 0
var _checked_at = null  # Vector3: where the last headway check was


func _init(
	wrapped, start: bool, chase: bool, climb_reach: float, floor_ray: float, lift := 8.0
) -> void:
	inner = wrapped
	may_start = start
	chasing = chase
	reach = climb_reach
	floor_reach = floor_ray
	escape_lift = lift


func reset() -> void:
	inner.reset()
	_landings = 0
	_checked_at = null


func step(animal, player) -> void:
	var mover = animal.mover
	if _escaping:
		if mover.is_mid_hop():
			mover.continue_hop(ESCAPE_AHEAD)
			return
		_escaping = false
	if mover.climbing:
		_climb(animal, mover)
		return
	inner.step(animal, player)
	if not may_start or not mover.landed:
		return
	_landings += 1
	if _landings % HEADWAY_LANDINGS != 0:
		return
	var here: Vector3 = animal.global_transform.origin
	var stuck: bool = _checked_at != null and here.distance_to(_checked_at) < HEADWAY
	_checked_at = here
	var in_front: bool = animal.player_offset(player).dot(mover.forward()) > 0.0
	if stuck and in_front == chasing:
		var hit: Dictionary = mover.climb_ray(reach)
		if not hit.empty() and _climbable(hit):
			_going_up = true
			mover.climb(1.0, hit["normal"])


func _climb(_animal, mover) -> void:
	var hit: Dictionary = mover.climb_ray(reach)
	if not _going_up or not may_start:
		_going_up = false
		if hit.empty() or mover.floor_below(floor_reach):
			mover.climbing = false  # the floor ray found the ground
			mover.move(Vector3.ZERO)
		else:
			mover.climb(-1.0, hit["normal"])
		return
	if hit.empty():
		_going_up = false
		_escaping = true
		mover.leap(mover.forward() * ESCAPE_AHEAD + Vector3.UP * escape_lift)
		return
	mover.climb(1.0, hit["normal"])


# Terrain and trunks ask the world (the collider's ancestor that answers is_climbable(point));
# items answer for themselves.
func _climbable(hit: Dictionary) -> bool:
	var node: Node = hit["collider"]
	if node.is_in_group("items"):
		return node.is_climbable()
	while node != null:
		if node.has_method("is_climbable") and node.has_method("ground_height"):
			return node.is_climbable(hit["position"])
		node = node.get_parent()
	return false
