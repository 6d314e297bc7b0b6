"""HUNT: a prey animal in the open (or trapped in a pit); kill it with the weapons about and eat it.

What is generated: an island (on the 0.5 m grid with a pit, else the 1 m grid) with one prey animal (frog, turtle,
mouse, rabbit, pigeon, squirrel, crow or deer) and a few weapons (rocks, large rocks, sticks). In the open the prey
stands at the goal and the weapons lie on reachable land round a point between the spawn and the goal. In a pit (a
single climbable ring wall round the prey, the land outside raised) the weapons lie on the rim by the crossing (2.5 m
apart when there is room, 1.5 m or more from the wall), each on a levelled disc of its radius, and the agent starts at
their mean, looking at the prey. A flying prey (pigeon, crow) always comes with a rock, which can be thrown; a frog
needs no weapon (it is grabbed and eaten alive, then eaten again).

How difficulty scales (as the original's code): P(pit) = 0.01^d (a boolean draw that rewrites d); the prey is a
categorical draw over the eight (easy to hard, not rewriting d; at d = 0 a frog); the spawn-goal distance is N(5 -> 20,
0.5) m in a pit, N(10 -> 40, 0.5) m in the open; the weapon budget int(clip(N(5.49 -> 1.51, 0.5))) (a rock worth 0.5, a
stick 1; each weapon worth a whole unit a rock with P 0.5, each rock large with P 0.8 -> 0.2); weapons within 3 + 3 d U
m of their anchor (spawn + (goal - spawn) / U(1.5, 2.5)) in the open, or drawn round the crossing's rim end with weight
pdf N(distance; 0, that radius) in a pit; in a pit: wall ramp L = U(0.5, 1.75) m, rim radius from the prey lerp(L + 1.5
-> distance - 1) m, P(shallow) = 0.01^d (rewrites d) with depth clip(N(1 -> 2, 0.25)) m shallow or clip(N(3 -> 2, 0.25))
m deep, exact part of the wall clip(N(10 -> 1, 1)) m wide; trees denser and the spawn's yaw and pitch noisier with d. At
d = 0 a frog sits in a 1 m pit 2-3 m from the agent, five weapons' worth at its feet.

Deliberate differences: the prey stands on the ground (centre at the body's half height above the ground under it), not
1.5625 m up. The original's pit rim ("outer length = room - lerp(2 -> room)", room = distance - 1 - (L + 2)) is negative
for most d = 0 distances (about 5 m); ours puts the rim lerp(L + 1.5 -> distance - 1) m from the prey, so the pit widens
with d, always has 1.5 m of floor (more for a big prey's body: its horizontal radius + 0.5 m) and exists at d = 0; when
even that does not fit the prey is in the open (the original's fallback when its room is missing). Weapon points are
drawn on land reachable from the spawn by walking and falls of at most 4 m, whose cells are climbable and walkable, 1 m
from the water and 2 m from the spawn and the prey, with the original's weight (a normal pdf of the distance to the
anchor round the weapon radius, sigma 5 m). The evaluation set's forced worlds (one per prey at d = 1) force the prey
and P(rock) = 1.0 as the original really did; its forced weapon value 2 and "no large weapons" are ignored there
(reference section 4) and so here. Every world is checked: the prey and every weapon are reachable from the spawn.

What success needs: eating the prey: hit it with a weapon (a thrown rock, or a held stick swung into it) until it dies
(the deer takes two hits), grab it and eat it; a frog is grabbed and eaten alive (which kills it) and then eaten.
"""

from __future__ import annotations

import math

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, lerp, select_boolean, select_categorical
from avalon.entities import AIR, KIND_BY_NAME, PREY_KINDS
from avalon.tasks import common as c
from avalon.tasks import weapons as w
from avalon.tasks.throw import pit_ring
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.grid import erode
from avalon.world.spec import WorldSpec

GENERATOR_VERSION = 1
TASK_NAME = "hunt"
PREY = PREY_KINDS  # frog, turtle, mouse, rabbit, pigeon, squirrel, crow, deer: easy to hard
VARIANTS: tuple[str, ...] = PREY
FORCED_ROCK_PROBABILITY = 1.0  # the evaluation set's forced worlds (one per prey)

P_PIT = (1.0, 0.01)  # rewrites d
PIT_DISTANCE = Knob(easy=5.0, hard=20.0)  # m, normal (sigma below)
OPEN_DISTANCE = Knob(easy=10.0, hard=40.0)  # m, normal
DISTANCE_SIGMA = 0.5
INCLINE = (0.5, 1.75)  # m, the pit wall's ramp, uniform
ROOM_LESS = 1.0  # m: the rim lies at most distance - 1 m from the prey (the spawn side keeps a metre)
PIT_FLOOR = 1.5  # m of pit floor at least between the prey and the ramp's foot
P_SHALLOW = (1.0, 0.01)  # rewrites d
SHALLOW_DEPTH = Knob(easy=1.0, hard=2.0)  # m
DEEP_DEPTH = Knob(easy=3.0, hard=2.0)  # m
DEPTH_SIGMA = 0.25
TRAVERSAL_WIDTH = Knob(easy=10.0, hard=1.0)  # m
TRAVERSAL_WIDTH_SIGMA = 1.0
WEAPON_RADIUS = Knob(easy=3.0, hard=6.0)  # m, random-lerped: 3 + 3 d U
ANCHOR_DIVISOR = (1.5, 2.5)  # anchor = spawn + (goal - spawn) / U(1.5, 2.5)
WEAPON_FLAT = 1.0  # m, flat ground round each weapon in the open (blending out over as much again)
SPAWN_KEEP, PREY_KEEP = 2.0, 2.0  # m round the spawn and the prey without weapons
WEAPON_SPACING = 1.5  # m between weapon points in the open, when possible
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m round the crossing's mid-band point (2 + 10 d)
BRINK = 0.5  # m from the pit's rim to the weapons' line
BRINK_MARGIN = 1.5  # m from a weapon to the pit's wall at least (a large rock's levelled disc is 1.41 m)
SAFE_DROP = 4.0  # m the reachability checks let the body fall
BASE_HEIGHT = 1.5  # m
LAND_SCALE, LAND_MARGIN = (
    0.2,
    6.0,
)  # m of land held round the spawn and the goal: scale x distance + margin (a 40 m hunt fits the 100 m cap)
FLAT = 2.0  # m, flat round the spawn and the goal before anything else
# m, flat round a pit world's spawn (on the rim, among the weapons: the cells round it), blending back over as much
SPAWN_FLAT = 1.0
# m between heightmap points: the pit's ramp needs the obstacle tasks' 0.5 m grid; open worlds (up to 100 m wide) have
# no sub-metre feature and take the 1 m grid of EAT and MOVE, a quarter of the points (generation 2-3x faster).
OPEN_CELL_SIZE = 1.0


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    d = difficulty
    in_pit, d = select_boolean(rng, d, *P_PIT)
    prey, _ = select_categorical(rng, PREY, d)
    rock_probability = w.ROCK_PROBABILITY
    if variant is not None:
        if variant not in PREY:
            raise ValueError(f"hunt has no prey {variant!r}; its prey: {', '.join(PREY)}")
        prey, rock_probability = variant, FORCED_ROCK_PROBABILITY
    mean = (PIT_DISTANCE if in_pit else OPEN_DISTANCE).lerp(d)
    distance = max(float(rng.normal(mean, DISTANCE_SIGMA)), 1.0)
    incline = float(rng.uniform(*INCLINE))
    flies = KIND_BY_NAME[prey].animal_info.domain == AIR
    kinds = w.select_weapons(rng, d, rock_required=flies, rock_probability=rock_probability)
    weapon_radius = WEAPON_RADIUS.random_lerp(rng, d)
    room = distance - ROOM_LESS
    floor = max(PIT_FLOOR, w.clearance(prey) - 0.5)  # the prey's body fits on the floor, 0.5 m to spare
    in_pit = in_pit and room >= incline + floor

    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    land = LAND_SCALE * distance + LAND_MARGIN
    layout = c.frame_points([((0.0, 0.0), land), (goal_rel, land)])
    cell_size = FINE_CELL_SIZE if in_pit else OPEN_CELL_SIZE
    heightmap = c.make_island(rng, d, layout, base_height=BASE_HEIGHT, unclimbable_shore=True, cell_size=cell_size)
    spawn, goal = layout.place((0.0, 0.0)), layout.place(goal_rel)
    tr.flatten_many(heightmap, [(spawn, FLAT), (goal, FLAT)], blend=2.0)

    if in_pit:
        points, spawn, ring = _pit(rng, d, heightmap, spawn, goal, incline, floor, room, kinds, weapon_radius)
        tr.flatten(heightmap, spawn, SPAWN_FLAT, blend=SPAWN_FLAT)  # the agent stands level on the rim
    else:
        points, ring = _open(rng, heightmap, spawn, goal, len(kinds), weapon_radius), None
    _check(heightmap, spawn, goal, points)

    animal = w.animal_item(heightmap, prey, 1, goal, w.ANIMAL_YAW)
    items = [animal]
    for n, (kind, point) in enumerate(zip(kinds, points, strict=True), start=2):
        items.append(w.weapon_item(heightmap, kind, n, point, float(rng.uniform(-180.0, 180.0))))
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, animal.position)
    keep = [(spawn, 2.5), (goal, w.clearance(prey))] + [(p, 1.5) for p in points]
    terrain, trees = c.decorate(rng, difficulty, heightmap, keep_clear=keep)
    if ring is not None:  # no tree on the pit's wall (it would be a ladder out of the pit)
        trees = w.trees_off(heightmap, trees, ring.obstacle)
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


def _pit(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    spawn: c.Point2,
    goal: c.Point2,
    incline: float,
    floor: float,
    room: float,
    kinds: list[str],
    weapon_radius: float,
) -> tuple[list[c.Point2], c.Point2, ob.Ring]:
    """The pit round `goal`, the weapons on its rim by the crossing and the spawn at their mean."""
    shallow, d = select_boolean(rng, d, *P_SHALLOW)
    depth = (SHALLOW_DEPTH if shallow else DEEP_DEPTH).normal(rng, d, DEPTH_SIGMA)
    width = TRAVERSAL_WIDTH.normal(rng, d, TRAVERSAL_WIDTH_SIGMA)
    rim_radius = lerp(incline + floor, room, d)
    wall = ob.Wall(length=incline, climbable=True)
    ring = pit_ring(rng, heightmap, goal, spawn, rim_radius, depth, wall, width, SEARCH_RADIUS.lerp(d))
    solution = ob.solve(ring, heightmap, brink=BRINK)
    rim = erode(ring.spawn_side, math.ceil(BRINK_MARGIN / heightmap.cell_size))  # off the brink
    points = w.scatter(rng, heightmap, kinds, solution.spawn_end, weapon_radius, rim, w.WEAPON_SPACING, True)
    for kind, point in zip(kinds, points, strict=True):
        w.level_under(heightmap, kind, point, ring.spawn_side)
    if not points:  # the original's random point (no weapons is impossible with a budget of 1 or more)
        return points, solution.spawn_end, ring
    return points, w.spawn_among(heightmap, points, solution.heading + math.pi, ring.spawn_side), ring


def _open(
    rng: np.random.Generator,
    heightmap: tr.Heightmap,
    spawn: c.Point2,
    goal: c.Point2,
    count: int,
    weapon_radius: float,
) -> list[c.Point2]:
    """Weapon points round the anchor between the spawn and the goal, on safe land reachable from the spawn, each
    flattened round."""
    divisor = float(rng.uniform(*ANCHOR_DIVISOR))
    anchor = (spawn[0] + (goal[0] - spawn[0]) / divisor, spawn[1] + (goal[1] - spawn[1]) / divisor)
    reach = ob.reachable(heightmap, spawn, max_drop=SAFE_DROP)
    safe = w.safe_land(heightmap, reach)
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    safe &= (np.hypot(x - spawn[0], z - spawn[1]) > SPAWN_KEEP) & (np.hypot(x - goal[0], z - goal[1]) > PREY_KEEP)
    points: list[c.Point2] = []
    for _ in range(count):
        taken = [(p, WEAPON_SPACING) for p in points]
        points.append(w.random_point(rng, heightmap, anchor, weapon_radius, safe, taken))
    tr.flatten_many(heightmap, [(p, WEAPON_FLAT) for p in points], blend=WEAPON_FLAT)
    return points


def _check(heightmap: tr.Heightmap, spawn: c.Point2, goal: c.Point2, points: list[c.Point2]) -> None:
    """The prey and every weapon must be reachable from the spawn (walking, falls of 4 m, climbing)."""
    grid = ob.Grid.of(heightmap)
    reach = ob.reachable(heightmap, spawn, max_drop=SAFE_DROP, climbable=~heightmap.unclimbable)
    if not reach[grid.point(*goal)]:
        raise ob.ImpossibleWorldError("the prey cannot be reached from the spawn")
    for point in points:
        if not reach[grid.point(*point)]:
            raise ob.ImpossibleWorldError("a weapon cannot be reached from the spawn")
