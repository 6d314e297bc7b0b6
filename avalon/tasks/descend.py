"""DESCEND: spawn on a mesa; the food lies far below; get down without a fatal fall.

What is generated: an island on the 0.5 m grid with a single step wall closing a ring round the spawn point: the
spawn stands on a mesa and everything beyond the wall lies 10 + X m lower, where an apple hangs 2 m up a fruit tree.
Either the whole cliff can be climbed, or the face is unclimbable (and so are 1.5 m at its top and foot) except one
straight climbable path down it; a 1 m path is kept off the water. With a platform, a climbable rock (a 5.5 x 2.5 x
6 m box, `platform_rock`) juts out of the cliff near the spawn point, its top half-way down. Outdoor only, like the
original's DESCEND.

How difficulty scales (as the original's code, the standalone task's draws): P(platform) 1 -> 0.01, then
P(all climbable) 1 -> 0.01 (boolean draws that each rewrite d for the rest); spawn-goal distance normal around
8 -> 32 m (sigma 0.5); drop 10 + clip(N(0 -> 50, 4)) m; climbable path width clip(N(10 -> 1, 0.5)) m, at least
1.5 m; the platform within 1 -> 6 m of the cliff cell nearest the spawn point; fewer decorative trees as d grows
(density x (1 - d), so a falling agent has no trunk to catch); spawn yaw and pitch noise grow with d. At d = 0 the
agent looks down at the apple from a 10 m mesa with a platform 5 m down and every face climbable.

Deliberate differences: the island is not raised by 10 000 m and lowered back; it is built drop + 2 m high, so the
ground below the cliff stays 2 m above the water. The original puts the platform on a cliff cell "within
lerp(1 -> 6) m of the spawn"; the wall is often farther than 1 m, so ours takes the cliff cells within that distance
of the cliff cell nearest the spawn point. The rock's back (1 m of its 6) sits in the mesa, its front juts out away
from the ring's centre. The climbable path is at least 1.5 m wide (the original's narrowest is 1 m): on the 0.5 m
grid a 1 m strip at an angle often has no line of fully climbable cells. Every world is checked: the food cannot be
reached by walking and falls of at most 5 m (the body's fall damage starts at a 10 m/s landing), and can be by
climbing the climbable cells as well. The cliff keeps 1.5 m more than the original's 0.5 m from the spawn point and
the goal, so both stand on flat ground.

What success needs: eating the apple.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, select_boolean
from avalon.entities import PLATFORM_ROCK_SIZE
from avalon.tasks import common as c
from avalon.tasks.climb import EXTRA_SAFETY, flatten_clear_of_walls
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.grid import dilate
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 1
TASK_NAME = "descend"
VARIANTS: tuple[str, ...] = ()
FOOD = "apple"

P_PLATFORM = (1.0, 0.01)
P_ALL_CLIMBABLE = (1.0, 0.01)
GOAL_DISTANCE = Knob(easy=8.0, hard=32.0)  # m, normal around the lerp
DISTANCE_SIGMA = 0.5
# The drop: 10 m, the original's fall-damage height, plus a normal extra. Our body takes damage from a 10 m/s
# landing, a fall of about 5 m: 10 m costs it 0.16 hit points, 25 m 0.62, and 38 m kill it (the engine's rule,
# `avalon.oracle.descend.fall_damage`; in the engine the oracle steps off the d = 0 mesa and lives, and climbs down
# a d = 0.5 drop unhurt: tests/test_task_descend.py), so at d = 0 a drop is survivable and at d = 1 only climbing is.
DROP_BASE = 10.0
DROP_EXTRA = Knob(easy=0.0, hard=50.0)
DROP_EXTRA_SIGMA = 4.0
SAFE_FALL = 5.0  # m a fall may have without damage (a 10 m/s landing at g = 10)
EDGE_NOISE = 0.25
TRAVERSAL_WIDTH = 2.0  # m
BRINK = 1.0  # m
CLIMB_PATH_WIDTH = Knob(easy=10.0, hard=1.0)  # m, normal (sigma below) clipped to the range
CLIMB_PATH_SIGMA = 0.5
# A 1 m strip drawn across the 0.5 m grid at an angle often leaves no line of points whose cells are all climbable
# (the climbing check failed 55 times in 30 worlds at d = 1), so the strip is at least 1.5 m wide.
MIN_CLIMB_PATH_WIDTH = 1.5
GUARD_PATH_WIDTH = 1.0  # m: a land-only path, which only guards against water on the way
SPAWN_FLAT = 4.0  # m, flat round the spawn point
GOAL_FLAT = 1.0  # m, flat round the fruit tree
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m round the crossing's mid-band point (the original's 2 + 10 d)
PLATFORM_DISTANCE = Knob(easy=1.0, hard=6.0)  # m from the cliff cell nearest the spawn point
PLATFORM_STEEP = 0.8  # a platform cell's height difference exceeds this share of the drop (the wall's step)
PLATFORM_SHORE = 3.0  # m: and it is this far from the water
PLATFORM_OFFSET = (0.0, -1.25, -2.0)  # m, box centre from the anchor (top centre of its front 5 m), rock frame
LAND_SCALE, LAND_MARGIN = 0.5, 5.0  # m of land held round the spawn and the goal: scale x distance + margin
GROUND_ABOVE_WATER = 2.0  # m: the low ground's base above the water
TREE_DENSITY = Knob(easy=0.8, hard=3.0)  # trees per 100 m^2, random-lerped (common.TREE_DENSITY), x (1 - d)


def generate(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    platform, d = select_boolean(rng, d, *P_PLATFORM)
    all_climbable, d = select_boolean(rng, d, *P_ALL_CLIMBABLE)
    distance = max(GOAL_DISTANCE.normal(rng, d, DISTANCE_SIGMA), GOAL_DISTANCE.easy)
    drop = DROP_BASE + DROP_EXTRA.normal(rng, d, DROP_EXTRA_SIGMA)
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK)
    land = LAND_SCALE * distance + LAND_MARGIN
    layout = c.frame_points([((0.0, 0.0), land), (goal_rel, land)])
    heightmap = c.make_island(
        rng, d, layout, base_height=drop + GROUND_ABOVE_WATER, unclimbable_shore=True, cell_size=FINE_CELL_SIZE
    )
    spawn, goal, trunk = layout.place((0.0, 0.0)), layout.place(goal_rel), layout.place(trunk_rel)
    tr.flatten_many(heightmap, [(spawn, SPAWN_FLAT), (trunk, GOAL_FLAT)], blend=2.0)

    drop_obstacle, width = _build_drop(rng, d, heightmap, spawn, goal, trunk, drop, platform, all_climbable)
    path_points = drop_obstacle.route
    spawn_y = heightmap.height_at(*spawn)
    rocks = [(position, yaw) for _, position, yaw, _ in drop_obstacle.entities]

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    items = [apple, tree] + [Item.of("platform_rock", 3, *rock, size=PLATFORM_ROCK_SIZE) for rock in rocks]
    spawn_pose = c.spawn_facing(rng, difficulty, (spawn[0], spawn_y, spawn[1]), apple.position)
    moisture = c.moisture_map(rng, heightmap)
    density = TREE_DENSITY.random_lerp(rng, difficulty) * (1.0 - difficulty)
    clear = [(spawn, SPAWN_FLAT + 1.0), (trunk, 2.5), (goal, 2.5)]
    lines = [(a, b, width / 2.0 + 2.0) for a, b in zip(path_points[:-1], path_points[1:], strict=True)]
    trees = tr.place_trees(rng, heightmap, density, clear, [*lines, (spawn, goal, 1.5)], moisture)
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=heightmap.to_terrain(moisture),
        trees=trees,
        items=tuple(items),
        spawn=spawn_pose,
    )


def _build_drop(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    start: c.Point2,
    end: c.Point2,
    keep_flat: c.Point2,
    drop: float,
    platform: bool,
    all_climbable: bool,
) -> tuple[c.Obstacle, float]:
    """The drop ring round `start` (the mesa) down to `end`, the climbable path and the land-only guard path down the
    face, level ground at `start` and `keep_flat`, and the platform rock when drawn; with the climbable path's
    width."""
    config = ob.RingConfig(
        height=-drop,
        wall=ob.Wall(climbable=all_climbable),
        traversal_width=TRAVERSAL_WIDTH,
        center_on_spawn=1.0,
        edge_noise=EDGE_NOISE,
        search_radius=SEARCH_RADIUS.lerp(d),
        extra_safety=EXTRA_SAFETY,
    )
    ring = ob.make_ring(rng, heightmap, start, end, config)
    solution = ob.solve(ring, heightmap, brink=BRINK)
    width = max(CLIMB_PATH_WIDTH.normal(rng, d, CLIMB_PATH_SIGMA), MIN_CLIMB_PATH_WIDTH)
    path = ob.add_path(rng, heightmap, solution, ob.PathConfig(width=width, climbable=True))
    ob.add_path(rng, heightmap, solution, ob.PathConfig(width=GUARD_PATH_WIDTH, land_only=True))
    flatten_clear_of_walls(heightmap, ring, start, keep_flat)
    entities: list[tuple[str, c.Vec3, float, dict[str, Any]]] = []
    if platform:
        start_y = heightmap.height_at(*start)
        centre, yaw = _platform_rock(rng, heightmap, ring, start, start_y, drop, PLATFORM_DISTANCE.lerp(d))
        entities.append(("platform_rock", centre, yaw, {"size": PLATFORM_ROCK_SIZE}))
    _check_needs_descending(heightmap, start, end)
    return c.Obstacle(ring, solution, path.points, tuple(entities)), width


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """DESCEND's drop from the constraint's start (on the mesa the ring encloses) down to its end, with this module's
    knobs; checked as the task's worlds are: the end is not reached by falls of 5 m or less, and is by climbing. The
    caller's island must stand higher than the drop (up to 10 + 50 m at d = 1)."""
    d = difficulty
    platform, d = select_boolean(rng, d, *P_PLATFORM)
    all_climbable, d = select_boolean(rng, d, *P_ALL_CLIMBABLE)
    drop = DROP_BASE + DROP_EXTRA.normal(rng, d, DROP_EXTRA_SIGMA)
    constraint_obstacle, _ = _build_drop(
        rng, d, constraint.heightmap, constraint.start, constraint.end, constraint.end, drop, platform, all_climbable
    )
    return constraint_obstacle


def _platform_rock(
    rng: np.random.Generator,
    heightmap: tr.Heightmap,
    ring: ob.Ring,
    spawn: c.Point2,
    spawn_y: float,
    drop: float,
    within: float,
) -> tuple[tuple[float, float, float], float]:
    """(box centre, yaw) of the platform: on a cliff cell (its height difference over PLATFORM_STEEP of the drop),
    away from the shore, within `within` m of the cliff cell nearest the spawn; top at half the drop, jutting out."""
    grid = ob.Grid.of(heightmap)
    cs = grid.cell_size
    steep = heightmap.cell_slope() * cs > PLATFORM_STEEP * drop
    x, z = grid.grid_xz()
    cx, cz = x[:-1, :-1] + cs / 2.0, z[:-1, :-1] + cs / 2.0
    water = ~ring.land
    wet = water[:-1, :-1] | water[1:, 1:] | water[:-1, 1:] | water[1:, :-1]
    near_water = dilate(wet, math.ceil(PLATFORM_SHORE / cs))
    candidates = steep & ~near_water
    if not candidates.any():
        raise ob.ImpossibleWorldError("no cliff cell for the platform away from the water")
    distance = np.hypot(cx - spawn[0], cz - spawn[1])
    nearest = float(distance[candidates].min())
    choice = candidates & (distance <= nearest + within)
    js, is_ = np.nonzero(choice)
    n = int(rng.integers(js.size))
    anchor = (float(cx[js[n], is_[n]]), float(cz[js[n], is_[n]]))
    yaw = c.yaw_towards(ring.center, anchor)  # the rock's -z points away from the ring's centre, off the mesa
    ox, oy, oz = PLATFORM_OFFSET
    cos, sin = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))  # Godot's turn about +Y by `yaw`
    top = spawn_y - drop / 2.0
    centre = (anchor[0] + ox * cos + oz * sin, top + oy, anchor[1] - ox * sin + oz * cos)
    return centre, yaw


def _check_needs_descending(heightmap: tr.Heightmap, spawn: c.Point2, goal: c.Point2) -> None:
    """The food must need the descent: not reachable by walking and harmless falls, reachable climbing as well."""
    if ob.is_reachable(heightmap, spawn, goal, max_drop=SAFE_FALL):
        raise ob.ImpossibleWorldError("the food is reachable by walking down (the cliff is broken)")
    if not ob.is_reachable(heightmap, spawn, goal, max_drop=SAFE_FALL, climbable=~heightmap.unclimbable):
        raise ob.ImpossibleWorldError("the food is not reachable by climbing down")
