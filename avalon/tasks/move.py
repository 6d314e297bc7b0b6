"""MOVE: walk to a food tree.

What is generated: an island with an apple hanging from a fruit tree (2 m up, 1.25 m in front of the trunk). Either
the way there is open ground (direct), or a closed chasm ring surrounds the spawn point or the tree and a single
walkway crosses it (indirect); the island is then raised so the chasm floor stays above the water.

How difficulty scales (as the original's code): P(direct) 1 -> 0.01; direct
distance normal around 0.5 -> 40 m (sigma 0.5), never under 1 m; indirect distance around 6 -> 40 m (at least
7.5 m, so flat ground fits on both sides of the chasm); walkway turns round(clip(N(-0.49 -> 2.49, 0.25))), walkway
width clip(N(10 -> 1.75, 0.1)), chasm depth U(3.2, 3.2 -> 9.6), chasm gap a clipped normal fraction (0.3 -> 0.8,
sigma 0.1) of the room between the ring centre and the far point; spawn yaw/pitch noise grows with d. At d = 0 the
apple hangs a metre in front of the agent, level with its head.

What success needs: eating the apple.
"""

from __future__ import annotations

import math

import numpy as np

from avalon.difficulty import Knob, select_boolean
from avalon.tasks import common as c
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 2
TASK_NAME = "move"
VARIANTS: tuple[str, ...] = ()  # nothing for the evaluation set to force
FOOD = "apple"

P_DIRECT = (1.0, 0.01)
DIRECT_DISTANCE = Knob(easy=0.5, hard=40.0)  # m, spawn to food, normal around the lerp
INDIRECT_DISTANCE = Knob(easy=6.0, hard=40.0)
DISTANCE_SIGMA = 0.5  # m
MIN_GOAL_DISTANCE = 1.0  # m, spawn to food (the original's MIN_GOAL_DISTANCE)
PATH_TURNS = Knob(easy=-0.49, hard=2.49)  # rounded normal (sigma 0.25) clipped to this range: 0 -> 2 turns
PATH_TURNS_SIGMA = 0.25
WALKWAY_WIDTH = Knob(easy=10.0, hard=1.75)  # m, normal (sigma 0.1) clipped to the range
WALKWAY_WIDTH_SIGMA = 0.1
CHASM_DEPTH = Knob(easy=3.2, hard=9.6)  # m, random-lerped
GAP_FRACTION = Knob(easy=0.3, hard=0.8)  # of the room between the ring centre and the far point, normal (sigma 0.1)
GAP_FRACTION_SIGMA = 0.1
MIN_GAP = 1.5  # m; narrower gaps are not meaningful on a 1 m grid
RING_CLEARANCE = 3.0  # m between the ring and its centre, and between the ring and the far point
WALKWAY_ANGLE_NOISE = Knob(easy=0.0, hard=math.pi / 2)  # rad, walkway direction away from the straight line
RAISE_ABOVE_CHASM = 2.0  # m the chasm floor stays above the water


# MOVE's obstacle for other tasks' worlds (`obstacle`), built with the obstacle library on the caller's grid: a closed
# chasm ring (both walls steps, unclimbable) crossed by one walkway, which is the ring's designed path with the
# chasm floor raised along it to the rims. MOVE's own worlds still cut their chasm with the 1 m terrain code above.
CHASM_GAP = Knob(easy=2.0, hard=8.0)  # m: the reference's gap fraction (0.3 -> 0.8) of a typical 10 m of room
CHASM_GAP_MINIMUM = 2.0  # m: wider than the body's run-up jump is not required, but narrower is no chasm
WALKWAY_BRINK = 1.0  # m the walkway's ends stay back from the rims


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """MOVE's chasm between the constraint's start and end: depth U-lerp(3.2 -> 9.6) m, gap lerp(2 -> 8) m (capped by
    their distance), a walkway clip(N(10 -> 1.75, 0.1)) m wide with round(clip(N(-0.49 -> 2.49, 0.25))) turns;
    checked: the end is reached on foot only over the walkway."""
    d = difficulty
    depth = CHASM_DEPTH.random_lerp(rng, d)
    gap = ob.critical_distance(math.dist(constraint.start, constraint.end), CHASM_GAP_MINIMUM, CHASM_GAP.lerp(d))
    if gap is None:
        raise c.ImpossibleWorldError("start and end are too close for a chasm")
    width = WALKWAY_WIDTH.normal(rng, d, WALKWAY_WIDTH_SIGMA)
    turns = round(PATH_TURNS.normal(rng, d, PATH_TURNS_SIGMA))
    heightmap = constraint.heightmap
    ring = ob.make_ring(
        rng,
        heightmap,
        constraint.start,
        constraint.end,
        ob.RingConfig(
            height=-depth,
            wall=ob.Wall(0.0, climbable=False),
            far_wall=ob.Wall(0.0, climbable=False),
            gap=gap,
            traversal_width=width,
        ),
    )
    before = heightmap.heights.copy()
    solution = ob.solve(ring, heightmap, brink=WALKWAY_BRINK)
    walkway = ob.add_path(rng, heightmap, solution, ob.PathConfig(width=width, waypoints=turns, height_ramp=True))
    if not ob.is_reachable(heightmap, constraint.start, constraint.end, max_drop=4.0):
        raise c.ImpossibleWorldError("the walkway does not connect the two sides")
    closed = heightmap.heights.copy()
    heightmap.heights = before  # the ring without its walkway must keep the sides apart
    apart = not ob.is_reachable(heightmap, constraint.start, constraint.end, max_drop=4.0)
    heightmap.heights = closed
    if not apart:
        raise c.ImpossibleWorldError("the two sides are connected round the chasm")
    return c.Obstacle(ring, solution, walkway.points)


def _fruit_tree(rng: np.random.Generator, heightmap: tr.Heightmap, food: c.Point2, angle: float) -> tuple[Item, Item]:
    """Apple (id 1) at `food`, its tree trunk (id 2) FOOD_OFFSET_FROM_TRUNK further along `angle`."""
    trunk = c.offset(food, angle, c.FOOD_OFFSET_FROM_TRUNK)
    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, angle + math.pi)
    return apple, Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)


def generate(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    direct, d = select_boolean(rng, d, *P_DIRECT)
    angle = rng.uniform(0, 2 * math.pi)
    knob = DIRECT_DISTANCE if direct else INDIRECT_DISTANCE
    distance = max(knob.normal(rng, d, DISTANCE_SIGMA), MIN_GOAL_DISTANCE)
    if not direct:  # room for the flat ground on both sides of the narrowest chasm
        distance = max(distance, 2 * RING_CLEARANCE + MIN_GAP)
    food_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(food_rel, angle, c.FOOD_OFFSET_FROM_TRUNK)
    ring: tr.RingChasm | None = None
    if direct:
        layout = c.frame_points([((0.0, 0.0), 3.0), (trunk_rel, 3.0)])
        heightmap = c.make_island(rng, d, layout)
    else:
        around_spawn = bool(rng.uniform() < 0.5)
        center_rel = (0.0, 0.0) if around_spawn else trunk_rel  # a ring round the goal is centred on the trunk
        room = distance + (0.0 if around_spawn else c.FOOD_OFFSET_FROM_TRUNK) - 2 * RING_CLEARANCE
        gap = max(MIN_GAP, GAP_FRACTION.normal(rng, d, GAP_FRACTION_SIGMA) * room)
        inner = RING_CLEARANCE + rng.uniform(0.0, max(room - gap, 0.0))
        depth = CHASM_DEPTH.random_lerp(rng, d)
        layout = c.frame_points([(center_rel, inner + gap + 1.0), ((0.0, 0.0), 3.0), (trunk_rel, 3.0)])
        heightmap = c.make_island(
            rng, d, layout, base_height=depth + RAISE_ABOVE_CHASM, relief_scale=0.5, unclimbable_shore=True
        )
        # The walkway leaves the ring towards the far point, turned away from the straight line as d grows.
        outward = angle if around_spawn else angle + math.pi
        outward += rng.uniform(-1.0, 1.0) * WALKWAY_ANGLE_NOISE.lerp(d)
        center = layout.place(center_rel)
        turns = round(PATH_TURNS.normal(rng, d, PATH_TURNS_SIGMA))
        walkway = tr.walkway_polyline(rng, center, outward, inner, gap, turns)
        ring = tr.RingChasm(center, inner, gap, depth, walkway, WALKWAY_WIDTH.normal(rng, d, WALKWAY_WIDTH_SIGMA))
    spawn_xz, food_xz, trunk = layout.place((0.0, 0.0)), layout.place(food_rel), layout.place(trunk_rel)

    flat = max(c.FLATTEN_RADIUS.lerp(d), c.MIN_FLAT_RADIUS)
    if ring is None:
        tr.ensure_walkable_path(heightmap, spawn_xz, food_xz)
    else:  # walkable from spawn to the walkway, along it, and on to the food, before the chasm is cut
        inside, outside = ring.walkway[0], ring.walkway[-1]
        near, far = (spawn_xz, food_xz) if around_spawn else (food_xz, spawn_xz)
        for a, b in [(near, inside), *zip(ring.walkway[:-1], ring.walkway[1:], strict=True), (outside, far)]:
            tr.ensure_walkable_path(heightmap, a, b, width=max(ring.walkway_width, 3.0))
    tr.flatten_many(heightmap, [(spawn_xz, flat), (trunk, c.MIN_FLAT_RADIUS)])
    if ring is not None:
        tr.cut_ring_chasm(heightmap, ring)

    apple, tree = _fruit_tree(rng, heightmap, food_xz, angle)
    spawn = c.spawn_facing(rng, d, (spawn_xz[0], heightmap.height_at(*spawn_xz), spawn_xz[1]), apple.position)
    rings = [] if ring is None else [(ring.center, ring.inner_radius - 3.0, ring.inner_radius + ring.gap + 3.0)]
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn_xz, 2.5), (trunk, 2.5)],
        clear_lines=[(spawn_xz, food_xz, 1.5)]
        + (
            []
            if ring is None
            else [
                (a, b, ring.walkway_width / 2 + 2.0) for a, b in zip(ring.walkway[:-1], ring.walkway[1:], strict=True)
            ]
        ),
        clear_rings=rings,
    )
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=terrain,
        trees=trees,
        items=(apple, tree),
        spawn=spawn,
    )
