"""CLIMB: food on top of a cliff, or on the top storey of a building; grab the face (or a ladder) with the hands and
pull up.

What is generated: outdoors (P 0.8), an island on the 0.5 m grid with a single ring-shaped cliff (a ring obstacle with
one wall) around the spawn point or the goal, so the goal side stands `height` m above the spawn side everywhere round
the ring. Either the whole cliff can be climbed, or the face is unclimbable (and so are 1.5 m at its top and foot)
except along one climbable path, straight or with up to two waypoints, from the foot to the top. An apple hangs 2 m up a
fruit tree on the plateau, about 1.5 m behind the cliff's top on the path's line. Indoors (P 0.2, the original's rate,
drawn from a child generator so the outdoor worlds are the same as without it): a sealed multi-storey building
(docs/buildings.md) on a flat sand square, a rectangle whose storeys shrink by a tile a side while they stay 7 wide, one
room per storey, each storey joined to the next by a ladder (a climbable slab against the edge of a 1 x 2 tile hole in
the floor above, with a landing tile beyond it); the spawn at the ground room's centre, an apple on the floor at the
centre of the top storey's room.

How difficulty scales (as the original's code): P(all climbable) 1 -> 0.01 (a boolean draw that rewrites d for the
rest); spawn-goal distance U(7, 7 -> 28) m (normal, sigma 0.5); cliff height clip(N(3.2 -> 20, 1)) m; face slope
clip(N(1.43 -> 4, 0.5)) (55 -> 76 degrees), the ramp's horizontal length min(clip(N(1 -> M, M / 2)), height / slope)
with M = min(7, the spawn-goal distance less both 0.5 m safety margins and 1 m); width of the exact part of the cliff
clip(N(10 -> 1.5, 1)) m; climbable path width clip(N(10 -> 1.5, 0.1)) m with round(clip(N(-0.49 -> 2.49, 0.25)))
waypoints; trees denser and spawn yaw and pitch noisier with d. At d = 0 the agent faces an apple on top of an
all-climbable cliff about 3.2 m high. Indoors: site radius r = 7 + 8 d U m, the building floor(sqrt(2) r) tiles a side
(9 -> 21); 2 + round(clip(N(3 d, 0.1), 0, 3)) storeys (2 -> 5, 5 m apart: 5 m of ladder each); the spawn looks at the
food at d = 0, its yaw turns by up to 180 d degrees and its pitch up by up to 100 d degrees (the original's indoor
spawn).

Deliberate differences: the original cuts the cliff in MIDPOINT_RELATIVE mode (ramp cells first set to the terrain
height on the lower rim, the plateau blended to the ramp-top height within 5-10 m); our obstacle library has no such
mode and uses MIDPOINT (the wall and 3 m of land on both sides levelled to the lower endpoint's height, then the goal
side raised), which gives the same exact cliff height at the crossing with flat aprons. The island is not raised by
10,000 m and lowered back (nothing is cut below the spawn's ground). The world is at most 100 m wide
(`common.MAX_WORLD_SIZE`): the land held round the spawn and the goal is 0.5 x their distance + 5 m, and a ring wider
than the island is closed by the sea. Every world is checked: the food is not reachable by walking or jumping, and is by
climbing the climbable cells. The cliff keeps 1.5 m more than the original's 0.5 m from the spawn point and the goal, so
both stand on flat ground. Indoors: the apple rests on the top storey's floor at its room's centre (the original puts it
0.5 m up); a ladder's tiles never cut a room's centre tile, so the food never hangs over a hole; the body climbs 5 m of
ladder hand over hand (the rule scenario building_ladder_is_climbed).

What success needs: eating the apple (indoors: climbing every ladder, hand over hand, up to the top storey).
"""

from __future__ import annotations

import math

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, select_boolean
from avalon.tasks import common as c
from avalon.tasks import indoor
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.connections import link_storeys
from avalon.world.layout import Layout, house_rooms, rectangle_footprints
from avalon.world.obstacles.planning import JUMP_DISTANCE
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 2  # 2: the indoor variant (P 0.2)
TASK_NAME = "climb"
VARIANTS: tuple[str, ...] = ("outdoor", "indoor")
FOOD = "apple"

P_INDOOR = 0.2  # the original's rate of indoor worlds
INDOOR_RADIUS = Knob(easy=7.0, hard=15.0)  # m, random-lerped site radius: the side is floor(sqrt(2) r) tiles
EXTRA_STOREYS = 3.0  # storeys = 2 + round(clip N(3 d, STOREYS_SIGMA) to [0, 3])
STOREYS_SIGMA = 0.1

P_ALL_CLIMBABLE = (1.0, 0.01)
GOAL_DISTANCE = Knob(easy=7.0, hard=28.0)  # m, random-lerped, then normal (sigma below)
DISTANCE_SIGMA = 0.5
MIN_GOAL_DISTANCE = 7.0  # m: the easy end, so a cliff with a 1 m ramp always fits between spawn and goal
# Cliff height. The body climbs a 20 m vertical face in 91 ticks, 0.22 m per tick hand over hand (measured in the
# engine with the oracle's climbing skill, tests/test_task_climb.py). The easy end, 3.2 m, is the original's "climb
# required" height: more than a jump (1.5 m apex) and the 1 m arm can get over.
CLIFF_HEIGHT = Knob(easy=3.2, hard=20.0)
CLIFF_HEIGHT_SIGMA = 1.0
SLOPE = Knob(easy=1.43, hard=4.0)  # rise per metre of the face (55 -> 76 degrees): steeper than the 45-degree floor
SLOPE_SIGMA = 0.5
RAMP_MIN = 1.0  # m, horizontal length of the face: the easy end of its normal
RAMP_CAP = 7.0  # m, M = min(critical distance, 7)
CRITICAL_MINIMUM = 1.0  # m, the minimum passed to the critical distance
TRAVERSAL_WIDTH = Knob(easy=10.0, hard=1.5)  # m around the crossing where the cliff is exactly as designed
TRAVERSAL_WIDTH_SIGMA = 1.0
PATH_WIDTH = Knob(easy=10.0, hard=1.5)  # m, the climbable path (when the face is not all climbable)
PATH_WIDTH_SIGMA = 0.1
PATH_WAYPOINTS = Knob(easy=-0.49, hard=2.49)  # rounded normal: 0 -> 2 waypoints
PATH_WAYPOINTS_SIGMA = 0.25
BRINK = 1.5  # m: the food stands this far behind the cliff's top, the spawn end this far from its foot
LAND_SCALE, LAND_MARGIN = 0.5, 5.0  # m of land held round the spawn and the goal: scale x distance + margin
BASE_HEIGHT = 1.5  # m, island ground above the water (nothing is cut below it)
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m round the crossing's mid-band point (the original's 2 + 10 d)
MAX_WALK_SLOPE = 1.0  # rise per metre: the body's floor ends at 45 degrees (FLOOR_MAX_ANGLE)
EXTRA_SAFETY = 1.5  # m added to the ring's 0.5 m safety round the spawn and the goal: room to flatten under them
STAND_FLAT, STAND_BLEND = 1.5, 0.5  # m: flat under the spawn and the trunk after the cliff is cut (within 2 m)
SPAWN_FLAT = 2.0  # m, flat ground under the spawn (made before the cliff, so the cliff stays sharp)


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    return indoor.generate_variant(rng, difficulty, variant, generate_indoor, generate_outdoor, P_INDOOR)


def generate_indoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The building with a ladder to every storey, food on the top one."""
    d = difficulty
    side = indoor.side_for_radius(INDOOR_RADIUS.random_lerp(rng, d))
    storeys = 2 + round(float(np.clip(rng.normal(EXTRA_STOREYS * d, STOREYS_SIGMA), 0.0, EXTRA_STOREYS)))
    footprints = rectangle_footprints(side, side, storeys)
    layout = Layout(footprints)
    for s in range(storeys):
        layout.rooms.extend(house_rooms(rng, footprints[s], s, 1))
    missing = link_storeys(rng, layout, ramps=False, ladders=True)
    if missing:
        raise c.ImpossibleWorldError(f"no ladder fits between storeys {missing} and the ones above")
    building = indoor.place(layout.building((0.0, 0.0, 0.0)))
    ground, top = layout.rooms[0], layout.rooms[-1]
    apple = indoor.food_on_floor(building, top.storey, top.centre, FOOD)
    start = indoor.spawn(rng, d, building.tile_centre(0, *ground.centre), apple.position)
    return indoor.world(TASK_NAME, difficulty, GENERATOR_VERSION, building, (apple,), start)


def generate_outdoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    all_climbable, d = select_boolean(rng, d, *P_ALL_CLIMBABLE)
    distance = max(float(rng.normal(GOAL_DISTANCE.random_lerp(rng, d), DISTANCE_SIGMA)), MIN_GOAL_DISTANCE)
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    land = LAND_SCALE * distance + LAND_MARGIN
    layout = c.frame_points([((0.0, 0.0), land), (goal_rel, land)])
    heightmap = c.make_island(rng, d, layout, base_height=BASE_HEIGHT, unclimbable_shore=True, cell_size=FINE_CELL_SIZE)
    spawn, goal = layout.place((0.0, 0.0)), layout.place(goal_rel)
    tr.flatten_many(heightmap, [(spawn, SPAWN_FLAT)], blend=2.0)

    cliff, path_width = _build_cliff(rng, d, heightmap, spawn, goal, distance, all_climbable)
    ring, solution, path_points = cliff.ring, cliff.solution, list(cliff.route)

    food_xz = solution.goal_end
    heading = solution.heading
    trunk = c.offset(food_xz, heading, c.FOOD_OFFSET_FROM_TRUNK)
    flatten_clear_of_walls(heightmap, ring, spawn, trunk)
    _check_needs_climbing(heightmap, spawn, food_xz)

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, heading + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, apple.position)
    clear = [(a, b, path_width / 2.0 + 2.0) for a, b in zip(path_points[:-1], path_points[1:], strict=True)]
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn, 2.5), (trunk, 2.5), (food_xz, 2.5)],
        clear_lines=[(spawn, solution.spawn_end, 1.5), *clear],
    )
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=terrain,
        trees=trees,
        items=(apple, tree),
        spawn=spawn_pose,
    )


def _build_cliff(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    start: c.Point2,
    end: c.Point2,
    distance: float,
    all_climbable: bool,
) -> tuple[c.Obstacle, float]:
    """The cliff ring between `start` (below) and `end` (on top), its crossing and, unless all of it is climbable,
    the climbable path up the face; with the width of the designed way up."""
    height = CLIFF_HEIGHT.normal(rng, d, CLIFF_HEIGHT_SIGMA)
    slope = SLOPE.normal(rng, d, SLOPE_SIGMA)
    cap = ob.critical_distance(distance, CRITICAL_MINIMUM, RAMP_CAP)
    if cap is None:
        raise ob.ImpossibleWorldError(f"spawn and goal {distance:.1f} m apart leave no room for the cliff's ramp")
    ramp = min(Knob(RAMP_MIN, cap).normal(rng, d, cap / 2.0), height / slope)
    width = TRAVERSAL_WIDTH.normal(rng, d, TRAVERSAL_WIDTH_SIGMA)
    config = ob.RingConfig(
        height=height,
        wall=ob.Wall(length=ramp, climbable=all_climbable),
        traversal_width=width,
        search_radius=SEARCH_RADIUS.lerp(d),
        mode=ob.HeightMode.MIDPOINT,
        extra_safety=EXTRA_SAFETY,
    )
    ring = ob.make_ring(rng, heightmap, start, end, config)
    if not ring.centered_on_spawn:  # the start side went down by `height`: lift the island back (no sea floor cut)
        heightmap.heights = heightmap.heights + np.where(ring.land, height, 0.0)
    solution = ob.solve(ring, heightmap, brink=BRINK)
    route: tuple[c.Point2, ...] = (solution.spawn_end, solution.goal_end)
    path_width = width
    if not all_climbable:
        waypoints = round(PATH_WAYPOINTS.normal(rng, d, PATH_WAYPOINTS_SIGMA))
        path_width = PATH_WIDTH.normal(rng, d, PATH_WIDTH_SIGMA)
        path = ob.add_path(
            rng,
            heightmap,
            solution,
            ob.PathConfig(width=path_width, waypoints=waypoints, climbable=True, land_only=True),
        )
        route = path.points
    return c.Obstacle(ring, solution, tuple(route)), path_width


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """CLIMB's cliff between the constraint's start (below) and end (on top), with this module's knobs (the ramp is
    capped by their distance); checked as the task's worlds are: the top of the designed way up is not reached by
    walking or jumping, and is by climbing."""
    d = difficulty
    all_climbable, d = select_boolean(rng, d, *P_ALL_CLIMBABLE)
    distance = math.dist(constraint.start, constraint.end)
    cliff, _ = _build_cliff(rng, d, constraint.heightmap, constraint.start, constraint.end, distance, all_climbable)
    _check_needs_climbing(constraint.heightmap, constraint.start, cliff.solution.goal_end)
    return cliff


def flatten_clear_of_walls(heightmap: tr.Heightmap, ring: ob.Ring, spawn: c.Point2, trunk: c.Point2) -> None:
    """Make the ground under the spawn and the fruit tree's trunk exactly flat again after the ring is cut (the
    levelled aprons and the terrain beyond meet in steps). Both stand at least EXTRA_SAFETY + 0.5 m from every wall,
    which the flattening does not reach; the trunk, placed beyond the food, is checked to be on the goal's side."""
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    around = np.hypot(x - trunk[0], z - trunk[1]) <= STAND_FLAT + STAND_BLEND
    if not ring.goal_side[around].all():
        raise ob.ImpossibleWorldError("the fruit tree's trunk is too near the cliff")
    tr.flatten_many(heightmap, [(spawn, STAND_FLAT), (trunk, STAND_FLAT)], blend=STAND_BLEND)


def steep_points(heightmap: tr.Heightmap) -> np.ndarray:
    """Points touching a cell steeper than the body's floor (MAX_WALK_SLOPE): the grid edges' rise test alone lets
    a path cross a steep face obliquely, which the body cannot (it slides on anything steeper than its floor)."""
    h, cs = heightmap.heights, heightmap.cell_size
    gx = (h[:-1, 1:] - h[:-1, :-1] + h[1:, 1:] - h[1:, :-1]) / (2.0 * cs)
    gz = (h[1:, :-1] - h[:-1, :-1] + h[1:, 1:] - h[:-1, 1:]) / (2.0 * cs)
    steep = np.hypot(gx, gz) > MAX_WALK_SLOPE
    points = np.zeros(h.shape, bool)
    points[:-1, :-1] |= steep
    points[:-1, 1:] |= steep
    points[1:, :-1] |= steep
    points[1:, 1:] |= steep
    return points


def _check_needs_climbing(heightmap: tr.Heightmap, spawn: c.Point2, food: c.Point2) -> None:
    """The designed solution must be the way: no walking or jumping up to the food, climbing the climbable cells."""
    walk = {"blocked": steep_points(heightmap), "jump_distance": JUMP_DISTANCE}
    if ob.is_reachable(heightmap, spawn, food, **walk):  # type: ignore[arg-type]
        raise ob.ImpossibleWorldError("the food is reachable without climbing (the ring is open)")
    if not ob.is_reachable(heightmap, spawn, food, climbable=~heightmap.unclimbable):
        raise ob.ImpossibleWorldError("the food is not reachable by climbing")
