"""EXPLORE: find a food tree far away, out of sight, or food in a far room of a building.

What is generated: outdoors (P 0.8), a continent (avalon.world.biomes: a few broad mountains on fractal noise, sinking
into the sea towards the edges, coloured by biome) with an apple hanging 2 m up a fruit tree somewhere on the same land
as the spawn, and trees in forests and groves at the original's densities per biome. Nothing keeps the apple in view: at
d = 1 it is usually hundreds of metres away, behind hills and trees, and the spawn faces any way. Indoors (P 0.2, the
original's rate, drawn from a child generator so the outdoor worlds are the same as without it): a sealed building
(docs/buildings.md) on a flat sand square, its storeys cut into the original's house-like rooms, the rooms of a storey
joined by 1-tile hallways along the minimum spanning tree of their centres and every other Delaunay edge (each an A*
path through the walls it crosses), each storey joined to the next by a straight 45-degree ramp (1 wide, 5 m up over 5
tiles, a landing at each end) where one fits; the spawn at the centre of a ground room against the exterior wall, an
apple on the floor at the centre of a target room.

How difficulty scales (as the original's code): goal distance normal around mu = 0.5 -> 300 m (sigma mu / 5; draws under
0.6 mu are drawn again, and so are those the land cannot hold, which makes the median at d = 1 about 280 m; never under
1 m); world side (c / 2) 2^k m with c = round(8 - 5 d U) (3 to 8), the smallest such side over max(2 mu, 30 m), halved
while over 600 m (so 32 m at d = 0 and 320-512 m at d = 1); highest point (0.05 + 0.1 d + N(0, 0.02), at least 0.02) x
side above the water; ground flattened within 1 + 4 (1 - d) m of the spawn and the fruit tree (at least 2 m); foliage
modifier 5 + 25 d U on every biome's tree density; spawn yaw and pitch noise grow with d. Indoors: site radius clip(N(5
+ 20 d, 2.5), 5, 25) m, the building floor(sqrt(2) r) tiles a side (7 -> 35); 1 + round(clip(N(2 d, 0.1), 0, 2)) storeys
(1 -> 3); up to 10 tiles a side a rectangle with rooms at least 2 tiles wide, wider a T or L shape (a full-length bar
and a full-width bar, each U[0.4, 0.8) of the side wide) with rooms at least 3 wide and the upper storeys one rectangle
of it; the target room drawn among the rooms the spawn room reaches with weights the normal density at their room-graph
distance (hallway and ramp lengths) around d x the largest such distance, sigma the square root of the distances'
standard deviation (so a near room at d = 0, the farthest at d = 1); the original's indoor spawn yaw and pitch noise.

Deliberate differences: the biome of a cell comes from simple altitude and moisture bands instead of the original's
three 20 x 20 Whittaker matrices, and tree species map onto our three kinds (avalon.world.biomes says how); the
original's minor flora (bushes, flowers, mushrooms: no collision, never generated in its training worlds and hidden in
its evaluation worlds) is not generated; at most MAX_TREES trees (the render budget; the original's densities are kept
below it, which the rates in docs/tasks.md show: the cap thins only the densest worlds); the spawn and the food are
drawn so the food is exactly the drawn distance away on walkable land connected to the spawn (the original weights
points of the island by the distance's density and has no walkability check). Indoors: the target room is drawn among
the rooms a walk reaches (the original draws it among all rooms, and about 20 % of its 2-3 storey buildings have a
storey no ramp fits, so its food can be out of reach: ours never is; a storey without a ramp up is still left unlinked,
as in the original); the apple rests on the floor at the target room's centre tile (the original drops it from 1.5 m at
a tile corner); hallways never cut the exterior wall (the original's A* searches the whole bounding box); a room has at
most MAX_ROOMS rooms' worth of splits (the reference names no cap for EXPLORE; the split chances end most buildings well
below it); ramps keep off room centres and never split a storey's floor.

What success needs: finding the apple and eating it (indoors: walking the hallways and up the ramps).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from avalon.difficulty import Knob
from avalon.navigation import blocked_points
from avalon.tasks import common as c
from avalon.tasks import indoor
from avalon.world import biomes
from avalon.world import terrain as tr
from avalon.world.connections import add_hallways, link_storeys, reachable_floor, room_graph, touches_outline
from avalon.world.layout import ImpossibleLayoutError, Layout, house_rooms, rectangle_footprints, tl_footprints
from avalon.world.obstacles import Grid, reachable
from avalon.world.obstacles.planning import MAX_RISE
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 2  # 2: the indoor variant (P 0.2)
TASK_NAME = "explore"
VARIANTS: tuple[str, ...] = ("outdoor", "indoor")
FOOD = "apple"

P_INDOOR = 0.2  # the original's rate of indoor worlds
INDOOR_RADIUS = Knob(easy=5.0, hard=25.0)  # m, normal (sigma below) clipped to the range; side floor(sqrt(2) r)
INDOOR_RADIUS_SIGMA = 2.5
EXTRA_STOREYS = 2.0  # storeys = 1 + round(clip N(2 d, STOREYS_SIGMA) to [0, 2])
STOREYS_SIGMA = 0.1
RECTANGLE_MAX_SIDE = 10  # tiles: up to this a rectangle with rooms MIN_ROOM_SMALL wide, wider a T or L shape
MIN_ROOM_SMALL, MIN_ROOM_LARGE = 2, 3
MAX_ROOMS = 40  # per storey
HALLWAY_FRACTION = 1.0  # every Delaunay edge beyond the spanning tree is a hallway

GOAL_DISTANCE = Knob(easy=0.5, hard=300.0)  # m, mean mu of the spawn-to-food distance
GOAL_DISTANCE_SIGMA = 0.2  # of mu
GOAL_DISTANCE_MIN = 0.6  # of mu: shorter draws are drawn again
MIN_GOAL_DISTANCE = 1.0  # m (the original's MIN_GOAL_DISTANCE)
SIZE_FACTOR = Knob(easy=8.0, hard=3.0)  # c = round(8 - 5 d U): the side is (c / 2) 2^k m
MIN_SIDE = 30.0  # m: the side exceeds max(2 mu, this)
MAX_SIDE = 600.0  # m: halved while over this (so never over 512 m)
HEIGHT_RATIO = Knob(easy=0.05, hard=0.15)  # highest point over the side, plus N(0, HEIGHT_RATIO_SIGMA)
HEIGHT_RATIO_SIGMA = 0.02
MIN_HEIGHT_RATIO = 0.02
FOLIAGE = Knob(easy=5.0, hard=30.0)  # modifier on every biome's tree density, random-lerped
SHORE_CLEARANCE = 4  # m (points at 1 m) from the spawn and the food to the water
EDGE_CLEARANCE = 2.0  # m from the world's edge
MAX_TREES = 4000  # the render budget, about the original's largest measured count (3,640): more are thinned at random
PLACEMENT_TRIES = 5000  # (spawn, direction) pairs drawn per world


def world_side(rng: np.random.Generator, d: float, mean_distance: float) -> int:
    """The original's size rule: (c / 2) 2^k m, the smallest over max(2 mu, MIN_SIDE), halved while over
    MAX_SIDE."""
    factor = round(SIZE_FACTOR.random_lerp(rng, d))
    side = factor / 2.0
    while side <= max(2.0 * mean_distance, MIN_SIDE):
        side *= 2.0
    while side > MAX_SIDE:
        side /= 2.0
    return int(side)


def goal_distance(rng: np.random.Generator, d: float) -> tuple[float, float]:
    """(mu, the drawn distance): normal around mu with sigma mu / 5, draws under 0.6 mu drawn again."""
    mean = GOAL_DISTANCE.lerp(d)
    while True:
        distance = rng.normal(mean, GOAL_DISTANCE_SIGMA * mean)
        if distance >= GOAL_DISTANCE_MIN * mean:
            return mean, max(float(distance), MIN_GOAL_DISTANCE)


def _inland(heightmap: tr.Heightmap) -> np.ndarray:
    """Points SHORE_CLEARANCE m or more (in grid steps) from any point under TREE_MIN_ALTITUDE above the water."""
    ok = heightmap.heights >= heightmap.water_height + tr.TREE_MIN_ALTITUDE
    for _ in range(SHORE_CLEARANCE):
        shrunk = ok.copy()
        shrunk[1:, :] &= ok[:-1, :]
        shrunk[:-1, :] &= ok[1:, :]
        shrunk[:, 1:] &= ok[:, :-1]
        shrunk[:, :-1] &= ok[:, 1:]
        ok = shrunk
    return ok


def _place(
    rng: np.random.Generator, heightmap: tr.Heightmap, distance: float
) -> tuple[c.Point2, c.Point2, c.Point2, float]:
    """(spawn, food, trunk, angle from spawn to food): spawn and trunk on inland points, the food `distance` m from
    the spawn and the trunk FOOD_OFFSET_FROM_TRUNK beyond it."""
    inland = _inland(heightmap)
    x, z = heightmap.grid_xz()
    half = (heightmap.shape[1] - 1) * heightmap.cell_size / 2.0 - EDGE_CLEARANCE
    candidates = np.flatnonzero(inland & (np.abs(x) < half) & (np.abs(z) < half))
    if candidates.size == 0:
        raise c.ImpossibleWorldError("no inland point for the spawn")
    # Uniform over the (spawn, direction) pairs whose food and trunk are inland too: the first of many drawn at once.
    spawns = rng.choice(candidates, size=PLACEMENT_TRIES)
    angles = rng.uniform(0.0, 2.0 * math.pi, size=PLACEMENT_TRIES)
    sx, sz = x.flat[spawns], z.flat[spawns]
    ok = np.ones(PLACEMENT_TRIES, bool)
    for reach in (distance, distance + c.FOOD_OFFSET_FROM_TRUNK):
        px, pz = sx + reach * np.cos(angles), sz + reach * np.sin(angles)
        ok &= (np.abs(px) < half) & (np.abs(pz) < half)
        i = np.clip(np.round((px - heightmap.origin_x) / heightmap.cell_size).astype(int), 0, inland.shape[1] - 1)
        j = np.clip(np.round((pz - heightmap.origin_z) / heightmap.cell_size).astype(int), 0, inland.shape[0] - 1)
        ok &= inland[j, i]
    found = np.flatnonzero(ok)
    if found.size:
        k = int(found[0])
        spawn = (float(sx[k]), float(sz[k]))
        food = c.offset(spawn, float(angles[k]), distance)
        return spawn, food, c.offset(food, float(angles[k]), c.FOOD_OFFSET_FROM_TRUNK), float(angles[k])
    raise c.ImpossibleWorldError(f"no inland spot {distance:.0f} m from an inland spawn in {PLACEMENT_TRIES} tries")


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    return indoor.generate_variant(rng, difficulty, variant, generate_indoor, generate_outdoor, P_INDOOR)


def generate_indoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    """The building of rooms, hallways and ramps, food in a room chosen by the distance rule."""
    d = difficulty
    side = indoor.side_for_radius(INDOOR_RADIUS.normal(rng, d, INDOOR_RADIUS_SIGMA))
    storeys = 1 + round(float(np.clip(rng.normal(EXTRA_STOREYS * d, STOREYS_SIGMA), 0.0, EXTRA_STOREYS)))
    if side <= RECTANGLE_MAX_SIDE:
        footprints, min_room = rectangle_footprints(side, side, storeys), MIN_ROOM_SMALL
    else:
        footprints, min_room = tl_footprints(rng, side, side, storeys), MIN_ROOM_LARGE
    layout = Layout(footprints)
    try:
        for s in range(storeys):
            layout.rooms.extend(house_rooms(rng, footprints[s], s, MAX_ROOMS, min_room))
            add_hallways(rng, layout, s, HALLWAY_FRACTION)
    except ImpossibleLayoutError as error:
        raise c.ImpossibleWorldError(str(error)) from error
    link_storeys(rng, layout, ramps=True, ladders=False)  # a storey no ramp fits stays unlinked (the original's)
    building = indoor.place(layout.building((0.0, 0.0, 0.0)))
    starts = [i for i, room in enumerate(layout.rooms) if room.storey == 0 and touches_outline(layout, room)]
    if not starts:
        raise c.ImpossibleWorldError("no ground room touches the exterior wall")
    first = starts[int(rng.integers(len(starts)))]
    spawn_room = layout.rooms[first]
    reach = reachable_floor(building, 0, spawn_room.centre)
    distances = room_graph(layout).distances(first)
    targets = [i for i in sorted(distances) if i != first and reach[layout.rooms[i].storey][layout.rooms[i].centre]]
    if not targets:
        raise c.ImpossibleWorldError("the spawn room reaches no other room")
    far = np.array([distances[i] for i in targets])
    sigma = math.sqrt(float(far.std()))
    # Gaussian weights round d x the farthest; equal weights when every room is as far.
    weights = np.exp(-0.5 * ((far - d * far.max()) / max(sigma, 1e-9)) ** 2) if sigma > 1e-9 else np.ones(len(far))
    if weights.sum() <= 0.0:
        weights = (np.abs(far - d * far.max()) == np.abs(far - d * far.max()).min()).astype(float)
    target = layout.rooms[targets[int(rng.choice(len(targets), p=weights / weights.sum()))]]
    apple = indoor.food_on_floor(building, target.storey, target.centre, FOOD)
    start = indoor.spawn(rng, d, building.tile_centre(0, *spawn_room.centre), apple.position)
    return indoor.world(TASK_NAME, difficulty, GENERATOR_VERSION, building, (apple,), start)


def generate_outdoor(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    mean, distance = goal_distance(rng, d)
    side = world_side(rng, d, mean)
    ratio = max(MIN_HEIGHT_RATIO, HEIGHT_RATIO.lerp(d) + rng.normal(0.0, HEIGHT_RATIO_SIGMA))
    heightmap = biomes.continent(rng, side, ratio)
    spawn_xz, food_xz, trunk, angle = _place(rng, heightmap, distance)
    flat = max(c.FLATTEN_RADIUS.lerp(d), c.MIN_FLAT_RADIUS)
    tr.flatten_many(heightmap, [(spawn_xz, flat), (trunk, flat)])
    tr.quantize_heights(heightmap)

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    spawn = c.spawn_facing(rng, d, (spawn_xz[0], heightmap.height_at(*spawn_xz), spawn_xz[1]), apple.position)
    wetness = biomes.moisture(rng, heightmap)
    colors = biomes.biome_map(heightmap, wetness)
    modifier = FOLIAGE.random_lerp(rng, d)
    trees, _ = biomes.place_flora(
        rng, heightmap, colors, modifier, keep_clear=[(spawn_xz, 2.5), (trunk, 2.5)], max_trees=MAX_TREES
    )
    terrain = dataclasses.replace(heightmap.to_terrain(), cell_colors=colors, palette=biomes.PALETTE)
    spec = WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=terrain,
        trees=trees,
        items=(apple, tree),
        spawn=spawn,
    )
    # The oracle's planner walks what this reaches (water, trunks and slopes over MAX_RISE closed), so every world
    # has a walk from the spawn to the food; a diagonal step counts as the planner's straight one.
    grid = Grid.of(terrain)
    walk = reachable(
        grid, spawn_xz, max_rise=MAX_RISE, max_drop=MAX_RISE * grid.cell_size, blocked=blocked_points(spec, grid)
    )
    if not walk[grid.point(*food_xz)]:
        raise c.ImpossibleWorldError(f"no walk over the {side} m continent from the spawn to the food")
    return spec
