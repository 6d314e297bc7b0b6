# The hawk's idle circling: TURN_TICKS ticks turning TURN_STEP degrees a tick at half `speed`, then
# STRAIGHT_TICKS ticks straight at full speed (the reference's phases, kept for fidelity), holding
# the species' altitude.
extends Reference

const TURN_TICKS = 8
const STRAIGHT_TICKS = 8
const TURN_STEP = 3.75  # degrees per tick

var speed := 0.0  # m/s
var _tick := 0


func _init(fly_speed: float) -> void:
	speed = fly_speed


func reset() -> void:
	_tick = 0


func step(animal, _player) -> void:
	var mover = animal.mover
	if _tick < TURN_TICKS:
		mover.turn(TURN_STEP)
		mover.fly_forward(speed * 0.5, animal.altitude)
	else:
		mover.fly_forward(speed, animal.altitude)
	_tick = (_tick + 1) % (TURN_TICKS + STRAIGHT_TICKS)
