"""BRIDGE: lay a log across a chasm too wide to jump, and cross on it to reach food (the outdoor variant).

What is generated: an island (0.5 m terrain cells, its shore a cliff that cannot be climbed) with the spawn on one
side of a closed chasm ring and an apple hanging 2 m up a fruit tree on the other (the obstacle library's double
ring with zero-length walls, centred on the spawn or the goal at even odds). At one crossing, as wide as the
traversal width, the chasm is exactly `gap` m wide; elsewhere it only widens. The spawn-side wall can be climbed,
the goal-side wall cannot. A straight path through the crossing is flattened on both rims to the mean of their
heights. A log (a 60 kg cylinder 1.4 m across and 6.4 m long) lies with its axis across the gap: either already in
place, resting on both rims at the crossing, or on the ground on the spawn side behind the crossing, displaced from
there by a distance that grows with difficulty.

How difficulty scales (as the original's code): first a Bool pre-solved (P 1 -> 0.01): the log already spans the
gap; the draw rewrites d for what follows. Extra safety E = lerp(2 -> 6) m round the spawn and the goal; goal
distance normal around 7.65 + 3 E + 7.65 d m (sigma a fifth of it); gap = the critical distance of (4.0, lerp(4.0 ->
4.4)) m (capped by the room between spawn and goal; a cap under 4.0 m redraws the world); depth lerp(3.2 -> 6.4) m;
traversal width N(10 -> 2, 1) m; path width N(8 -> 4, 1) m; endpoints 1 m back from the brink; the crossing is drawn
within 2 + 10 d m of the middle of its band. Not pre-solved: the log's centre lies U-lerp(1.5 -> 4) m behind the
spawn-side endpoint, then moves to a random point within U-lerp(1 -> E) m of there on the spawn side's land. Spawn
yaw and pitch noise grow with d.

Deliberate differences: the gap's lower end is 4.0 m, not the original's 2.55 m: our body jumps 3.0 m from rim to
rim with a run-up (measured for JUMP, avalon/tasks/jump.py) and 3.5 m in none of 6 tries, and on the grid a design
gap can span up to a cell less from rim to rim (3.5 m gaps left 3.0 m openings), so 2.55 m would not need the log.
Every world is checked on the heightmap: no walk, survivable drop, climb or jump of `BODY_JUMP` m (between points a
body can stand on) reaches the goal, and walking does over a log laid across the crossing; else it is drawn again.
The narrowest rim-to-rim openings (grid points) measured 3.5-4.72 m over 50 worlds at each of d = 0, 0.5, 1, so
across the narrowest crossing the 6.4 m log keeps at least 0.84 m on each rim. The pre-solved log's centre is the
middle of the crossing (the original puts it 1 + gap/2 m from the spawn-side endpoint, the same point when that
endpoint is a full metre back), at the height where its lowest line rests on the highest ground under it. The
original raises the spawn 2.5 m when the *old* spawn (before it is set on the ground) is within 3.7 m of the log's
centre in 3D (pitfall Q7); we measure from the spawn on the ground to the nearest point of the log's axis,
horizontally, and raise it 2.5 m (it lands on the log or beside it) when that is within `SPAWN_CLEARANCE` m, which
is what the raise is for: not starting inside the log. The island is raised so the chasm floor stays above the sea
(as JUMP). The indoor variant comes later, with buildings.

What success needs: eating the apple: unless the log is in place, grabbing it, carrying it to the rim, laying it
across the gap and letting go; then jumping onto the log (its top is 1.4 m above the rims) and walking over.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, select_boolean
from avalon.entities.table import LOG_LENGTH, LOG_RADIUS
from avalon.tasks import common as c
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.grid import dilate
from avalon.world.obstacles.planning import JUMP_RISE, MAX_RISE
from avalon.world.spec import Item, Vec3, WorldSpec

GENERATOR_VERSION = 1
TASK_NAME = "bridge"
VARIANTS: tuple[str, ...] = ()  # the indoor variant comes with buildings
FOOD = "apple"
LOG = "log"

P_PRESOLVED = (1.0, 0.01)  # the log already spans the gap
EXTRA_SAFETY = Knob(easy=2.0, hard=6.0)  # m, E: kept clear round the spawn and the goal
GOAL_DISTANCE_BASE = 7.65  # m: goal distance mean = base + 3 E + base * d
GOAL_DISTANCE_PER_SAFETY = 3.0
GOAL_DISTANCE_SIGMA_SHARE = 0.2  # of the mean
# The original's gap runs 2.55 -> 4.4 m, too wide for its body. Ours jumps farther: with a run-up it cleared level
# chasms 3.0 m from rim to rim (highest points, 0.5 m grid) 6 times in 6 and 3.5 m 0 times in 6 (avalon/tasks/jump.py).
# On the grid a design gap spans up to a cell less from rim to rim (3.5 m gaps left 3.0 m openings in 59 of 100
# rejected draws), so the lower end is 4.0 m, and every world is checked against a `BODY_JUMP` m jump.
GAP_MINIMUM = 4.0  # m
GAP = Knob(easy=4.0, hard=4.4)  # m
DEPTH = Knob(easy=3.2, hard=6.4)  # m: even 3.2 m cannot be jumped out of (the apex is 1.5 m)
TRAVERSAL_WIDTH = Knob(easy=10.0, hard=2.0)  # m, normal (sigma 1) clipped to the range
PATH_WIDTH = Knob(easy=8.0, hard=4.0)  # m, normal (sigma 1) clipped to the range
WIDTH_SIGMA = 1.0
BRINK = 1.0  # m the path's endpoints stay back from the brink
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m around the mid-band point where the crossing is drawn
LOG_BEHIND = Knob(easy=1.5, hard=4.0)  # m the unsolved log's centre lies behind the spawn-side endpoint, U-lerped
LOG_JITTER_MIN = 1.0  # m: jitter U-lerp(1 -> E)
LOG_DROP = 0.02  # m above its resting height the log is placed, so it settles onto the ground
SPAWN_CLEARANCE = LOG_RADIUS + 0.3  # m from the log's axis within which the spawn is raised (body radius 0.1 + margin)
SPAWN_RAISE = 2.5  # m (the original's)
FLOOR_ABOVE_WATER = 2.0  # m: the island is raised by the depth plus this, so the chasm floor stays dry
RELIEF_SCALE = 0.5  # of the generic hills: gentler ground round a chasm
TRUNK_CLEARANCE = 1.5  # m of the goal side's land round the trunk (the ring keeps only the goal point clear)
STAND_FLAT = 0.75  # m, flat radius under the spawn and the trunk
STAND_BLEND = 0.25  # m
SAFE_DROP = 4.0  # m the reachability checks let the body fall (damage starts at about 5 m)
# The widest jump the body might make: between the 3.0 m it always cleared and the 3.5 m it never did.
BODY_JUMP = 3.45  # m
BRIDGE_HALF_WIDTH = 0.5  # m each side of the log's axis that the reachability check walks on (the log is 1.4 m wide)


def generate(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    presolved, d = select_boolean(rng, d, *P_PRESOLVED)
    extra = EXTRA_SAFETY.lerp(d)
    mean_distance = GOAL_DISTANCE_BASE + GOAL_DISTANCE_PER_SAFETY * extra + GOAL_DISTANCE_BASE * d
    distance = float(rng.normal(mean_distance, GOAL_DISTANCE_SIGMA_SHARE * mean_distance))
    knobs = _draw_chasm(rng, d, presolved, extra, distance)

    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK)
    # The original's world is twice the goal distance across; the ring's centre lies up to half of it beyond one end.
    room = distance / 2.0 + 4.0
    layout = c.frame_points([((0.0, 0.0), room), (goal_rel, room)])
    heightmap = c.make_island(
        rng,
        d,
        layout,
        base_height=knobs.depth + FLOOR_ABOVE_WATER,
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
    tr.flatten_many(heightmap, [(spawn, STAND_FLAT), (trunk, STAND_FLAT)], blend=STAND_BLEND)
    _check(heightmap, spawn, goal, chasm)
    kind, log_position, log_yaw, fields = chasm.entities[0]
    log_a, log_b = log_axis(log_position, log_yaw)

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    log = Item.of(kind, 3, log_position, log_yaw, **fields)
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    if _segment_distance(spawn, log_a, log_b) < SPAWN_CLEARANCE:
        feet = (feet[0], feet[1] + SPAWN_RAISE, feet[2])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, apple.position)
    solution = chasm.solution
    lane = knobs.path_width / 2.0 + 1.0
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn, 2.5), (trunk, 2.5)],
        clear_lines=[
            (spawn, solution.spawn_end, 1.5),
            (solution.spawn_end, solution.goal_end, lane),
            (solution.goal_end, goal, 1.5),
            (log_a, log_b, LOG_RADIUS + 1.0),
            (spawn, (log_position[0], log_position[2]), 1.5),
        ],
    )
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=terrain,
        trees=trees,
        items=(apple, tree, log),
        spawn=spawn_pose,
    )


@dataclass(frozen=True)
class _ChasmKnobs:
    presolved: bool
    extra_safety: float
    depth: float
    gap: float
    traversal_width: float
    path_width: float
    log_behind: float
    log_jitter: float


def _draw_chasm(rng: np.random.Generator, d: float, presolved: bool, extra: float, distance: float) -> _ChasmKnobs:
    gap = ob.critical_distance(distance, GAP_MINIMUM, GAP.lerp(d))
    if gap is None or gap < GAP_MINIMUM:
        raise c.ImpossibleWorldError(f"spawn and goal {distance:.1f} m apart leave no room for a {GAP_MINIMUM} m chasm")
    depth = DEPTH.lerp(d)
    traversal_width = TRAVERSAL_WIDTH.normal(rng, d, WIDTH_SIGMA)
    path_width = PATH_WIDTH.normal(rng, d, WIDTH_SIGMA)
    behind = jitter = 0.0
    if not presolved:
        behind = LOG_BEHIND.random_lerp(rng, d)
        jitter = Knob(LOG_JITTER_MIN, extra).random_lerp(rng, d)
    return _ChasmKnobs(presolved, extra, depth, gap, traversal_width, path_width, behind, jitter)


def _build_chasm(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    start: c.Point2,
    end: c.Point2,
    knobs: _ChasmKnobs,
    check_ring: Callable[[ob.Ring], None] | None = None,
) -> c.Obstacle:
    """The chasm ring between `start` and `end`, the flattened path over its crossing and the log (in place or
    behind the start side's endpoint); `check_ring` may refuse the ring before anything else is drawn."""
    config = ob.RingConfig(
        height=-knobs.depth,
        wall=ob.Wall(0.0, climbable=True),
        far_wall=ob.Wall(0.0, climbable=False),
        gap=knobs.gap,
        traversal_width=knobs.traversal_width,
        extra_safety=knobs.extra_safety,
        search_radius=SEARCH_RADIUS.lerp(d),
    )
    ring = ob.make_ring(rng, heightmap, start, end, config)
    if check_ring is not None:
        check_ring(ring)
    solution = ob.solve(ring, heightmap, brink=BRINK)
    path = ob.add_path(rng, heightmap, solution, ob.PathConfig(width=knobs.path_width, flatten=ob.Flatten.MID))
    yaw = -math.degrees(solution.heading)  # the log's local x along the heading (Godot yaw turns +x to (cos, -sin))
    if knobs.presolved:
        inner_r, outer_r = ring.crossing_radii()
        center = ring.ray_point((inner_r + outer_r) / 2.0)
    else:
        (x, _, z), *_ = ob.place_items(
            rng, heightmap, solution, ob.Side.SPAWN, [(-knobs.log_behind, 0.0, 0.0)], LOG_RADIUS, knobs.log_jitter
        )
        center = (x, z)
    log_a, log_b = log_axis((center[0], 0.0, center[1]), yaw)
    if not knobs.presolved:
        _check_log_on_land(heightmap, ring, center, log_a, log_b)
    position = (center[0], resting_height(heightmap, log_a, log_b) + LOG_DROP, center[1])
    entities = ((LOG, position, yaw, {"length": LOG_LENGTH}),)
    return c.Obstacle(ring, solution, path.points, entities)


def log_axis(position: Vec3, yaw: float) -> tuple[c.Point2, c.Point2]:
    """The ends (x, z) of a log's axis (local x, turned by `yaw` degrees as Godot turns it)."""
    ux, uz = math.cos(math.radians(yaw)), -math.sin(math.radians(yaw))
    half = LOG_LENGTH / 2.0
    return (position[0] - ux * half, position[2] - uz * half), (position[0] + ux * half, position[2] + uz * half)


def resting_height(heightmap: tr.Heightmap | ob.Grid, a: c.Point2, b: c.Point2) -> float:
    """The height of the axis of a log from `a` to `b` lying on the terrain (its lowest line just touching the
    highest ground under it; sampled every 0.1 m along it and across it)."""
    grid = ob.Grid.of(heightmap)
    length = math.dist(a, b)
    ux, uz = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    s = np.linspace(0.0, length, int(length / 0.1) + 1)
    best = -math.inf
    for lateral in np.linspace(-LOG_RADIUS * 0.95, LOG_RADIUS * 0.95, 9):
        x = a[0] + ux * s - uz * lateral
        z = a[1] + uz * s + ux * lateral
        ground = ob.surface_heights(grid, x, z)
        best = max(best, float(ground.max()) + math.sqrt(LOG_RADIUS**2 - lateral**2))
    return best


def _check_log_on_land(heightmap: tr.Heightmap, ring: ob.Ring, center: c.Point2, a: c.Point2, b: c.Point2) -> None:
    """The unsolved log must lie on the spawn side's land (its ends may overhang the brink, its middle may not)."""
    grid = ob.Grid.of(heightmap)
    for t in np.linspace(0.25, 0.75, 11):
        point = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        if not ring.spawn_side[grid.point(*point)]:
            raise c.ImpossibleWorldError(f"the log at {center} does not lie on the spawn side's land")


def _segment_distance(p: c.Point2, a: c.Point2, b: c.Point2) -> float:
    dx, dz = b[0] - a[0], b[1] - a[1]
    t = min(1.0, max(0.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dz) / max(dx * dx + dz * dz, 1e-12)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dz)


def with_log_across(heightmap: tr.Heightmap | ob.Grid, solution: ob.Solution) -> ob.Grid:
    """A copy of the surface with a walkway where a log laid across the crossing would be: the points within
    `BRIDGE_HALF_WIDTH` m of the crossing's line, from rim to rim, at the higher rim's height (the body jumps onto the
    log's top, 1.4 m up, and walks along it; the planner sees that as a level walkway)."""
    grid = ob.Grid.of(heightmap)
    ring = solution.ring
    inner_r, outer_r = ring.crossing_radii()
    a, b = ring.ray_point(inner_r - FINE_CELL_SIZE), ring.ray_point(outer_r + FINE_CELL_SIZE)
    x, z = grid.grid_xz()
    length = math.dist(a, b)
    ux, uz = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    along = (x - a[0]) * ux + (z - a[1]) * uz
    across = np.abs(-(x - a[0]) * uz + (z - a[1]) * ux)
    walkway = (along >= 0.0) & (along <= length) & (across <= BRIDGE_HALF_WIDTH)
    heights = np.array(grid.heights, np.float64)
    heights[walkway] = max(grid.heights[grid.point(*a)], grid.heights[grid.point(*b)])
    return ob.Grid(heights, grid.origin_x, grid.origin_z, grid.cell_size, grid.water_height)


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """BRIDGE's chasm between the constraint's start and end with its log (in place or on the start side), with
    this module's knobs (the gap is capped by their distance, and at least GAP_MINIMUM m, wider than the body
    jumps); checked: no walk or survivable drop crosses without the log, and a log across the crossing does. The
    task's own worlds are also checked against climbing and jumping over the whole island; on a caller's island
    those routes (a climbable shore, hops along a 65 m cliff's edge) are the caller's to rule out."""
    d = difficulty
    presolved, d = select_boolean(rng, d, *P_PRESOLVED)
    extra = EXTRA_SAFETY.lerp(d)
    knobs = _draw_chasm(rng, d, presolved, extra, math.dist(constraint.start, constraint.end))
    chasm = _build_chasm(rng, d, constraint.heightmap, constraint.start, constraint.end, knobs)
    _check(constraint.heightmap, constraint.start, constraint.end, chasm, strict=False)
    return chasm


def _check(heightmap: tr.Heightmap, spawn: c.Point2, goal: c.Point2, chasm: c.Obstacle, strict: bool = True) -> None:
    """Without the log no walk or survivable drop reaches the goal, nor (`strict`) a climb of the climbable cells or
    a jump of BODY_JUMP m between points a body can stand on; with a log laid across the crossing, walking does."""
    if ob.is_reachable(
        heightmap,
        spawn,
        goal,
        max_rise=MAX_RISE,
        max_drop=SAFE_DROP,
        climbable=~heightmap.unclimbable if strict else None,
    ):
        raise c.ImpossibleWorldError("the goal can be reached round or through the chasm without the log")
    # Jumps are searched over the whole island (a crop would hide crossings beyond it).
    if strict and ob.is_reachable(
        heightmap,
        spawn,
        goal,
        max_rise=MAX_RISE,
        max_drop=SAFE_DROP,
        jump_distance=BODY_JUMP,
        jump_rise=JUMP_RISE,
        blocked=~standable(heightmap),
    ):
        raise c.ImpossibleWorldError(f"a jump of {BODY_JUMP} m crosses the chasm")
    bridged = with_log_across(heightmap, chasm.solution)
    if not ob.is_reachable(bridged, spawn, goal, max_rise=MAX_RISE, max_drop=SAFE_DROP):
        raise c.ImpossibleWorldError("a log across the crossing does not lead to the goal")


def standable(surface: tr.Heightmap | ob.Grid) -> np.ndarray:
    """Points (bool, points shape) a body can take off from or land on: corners of a cell no steeper than the body's
    floor limit (45 degrees: its corners within MAX_RISE m per metre of each other), and their neighbours (a rim's
    narrow spit). On steeper ground, such as the middle of the shore's cliff, the body slides (jumping needs the
    floor); the planner's jumps, which may land on any point at most JUMP_RISE m higher, would otherwise hop up
    slopes no body can."""
    grid = ob.Grid.of(surface)
    h = grid.heights
    corners = np.stack([h[:-1, :-1], h[:-1, 1:], h[1:, :-1], h[1:, 1:]])
    flat = corners.max(axis=0) - corners.min(axis=0) <= MAX_RISE * grid.cell_size
    out = np.zeros(h.shape, bool)
    out[:-1, :-1] |= flat
    out[:-1, 1:] |= flat
    out[1:, :-1] |= flat
    out[1:, 1:] |= flat
    return dilate(out, 1)
