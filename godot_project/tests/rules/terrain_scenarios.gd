# Terrain rule scenarios: world.gd answers ground_height and is_climbable on a 0.5 m grid with the
# cell convention Python uses (avalon.world.spec.cell_of: cell (j, i) covers [origin + i * cell,
# origin + (i + 1) * cell)), and a rock dropped on the built HeightMapShape rests on ground_height.
extends Reference

const World = preload("res://world/world.gd")

const CELL = 0.5
const POINTS = 9  # 4 m square from (-2, -2)
const STEP_COLUMN = 4  # cells [0, 0.5) in x: the step's ramp, unclimbable
const TOP = 1.0  # height of the points at x >= 0.5


func _terrain() -> Dictionary:
	var heights := PoolRealArray()
	for _j in range(POINTS):
		for i in range(POINTS):
			heights.append(TOP if -2.0 + i * CELL >= 0.5 else 0.0)
	var colors := PoolByteArray()
	var climbable := PoolByteArray()
	for _j in range(POINTS - 1):
		for i in range(POINTS - 1):
			colors.append(0)
			climbable.append(0 if i == STEP_COLUMN else 1)
	return {
		"points_x": POINTS,
		"points_z": POINTS,
		"origin": Vector3(-2.0, 0.0, -2.0),
		"cell_size": CELL,
		"heights": heights,
		"cell_colors": colors,
		"climbable": climbable,
		"palette": PoolColorArray([Color(0.4, 0.6, 0.3)]),
		"water_height": -5.0,
	}


func scenario_half_metre_cells(w) -> void:
	var world: Spatial = World.new()
	var spec := {
		"terrain": _terrain(),
		"trees":
		{
			"positions": PoolVector3Array(),
			"heights": PoolRealArray(),
			"kinds": PoolByteArray(),
		},
		"items": [],
	}
	var error: String = world.build(spec, false)
	w.check("world builds", error == "", error)
	w.root.add_child(world)
	w.check("ground at x=0 is the foot", is_equal_approx(world.ground_height(0.0, 1.0), 0.0))
	w.check("ground at x=0.25 is half way", is_equal_approx(world.ground_height(0.25, 1.0), 0.5))
	w.check("ground at x=0.5 is the top", is_equal_approx(world.ground_height(0.5, 1.0), TOP))
	w.check("ground at x=1.9 is the top", is_equal_approx(world.ground_height(1.9, -1.9), TOP))
	for x in [0.0, 0.25, 0.49]:
		w.check("x=%s is in the unclimbable cell" % x, not world.is_climbable(Vector3(x, 0.5, 1.0)))
	for x in [-0.01, -1.0]:
		w.check("x=%s is climbable" % x, world.is_climbable(Vector3(x, 0.2, 1.0)))
	w.check("x=0.5 starts the next cell", world.is_climbable(Vector3(0.5, 1.2, 1.0)))
	w.check("far above the ground is not", not world.is_climbable(Vector3(-1.0, 3.0, 1.0)))
	var rock: RigidBody = w.rock(1, Vector3(1.25, 2.0, 0.75), 0.3)
	for _i in range(20):
		yield()
	var rest := rock.global_transform.origin.y
	w.check("rock rests on the step's top", abs(rest - (TOP + 0.15)) < 0.05, "y=%s" % rest)
	w.finish()
