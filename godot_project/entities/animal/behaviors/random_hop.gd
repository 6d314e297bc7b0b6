# Idle hopping about (docs/animals.md "Behaviours"): on the floor and between bursts, each tick
# starts a burst with probability `chance`; a burst turns by a random whole number of degrees (at
# most TURN_STEP degrees a tick, until within TURN_DONE degrees or stalled) and then hops `count`
# times straight ahead at `speed` (horizontal, lift).
extends Reference

const TURN_STEP = 15.0  # degrees per tick
const TURN_DONE = 7.5  # degrees
const TURN_SPREAD = 179  # whole degrees either way (-179 to 180)

var chance := 0.0
var speed := Vector2.ZERO  # m/s (horizontal, lift)
var count := 1
var _bursting := false
var _turning := false
var _target_yaw := 0.0
var _hops_left := 0


func _init(p: float, hop_speed: Vector2, hops: int) -> void:
	chance = p
	speed = hop_speed
	count = hops


func reset() -> void:
	_bursting = false
	_turning = false
	_hops_left = 0


func step(animal, _player) -> void:
	var mover = animal.mover
	if mover.is_mid_hop():
		mover.continue_hop()
		return
	if not _bursting:
		if not mover.on_floor or animal.rng.randf() >= chance:
			mover.move(Vector3.ZERO)
			return
		_bursting = true
		_turning = true
		_target_yaw = mover.yaw + animal.rng.randi_range(-TURN_SPREAD, TURN_SPREAD + 1)
		_hops_left = count
	if _turning:
		var turned: float = mover.turn_at_most(_target_yaw, TURN_STEP)
		if abs(mover.yaw_error(_target_yaw)) > TURN_DONE and turned > 0.0:
			mover.move(Vector3.ZERO)
			return
		_turning = false
	if _hops_left <= 0:
		_bursting = false
		mover.move(Vector3.ZERO)
		return
	_hops_left -= 1
	mover.hop(mover.forward() * speed.x + Vector3.UP * speed.y)
