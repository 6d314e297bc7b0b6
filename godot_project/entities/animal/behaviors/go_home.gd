# Going back to the territory (bee, pigeon, hawk, wolf): toward the territory's centre, hopping
# (`hop`, a directed_hop.gd aimed at the centre) or flying (heading turned a fraction `turn_rate` /
# s toward the centre each tick, at `speed` once within FULL_SPEED_WITHIN degrees, `turning_speed`
# before, holding the species' altitude). The animal decides when to start and stop (animal.gd).
extends Reference

const FULL_SPEED_WITHIN = 45.0  # degrees

var hop = null  # directed_hop.gd for ground animals
var speed := 0.0  # m/s, fliers
var turning_speed := 0.0
var turn_rate := 1.5  # per second


func _init(hopping, fly_speed := 0.0, speed_turning := 0.0, rate := 1.5) -> void:
	hop = hopping
	speed = fly_speed
	turning_speed = speed_turning
	turn_rate = rate


func reset() -> void:
	if hop != null:
		hop.reset()


func step(animal, player) -> void:
	if hop != null:
		hop.target = animal.territory_centre
		hop.step(animal, player)
		return
	var mover = animal.mover
	var heading: float = mover.yaw_of(animal.territory_centre - animal.global_transform.origin)
	mover.turn_by(heading, turn_rate / animal.C.PHYSICS_FPS)
	var going: float = (
		speed
		if abs(mover.yaw_error(heading)) <= FULL_SPEED_WITHIN
		else turning_speed
	)
	mover.fly_forward(going, animal.altitude)
