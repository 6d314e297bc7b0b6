# Rule scenarios of buildings (docs/buildings.md), built by the real builder
# (world/building_builder.gd) from boxes as Python derives them from a building's tiles: walls
# block the body and cannot be climbed; a window's collider blocks the body but is not drawn;
# a ladder slab is climbed hand over hand to the floor above; a ramp is walked up. Yaw 0 looks along
# -z; HEAD_Z -1 walks forward. Scenarios wait for states, up to a bound of ticks.
extends Reference

const C = preload("res://generated/constants.gd")
const BuildingBuilder = preload("res://world/building_builder.gd")
const Climb = preload("res://tests/rules/climb_scenarios.gd")

const SOLID = 0
const CLIMBABLE = 1
const GLASS = 2
const WALL_Z = -2.0  # the near face of the walls in front of the player
const MAX_TICKS = 80
const STOREY = 5.0  # m floor top to floor top

var climb = Climb.new()


# A building of boxes [centre, size, kind, pitch, yaw] (kind 0 solid, 1 climbable, 2 glass).
static func building(w, boxes: Array) -> Spatial:
	var values := PoolRealArray()
	var kinds := PoolByteArray()
	var looks := PoolByteArray()
	for box in boxes:
		var centre: Vector3 = box[0]
		var size: Vector3 = box[1]
		for v in [centre.x, centre.y, centre.z, size.x, size.y, size.z, box[3], box[4]]:
			values.append(v)
		kinds.append(box[2])
		looks.append(0)
	var spec := {
		"boxes": values,
		"box_kinds": kinds,
		"box_looks": looks,
		"palette": PoolColorArray([Color(0.7, 0.6, 0.3)]),
	}
	var node := BuildingBuilder.build(spec, null, "building")
	w.root.add_child(node)
	return node


static func box(centre: Vector3, size: Vector3, kind := SOLID, pitch := 0.0, yaw := 0.0) -> Array:
	return [centre, size, kind, pitch, yaw]


# Walks forward (-z) until the feet stop moving or pass `past_z`. A coroutine; returns the feet.
static func walk_forward(w, past_z: float):
	var last := Vector3(INF, INF, INF)
	for _i in range(MAX_TICKS):
		w.set_action({C.ACTION_HEAD_Z: -1.0})
		yield()
		var feet: Vector3 = w.feet()
		if feet.z < past_z or feet.distance_to(last) < 0.001:
			break
		last = feet
	return w.feet()


func scenario_building_wall_blocks_walking(w) -> void:
	building(w, [box(Vector3(0.0, 2.0, WALL_Z - 0.5), Vector3(4.0, 4.0, 1.0))])
	w.spawn_player(Vector3.ZERO)
	yield()
	var run = walk_forward(w, WALL_Z - 1.0)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the wall stops the body", w.feet().z > WALL_Z, "feet z %.2f" % w.feet().z)
	w.check("at the wall", w.feet().z < WALL_Z + 0.6, "feet z %.2f" % w.feet().z)
	w.finish()


func scenario_building_window_blocks_but_is_not_drawn(w) -> void:
	var wall_z := WALL_Z - 0.5
	var node := building(
		w,
		[
			box(Vector3(0.0, 0.375, wall_z), Vector3(1.0, 0.75, 1.0)),
			box(Vector3(0.0, 1.75, wall_z), Vector3(1.0, 2.0, 1.0), GLASS),
			box(Vector3(0.0, 3.5, wall_z), Vector3(1.0, 1.5, 1.0)),
			box(Vector3(-1.0, 2.0, wall_z), Vector3(1.0, 4.0, 1.0)),
			box(Vector3(1.0, 2.0, wall_z), Vector3(1.0, 4.0, 1.0)),
		]
	)
	w.spawn_player(Vector3.ZERO)
	yield()
	var run = walk_forward(w, WALL_Z - 1.0)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("the window stops the body", w.feet().z > WALL_Z, "feet z %.2f" % w.feet().z)
	var drawn: int = node.get_meta("drawn_boxes")
	w.check("only the 4 wall boxes are drawn", drawn == 4, "%d" % drawn)
	var kinds := []
	for child in node.get_children():
		if child is StaticBody:
			kinds.append(child.kind)
	w.check(
		"the window's box is a glass body's, nothing climbable", kinds.count(GLASS) == 1, str(kinds)
	)
	w.check("no climbable body", kinds.count(CLIMBABLE) == 0, str(kinds))
	w.finish()


# The slab of a ladder in front of the player, reaching the floor of the storey above (a slab 1 m
# behind it, the ladder's hole in front of its edge).
func _ladder(w, kind: int) -> void:
	building(
		w,
		[
			box(Vector3(0.0, STOREY / 2.0, -0.35), Vector3(1.0, STOREY, 0.1), kind),
			box(Vector3(0.0, STOREY - 0.5, -1.9), Vector3(3.0, 1.0, 3.0)),
		]
	)
	w.spawn_player(Vector3.ZERO)


func scenario_building_ladder_is_climbed(w) -> void:
	_ladder(w, CLIMBABLE)
	for _i in range(3):
		yield()
	var run = climb.climb_up_or_down(w, true, STOREY - 1.2, 12)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("climbs the ladder hand over hand", not run.empty(), "no hold")
	w.check("up to the floor above", w.feet().y >= STOREY - 1.2, "feet y %.2f" % w.feet().y)
	w.finish()


func scenario_building_wall_is_not_climbed(w) -> void:
	_ladder(w, SOLID)
	for _i in range(3):
		yield()
	var run = climb.climb_up_or_down(w, true, STOREY - 1.2, 4)
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("no hold on a wall", run.empty(), "%d holds" % run.size())
	w.check("the feet stay on the floor", w.feet().y < 0.1, "feet y %.2f" % w.feet().y)
	w.finish()


# A ramp of `run` m rising 2.5 m toward -z from z = -1, as building.py's _ramp_boxes makes it.
func _ramp_walk(w, run: float):
	var rise := 2.5
	var pitch := rad2deg(atan2(rise, run))
	var back := sin(deg2rad(pitch))
	var up := cos(deg2rad(pitch))
	var thickness := 0.1
	var centre := Vector3(
		0.0, rise / 2.0 - up * thickness / 2.0, -1.0 - run / 2.0 + back * thickness / 2.0
	)
	building(
		w,
		[
			box(centre, Vector3(1.0, thickness, sqrt(run * run + rise * rise)), SOLID, pitch),
			box(Vector3(0.0, rise - 0.5, -1.0 - run - 1.5), Vector3(2.0, 1.0, 3.0)),
		]
	)
	w.spawn_player(Vector3(0.0, 0.0, 0.0))
	yield()
	var walk = walk_forward(w, -1.0 - run - 0.6)
	while walk is GDScriptFunctionState and walk.is_valid():
		yield()
		walk = walk.resume()
	return w.feet()


func scenario_building_ramp_is_walked_up(w) -> void:
	var run = _ramp_walk(w, 2.5 / tan(deg2rad(45.0)))
	while run is GDScriptFunctionState and run.is_valid():
		yield()
		run = run.resume()
	w.check("walks up a 45 degree ramp (the reference's)", w.feet().y > 2.4, "feet %s" % w.feet())
	w.finish()
