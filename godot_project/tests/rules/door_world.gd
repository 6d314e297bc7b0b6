# Helpers of the door and lock rule scenarios (door_scenarios.gd, lock_scenarios.gd): the doorway,
# doors and locks at the origin, and scripted hand moves. The doorway is a 1 x 3 m opening in a
# 0.5 m thick wall of blocks along x, its approach face at z = 0; the door stands at the origin
# (yaw 0: the approach side is +z). The coroutines (`grab`, `crouch`) are run by the scenarios.
extends Reference

const C = preload("res://generated/constants.gd")

const RIGHT = 1
const WALL = 0.5  # m, the wall's thickness (behind z = 0)
const DOOR_ID = 10
const LOCK_ID = 20
const HAND_STEP = 0.2  # m per tick the scripted hand moves
const ARRIVED = 0.03  # m
const REACH_TICKS = 20
const MAX_TICKS = 40
# Grips of the 1 x 3 m doors at the origin (their handles' grips on the approach side), for a hinge
# on the left (free edge at +x) and a sliding door opening to the right (handle at -x).
const HINGE_GRIP = Vector3(0.36, 1.5, 0.17)
const SLIDING_GRIP = Vector3(-0.41, 1.46, 0.16)


# The wall with its doorway: two slabs and a lintel (blocks).
func doorway(w) -> void:
	var slab := Vector3(3.0, 3.0, WALL)
	for x in [-2.0, 2.0]:
		block(w, Vector3(x, 1.5, -WALL / 2.0), slab)
	block(w, Vector3(0.0, 3.5, -WALL / 2.0), Vector3(1.0, 1.0, WALL))


func block(w, center: Vector3, size: Vector3) -> void:
	var spec := {"kind": "block", "position": center, "yaw": 0.0, "size": size, "color": 0}
	spec["id"] = 100 + w.root.get_child_count()
	w.add_item(spec)


func hinge_door(w, mechanics: int, latching: int) -> RigidBody:
	doorway(w)
	var spec := {
		"id": DOOR_ID,
		"kind": "hinge_door",
		"position": Vector3.ZERO,
		"yaw": 0.0,
		"width": 1.0,
		"height": 3.0,
		"mechanics": mechanics,
		"hinge_right": false,
		"latching": latching,
	}
	return w.add_item(spec) as RigidBody


func sliding_door(w, latching: int) -> RigidBody:
	doorway(w)
	var spec := {
		"id": DOOR_ID,
		"kind": "sliding_door",
		"position": Vector3.ZERO,
		"yaw": 0.0,
		"width": 1.0,
		"height": 3.0,
		"slide_right": true,
		"latching": latching,
	}
	return w.add_item(spec) as RigidBody


func lock(w, id: int, kind: String, extra := {}) -> RigidBody:
	var spec := {"id": id, "kind": kind, "position": Vector3.ZERO, "yaw": 0.0, "door": DOOR_ID}
	for key in extra:
		spec[key] = extra[key]
	return w.add_item(spec) as RigidBody


# Sets the action moving the right hand toward world `target` by at most HAND_STEP, plus `extra`
# (grasp, walking); true once the hand is there.
func hand_to(w, target: Vector3, extra := {}) -> bool:
	var delta: Vector3 = target - w.player.get_hand_transform(RIGHT).origin
	if delta.length() > HAND_STEP:
		delta = delta.normalized() * HAND_STEP
	hand_by(w, delta, extra)
	return w.player.get_hand_transform(RIGHT).origin.distance_to(target) <= ARRIVED


# Sets the action moving the right hand by world `delta` this tick, plus `extra`.
func hand_by(w, delta: Vector3, extra := {}) -> void:
	var local: Vector3 = w.player.get_head_transform().basis.xform_inv(delta)
	var values := {
		C.ACTION_RIGHT_HAND_X: local.x / C.MAX_HAND_LINEAR_SPEED,
		C.ACTION_RIGHT_HAND_Y: local.y / C.MAX_HAND_LINEAR_SPEED,
		C.ACTION_RIGHT_HAND_Z: local.z / C.MAX_HAND_LINEAR_SPEED,
	}
	for key in extra:
		values[key] = extra[key]
	w.set_action(values)


# Moves the right hand to `target` (up to REACH_TICKS ticks), then grasps for a tick. A coroutine:
# run it with `_step` in a loop (see the scenarios).
func grab(w, target: Vector3):
	for _i in range(REACH_TICKS):
		if hand_to(w, target):
			break
		yield()
	w.set_action({C.ACTION_RIGHT_GRASP: 1.0})
	yield()


# Crouches until the head is at most `head_y` high (up to REACH_TICKS ticks). A coroutine.
func crouch(w, head_y: float):
	for _i in range(REACH_TICKS):
		if w.player.get_head_transform().origin.y <= head_y:
			break
		w.set_action({C.ACTION_HEAD_Y: -0.5})
		yield()
	w.clear_action()
