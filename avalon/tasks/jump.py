"""JUMP: jump over a chasm to reach food; outdoors one chasm on an island, indoors (p = 0.2) rows of chasms in a room.

What is generated: outdoors (p = 0.8), an island (0.5 m terrain cells, its shore a cliff that cannot be climbed) with
the spawn on one side of a closed chasm ring and an apple hanging 2 m up a fruit tree on the other (the obstacle
library's double ring with zero-length walls, centred on the spawn or the goal at even odds). At one crossing, as wide
as the traversal width, the chasm is exactly `gap` m wide; elsewhere it only widens. A straight path through that
crossing is flattened on both rims to the mean of their heights, so the body can run up to the brink and land on level
ground. The spawn-side wall can always be climbed; the goal-side wall only when the climbing draw says so.

Indoors (p = 0.2, reference original_buildings.md 1.10; drawn from a child generator, so the outdoor worlds are the same
as before it existed): a sealed single-room building (docs/buildings.md) on a sand square, one storey `width` tiles
across (x) and `length` long (z), walls 1 tile, clear height 5.96 m. After the first room row (`RUN_UP_ROWS`), the rows
are obstacle sites of 5: a launch row whose floor block is climbable, 1-2 chasm rows across the whole room with their
floor 3.2 m down, then landing rows. The spawn stands on the first row, the apple on the floor of the last one, both in
a random column.

How difficulty scales (as the original's code): first a Bool shallow pit (P 1 -> 0.01): depth U-lerp(0.7 -> 2) m, which
one can walk into and jump or climb out of, else lerp(2 -> 30) m; then a Bool climbing (P 1 -> 0.1) whether the
goal-side wall is climbable; both draws rewrite d for what follows. Goal distance normal around U-lerp(7 -> 12) m (sigma
a tenth of it); gap = the critical distance of (1.0, lerp(1 -> 2.1)) m (capped by the room between spawn and goal);
traversal width N(10 -> 3, 1) m; path width N(8 -> 4, 1) m; the crossing is drawn within 2 + 10 d m of the middle of its
band; 0.5 m extra safety round the spawn and the goal; endpoints 1 m back from the brink; spawn yaw and pitch noise grow
with d. No items besides the food.

Indoors (as the original's code): r = clip N(6.5 + 28.5 d, 3) to [6.5, 35] m, length = floor(sqrt(2) r) tiles (9 -> 49),
width = max(length // 2, 5); sites = (length - 3) // 5; obstacles = 1 + round(clip N((sites - 1) d, 0.1) to [0, sites -
1]) drawn among the sites without replacement; each chasm round(1 + clip N(d, 0.1) to [0, 1]) rows wide (1 -> 2 m); the
spawn's yaw and pitch noise grow with d (avalon/tasks/indoor.py).

Deliberate differences: the island is raised so the chasm floor stays `FLOOR_ABOVE_WATER` m above the sea instead of
being raised by 10 km and lowered back (the same world, without the detour); a deep chasm must need the jump (not
walkable, checked on the heightmap) and every world must be crossable with a 2.1 m jump (the original's effective jump
distance; our body clears 3.0 m from rim to rim on the 0.5 m grid, measured below), else the world is drawn again.

Indoors: the sites start one row after the spawn's (the original's start on it, so a first chasm was a standing jump
from the spawn row; our body fell into a 2-row chasm that way in 10 of 10 worlds at d = 1, and clears 2 m with a run-up:
it clears 3.0 m rim to rim, measured above); sites are drawn without replacement (the original draws them with
replacement: fewer chasms than intended, a bug). A body that falls into a chasm (3.2 m, short of fall damage) climbs
back up the launch row's face, which is climbable as in the original (the far face is not): measured, from a chasm floor
the CLIMB task's plan climbed it hand over hand and ate an apple on the launch row in 5 of 5 worlds (33 ticks each; a
script, not a test). The oracle does not fall in (40 of 40 at d = 0, 0.5 and 1).

What success needs: eating the apple: a run-up and a jump over the gap (or, for a shallow pit, down and out of it);
indoors a run-up jump over each chasm row in turn.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, select_boolean
from avalon.tasks import common as c
from avalon.tasks import indoor
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.planning import JUMP_RISE, MAX_RISE
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 2
TASK_NAME = "jump"
VARIANTS: tuple[str, ...] = ("outdoor", "indoor")
FOOD = "apple"
P_INDOOR = 0.2  # the reference's share of indoor worlds (avalon.tasks.indoor.generate_variant)

# The indoor variant (reference original_buildings.md 1.10, JUMP row).
INDOOR_RADIUS = Knob(easy=6.5, hard=35.0)  # m, normal (sigma INDOOR_RADIUS_SIGMA) clipped to the range
INDOOR_RADIUS_SIGMA = 3.0
MIN_WIDTH = 5  # tiles: width = max(side // 2, MIN_WIDTH), length = side = floor(sqrt(2) r)
OBSTACLE_ROWS = 5  # rows per obstacle site: a launch row, the chasm, landing rows
# Rows before the first site: the reference's sites start at the spawn's row 0, so a first obstacle there is a
# standing jump from the launch row; our body falls into a 2-row (2 m) chasm from there (0 of 10 worlds at d = 1).
RUN_UP_ROWS = 1
CHASM_ROWS_SIGMA = 0.1  # chasm rows = round(1 + clip N(d, sigma) to [0, 1]): 1 -> 2
COUNT_SIGMA = 0.1  # obstacles = 1 + round(clip N((sites - 1) d, sigma) to [0, sites - 1])
CHASM_DEPTH = 3.2  # m below the floor (the reference's floor at -2.2 against the normal 1)
INDOOR_INNER_HEIGHT = 5.96  # m, the room's clear height

P_SHALLOW = (1.0, 0.01)  # a pit one can walk into and out of
P_CLIMBABLE = (1.0, 0.1)  # the goal-side wall can be climbed (the spawn side always can)
SHALLOW_DEPTH = Knob(easy=0.7, hard=2.0)  # m, random-lerped
DEEP_DEPTH = Knob(easy=2.0, hard=30.0)  # m
GOAL_DISTANCE = Knob(easy=7.0, hard=12.0)  # m, random-lerped mean; the distance is normal around it
GOAL_DISTANCE_SIGMA_SHARE = 0.1  # of the mean
GAP_MINIMUM = 1.0  # m
# Gap at d=1: the original's effective jump distance (MAX_EFFECTIVE_JUMP_DIST). The body clears it with margin:
# running at full speed and jumping on the last tick before the rim, it cleared level chasms 3.0 m wide from rim to
# rim (the highest points on either side, 0.5 m grid) 6 times in 6 (take-off phases 0-0.29 m before the rim), and
# 0 in 6 at 3.5 m; onto a rim 0.5 m higher, 2.5 m in 6 of 6 and 3.0 m in 2 of 6 (rises of 1 m: 2.5 m in 4 of 6).
# tests/test_task_jump.py pins 3.0 m with the oracle's skill, against the 2.6 m a 2.1 m design gap spans at most
# on the grid (a nominal gap spans up to a cell more).
GAP = Knob(easy=1.0, hard=2.1)  # m
TRAVERSAL_WIDTH = Knob(easy=10.0, hard=3.0)  # m, normal (sigma 1) clipped to the range
PATH_WIDTH = Knob(easy=8.0, hard=4.0)  # m, normal (sigma 1) clipped to the range
WIDTH_SIGMA = 1.0
EXTRA_SAFETY = 0.5  # m
BRINK = 1.0  # m the path's endpoints stay back from the brink
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m around the mid-band point where the crossing is drawn
FLOOR_ABOVE_WATER = 2.0  # m: the island is raised by the depth plus this, so the chasm floor stays dry
RELIEF_SCALE = 0.5  # of the generic hills: gentler ground round a chasm
MIN_GOAL_DISTANCE = 5.0  # m: room for the gap and both safety margins
TRUNK_CLEARANCE = 1.5  # m of the goal side's land round the trunk (the ring keeps only the goal point clear)
STAND_FLAT = 0.75  # m, flat radius under the spawn and the trunk (snapped to grid points: their cells)
STAND_BLEND = 0.25  # m: flat radius + blend stays inside the 1 m the ring keeps clear round the spawn
SAFE_DROP = 4.0  # m the reachability checks let the body fall (damage starts at about 5 m)
# The jump the crossing check allows between grid points: the widest rim-to-rim opening (highest point to highest
# point) a 2.1 m design gap leaves on the 0.5 m grid; the body clears 3.0 m (above).
CHECK_JUMP = GAP.hard + FINE_CELL_SIZE  # m
CHECK_MARGIN = 6.0  # m round the spawn and the goal searched for the crossing


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    return indoor.generate_variant(rng, difficulty, variant, generate_indoor, generate_outdoor, P_INDOOR)


def generate_outdoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The outdoor variant (the module docstring)."""
    d = difficulty
    shallow, d = select_boolean(rng, d, *P_SHALLOW)
    climbable, d = select_boolean(rng, d, *P_CLIMBABLE)
    mean_distance = GOAL_DISTANCE.random_lerp(rng, d)
    distance = max(MIN_GOAL_DISTANCE, float(rng.normal(mean_distance, GOAL_DISTANCE_SIGMA_SHARE * mean_distance)))
    knobs = _draw_chasm(rng, d, shallow, climbable, distance)
    depth, path_width = knobs.depth, knobs.path_width

    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK)
    # Room for a ring centred up to twice as far from the midpoint as the spawn or the goal.
    layout = c.frame_points([((0.0, 0.0), distance + 4.0), (goal_rel, distance + 4.0)])
    heightmap = c.make_island(
        rng,
        d,
        layout,
        base_height=depth + FLOOR_ABOVE_WATER,
        relief_scale=RELIEF_SCALE,
        unclimbable_shore=True,
        cell_size=FINE_CELL_SIZE,
    )
    spawn, goal = c.snap_to_grid(heightmap, layout.place((0.0, 0.0))), layout.place(goal_rel)
    trunk = c.snap_to_grid(heightmap, layout.place(trunk_rel))
    tr.flatten_many(heightmap, [(spawn, 1.0), (trunk, 1.0)], blend=1.0)

    def clear_of_the_tree(ring: ob.Ring) -> None:
        grid = ob.Grid.of(heightmap)
        if not all(ring.goal_side[grid.point(*c.offset(trunk, a, TRUNK_CLEARANCE))] for a in np.arange(0, 6.3, 0.5)):
            raise c.ImpossibleWorldError("the chasm passes under the fruit tree")

    chasm = _build_chasm(rng, d, heightmap, spawn, goal, knobs, clear_of_the_tree)
    solution = chasm.solution
    # The path's flattening may tilt the ground under the spawn or the trunk: level it again, within the ring's
    # safety circle round the spawn (1 m) and the clearance round the trunk, so no rim moves.
    tr.flatten_many(heightmap, [(spawn, STAND_FLAT), (trunk, STAND_FLAT)], blend=STAND_BLEND)
    _check(heightmap, spawn, goal, shallow)

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, apple.position)
    lane = path_width / 2.0 + 1.0
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn, 2.5), (trunk, 2.5)],
        clear_lines=[
            (spawn, solution.spawn_end, 1.5),
            (solution.spawn_end, solution.goal_end, lane),
            (solution.goal_end, goal, 1.5),
        ],
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


def indoor_rows(rng: np.random.Generator, d: float, length: int) -> list[tuple[int, int]]:
    """(launch row, chasm rows) of each obstacle, rows counted from the room's first (the spawn's): the sites are the
    room's rows after the first (RUN_UP_ROWS) in blocks of OBSTACLE_ROWS (launch row first), `count` of them drawn
    without replacement."""
    sites = (length - 2 - RUN_UP_ROWS) // OBSTACLE_ROWS
    extra = float(np.clip(rng.normal((sites - 1) * d, COUNT_SIGMA), 0.0, sites - 1))
    count = 1 + round(extra)
    chosen = sorted(int(k) for k in rng.choice(sites, size=count, replace=False))
    out = []
    for k in chosen:
        rows = round(1.0 + float(np.clip(rng.normal(d, CHASM_ROWS_SIGMA), 0.0, 1.0)))
        out.append((RUN_UP_ROWS + OBSTACLE_ROWS * k, rows))
    return out


def generate_indoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The indoor variant: one long room, rows of chasms across it (see the module docstring)."""
    d = difficulty
    radius = INDOOR_RADIUS.normal(rng, d, INDOOR_RADIUS_SIGMA)
    length = indoor.side_for_radius(radius)
    width = max(length // 2, MIN_WIDTH)
    room = indoor.Room.of(width, length)
    room.inner_height = INDOOR_INNER_HEIGHT
    z0, x0, x1 = room.inside.z0, room.inside.x0, room.inside.x1
    for launch, rows in indoor_rows(rng, d, length):
        room.climbable[z0 + launch, x0:x1] = 1
        room.raise_block(z0 + launch + 1, x0, z0 + launch + 1 + rows, x1, -CHASM_DEPTH)
    building = room.building()
    start_tile = (z0, int(rng.integers(x0, x1)))
    food_tile = (length - 2, int(rng.integers(x0, x1)))
    apple = indoor.food_on_floor(building, 0, food_tile, FOOD)
    start = indoor.spawn(rng, d, building.tile_centre(0, *start_tile), apple.position)
    return indoor.world(TASK_NAME, difficulty, GENERATOR_VERSION, building, (apple,), start)


@dataclass(frozen=True)
class _ChasmKnobs:
    shallow: bool
    climbable: bool  # the goal-side wall
    depth: float
    gap: float
    traversal_width: float
    path_width: float


def _draw_chasm(rng: np.random.Generator, d: float, shallow: bool, climbable: bool, distance: float) -> _ChasmKnobs:
    depth = SHALLOW_DEPTH.random_lerp(rng, d) if shallow else DEEP_DEPTH.lerp(d)
    gap = ob.critical_distance(distance, GAP_MINIMUM, GAP.lerp(d))
    if gap is None:
        raise c.ImpossibleWorldError(f"spawn and goal {distance:.1f} m apart leave no room for a chasm")
    traversal_width = TRAVERSAL_WIDTH.normal(rng, d, WIDTH_SIGMA)
    path_width = PATH_WIDTH.normal(rng, d, WIDTH_SIGMA)
    return _ChasmKnobs(shallow, climbable, depth, gap, traversal_width, path_width)


def _build_chasm(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    start: c.Point2,
    end: c.Point2,
    knobs: _ChasmKnobs,
    check_ring: Callable[[ob.Ring], None] | None = None,
) -> c.Obstacle:
    """The chasm ring between `start` and `end`, its crossing and the flattened run-up path over it (`check_ring`
    may refuse the ring before anything else is drawn)."""
    config = ob.RingConfig(
        height=-knobs.depth,
        wall=ob.Wall(0.0, climbable=True),
        far_wall=ob.Wall(0.0, climbable=knobs.climbable),
        gap=knobs.gap,
        traversal_width=knobs.traversal_width,
        extra_safety=EXTRA_SAFETY,
        search_radius=SEARCH_RADIUS.lerp(d),
    )
    ring = ob.make_ring(rng, heightmap, start, end, config)
    if check_ring is not None:
        check_ring(ring)
    solution = ob.solve(ring, heightmap, brink=BRINK)
    path = ob.add_path(rng, heightmap, solution, ob.PathConfig(width=knobs.path_width, flatten=ob.Flatten.MID))
    return c.Obstacle(ring, solution, path.points)


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """JUMP's chasm between the constraint's start and end, with this module's knobs (the gap is capped by their
    distance); checked as the task's worlds are: a deep chasm needs the jump, every chasm can be jumped."""
    d = difficulty
    shallow, d = select_boolean(rng, d, *P_SHALLOW)
    climbable, d = select_boolean(rng, d, *P_CLIMBABLE)
    knobs = _draw_chasm(rng, d, shallow, climbable, math.dist(constraint.start, constraint.end))
    chasm = _build_chasm(rng, d, constraint.heightmap, constraint.start, constraint.end, knobs)
    _check(constraint.heightmap, constraint.start, constraint.end, shallow)
    return chasm


def _check(heightmap: tr.Heightmap, spawn: c.Point2, goal: c.Point2, shallow: bool) -> None:
    """A deep chasm must need the jump; every chasm must be crossable with the original's effective jump."""
    if not shallow and ob.is_reachable(heightmap, spawn, goal, max_rise=MAX_RISE, max_drop=SAFE_DROP):
        raise c.ImpossibleWorldError("the goal can be reached on foot round the chasm")
    # Jumps are checked near the spawn and the goal only (the crossing lies between them): a jump search over the
    # whole island would take most of the generation time, and a crop can only make the check stricter.
    if not ob.is_reachable(
        _crop(heightmap, spawn, goal, CHECK_MARGIN),
        spawn,
        goal,
        max_rise=MAX_RISE,
        max_drop=SAFE_DROP,
        jump_distance=CHECK_JUMP,
        jump_rise=JUMP_RISE,
    ):
        raise c.ImpossibleWorldError(f"no jump of {CHECK_JUMP} m crosses the chasm")


def _crop(heightmap: tr.Heightmap, a: c.Point2, b: c.Point2, margin: float) -> ob.Grid:
    """The heightmap's points within `margin` m of the box round `a` and `b`."""
    grid = ob.Grid.of(heightmap)
    (j0, i0), (j1, i1) = grid.point(*a), grid.point(*b)
    pad = math.ceil(margin / grid.cell_size)
    rows, cols = grid.shape
    jl, jh = max(0, min(j0, j1) - pad), min(rows, max(j0, j1) + pad + 1)
    il, ih = max(0, min(i0, i1) - pad), min(cols, max(i0, i1) + pad + 1)
    x0, z0 = grid.xz(jl, il)
    return ob.Grid(grid.heights[jl:jh, il:ih], x0, z0, grid.cell_size, grid.water_height)
