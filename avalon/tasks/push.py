"""PUSH: push a boulder to reach food: outdoors into a chasm as a stepping stone; indoors (p = 0.2) out of a doorway,
against an island, or into a chasm.

What is generated: outdoors (p = 0.8), an island (0.5 m terrain cells, its shore a cliff that cannot be climbed) with an
apple hanging 2 m up a fruit tree inside a closed chasm ring centred on the goal, and the spawn outside it (the obstacle
library's double ring with zero-length walls). Both rims are levelled to one height for 3 m on either side of the chasm
(the ring's MIDPOINT mode, the original's MIDPOINT_ABSOLUTE), so the chasm floor is `depth` m below both. At one
crossing, as wide as the traversal width, the chasm is exactly `gap` m wide: too wide for our body to jump, and the
goal-side wall cannot be climbed. A boulder (1.4 m cube, 600-2,400 kg) stands on the spawn side about 2 m back from the
rim at the crossing, turned square to it; with jitter it stands anywhere within `jitter` m of that spot, and the ground
round the crossing is then flattened (to the rims' height, the chasm floor to its own) so it can be pushed there from
anywhere.

Indoors (p = 0.2, reference original_buildings.md 1.10; drawn from a child generator, so the outdoor worlds are the same
as before it existed): a sealed single-room building (docs/buildings.md), square, on a sand square, with a box-shaped
boulder (the outdoor entity) and one of three layouts: - BLOCKED: a full-height partition wall along z at a random
column, its only gap one tile at mid-length; each of its two segments see-through over its middle 80 % (window tiles); a
2 m boulder stands on the spawn's side just off the partition, square in front of the gap. The apple lies on the far
side. - CLIMB_HIGHER: a 5 x 5 island `ISLAND_HEIGHT` m high with a 1 x 1 pillar `PILLAR_HEIGHT` m higher at its centre,
the apple on the pillar; the 1.4 m boulder on the floor with two tiles of level floor round it; clear height = island +
1 + 3.2 m. - CROSS_CHASM: a chasm 6 rows wide across the whole room, `CHASM_DEPTH` m deep; the 1.4 m boulder and the
spawn on one side (two tiles of level floor round the boulder), the apple on the floor of the other.

How difficulty scales (as the original's code): first a Bool whether the spawn-side wall can be climbed (P 1 -> 0.2; it
rewrites d for what follows). Goal distance normal (sigma 0.5 m) around 25.65 + 34.2 d U m; gap = the critical distance
of (9.75, lerp(9.75 -> 10.85)) m less the 3 m levelled on each side, i.e. 3.75 -> 4.85 m; depth lerp(2 -> 2.6) m;
traversal width N(10 -> 3, 1) m; boulder mass N(600 -> 2,400, 10) kg (the push moves it by 300 / mass of the body's
speed, so heavy boulders need more pushing); boulder jitter lerp(0 -> 10) m (radius 1 m), with the ground flattened 2 x
jitter m round the crossing (nothing at d=0); the crossing is drawn within 2 + 10 d m of the middle of its band; spawn
yaw and pitch noise grow with d.

Indoors (as the original's code): r = clip N(10 + 5 d, 1) to [10, 15] m, side floor(sqrt(2) r) tiles (14 -> 21); d is
split 2 : 1 into a variant d and a placement d (weighted mean d); the layout is drawn with weights the Gaussian density
(sigma 0.125) at the variant d of its key: 0.25 BLOCKED, 0.5 CLIMB_HIGHER, 0.75 CROSS_CHASM (all BLOCKED at d = 0,
mostly CROSS_CHASM at d = 1); boulder mass clip N(600 + 1,800 d, 2.5) to [600, 2,400] kg; the spawn's yaw and pitch
noise grow with the placement d.

Deliberate differences: the gap's minimum is 3.75 m instead of 2.55 m and the depth's maximum 2.6 m instead of 2.9 m,
from our body's measured jumps (see the constants): a run-up jump clears 3.0 m from rim to rim but not 3.5 m, so a
narrower chasm could be jumped without the boulder (3.75 m leaves room for the oblique walls of the ring, which the grid
can narrow); the boulder's top is depth - 1.4 m below the rims, and the 1.5 m the original's 2.9 m asks is the apex of
our jump, with no margin. Worlds where a 3.4 m jump crosses the chasm, where the goal can be reached without the
boulder, or where a boulder pushed against the far wall does not make the crossing, are drawn again. The island frames
the spawn and the goal with 6 m of land and its shore (the original's world is at least twice the goal distance wide),
so the goal distance is capped at 68 m to keep within our 100 m worlds (the draws stay below). The island is raised so
the chasm floor stays dry instead of being raised by 10 km and lowered back.

Indoors: CLIMB_HIGHER's 1.52 m boulder, 3.04 m island and +1.52 m pillar are scaled to our 1.4 m boulder (2.8 m island,
+1.4 m pillar): 1.4 m is what our body gets onto from the floor (the apex of its jump is 1.5 m, see DEPTH), and from the
boulder it hops 1.4 m up across 1.5 m; the island never covers the spawn (the original's can, a bug). CROSS_CHASM is 2.8
m deep instead of 2.88 m (the boulder's top 1.4 m below both rims), and its apple lies on the far floor instead of on a
1 x 1, 2 m pillar (which our body could not get onto). BLOCKED's partition leaves at least 3 floor columns on each side
(the original allows 2: a 2 m boulder then fills its side and cannot be pushed along the wall), and its windows are
whole wall tiles (docs/buildings.md) 0.75-2.75 m up instead of a 2.5 m collider; the boulder stands 0.05 m off the
partition (the body, 0.2 m wide, cannot squeeze past).

What success needs: eating the apple: pushing the boulder (walking into it) over the rim into the chasm, then stepping
or jumping down onto it and from its top up onto the far rim; when it lands far from the far wall, getting down onto the
chasm floor and pushing it across first. Indoors: BLOCKED, pushing the boulder along the partition off the gap and
walking through; CLIMB_HIGHER, pushing it against the island, jumping onto it and on onto the island (the apple on the
pillar is in reach of a hand); CROSS_CHASM, as outdoors (a 6 m chasm: always pushed across its floor).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, decompose_weighted_mean, select_boolean
from avalon.entities import BOULDER_SIZE
from avalon.tasks import common as c
from avalon.tasks import indoor
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.building import Tile
from avalon.world.obstacles.planning import JUMP_RISE, MAX_RISE
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 2
TASK_NAME = "push"
VARIANTS: tuple[str, ...] = ("outdoor", "indoor")
FOOD = "apple"
P_INDOOR = 0.2  # the reference's share of indoor worlds (avalon.tasks.indoor.generate_variant)

# The indoor variants (reference original_buildings.md 1.10, PUSH row and the variants paragraph).
BLOCKED, CLIMB_HIGHER, CROSS_CHASM = "blocked", "climb_higher", "cross_chasm"
INDOOR_KINDS = ((0.25, BLOCKED), (0.5, CLIMB_HIGHER), (0.75, CROSS_CHASM))  # keys of the Gaussian choice
INDOOR_CHOICE_SIGMA = 0.125
INDOOR_SPLIT = (2.0, 1.0)  # d = weighted mean of (variant d, placement d)
INDOOR_RADIUS = Knob(easy=10.0, hard=15.0)  # m, normal (sigma INDOOR_RADIUS_SIGMA) clipped to the range
INDOOR_RADIUS_SIGMA = 1.0
INDOOR_MASS = Knob(easy=600.0, hard=2400.0)  # kg, normal (sigma INDOOR_MASS_SIGMA) clipped to the range
INDOOR_MASS_SIGMA = 2.5
PARTITION_SIDE = 4  # tiles: BLOCKED's partition leaves at least 3 floor columns on either side of it
WALL_BOULDER = 2.0  # m, BLOCKED's boulder (the reference's), standing in front of the gap on the spawn side
WALL_GAP = 0.05  # m between it and the partition: too narrow for the body
WINDOW_SHARE = 0.8  # of each partition segment: see-through (our windows: wall tiles open 0.75-2.75 m up)
# CLIMB_HIGHER: the reference's 1.52 m boulder and 3.04 m island (+1.52 m pillar) scaled to our 1.4 m boulder, the
# highest one our body hops onto from the floor (see DEPTH above): the island twice the boulder, the pillar one more.
ISLAND_SIZE = 5  # tiles
ISLAND_HEIGHT = 2.0 * BOULDER_SIZE  # m
PILLAR_HEIGHT = BOULDER_SIZE  # m above the island, the food on it
HEADROOM = 1.0 + 3.2  # m of clear height above the island (the reference's room height = island + 1 + 3.2)
# CROSS_CHASM: a 6-row chasm across the room, the reference's 2.88 m deep scaled to our boulder (2 x 1.4 m, as the
# outdoor maximum of 2.6 m allows for a 1.2 m rise): the boulder's top 1.4 m below both rims.
CHASM_ROWS = 6
CHASM_DEPTH = 2.0 * BOULDER_SIZE  # m
BOULDER_ROOM = 2  # tiles of level floor kept round the boulder's tile (it is pushed from any side)

P_INSIDE_CLIMBABLE = (1.0, 0.2)  # the spawn-side wall can be climbed (the goal side never can)
GOAL_DISTANCE_BASE = 25.65  # m
GOAL_DISTANCE_SPREAD = 34.2  # m times d times U(0, 1), added to the base: the mean of the distance
GOAL_DISTANCE_SIGMA = 0.5  # m
# The chasm's gap: the critical distance of (minimum, desired) less RESERVED (3 m levelled on each side). The
# original's (8.55, 8.55 -> 10.85) gives 2.55 -> 4.85 m; ours starts at 3.75 m because a run-up jump of our body clears
# 3.0 m from rim to rim (6 of 6, avalon/tasks/jump.py) but not 3.5 m (0 of 6): a 2.55 m chasm could be jumped, and the
# ring's walls may cross the traversal ray obliquely, so the grid opening can be narrower than the nominal gap (at
# 3.5 m, four draws in five at d=0 had a narrower spot and were drawn again).
GAP_MINIMUM = 9.75  # m
GAP_DESIRED = Knob(easy=9.75, hard=10.85)  # m
RESERVED = 6.0  # m: the 3 m aprons on both rims
NO_JUMP = 3.4  # m: no grid jump this long may cross the chasm (our body cleared 0 of 6 at 3.5 m, rim to rim)
# Depth 2 -> 2.6 m (the original's 2 -> 2.9). Measured in the engine with the oracle's hop (avalon.oracle.pushing.Hop:
# jump where it stands, walking at full speed from the jump tick on), from 0.35 m inside the edge of a 2,400 kg
# boulder's top towards a rim beyond a gap: 0.6 m higher, it lands across 2.5 m (3.0 m: no); 1.0 and 1.2 m higher,
# across 2.0 m (2.5 m: no); 1.4 and 1.5 m higher, across 1.5 m (2.0 m: no). From the floor beside the boulder it gets
# onto the 1.4 m top (the 1.5 m apex clears it by about 6 cm). The boulder's top is depth - 1.4 m below the rims:
# 1.5 m at the original's 2.9 m is the apex itself, so the depth stops at 2.6 m (a 1.2 m rise, 2.0 m across).
# tests/test_task_push.py pins the hops the checks below rely on.
DEPTH = Knob(easy=2.0, hard=2.6)  # m
CLIMB_RISE = 1.4  # m a jump gains onto an edge (measured above: across 1.5 m)
CLIMB_JUMP = 1.0  # m such a jump carries in the solvability check (a boulder against the far wall: 0.5-1 m)
RISE_TOLERANCE = 1e-3  # m: a boulder exactly CLIMB_RISE high is climbable despite float32 heights
TRAVERSAL_WIDTH = Knob(easy=10.0, hard=3.0)  # m, normal (sigma 1) clipped to the range
WIDTH_SIGMA = 1.0
APRON = 3.0  # m levelled on each rim (the original's expansion)
BRINK = 1.0  # m the solution's endpoints stay back from the brink
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m round the mid-band point where the crossing is drawn
BOULDER_OFFSET = (-1.0, BOULDER_SIZE / 2.0, 0.0)  # local: 1 m behind the spawn-side endpoint, ~2 m from the rim
BOULDER_RADIUS = 1.0  # m, the room the jitter keeps round it
BOULDER_MASS = Knob(easy=600.0, hard=2400.0)  # kg, normal (sigma MASS_SIGMA) clipped to the range
MASS_SIGMA = 10.0  # kg
JITTER = Knob(easy=0.0, hard=10.0)  # m the boulder may stand from its solved spot
LAND_PATH_WIDTH = 2.0  # m: the land-only path (no water between the endpoints)
BOULDER_FLAT = 1.0  # m: the ground under the boulder is levelled (its half diagonal is 0.99 m)
BOULDER_BLEND = 0.25  # m
FLOOR_ABOVE_WATER = 2.0  # m: the island is raised by the depth plus this, so the chasm floor stays dry
RELIEF_SCALE = 0.5  # of the generic hills: gentler ground round a chasm
END_ROOM = 6.0  # m of land kept round the spawn and the goal in the frame
MAX_GOAL_DISTANCE = c.MAX_WORLD_SIZE - 2 * (END_ROOM + c.ISLAND_MARGIN)  # m: the largest world holds it
TRUNK_CLEARANCE = 1.5  # m of the goal side's land round the trunk
STAND_FLAT = 0.75  # m, flat radius under the spawn and the trunk
STAND_BLEND = 0.25  # m
SAFE_DROP = 4.0  # m the reachability checks let the body fall (damage starts at about 5 m)


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    return indoor.generate_variant(rng, difficulty, variant, generate_indoor, generate_outdoor, P_INDOOR)


def generate_outdoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The outdoor variant (the module docstring)."""
    d = difficulty
    inside_climbable, d = select_boolean(rng, d, *P_INSIDE_CLIMBABLE)
    mean_distance = GOAL_DISTANCE_BASE + GOAL_DISTANCE_SPREAD * d * float(rng.uniform())
    distance = min(MAX_GOAL_DISTANCE, float(rng.normal(mean_distance, GOAL_DISTANCE_SIGMA)))
    knobs = _draw(rng, d, inside_climbable, distance)

    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK)
    layout = c.frame_points([((0.0, 0.0), END_ROOM), (goal_rel, END_ROOM)])
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

    built = _build(rng, d, heightmap, spawn, goal, knobs, clear_of_the_tree)
    solution = built.solution
    tr.flatten_many(heightmap, [(spawn, STAND_FLAT), (trunk, STAND_FLAT)], blend=STAND_BLEND)
    _check(heightmap, spawn, goal, solution, knobs.depth)

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    (_, position, yaw, fields), *_ = built.entities
    boulder = Item.of("boulder", 3, position, yaw, **fields)
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, apple.position)
    boulder_xz = (position[0], position[2])
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn, 2.5), (trunk, 2.5), (boulder_xz, 2.5)],
        clear_lines=[
            (spawn, boulder_xz, 1.5),
            (boulder_xz, solution.spawn_end, 2.0),
            (solution.spawn_end, solution.goal_end, knobs.traversal_width / 2.0),
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
        items=(apple, tree, boulder),
        spawn=spawn_pose,
    )


def indoor_kind(rng: np.random.Generator, d: float) -> tuple[str, float]:
    """(variant, placement d): d split 2 : 1, the variant drawn with weights the Gaussian density of its key at the
    variant d."""
    variant_d, placement_d = decompose_weighted_mean(rng, d, INDOOR_SPLIT)
    keys = np.array([key for key, _ in INDOOR_KINDS])
    weights = np.exp(-0.5 * ((keys - variant_d) / INDOOR_CHOICE_SIGMA) ** 2)
    kind = INDOOR_KINDS[int(rng.choice(len(keys), p=weights / weights.sum()))][1]
    return kind, float(placement_d)


def generate_indoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The indoor variants: one square room, the food on the far side of what the boulder is for (module docstring)."""
    d = difficulty
    kind, placement_d = indoor_kind(rng, d)
    side = indoor.side_for_radius(INDOOR_RADIUS.normal(rng, d, INDOOR_RADIUS_SIGMA))
    mass = float(np.clip(rng.normal(INDOOR_MASS.lerp(d), INDOOR_MASS_SIGMA), INDOOR_MASS.easy, INDOOR_MASS.hard))
    room = indoor.Room.of(side, side)
    r = room.inside
    if kind == BLOCKED:
        px = int(rng.integers(PARTITION_SIDE, side - PARTITION_SIDE))
        gz = (r.z0 + r.z1) // 2
        for z0, z1 in ((r.z0, gz), (gz + 1, r.z1)):
            room.tiles[z0:z1, px] = Tile.WALL
            n = z1 - z0
            glass = round(WINDOW_SHARE * n)
            first = z0 + (n - glass) // 2
            room.tiles[first : first + glass, px] = Tile.WINDOW
        boulder_size = WALL_BOULDER
        building = room.building()
        x, y, z = building.tile_centre(0, gz, px)
        boulder_at = (x + 0.5 + WALL_GAP + boulder_size / 2.0, y + boulder_size / 2.0, z)
        spawn_tiles = [t for t in room.floor_tiles() if t[1] > px and math.dist(t, (gz, px + 2)) > 2.5]
        food_tiles = [t for t in room.floor_tiles() if t[1] < px]
    else:
        boulder_size = BOULDER_SIZE
        if kind == CLIMB_HIGHER:
            # The island anywhere in the room; the spawn and the boulder off it (the reference could put the island
            # on the spawn, a bug).
            z0 = int(rng.integers(r.z0, r.z1 - ISLAND_SIZE + 1))
            x0 = int(rng.integers(r.x0, r.x1 - ISLAND_SIZE + 1))
            room.raise_block(z0, x0, z0 + ISLAND_SIZE, x0 + ISLAND_SIZE, ISLAND_HEIGHT)
            centre = (z0 + ISLAND_SIZE // 2, x0 + ISLAND_SIZE // 2)
            room.floor[centre] = ISLAND_HEIGHT + PILLAR_HEIGHT
            room.inner_height = ISLAND_HEIGHT + HEADROOM
            food_tiles = [centre]
            near_side = room.level_tiles(0.0)
        else:
            # The chasm across the room (along x), drawn among the rows that leave two level rows on each side.
            cz = int(rng.integers(r.z0 + 2, r.z1 - CHASM_ROWS - 2 + 1))
            room.raise_block(cz, r.x0, cz + CHASM_ROWS, r.x1, -CHASM_DEPTH)
            spawn_first = bool(rng.uniform() < 0.5)
            near_side = [t for t in room.level_tiles(0.0) if (t[0] < cz) == spawn_first]
            food_tiles = [t for t in room.level_tiles(0.0) if (t[0] < cz) != spawn_first]
        level = (room.tiles == Tile.FLOOR) & (room.floor == 0.0)
        k = BOULDER_ROOM
        roomy = [(z, x) for z, x in near_side if level[max(0, z - k) : z + k + 1, max(0, x - k) : x + k + 1].all()]
        if not roomy:
            raise c.ImpossibleWorldError(f"{kind}: no room for the boulder")
        boulder_tile = roomy[int(rng.integers(len(roomy)))]
        building = room.building()
        x, y, z = building.tile_centre(0, *boulder_tile)
        boulder_at = (x, y + boulder_size / 2.0, z)
        spawn_tiles = [t for t in near_side if math.dist(t, boulder_tile) > 2.5]
    if not spawn_tiles or not food_tiles:
        raise c.ImpossibleWorldError(f"{kind}: no room for the spawn or the food")
    food_tile = food_tiles[int(rng.integers(len(food_tiles)))]
    start_tile = spawn_tiles[int(rng.integers(len(spawn_tiles)))]
    apple = indoor.food_on_floor(building, 0, food_tile, FOOD)
    boulder = Item.of("boulder", 3, boulder_at, 0.0, size=boulder_size, mass=mass)
    start = indoor.spawn(rng, placement_d, building.tile_centre(0, *start_tile), apple.position)
    return indoor.world(TASK_NAME, difficulty, GENERATOR_VERSION, building, (apple, boulder), start)


@dataclass(frozen=True)
class _Knobs:
    inside_climbable: bool
    gap: float
    depth: float
    traversal_width: float
    mass: float
    jitter: float


def _draw(rng: np.random.Generator, d: float, inside_climbable: bool, distance: float) -> _Knobs:
    critical = ob.critical_distance(distance, GAP_MINIMUM, GAP_DESIRED.lerp(d))
    if critical is None:
        raise c.ImpossibleWorldError(f"spawn and goal {distance:.1f} m apart leave no room for the chasm")
    gap = critical - RESERVED
    depth = DEPTH.lerp(d)
    traversal_width = TRAVERSAL_WIDTH.normal(rng, d, WIDTH_SIGMA)
    mass = BOULDER_MASS.normal(rng, d, MASS_SIGMA)
    jitter = JITTER.lerp(d)
    return _Knobs(inside_climbable, gap, depth, traversal_width, mass, jitter)


def _build(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    start: c.Point2,
    end: c.Point2,
    knobs: _Knobs,
    check_ring: Callable[[ob.Ring], None] | None = None,
) -> c.Obstacle:
    """The goal-centred chasm between `start` and `end` with levelled rims, its flattened approach and the boulder."""
    config = ob.RingConfig(
        height=-knobs.depth,
        wall=ob.Wall(0.0, climbable=knobs.inside_climbable),
        far_wall=ob.Wall(0.0, climbable=False),
        gap=knobs.gap,
        traversal_width=knobs.traversal_width,
        center_on_spawn=0.0,
        search_radius=SEARCH_RADIUS.lerp(d),
        mode=ob.HeightMode.MIDPOINT,
        apron=APRON,
    )
    ring = ob.make_ring(rng, heightmap, start, end, config)
    if check_ring is not None:
        check_ring(ring)
    solution = ob.solve(ring, heightmap, brink=BRINK)
    if knobs.jitter > 0.0:  # the original flattens nothing at d=0
        ob.add_path(
            rng,
            heightmap,
            solution,
            ob.PathConfig(width=2.0 * knobs.jitter, flatten=ob.Flatten.MIN, flatten_floor=True),
        )
    path = ob.add_path(rng, heightmap, solution, ob.PathConfig(width=LAND_PATH_WIDTH, land_only=True))
    (x, _, z), *_ = ob.place_items(
        rng, heightmap, solution, ob.Side.SPAWN, [BOULDER_OFFSET], radius=BOULDER_RADIUS, jitter=knobs.jitter
    )
    # Level the ground under the boulder (the original flattens round each placed item) so it stands square.
    (ground,) = tr.flatten_many(heightmap, [((x, z), BOULDER_FLAT)], blend=BOULDER_BLEND)
    # The boulder's faces square to the crossing (Godot's yaw turns local +x to (cos, -sin) in (x, z)).
    yaw = -math.degrees(solution.heading)
    entity = ("boulder", (x, ground + BOULDER_SIZE / 2.0, z), yaw, {"size": BOULDER_SIZE, "mass": knobs.mass})
    return c.Obstacle(ring, solution, path.points, (entity,))


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """PUSH's chasm and boulder between the constraint's start and end, with this module's knobs (the gap is capped
    by their distance: they must be at least GAP_MINIMUM + 1 m apart); checked as the task's worlds are."""
    d = difficulty
    inside_climbable, d = select_boolean(rng, d, *P_INSIDE_CLIMBABLE)
    knobs = _draw(rng, d, inside_climbable, math.dist(constraint.start, constraint.end))
    built = _build(rng, d, constraint.heightmap, constraint.start, constraint.end, knobs)
    _check(constraint.heightmap, constraint.start, constraint.end, built.solution, knobs.depth)
    return built


def boulder_at_far_wall(heightmap: tr.Heightmap | ob.Grid, solution: ob.Solution, depth: float) -> np.ndarray:
    """Heights (points) with a boulder standing on the chasm floor against the goal-side wall at the crossing: the
    floor points under its 1.4 m square raised by its size (the layout the checks and tests solve with)."""
    grid = ob.Grid.of(heightmap)
    ring = solution.ring
    u = np.array([math.cos(solution.heading), math.sin(solution.heading)])
    # The goal-side wall's foot on the traversal ray: the last floor point before the goal side.
    start, end = np.array(solution.spawn_end), np.array(solution.goal_end)
    length = float(np.linalg.norm(end - start))
    foot = start
    for s in np.arange(0.0, length, grid.cell_size / 4.0):
        point = start + u * s
        if ring.floor[grid.point(*point)]:
            foot = point
    center = foot - u * (BOULDER_SIZE / 2.0 - grid.cell_size / 2.0)
    x, z = grid.grid_xz()
    along = (x - center[0]) * u[0] + (z - center[1]) * u[1]
    across = -(x - center[0]) * u[1] + (z - center[1]) * u[0]
    under = (np.abs(along) <= BOULDER_SIZE / 2.0) & (np.abs(across) <= BOULDER_SIZE / 2.0) & ring.floor
    heights = np.array(grid.heights, np.float64)
    heights[under] += BOULDER_SIZE
    return heights


def _check(heightmap: tr.Heightmap, spawn: c.Point2, goal: c.Point2, solution: ob.Solution, depth: float) -> None:
    """The goal needs the boulder: no walk, climb or 3.4 m jump reaches it (nor a short high jump); with the boulder
    against the far wall, a walk, a drop onto the floor and two short high jumps (onto the boulder, onto the rim)
    do."""
    grid = ob.Grid.of(heightmap)
    climbable = ~heightmap.unclimbable
    walk = {"max_rise": MAX_RISE, "max_drop": SAFE_DROP, "climbable": climbable}
    on_foot = ob.reachable(grid, spawn, **walk)  # type: ignore[arg-type]
    if on_foot[grid.point(*goal)]:
        raise c.ImpossibleWorldError("the goal can be reached on foot round the chasm")
    # A full search with long jumps is slow; it is needed only when some jump leaves the ground reached on foot.
    for distance, rise in ((NO_JUMP, JUMP_RISE), (CLIMB_JUMP, CLIMB_RISE + RISE_TOLERANCE)):
        if _jump_leaves(grid, on_foot, distance, rise) and ob.is_reachable(
            grid,
            spawn,
            goal,
            jump_distance=distance,
            jump_rise=rise,
            **walk,  # type: ignore[arg-type]
        ):
            raise c.ImpossibleWorldError(f"the goal can be reached without the boulder (a {distance} m jump)")
    with_boulder = ob.Grid(
        boulder_at_far_wall(grid, solution, depth), grid.origin_x, grid.origin_z, grid.cell_size, grid.water_height
    )
    if not ob.is_reachable(
        with_boulder,
        spawn,
        goal,
        jump_distance=CLIMB_JUMP,
        jump_rise=CLIMB_RISE + RISE_TOLERANCE,
        **walk,  # type: ignore[arg-type]
    ):
        raise c.ImpossibleWorldError("a boulder against the far wall does not make the crossing")


def _jump_leaves(grid: ob.Grid, reached: np.ndarray, distance: float, rise: float) -> bool:
    """Whether a jump of at most `distance` m and `rise` m from a point in `reached` lands on land outside it."""
    h = grid.heights
    land = h > grid.water_height
    reach = int(distance / grid.cell_size)
    rows, cols = h.shape
    pad = reach
    hp = np.pad(np.where(reached, h, -np.inf), pad, constant_values=-np.inf)
    best = np.full(h.shape, -np.inf)  # the highest reached point within `distance` of each point
    for dj in range(-reach, reach + 1):
        for di in range(-reach, reach + 1):
            if (dj or di) and grid.cell_size * math.hypot(dj, di) <= distance:
                best = np.maximum(best, hp[pad + dj : pad + dj + rows, pad + di : pad + di + cols])
    return bool((land & ~reached & (h - best <= rise)).any())
