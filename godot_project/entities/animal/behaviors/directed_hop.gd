# Hopping toward or away from a target (fleeing prey, chasing predators, edging away, going home):
# first turn toward the direction (a fraction `turn_rate` / s of the remaining angle each tick)
# until within TURN_DONE degrees or the turn stalls; then `count` hops along the horizontal
# direction to (or from) the target at `speed`, then `rest` ticks standing; then turn again. The
# target is the player's body (`target` null) or a fixed point. With `within` > 0 it acts only while
# the player is within that distance (3-D) and otherwise carries on with the ongoing motion. A tree
# in the way turns a hop into a sidestep (mover.gd `sidestep`).
extends Reference

const TURN_DONE = 15.0  # degrees
const TURN_STALLED = 1.0  # degrees in a tick

var speed := Vector2.ZERO  # m/s (horizontal, lift)
var count := 1
var rest := 0
var away := false
var turn_rate := 2.0  # per second
var within := 0.0  # m; 0: always
var target = null  # Vector3, or null for the player's body
var _phase := 0  # 0 turning, 1 hopping, 2 resting
var _hops_done := 0
var _rest_done := 0


func _init(hop_speed: Vector2, hops: int, rest_ticks: int, flee: bool, rate := 2.0) -> void:
	speed = hop_speed
	count = hops
	rest = rest_ticks
	away = flee
	turn_rate = rate


func reset() -> void:
	_phase = 0
	_hops_done = 0
	_rest_done = 0


func step(animal, player) -> void:
	var mover = animal.mover
	var goal: Vector3 = target if target != null else player.get_body().global_transform.origin
	var to_goal: Vector3 = goal - animal.global_transform.origin
	if within > 0.0 and to_goal.length() > within:
		reset()
		mover.continue_motion()
		return
	if mover.is_mid_hop():
		mover.continue_hop()
		return
	var direction := Vector3(to_goal.x, 0.0, to_goal.z)
	if away:
		direction = -direction
	if direction.length() < 0.01:
		direction = mover.forward()
	direction = direction.normalized()
	var heading: float = mover.yaw_of(direction)
	if _phase == 0:
		var turned: float = mover.turn_by(heading, turn_rate / animal.C.PHYSICS_FPS)
		if abs(mover.yaw_error(heading)) > TURN_DONE and turned >= TURN_STALLED:
			mover.move(Vector3.ZERO)
			return
		_phase = 1
	if _phase == 1:
		if _hops_done < count:
			_hops_done += 1
			mover.turn_by(heading, turn_rate / animal.C.PHYSICS_FPS)
			mover.hop(mover.sidestep(direction) * speed.x + Vector3.UP * speed.y)
			return
		_phase = 2
	mover.move(Vector3.ZERO)
	_rest_done += 1
	if _rest_done >= rest:
		reset()
