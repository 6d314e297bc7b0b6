# Rule scenarios of the body: walking, turning, crouching, jumping, falling and what the agent
# observes of itself. Every `scenario_*` method gets a fresh rule_world.gd `w`, sets `w.action` and
# `yield()`s once per physics tick (see rule_driver.gd); its last line is `w.finish()`. Yaw 0 looks
# along -Z; the head of a standing agent is 2 m above the feet; the floor's top is at y = 0.
extends Reference

const C = preload("res://generated/constants.gd")
const FallDamage = preload("res://player/fall_damage.gd")
const Layers = preload("res://world/layers.gd")

const SETTLE_TICKS = 3


func scenario_walk(w) -> void:
	w.spawn_player(Vector3.ZERO)
	for _i in range(SETTLE_TICKS):
		yield()
	var start: Vector3 = w.feet()
	w.set_action({C.ACTION_HEAD_Z: -1.0})
	for _i in range(10):
		yield()
	var moved: Vector3 = w.feet() - start
	w.near("10 ticks forward: dz", moved.z, -3.0, 0.1)
	w.near("10 ticks forward: dx", moved.x, 0.0, 0.01)
	w.near("10 ticks forward: stays on the floor", moved.y, 0.0, 0.02)
	var obs: Dictionary = w.observe()
	w.near("proprio body delta z", obs["proprio"][C.PROPRIO_BODY_DELTA_POSITION_Z], -0.3, 0.01)
	w.near("proprio head delta z", obs["proprio"][C.PROPRIO_HEAD_DELTA_POSITION_Z], -0.3, 0.01)
	w.check("state is_on_floor", obs["state"][C.STATE_IS_ON_FLOOR] == 1.0)
	w.near(
		"frame number in the last proprio slot", obs["proprio"][C.PROPRIO_SIZE - 1], w.ticks, 0.0
	)
	w.set_action({C.ACTION_HEAD_X: 1.0})
	start = w.feet()
	yield()
	w.near("strafe right: dx", (w.feet() - start).x, 0.3, 0.01)
	w.finish()


func scenario_yaw(w) -> void:
	w.spawn_player(Vector3.ZERO)
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_HEAD_YAW: 1.0})
	for _i in range(9):
		yield()
	var obs: Dictionary = w.observe()
	w.near("9 ticks of yaw +1: head yaw", obs["state"][C.STATE_HEAD_YAW], 90.0, 0.01)
	w.near("proprio body delta yaw", obs["proprio"][C.PROPRIO_BODY_DELTA_ROTATION_YAW], 10.0, 0.01)
	w.near("proprio head delta yaw", obs["proprio"][C.PROPRIO_HEAD_DELTA_ROTATION_YAW], 10.0, 0.01)
	var start: Vector3 = w.feet()
	w.set_action({C.ACTION_HEAD_Z: -1.0})
	for _i in range(5):
		yield()
	var moved: Vector3 = w.feet() - start
	w.near("forward after turning left 90 deg: dx", moved.x, -1.5, 0.05)
	w.near("forward after turning left 90 deg: dz", moved.z, 0.0, 0.05)
	w.set_action({C.ACTION_HEAD_PITCH: 1.0, C.ACTION_HEAD_ROLL: 1.0})
	for _i in range(40):
		yield()
	obs = w.observe()
	w.near("pitch clamped", obs["state"][C.STATE_HEAD_PITCH], C.MAX_HEAD_PITCH, 0.01)
	w.near("roll clamped", obs["state"][C.STATE_HEAD_ROLL], C.MAX_HEAD_ROLL, 0.01)
	w.finish()


func scenario_crouch(w) -> void:
	w.spawn_player(Vector3.ZERO)
	for _i in range(SETTLE_TICKS):
		yield()
	w.near("standing head height", w.observe()["state"][C.STATE_HEAD_Y], C.HEAD_HEIGHT_MAX, 0.02)
	w.set_action({C.ACTION_HEAD_Y: -1.0})
	for _i in range(7):
		yield()
	w.near("crouched head height", w.observe()["state"][C.STATE_HEAD_Y], C.HEAD_HEIGHT_MIN, 0.02)
	var start: Vector3 = w.feet()
	w.set_action({C.ACTION_HEAD_Z: -1.0})
	yield()
	w.near("crouched walking is slow: dz", (w.feet() - start).z, -0.3 * 0.2, 0.01)
	w.set_action({C.ACTION_HEAD_Y: 1.0})
	for _i in range(7):
		yield()
	w.near("stands up again", w.observe()["state"][C.STATE_HEAD_Y], C.HEAD_HEIGHT_MAX, 0.02)
	w.finish()


func scenario_jump(w) -> void:
	w.spawn_player(Vector3.ZERO)
	for _i in range(SETTLE_TICKS):
		yield()
	w.set_action({C.ACTION_JUMP: 1.0})
	var highest := 0.0
	var damage := 0.0
	for i in range(16):
		yield()
		if i == 0:
			w.clear_action()
		highest = max(highest, w.feet().y)
		damage += w.observe()["proprio"][C.PROPRIO_FALL_DAMAGE]
	w.near("jump height", highest, C.JUMP_HEIGHT, 0.05)
	w.near("lands again", w.feet().y, 0.0, 0.02)
	w.check("no fall damage from a jump", damage == 0.0, "damage %.4f" % damage)
	w.check("back on the floor", w.observe()["state"][C.STATE_IS_ON_FLOOR] == 1.0)
	w.finish()


# The capsule's round bottom held in a V of two static slabs whose faces rise at 60 degrees
# (contacts 60 degrees from straight up: not floor) for 3 s: it builds up no falling speed, which
# a later small drop would judge as a long fall; then it walks out along the V and drops 1.1 m to
# the ground without damage.
func scenario_held_up_in_a_v(w) -> void:
	for side in [-1.0, 1.0]:
		var normal := Vector3(-side * sin(PI / 3.0), cos(PI / 3.0), 0.0)
		var along := Vector3(side * cos(PI / 3.0), sin(PI / 3.0), 0.0)
		var slab := StaticBody.new()
		slab.collision_layer = Layers.STATIC
		slab.collision_mask = 0
		var shape := BoxShape.new()
		shape.extents = Vector3(0.5, 0.1, 0.5)
		var collision := CollisionShape.new()
		collision.shape = shape
		slab.add_child(collision)
		var basis := Basis(along, normal, along.cross(normal))
		slab.transform = Transform(basis, Vector3(0.0, 1.0, 0.0) + along * 0.5 - normal * 0.1)
		w.root.add_child(slab)
	w.spawn_player(Vector3(0.0, 1.3, 0.0))
	var damage := 0.0
	for _i in range(30):
		yield()
		damage += w.observe()["proprio"][C.PROPRIO_FALL_DAMAGE]
	w.near("held in the V", w.feet().y, 1.1, 0.05)
	w.check("not on the floor there", w.observe()["state"][C.STATE_IS_ON_FLOOR] == 0.0)
	var speed: float = w.player._locomotion.vertical_speed
	w.check("no falling speed built up", abs(speed) < 2.0, "%.2f m/s" % speed)
	w.set_action({C.ACTION_HEAD_Z: -1.0})
	for _i in range(25):
		yield()
		damage += w.observe()["proprio"][C.PROPRIO_FALL_DAMAGE]
	w.near("walked out onto the ground", w.feet().y, 0.0, 0.02)
	w.check("no fall damage from the 1.1 m drop", damage == 0.0, "damage %.4f" % damage)
	w.finish()


func scenario_fall_30m(w) -> void:
	w.spawn_player(Vector3(0.0, 30.0, 0.0))
	var damage := 0.0
	var ticks_damaged := 0
	for _i in range(34):
		yield()
		var tick_damage: float = w.observe()["proprio"][C.PROPRIO_FALL_DAMAGE]
		damage += tick_damage
		ticks_damaged += int(tick_damage > 0.0)
	var obs: Dictionary = w.observe()
	var expected := FallDamage.damage_for_speed_change(sqrt(2.0 * C.GRAVITY * 30.0))
	w.near("30 m fall damage", damage, expected, 0.06)
	w.check("damage dealt once", ticks_damaged == 1, "%d ticks" % ticks_damaged)
	w.near("hit points after the fall", obs["state"][C.STATE_HIT_POINTS], 1.0 - damage, 1e-5)
	w.check("survives 30 m", obs["state"][C.STATE_IS_DEAD] == 0.0)
	w.finish()


func scenario_fall_40m(w) -> void:
	w.spawn_player(Vector3(0.0, 40.0, 0.0))
	for _i in range(38):
		yield()
	var obs: Dictionary = w.observe()
	w.check("40 m fall kills", obs["state"][C.STATE_IS_DEAD] == 1.0)
	w.check("hit points floored at 0", obs["state"][C.STATE_HIT_POINTS] == 0.0)
	w.finish()


func scenario_observation(w) -> void:
	w.spawn_player(Vector3(1.0, 0.0, 2.0), 0.0, 0.0)
	yield()
	var obs: Dictionary = w.observe()
	var p: Array = obs["proprio"]
	var relative := Vector3(
		p[C.PROPRIO_RIGHT_HAND_RELATIVE_POSITION_X],
		p[C.PROPRIO_RIGHT_HAND_RELATIVE_POSITION_Y],
		p[C.PROPRIO_RIGHT_HAND_RELATIVE_POSITION_Z]
	)
	w.check(
		"right hand relative to the body",
		relative.distance_to(Vector3(0.5, 0.5, -0.5)) < 1e-3,
		str(relative)
	)
	w.near("head relative height", p[C.PROPRIO_HEAD_RELATIVE_POSITION_Y], 1.0, 1e-3)
	w.near("body centre x", obs["state"][C.STATE_BODY_X], 1.0, 1e-3)
	w.near("hit points", p[C.PROPRIO_HIT_POINTS], C.STARTING_HIT_POINTS, 0.0)
	w.set_action({C.ACTION_LEFT_HAND_X: -1.0, C.ACTION_LEFT_HAND_YAW: 1.0})
	yield()
	p = w.observe()["proprio"]
	w.near(
		"left hand moved out (clamped to the arm)",
		p[C.PROPRIO_LEFT_HAND_DELTA_POSITION_X],
		-0.405,
		0.01
	)
	w.near(
		"left hand yaw delta",
		p[C.PROPRIO_LEFT_HAND_DELTA_ROTATION_YAW],
		C.MAX_HAND_ANGULAR_SPEED,
		0.01
	)
	w.finish()
