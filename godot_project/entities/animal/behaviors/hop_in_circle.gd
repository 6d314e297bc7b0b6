# Idle hopping round a polygon (the turtle, the jaguar): `count` hops straight ahead at `speed`,
# then `rest` ticks standing, each turning `angle` / `rest` degrees, over and over.
extends Reference

var speed := Vector2.ZERO  # m/s (horizontal, lift)
var count := 1
var rest := 1
var angle := 0.0  # degrees per corner
var _hops_done := 0
var _rest_done := 0


func _init(hop_speed: Vector2, hops: int, rest_ticks: int, corner_deg: float) -> void:
	speed = hop_speed
	count = hops
	rest = rest_ticks
	angle = corner_deg


func reset() -> void:
	_hops_done = 0
	_rest_done = 0


func step(animal, _player) -> void:
	var mover = animal.mover
	if mover.is_mid_hop():
		mover.continue_hop()
		return
	if _hops_done < count:
		_hops_done += 1
		mover.hop(mover.forward() * speed.x + Vector3.UP * speed.y)
		return
	mover.turn(angle / rest)
	mover.move(Vector3.ZERO)
	_rest_done += 1
	if _rest_done >= rest:
		reset()
