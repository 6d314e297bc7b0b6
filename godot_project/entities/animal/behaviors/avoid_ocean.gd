# Turning back from the water (or the world's edge), which overrides every other behaviour while it
# runs (predators chasing excepted): pick a side at random, turn TURN_STEP degrees a tick while the
# probe ahead still sees water and EXTRA_TURN_TICKS more (grounded animals stand, fliers slow to a
# third of `speed`), then go straight on for `count` - 1 hops (grounded, at `hop_speed`) or ticks
# (fliers, at `speed`). `running` tells the animal to keep choosing it.
extends Reference

const TURN_STEP = 5.625  # degrees per tick
const EXTRA_TURN_TICKS = 8
const FLIER_TURN_SLOWDOWN = 3.0

var count := 1  # hops (grounded) or ticks (fliers) straight on after the turn
var hop_speed := Vector2.ZERO  # m/s (horizontal, lift), grounded
var speed := 0.0  # m/s, fliers
var running := false
var _side := 1.0
var _extra := 0
var _left := 0


func _init(straight: int, grounded_hop: Vector2, fly_speed: float) -> void:
	count = straight
	hop_speed = grounded_hop
	speed = fly_speed


func reset() -> void:
	running = false


func step(animal, _player) -> void:
	var mover = animal.mover
	var flying: bool = mover.domain == mover.AIR
	if not running:
		running = true
		_side = 1.0 if animal.rng.randf() < 0.5 else -1.0
		_extra = EXTRA_TURN_TICKS
		_left = count - 1
	if not flying and mover.is_mid_hop():
		mover.continue_hop()
		return
	if _extra > 0:
		mover.turn(TURN_STEP * _side)
		if not animal.sees_ocean():
			_extra -= 1
		if flying:
			mover.fly_forward(speed / FLIER_TURN_SLOWDOWN, animal.altitude)
		else:
			mover.move(Vector3.ZERO)
		return
	if _left <= 0:
		running = false
		animal.mover.continue_motion()
		return
	_left -= 1
	if flying:
		mover.fly_forward(speed, animal.altitude)
	else:
		mover.hop(mover.forward() * hop_speed.x + Vector3.UP * hop_speed.y)
