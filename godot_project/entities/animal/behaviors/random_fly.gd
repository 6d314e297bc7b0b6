# Idle flying about (pigeon, crow, bee, eagle): straight ahead at `speed`, holding the species'
# altitude; when not turning, each tick picks a new heading (the current one turned by up to 180
# degrees either way) with probability `chance`, reached at most TURN_STEP degrees a tick, the short
# way round.
extends Reference

const TURN_STEP = 15.0  # degrees per tick
const TURN_SPREAD = 179  # whole degrees either way (-179 to 180)

var speed := 0.0  # m/s
var chance := 0.0
var _turning := false
var _target_yaw := 0.0


func _init(fly_speed: float, p: float) -> void:
	speed = fly_speed
	chance = p


func reset() -> void:
	_turning = false


func step(animal, _player) -> void:
	var mover = animal.mover
	if not _turning and animal.rng.randf() < chance:
		_turning = true
		_target_yaw = mover.yaw + animal.rng.randi_range(-TURN_SPREAD, TURN_SPREAD + 1)
	if _turning:
		mover.turn_at_most(_target_yaw, TURN_STEP)
		_turning = abs(mover.yaw_error(_target_yaw)) > 0.01
	mover.fly_forward(speed, animal.altitude)
