# A rabbit whose behaviour is a plain walk (+x, WALK_STEP m per tick) that counts its calls: lets
# combat_scenarios.gd see that a held animal has no behaviour, whatever the species' real one is.
extends "res://entities/animal/rabbit.gd"

const WALK_STEP = 0.1

var behaved := 0


func behave(_player) -> void:
	behaved += 1
	is_active = true
	global_transform.origin += Vector3(WALK_STEP, 0.0, 0.0)
