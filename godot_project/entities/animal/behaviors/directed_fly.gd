# Flying at or away from the player (chasing bee, hawk, eagle; fleeing pigeon, crow): the heading
# turns a fraction `turn_rate` / s of the way toward the target each tick (away from it when
# fleeing); the flier goes at full `speed` once within FULL_SPEED_WITHIN degrees of that heading, at
# `turning_speed` before. It climbs or dives along the straight line to (from) the target, which is
# TARGET_RISE above the player's body centre when chasing and below it when fleeing; a flier stuck
# more than STUCK_DISTANCE (2-D) away aims STUCK_RISE higher (chasing) or lower (fleeing).
extends Reference

const FULL_SPEED_WITHIN = 45.0  # degrees
const TARGET_RISE = 0.5  # m
const STUCK_MOVE = 0.01  # m in a tick: not moving
const STUCK_DISTANCE = 2.0  # m
const STUCK_RISE = 2.0  # m

var speed := 0.0  # m/s
var turning_speed := 0.0  # m/s
var turn_rate := 1.5  # per second
var away := false


func _init(fly_speed: float, speed_turning: float, rate: float, flee: bool) -> void:
	speed = fly_speed
	turning_speed = speed_turning
	turn_rate = rate
	away = flee


func reset() -> void:
	pass


func step(animal, player) -> void:
	var mover = animal.mover
	var rise := -TARGET_RISE if away else TARGET_RISE
	var goal: Vector3 = player.get_body().global_transform.origin + Vector3.UP * rise
	var to_goal: Vector3 = goal - animal.global_transform.origin
	if mover.moved < STUCK_MOVE and Vector2(to_goal.x, to_goal.z).length() > STUCK_DISTANCE:
		to_goal.y += -STUCK_RISE if away else STUCK_RISE
	var direction := -to_goal if away else to_goal
	if direction.length() < 0.01:
		direction = mover.forward()
	direction = direction.normalized()
	var heading: float = mover.yaw_of(direction)
	mover.turn_by(heading, turn_rate / animal.C.PHYSICS_FPS)
	var going: float = (
		speed
		if abs(mover.yaw_error(heading)) <= FULL_SPEED_WITHIN
		else turning_speed
	)
	var climb := clamp(direction.y, -1.0, 1.0)
	mover.fly(mover.forward() * going * sqrt(1.0 - climb * climb) + Vector3.UP * going * climb)
