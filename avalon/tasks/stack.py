"""STACK: food on top of a cliff (outdoors) or an island in a room (indoors, p = 0.2) too high to jump; stack stones
into a staircase and climb it.

What is generated: outdoors (p = 0.8), an island on the 0.5 m grid with a single step wall closing a ring round the
spawn point or the goal (even odds): the goal side stands n + 1.5 m above the spawn side, and the wall, 1.5 m at its top
and 1.5 m at its foot cannot be climbed. An apple hangs 2 m up a fruit tree on top, about 2 m behind the edge. On the
spawn side lie 1 m stones (`stone`, 20 kg, carried in a hand): n(n + 1) / 2 of them make the solved staircase against
the cliff at the traversal point, with the tallest column (n stones) touching the wall and columns one stone lower
stepping back from it (n = 2: columns 2, 1; n = 3: columns 3, 2, 1), plus up to three spare stones beside it. With
jitter J each stone is moved to a random point of the spawn side within J m of its place in the staircase, keeping its
height above the ground (stacked stones drop at the start, as the original's).

Indoors (p = 0.2, reference original_buildings.md 1.10; drawn from a child generator, so the outdoor worlds are the same
as before it existed): a sealed single-room building (docs/buildings.md) on a sand square, square, its floor holding a 5
x 5 island n + 1.52 m high and, when that is over 3 m, a 1 x 1 pillar 1.52 m higher at its centre; the apple rests on
the island's (or the pillar's) centre. The spawn stands on a tile along the room's edge; n (n + 1) / 2 stones (1 m
cubes, 20 kg: the engine's stone) lie on the floor on tile centres. The clear height is 3.2 m above the highest floor.

How difficulty scales (as the original's code): the tallest column n = round(clip(N(0.51 -> 3.49, 0.25))) in {1, 2, 3},
drawn first with the original d; spare stones Cat[3, 2, 1, 0] (a categorical draw that rewrites d for the rest); cliff
height n + 1.5 m; jitter J = lerp(0 -> 6) m, capped at (D - 3) / 2; spawn-goal distance D normal (sigma 0.5) around
U-lerp(B -> 2B) m with B = 2 x height + 2J; width of the exact part of the cliff clip(N(10 -> 1, 1)) m; J extra safety
between the cliff and the spawn and the goal; the crossing drawn within 2 + 10 d m of the middle of its band; trees
denser and spawn yaw and pitch noisier with d. At d = 0 one stone stands against a 2.5 m cliff, three spares beside it,
and the agent faces the apple on top.

Indoors (as the original's code): r = clip N(8 + 4 d, 2.5) to [8, 12] m, side floor(sqrt(2) r) tiles (11 -> 16); n =
round(1 + 3 d) (1 -> 4); the island's corner drawn by the "distance rule" (weights N(d x the largest distance, sqrt(std
of the distances)) over the distances of its centre from the spawn tile), each stone's tile by the same rule over
distances from the island: near the island at d = 0, far at d = 1; the spawn's yaw and pitch noise grow with d
(avalon/tasks/indoor.py).

Deliberate differences: the original cuts the cliff in RELATIVE mode after blurring the terrain round the crossing
(discs of 8, 6 and 4 m); ours levels the ground between the spawn and the goal (3 m beyond each, blending out over 4 m)
and uses the library's MIDPOINT mode (the wall and at least n + 1.1 m of land on both sides levelled, then the goal side
raised), which gives the exact cliff height with flat ground for the staircase and the fruit tree. The original puts the
tallest column at the spawn-side endpoint 2 m from the cliff; ours stands it against the wall, `STAIR_CLEARANCE` m from
the nearest point of the cliff's foot across the stone's width (on the 0.5 m grid an oblique wall is jagged), stepped
back by up to 0.2 m more where the wall would still cut into a stone at its side (else the world is drawn again): our
body jumps onto a terrain step 1.5 m up from a standstill (1.8 m with a run-up, measured below) but not across 1.5 m of
air as well. With the engine's stone shell (a stone's top is 1.15 m for the body) the cliff is 1.35 m above the top
stone's shell. The spawn keeps max(J, n + 1.35) m more than the original's 0.5 m safety from the cliff (the staircase's
room), so D is at least twice the safety plus 3 m; no stone lands within 1.5 m of the spawn point. The island is not
raised by 10 000 m and lowered back. Every world is checked: the food cannot be reached by walking and jumps up to 2.0 m
high (more than the body manages), and can be over the solved staircase (jumps up to 1.6 m).

Indoors: stones are drawn without replacement and never on the spawn's tile, next to another stone, or against a wall or
the island (the original draws tiles with replacement, so stones overlap: a bug; room round each to grab it); the island
is placed only where one of its faces has n + `RUN_UP_TILES` tiles of level floor in front (room for the staircase and
its run-up), and off the spawn; stones weigh 20 kg (the original's generator asks 50-500 kg, which its stone script
overrides).

What success needs: eating the apple: stones carried (a hand holds one) and put down into a staircase against the cliff
(indoors: against a face of the island), bottom layer first, then jumps up the steps and onto the top (indoors the apple
on a pillar is reached by hand from the island).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, select_categorical
from avalon.tasks import common as c
from avalon.tasks import indoor
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.building import Tile
from avalon.world.obstacles.grid import surface_heights
from avalon.world.obstacles.planning import JUMP_DISTANCE
from avalon.world.spec import Item, Terrain, WorldSpec

GENERATOR_VERSION = 3
TASK_NAME = "stack"
VARIANTS: tuple[str, ...] = ("outdoor", "indoor")
FOOD = "apple"
STONE = "stone"
P_INDOOR = 0.2  # the reference's share of indoor worlds (avalon.tasks.indoor.generate_variant)

# The indoor variant (reference original_buildings.md 1.10, STACK row).
INDOOR_RADIUS = Knob(easy=8.0, hard=12.0)  # m, normal (sigma INDOOR_RADIUS_SIGMA) clipped to the range
INDOOR_RADIUS_SIGMA = 2.5
INDOOR_STAIR = Knob(easy=1.0, hard=4.0)  # n = round(1 + 3 d): the island is n + ISLAND_ABOVE_STONES m high
ISLAND_SIZE = 5  # tiles a side
ISLAND_ABOVE_STONES = 1.52  # m
PILLAR_ABOVE_HEIGHT = 3.0  # m: an island higher than this has a 1 x 1 pillar at its centre ...
PILLAR_HEIGHT = 1.52  # m ... this much higher, the food on it
INDOOR_HEADROOM = 3.2  # m of clear height above the highest floor
# The oracle builds the staircase on a line out from the middle of one of the island's faces: that face needs n tiles
# for the columns and RUN_UP_TILES more of level floor behind them (the run up the steps starts 1.5 m behind them).
RUN_UP_TILES = 2

STONE_SIZE = 1.0  # m, the stone row's cube
STONE_RADIUS = 0.5  # m, the item radius the jitter keeps stones apart by
STAIR_HEIGHT = Knob(easy=0.51, hard=3.49)  # the tallest column n: round(clip(normal)), drawn with the original d
STAIR_HEIGHT_SIGMA = 0.25
SPARE_STONES = (3, 2, 1, 0)  # easy -> hard, a categorical draw that rewrites d
SPARE_OFFSETS = ((0.0, 0.0, -1.0), (0.0, 0.0, 1.0), (-1.0, 0.0, 1.0))  # (x, layer, z) stones beside the stair
# Cliff height above the top stone. Measured in the engine (0.1 s ticks) on one-cell (0.5 m) terrain steps: running at
# full speed and jumping 0.2-1.2 m before the foot, the body ends on top of steps 1.5 and 1.6 m high from all 10
# take-off points, 1.7 m from 0.9 m or nearer, 1.8 m from 0.7 m or nearer; from a standstill 0.2-0.7 m before the
# foot, jumping and walking on at 0.6 or full speed, 1.5 m in 8 of 8, 1.6 m in 7 of 8, 1.7 m only at full speed (4 of
# 8). The top stone's shell stands 1.15 m high for the body, so the cliff is 1.35 m above it. The oracle runs up
# solved staircases of 1 and 2 columns in tests/test_task_stack.py. So the original's 1.5 m is kept.
CLIFF_ABOVE_STONES = 1.5  # m
# The highest rise a jump of the body can gain onto terrain (1.8 m measured above): the cliff must beat it without
# stones (n = 1: 2.5 m), which the no-stones check proves with this margin.
BODY_JUMP_RISE = 2.0  # m
# The rise the solved-staircase check allows a jump: the cliff's 1.5 m above the top stone plus a margin for the
# ground's float heights; the body jumps onto 1.6 m standing 0.2-0.5 m before the foot (measured as above).
STAIR_JUMP_RISE = CLIFF_ABOVE_STONES + 0.1  # m
STAIR_JUMP_DISTANCE = 1.5  # m from the top stone's edge over the cliff's one-cell ramp
JITTER = Knob(easy=0.0, hard=6.0)  # m a stone is moved from its solved place
JITTER_ROOM = 3.0  # m: J <= (D - JITTER_ROOM) / 2
GOAL_DISTANCE_SIGMA = 0.5
TRAVERSAL_WIDTH = Knob(easy=10.0, hard=1.0)  # m around the crossing where the cliff is exactly as designed
TRAVERSAL_WIDTH_SIGMA = 1.0
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m round the crossing's mid-band point (the original's 2 + 10 d)
BRINK = 2.0  # m: the food stands this far behind the cliff's top
STAIR_CLEARANCE = (
    0.1  # m between the cliff's foot and the tallest column: narrower than the body (0.2 m), so it cannot fall in
)
STAIR_ROOM = 1.25  # m besides the staircase's depth (n m) kept between the cliff and the spawn
DISTANCE_MARGIN = 3.0  # m beyond both safety circles: room for the ring's band
SPAWN_CLEAR = 1.5  # m round the spawn point where no stone is put
LAND_SCALE, LAND_MARGIN = 0.3, 5.0  # m of land held round the spawn and the goal: scale x distance + margin
BASE_HEIGHT = 1.5  # m, island ground above the water
SPAWN_FLAT = 2.0  # m, flat ground under the spawn
LEVEL_MARGIN = 3.0  # m beyond the spawn and the goal levelled before the cliff is cut
LEVEL_BLEND = 4.0  # m over which the levelled ground blends into the island round it
TRUNK_FLAT = 0.75  # m, flat under the fruit tree's trunk (the cells round its point)
TRUNK_BLEND = 0.25  # m over which it blends into the ground round it
STAND_BLEND = 0.5  # m over which the spawn's flat disc blends into the ground round it
SAFE_DROP = 4.0  # m the reachability checks let the body fall (damage starts at about 5 m)
FOOT_RISE = 0.05  # m above the spawn side's ground where the cliff's foot starts along the traversal ray
CHECK_MARGIN = 4.0  # m round the spawn and the food searched for the way over the solved staircase
FOOT_STEP = 0.05  # m between the samples of the scan for the foot
FOOT_LATERALS = tuple(np.linspace(-0.55, 0.55, 12))  # m across the line: a stone's width and a margin
FOOT_REACH = 0.75  # m: the cliff's ramp (one 0.5 m cell, crossed at an angle) rises to its top within this
FOOT_TOP = 0.3  # m below the cliff's top that counts as its top (the ground beyond the level apron varies)
# Where the wall is oblique to the grid or bends back beside the crossing, a stone put STAIR_CLEARANCE m before the
# foot's nearest tooth can still overlap the wall at its side; Bullet then pushes it out at the start and the stack
# above it falls (measured: 19 of 40 staircases at d = 1, 11 of 40 single stones at d = 0). The staircase steps back
# from the cliff until no stone's footprint (and FOOTPRINT_MARGIN round it) is more than OVERLAP_TOLERANCE into the
# terrain, by at most MAX_SETBACK (the gap stays under 0.3 m, the body jumps over it onto the cliff); a world whose
# staircase is still not clear is drawn again.
SETBACK_STEP = 0.05  # m
MAX_SETBACK = 0.2  # m
FOOTPRINT_MARGIN = 0.03  # m
FOOTPRINT_SAMPLES = 12  # per side of a stone's footprint
OVERLAP_TOLERANCE = 0.02  # m


@dataclasses.dataclass(frozen=True)
class StackKnobs:
    """The draws that make one STACK obstacle (also what the oracle's plan needs to know about the layout)."""

    stair_height: int  # n: stones in the tallest column
    spares: int
    cliff_height: float
    jitter: float
    traversal_width: float


def stair_offsets(stair_height: int, spares: int) -> list[tuple[float, float, float]]:
    """Local offsets (x towards the cliff, y up to the stone's centre, z lateral) of the solved staircase, bottom
    layer first (the order stones must be put down in), then the spares; x = 0 is the tallest column."""
    stair = [
        (-float(column), STONE_SIZE * (layer + 0.5), 0.0)
        for layer in range(stair_height)
        for column in range(stair_height - layer)
    ]
    spare = [(x, STONE_SIZE * (layer + 0.5), z) for x, layer, z in SPARE_OFFSETS[:spares]]
    return stair + spare


def _draw(rng: np.random.Generator, difficulty: float) -> tuple[StackKnobs, float, float]:
    """(knobs, the rewritten d, the spawn-goal distance D), drawn in the original's order."""
    stair_height = int(np.clip(round(STAIR_HEIGHT.normal(rng, difficulty, STAIR_HEIGHT_SIGMA)), 1, 3))
    spares, d = select_categorical(rng, SPARE_STONES, difficulty)
    cliff_height = stair_height + CLIFF_ABOVE_STONES
    jitter = JITTER.lerp(d)
    base = 2.0 * cliff_height + 2.0 * jitter
    distance = float(rng.normal(Knob(base, 2.0 * base).random_lerp(rng, d), GOAL_DISTANCE_SIGMA))
    jitter = float(np.clip(jitter, 0.0, max(0.0, (distance - JITTER_ROOM) / 2.0)))
    distance = max(distance, 2.0 * (0.5 + _extra_safety(stair_height, jitter)) + DISTANCE_MARGIN)
    width = TRAVERSAL_WIDTH.normal(rng, d, TRAVERSAL_WIDTH_SIGMA)
    return StackKnobs(stair_height, int(spares), cliff_height, jitter, width), d, distance


def _extra_safety(stair_height: int, jitter: float) -> float:
    return max(jitter, stair_height + STAIR_CLEARANCE + STAIR_ROOM)


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    return indoor.generate_variant(rng, difficulty, variant, generate_indoor, generate_outdoor, P_INDOOR)


def generate_outdoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The outdoor variant (the module docstring)."""
    knobs, d, distance = _draw(rng, difficulty)
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    land = LAND_SCALE * distance + LAND_MARGIN
    layout = c.frame_points([((0.0, 0.0), land), (goal_rel, land)])
    heightmap = c.make_island(rng, d, layout, base_height=BASE_HEIGHT, unclimbable_shore=True, cell_size=FINE_CELL_SIZE)
    spawn, goal = c.snap_to_grid(heightmap, layout.place((0.0, 0.0))), layout.place(goal_rel)
    # Level ground between the spawn and the goal before the cliff is cut (the original blurs it round the crossing):
    # the cliff's levelled aprons then meet the ground round them without steps, and the stones lie on flat land.
    middle = ((spawn[0] + goal[0]) / 2.0, (spawn[1] + goal[1]) / 2.0)
    tr.flatten_many(heightmap, [(middle, distance / 2.0 + LEVEL_MARGIN)], blend=LEVEL_BLEND)

    cliff = _build(rng, d, heightmap, spawn, goal, knobs)
    solution = cliff.solution
    food_xz = solution.goal_end
    trunk = c.offset(food_xz, solution.heading, c.FOOD_OFFSET_FROM_TRUNK)
    _flatten_stands(heightmap, cliff.ring, spawn, trunk)
    stones = [position for _, position, _, _ in cliff.entities]
    _check(heightmap, spawn, food_xz, solution, knobs)

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, solution.heading + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    items = [apple, tree]
    items += [
        Item.of(kind, 3 + k, position, yaw, **fields) for k, (kind, position, yaw, fields) in enumerate(cliff.entities)
    ]
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, apple.position)
    stair = cliff.route[-2]
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(spawn, 2.5), (trunk, 2.5), (food_xz, 2.5), (stair, knobs.jitter + knobs.stair_height + 2.0)]
        + [((x, z), 1.5) for x, _, z in stones],
        clear_lines=[(spawn, stair, 2.0), (stair, food_xz, 2.0)],
    )
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=terrain,
        trees=trees,
        items=tuple(items),
        spawn=spawn_pose,
    )


def island_faces(room: indoor.Room, z0: int, x0: int, n: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The island [z0, z0 + ISLAND_SIZE) x [x0, ...)'s faces with room for the staircase: (the floor tile in front
    of the face's middle, the step (dz, dx) from it away from the island), for each face whose n + RUN_UP_TILES tiles
    straight out are level floor."""
    mid = ISLAND_SIZE // 2
    out = []
    for (z, x), step in (
        ((z0 - 1, x0 + mid), (-1, 0)),
        ((z0 + ISLAND_SIZE, x0 + mid), (1, 0)),
        ((z0 + mid, x0 - 1), (0, -1)),
        ((z0 + mid, x0 + ISLAND_SIZE), (0, 1)),
    ):
        line = [(z + step[0] * k, x + step[1] * k) for k in range(n + RUN_UP_TILES)]
        nz, nx = room.shape
        if all(
            0 <= tz < nz and 0 <= tx < nx and room.tiles[tz, tx] == Tile.FLOOR and room.floor[tz, tx] == 0.0
            for tz, tx in line
        ):
            out.append(((z, x), step))
    return out


def generate_indoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The indoor variant: a 5 x 5 island in one room, the stones on the floor round it (see the module docstring)."""
    d = difficulty
    side = indoor.side_for_radius(INDOOR_RADIUS.normal(rng, d, INDOOR_RADIUS_SIGMA))
    n = round(INDOOR_STAIR.lerp(d))
    height = n + ISLAND_ABOVE_STONES
    room = indoor.Room.of(side, side)
    edges = room.edge_tiles()
    start_tile = edges[int(rng.integers(len(edges)))]
    inside = room.inside
    corners = [
        (z, x)
        for z in range(inside.z0, inside.z1 - ISLAND_SIZE + 1)
        for x in range(inside.x0, inside.x1 - ISLAND_SIZE + 1)
        if not (z - 1 <= start_tile[0] <= z + ISLAND_SIZE and x - 1 <= start_tile[1] <= x + ISLAND_SIZE)
    ]
    # The staircase's room is checked on the room with only the island raised: stones are loose, the oracle moves them.
    fits = []
    for z, x in corners:
        trial = indoor.Room(room.tiles, room.floor.copy(), room.climbable, room.inside)
        trial.raise_block(z, x, z + ISLAND_SIZE, x + ISLAND_SIZE, height)
        if island_faces(trial, z, x, n):
            fits.append((z, x))
    if not fits:
        raise c.ImpossibleWorldError(f"no place for the island leaves room for a staircase of {n} columns")
    centres = [(z + ISLAND_SIZE // 2, x + ISLAND_SIZE // 2) for z, x in fits]
    z0, x0 = fits[indoor.distance_rule(rng, d, indoor.tile_distances(centres, [start_tile]))]
    room.raise_block(z0, x0, z0 + ISLAND_SIZE, x0 + ISLAND_SIZE, height)
    centre = (z0 + ISLAND_SIZE // 2, x0 + ISLAND_SIZE // 2)
    top = height
    if height > PILLAR_ABOVE_HEIGHT:
        top = height + PILLAR_HEIGHT
        room.floor[centre] = top
    room.inner_height = top + INDOOR_HEADROOM
    # Stones: n (n + 1) / 2 on level floor tiles, none on the spawn, next to another stone (no overlap) or against a
    # wall or the island (room round each to grab it), each drawn by the distance rule on its distance to the island.
    island = [(z, x) for z in range(z0, z0 + ISLAND_SIZE) for x in range(x0, x0 + ISLAND_SIZE)]
    level = (room.tiles == Tile.FLOOR) & (room.floor == 0.0)
    free = [
        (z, x)
        for z, x in room.level_tiles(0.0)
        if level[z - 1 : z + 2, x - 1 : x + 2].all() and max(abs(z - start_tile[0]), abs(x - start_tile[1])) > 1
    ]
    stone_tiles: list[tuple[int, int]] = []
    for _ in range(n * (n + 1) // 2):
        if not free:
            raise c.ImpossibleWorldError("no room for the stones")
        pick = free[indoor.distance_rule(rng, d, indoor.tile_distances(free, island))]
        stone_tiles.append(pick)
        free = [t for t in free if max(abs(t[0] - pick[0]), abs(t[1] - pick[1])) > 1]
    building = room.building()
    apple = indoor.food_on_floor(building, 0, centre, FOOD)
    stones = []
    for k, tile in enumerate(stone_tiles):
        sx, sy, sz = building.tile_centre(0, *tile)
        stones.append(Item.of(STONE, 3 + k, (sx, sy + STONE_SIZE / 2.0, sz), 0.0, size=STONE_SIZE))
    start = indoor.spawn(rng, d, building.tile_centre(0, *start_tile), apple.position)
    return indoor.world(TASK_NAME, difficulty, GENERATOR_VERSION, building, (apple, *stones), start)


def _build(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    start: c.Point2,
    end: c.Point2,
    knobs: StackKnobs,
) -> c.Obstacle:
    """The cliff ring between `start` (below) and `end` (on top), and the stones, placed (solved, then jittered).
    The route runs from the start side's endpoint to the foot of the staircase (its tallest column's spot) and on to
    the top's endpoint."""
    config = ob.RingConfig(
        height=knobs.cliff_height,
        wall=ob.Wall(length=0.0, climbable=False),
        traversal_width=knobs.traversal_width,
        search_radius=SEARCH_RADIUS.lerp(d),
        mode=ob.HeightMode.MIDPOINT,
        extra_safety=_extra_safety(knobs.stair_height, knobs.jitter),
        apron=max(knobs.stair_height + STAIR_CLEARANCE + 1.0, BRINK + c.FOOD_OFFSET_FROM_TRUNK + TRUNK_FLAT),
    )
    ring = ob.make_ring(rng, heightmap, start, end, config)
    if not ring.centered_on_spawn:  # the start side went down by the height: lift the island back (no sea cut)
        heightmap.heights = heightmap.heights + np.where(ring.land, knobs.cliff_height, 0.0)
    solution = ob.solve(ring, heightmap, brink=BRINK)
    stair = stair_solution(heightmap, solution, knobs.cliff_height)
    # Stones stay off the spawn point: the jitter draws only from the start side's land farther away.
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    room = ring.spawn_side & (np.hypot(x - start[0], z - start[1]) > SPAWN_CLEAR + STONE_RADIUS)
    jittered = ob.Solution(dataclasses.replace(ring, spawn_side=room), stair.spawn_end, stair.goal_end)
    offsets = stair_offsets(knobs.stair_height, knobs.spares)
    positions = ob.place_items(
        rng, heightmap, jittered, ob.Side.SPAWN, offsets, radius=STONE_RADIUS, jitter=knobs.jitter
    )
    yaw = c.yaw_towards(stair.spawn_end, stair.goal_end)
    entities = tuple((STONE, position, yaw, {"size": STONE_SIZE}) for position in positions)
    route = (solution.spawn_end, stair.spawn_end, solution.goal_end)
    return c.Obstacle(ring, solution, route, entities)


def stair_solution(heightmap: tr.Heightmap, solution: ob.Solution, rise: float) -> ob.Solution:
    """The solution with its spawn end moved to where the tallest column stands: on the traversal line, its face
    STAIR_CLEARANCE m from the foot of the cliff `rise` m high (`cliff_foot`, scanned from the spawn end), stepped back
    as far as `stair_setback` asks (ImpossibleWorldError when no step back up to MAX_SETBACK clears the wall)."""
    (sx, sz), (gx, gz) = solution.spawn_end, solution.goal_end
    length = math.hypot(gx - sx, gz - sz)
    u = ((gx - sx) / length, (gz - sz) / length)
    foot = cliff_foot(heightmap, solution.spawn_end, u, length, rise)
    back = foot - STAIR_CLEARANCE - STONE_SIZE / 2.0
    if back < 0.0:
        raise ob.ImpossibleWorldError("the cliff's foot is too near the spawn-side endpoint for the staircase")
    anchor = (sx + u[0] * back, sz + u[1] * back)
    ground = float(surface_heights(ob.Grid.of(heightmap), np.array([sx]), np.array([sz]))[0])
    setback = stair_setback(heightmap, anchor, u, ground, round(rise - CLIFF_ABOVE_STONES))
    if setback is None:
        raise ob.ImpossibleWorldError("the cliff's wall overlaps every place of the staircase near its foot")
    return ob.Solution(solution.ring, (anchor[0] - u[0] * setback, anchor[1] - u[1] * setback), solution.goal_end)


def stair_setback(
    surface: tr.Heightmap | Terrain, anchor: c.Point2, u: c.Point2, ground: float, stair_height: int
) -> float | None:
    """How far (m) behind `anchor` along the heading `u` the staircase of `stair_height` columns must stand (its
    tallest column's spot moved back) for none of its stones to overlap the terrain (see MAX_SETBACK): the smallest
    multiple of SETBACK_STEP up to MAX_SETBACK, or None."""
    grid = ob.Grid.of(surface)
    offsets = np.asarray(stair_offsets(stair_height, 0))
    side = np.linspace(-1.0, 1.0, FOOTPRINT_SAMPLES) * (STONE_SIZE / 2.0 + FOOTPRINT_MARGIN)
    a, b = (m.ravel()[None, :] for m in np.meshgrid(side, side))
    bottoms = ground + offsets[:, 1:2] - STONE_SIZE / 2.0
    for k in range(round(MAX_SETBACK / SETBACK_STEP) + 1):
        setback = k * SETBACK_STEP
        along, across = offsets[:, 0:1] - setback + a, offsets[:, 2:3] + b
        x = anchor[0] + u[0] * along - u[1] * across
        z = anchor[1] + u[1] * along + u[0] * across
        if (surface_heights(grid, x, z) <= bottoms + OVERLAP_TOLERANCE).all():
            return setback
    return None


def cliff_foot(surface: tr.Heightmap | Terrain, low: c.Point2, u: c.Point2, length: float, rise: float) -> float:
    """How far ahead of `low` along `u` the foot of a cliff `rise` m high is, at its nearest across a stone's width
    (FOOT_LATERALS): on each line parallel to `u` the first point FOOT_RISE m above `low`'s ground whose ground
    FOOT_REACH m further on is within FOOT_TOP of the cliff's top. On the 0.5 m grid a wall oblique to the grid is
    jagged: a stone put against the nearest tooth does not overlap the wall anywhere (it would be pushed out and
    slide away at the start); a small bump that does not lead up the cliff is not its foot."""
    grid = ob.Grid.of(surface)
    s = np.arange(0.0, length + FOOT_REACH, FOOT_STEP)
    laterals = np.asarray(FOOT_LATERALS)[:, None]
    x = low[0] + u[0] * s[None, :] - u[1] * laterals
    z = low[1] + u[1] * s[None, :] + u[0] * laterals
    heights = surface_heights(grid, x, z)
    ground = float(surface_heights(grid, np.array([low[0]]), np.array([low[1]]))[0])
    ahead = round(FOOT_REACH / FOOT_STEP)
    rising = heights[:, : len(s) - ahead] > ground + FOOT_RISE
    reaches = heights[:, ahead:] > ground + rise - FOOT_TOP
    found = rising & reaches
    first = np.where(found.any(axis=1), found.argmax(axis=1), len(s) - ahead)
    k = int(first.min())
    return float(s[k]) if k < len(s) - ahead else length


def solved_stones(heightmap: tr.Heightmap, solution: ob.Solution, stair_height: int) -> list[c.Vec3]:
    """Where the staircase's stones stand when solved (the order of `stair_offsets`, spares left out)."""
    stair = stair_solution(heightmap, solution, stair_height + CLIFF_ABOVE_STONES)
    return ob.place_items(np.random.default_rng(0), heightmap, stair, ob.Side.SPAWN, stair_offsets(stair_height, 0))


def _flatten_stands(heightmap: tr.Heightmap, ring: ob.Ring, spawn: c.Point2, trunk: c.Point2) -> None:
    """Level the ground under the spawn and the fruit tree's trunk again after the cliff is cut (the trunk mostly
    stands on the cliff's levelled apron already). The trunk's disc must lie on the top: a wall wandering near it,
    away from the exact crossing, makes the world impossible."""
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    if not ring.goal_side[np.hypot(x - trunk[0], z - trunk[1]) <= TRUNK_FLAT].all():
        raise ob.ImpossibleWorldError("the fruit tree's trunk is too near the cliff")
    tr.flatten_many(heightmap, [(spawn, SPAWN_FLAT - STAND_BLEND)], blend=STAND_BLEND)
    tr.flatten_many(heightmap, [(trunk, TRUNK_FLAT)], blend=TRUNK_BLEND)


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """STACK's cliff between the constraint's start (below) and end (on top) with its stones (entities, placed and
    jittered), with this module's knobs; checked as the task's worlds are: the end is not reached by walking and
    jumping, and is over the solved staircase. The start-end distance must leave room for the staircase and the
    safety circles (2 x (n + 2) m + 3 m; ImpossibleWorldError otherwise)."""
    knobs, d, _ = _draw(rng, difficulty)
    cliff = _build(rng, d, constraint.heightmap, constraint.start, constraint.end, knobs)
    _check(constraint.heightmap, constraint.start, cliff.solution.goal_end, cliff.solution, knobs)
    return cliff


def with_stones(heightmap: tr.Heightmap | ob.Grid, stones: list[c.Vec3], heading: float) -> ob.Grid:
    """The grid with every point under a stone's top face raised to it (stones as terrain, for the planning
    checks); stones are square to `heading` (rad, atan2(dz, dx))."""
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    heights = np.array(grid.heights, np.float64)
    cx, cz = math.cos(heading), math.sin(heading)
    half = STONE_SIZE / 2.0 + 1e-6
    for sx, sy, sz in stones:
        along = (x - sx) * cx + (z - sz) * cz
        across = -(x - sx) * cz + (z - sz) * cx
        under = (np.abs(along) <= half) & (np.abs(across) <= half)
        heights = np.where(under, np.maximum(heights, sy + STONE_SIZE / 2.0), heights)
    return ob.Grid(heights, grid.origin_x, grid.origin_z, grid.cell_size, grid.water_height)


def _check(heightmap: tr.Heightmap, spawn: c.Point2, food: c.Point2, solution: ob.Solution, knobs: StackKnobs) -> None:
    """The cliff must need the stones: no walking and jumping up to the food (even jumps higher than the body's),
    but over the solved staircase."""
    walk = {"max_drop": SAFE_DROP, "jump_distance": JUMP_DISTANCE}
    if ob.is_reachable(heightmap, spawn, food, jump_rise=BODY_JUMP_RISE, **walk):  # type: ignore[arg-type]
        raise ob.ImpossibleWorldError("the food is reachable without the stones")
    solved = solved_stones(heightmap, solution, knobs.stair_height)
    # Checked near the spawn and the food only (a crop can only make this check stricter) for speed.
    solution_grid = _crop(with_stones(heightmap, solved, solution.heading), spawn, food, CHECK_MARGIN)
    if not ob.is_reachable(
        solution_grid, spawn, food, max_drop=SAFE_DROP, jump_distance=STAIR_JUMP_DISTANCE, jump_rise=STAIR_JUMP_RISE
    ):
        raise ob.ImpossibleWorldError("the food is not reachable over the solved staircase")


def _crop(grid: ob.Grid, a: c.Point2, b: c.Point2, margin: float) -> ob.Grid:
    """The grid's points within `margin` m of the box round `a` and `b`."""
    (j0, i0), (j1, i1) = grid.point(*a), grid.point(*b)
    pad = math.ceil(margin / grid.cell_size)
    rows, cols = grid.shape
    jl, jh = max(0, min(j0, j1) - pad), min(rows, max(j0, j1) + pad + 1)
    il, ih = max(0, min(i0, i1) - pad), min(cols, max(i0, i1) + pad + 1)
    x0, z0 = grid.xz(jl, il)
    return ob.Grid(grid.heights[jl:jh, il:ih], x0, z0, grid.cell_size, grid.water_height)
