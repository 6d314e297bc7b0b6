"""THROW: prey out of reach below; throw rocks at it from the rim, then get down and eat it.

What is generated: an island on the 0.5 m grid with one prey animal (turtle, mouse, rabbit, squirrel, deer, pigeon or
crow) either in a pit or below a platform. Pit: a single ring wall round the prey, the land outside raised `depth` m, so
the prey stands on the pit's floor. Platform: a single ring wall round the spawn, the land outside lowered `depth` m, so
the agent stands on a plateau and the prey below. The wall is a 1 m climbable ramp (the way down to the kill). Small
rocks lie in a row along the high rim by the crossing, 0.5 m back from its edge, moved up to 2 m at random, each on a
levelled disc of its radius (so it lies still); the agent starts at their mean (stepped back until clear of them),
looking at the prey.

How difficulty scales (as the original's code): the prey is a categorical draw over turtle, mouse, rabbit, squirrel,
deer, pigeon, crow (easy to hard; the draw does not rewrite d); P(pit) = 0.1^d (else a platform); the spawn-goal
distance is N(D, D / 10) with D = 5 -> 20 m; with m = 0.99 (distance - 3), the rim lies `outer` = m - clip(N(0.1 m ->
0.9 m, 0.5)) m from the spawn side (so the pit's wall closes in on the rim and the prey lies farther in as d grows);
depth 3 -> 10 m; round(clip(N(6.49 -> 1.51, 0.25))) rocks (6 at d = 0, 2 at d = 1); the exact part of the wall 10 - 9 d
U m wide; trees denser and the spawn's yaw and pitch noisier with d. At d = 0 a turtle sits on the floor of a 3 m deep
pit about 3 m from its rim, six rocks at the agent's feet.

Deliberate differences: the prey stands on the ground (its centre the body's half height above the highest ground under
it), not at terrain + 0.5 m partly in the ground (the original's bug). Our ring library draws the crossing in the middle
of a band between the spawn side and the goal; for the pit the band is centred on the rim radius the original asks for
(goal distance less `outer`). The island is not raised by 10 000 m and lowered back: the pit is cut by raising the land
round it, the platform's island is built depth + 3 m high (the original's sea 3 m below the lowest land). Every world is
checked: the prey is reachable from the spawn by walking, falls of at most 4 m and climbing the climbable cells (the
wall), the rocks and the spawn lie on the high rim.

What success needs: eating the prey: a rock thrown (it hurts only in flight, at 0.5 m/s or more relative to the prey)
kills it (the deer takes two hits), then the agent climbs down, grabs it and eats it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob, select_boolean, select_categorical
from avalon.entities import ROCK_SIZE
from avalon.tasks import common as c
from avalon.tasks import weapons as w
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 1
TASK_NAME = "throw"
# Easy to hard, the original's order (no frog: it is eaten alive, no throw needed).
PREY = ("turtle", "mouse", "rabbit", "squirrel", "deer", "pigeon", "crow")
VARIANTS: tuple[str, ...] = PREY

P_PIT = (1.0, 0.1)  # P(pit) = 0.1^d, else a platform (the draw's rewritten d is not used, as the original)
GOAL_DISTANCE = Knob(easy=5.0, hard=20.0)  # m, D; the distance is N(D, D * DISTANCE_SIGMA_SHARE)
DISTANCE_SIGMA_SHARE = 0.1
ROOM_SHARE, ROOM_LESS = 0.99, 3.0  # m = 0.99 (distance - 3): the room for the rim's distance from the spawn side
MIN_ROOM = 0.5  # m: less room and the world is drawn again (the original's retry)
OUTER_SHARE = Knob(easy=0.1, hard=0.9)  # outer = m - clip(N(lerp * m, sigma)) with the bounds 0.1 m and 0.9 m
OUTER_SIGMA = 0.5
DEPTH = Knob(easy=3.0, hard=10.0)  # m
ROCK_COUNT = Knob(easy=6.49, hard=1.51)  # round(clip(N(lerp, sigma)))
ROCK_COUNT_SIGMA = 0.25
ROCK_JITTER = 2.0  # m a rock is moved from its place in the row
ROCK_SPACING = 0.75  # m between the rocks of the row (each 0.5 m)
BRINK = 0.5  # m from the rim's edge to the row of rocks
BRINK_MARGIN = 1.0  # m: a rock at least this far inside the rim after its jitter (its level disc is 0.71 m)
INCLINE = 1.0  # m, the wall's ramp
TRAVERSAL_WIDTH = 10.0  # m; minus 9 d U
TRAVERSAL_SHRINK = 9.0
SEARCH_RADIUS = Knob(easy=2.0, hard=12.0)  # m round the crossing's mid-band point (the original's 2 + 10 d)
SEA_BELOW = 3.0  # m from the lowest land down to the water (the original's sea +3 m)
BASE_HEIGHT = 1.5  # m, the pit island's ground above the water before the outside is raised
SAFE_DROP = 4.0  # m the reachability check lets the body fall (fall damage starts at about 5 m)
LAND_SCALE, LAND_MARGIN = 0.5, 6.0  # m of land held round the spawn and the goal: scale x distance + margin
# m, flat round the spawn (on the rim beside the rocks: the cells round it), blending back over as much
SPAWN_FLAT = 1.0
FLAT = 2.0  # m, flat ground round the spawn and the goal before the ring is cut


def _draw_prey(rng: np.random.Generator, d: float, variant: str | None) -> str:
    """The prey: the categorical draw is made even when the variant forces it (the stream stays the same)."""
    prey, _ = select_categorical(rng, PREY, d)
    if variant is not None:
        if variant not in PREY:
            raise ValueError(f"throw has no prey {variant!r}; its prey: {', '.join(PREY)}")
        prey = variant
    return prey


def _draw_pit(rng: np.random.Generator, d: float, distance: float) -> tuple[float, int, float, float]:
    """(depth, rocks, the exact part's width, `outer`: the rim's distance from the spawn side) for a spawn-goal
    `distance`; an ImpossibleWorldError when the distance leaves no room for the rim."""
    room = ROOM_SHARE * (distance - ROOM_LESS)
    if room < MIN_ROOM:
        raise ob.ImpossibleWorldError(f"spawn and prey {distance:.1f} m apart leave no room for the rim")
    depth = DEPTH.lerp(d)
    rocks = round(ROCK_COUNT.normal(rng, d, ROCK_COUNT_SIGMA))
    width = TRAVERSAL_WIDTH - TRAVERSAL_SHRINK * d * float(rng.uniform())
    outer = room - Knob(OUTER_SHARE.easy * room, OUTER_SHARE.hard * room).normal(rng, d, OUTER_SIGMA)
    return depth, rocks, width, outer


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    d = difficulty
    prey = _draw_prey(rng, d, variant)
    pit, _ = select_boolean(rng, d, *P_PIT)
    big_d = GOAL_DISTANCE.lerp(d)
    distance = float(rng.normal(big_d, big_d * DISTANCE_SIGMA_SHARE))
    depth, rocks, width, outer = _draw_pit(rng, d, distance)

    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    land = LAND_SCALE * distance + LAND_MARGIN
    layout = c.frame_points([((0.0, 0.0), land), (goal_rel, land)])
    base = BASE_HEIGHT if pit else depth + SEA_BELOW
    heightmap = c.make_island(rng, d, layout, base_height=base, unclimbable_shore=True, cell_size=FINE_CELL_SIZE)
    spawn, goal = layout.place((0.0, 0.0)), layout.place(goal_rel)
    tr.flatten_many(heightmap, [(spawn, FLAT), (goal, FLAT)], blend=2.0)

    built = _build(rng, d, heightmap, spawn, goal, prey, pit, depth, outer, rocks, width)
    rock_points = [(p[0], p[2]) for kind, p, _, _ in built.entities if kind == "rock"]
    start = w.spawn_among(heightmap, rock_points, built.solution.heading + math.pi, built.ring.spawn_side)
    # The agent stands level on the rim (only the rim changes, so the wall keeps its shape); the rocks beside it
    # are put back on the ground after.
    before = heightmap.heights
    tr.flatten(heightmap, start, SPAWN_FLAT, blend=SPAWN_FLAT)
    heightmap.heights = np.where(built.ring.spawn_side, heightmap.heights, before)
    _check(heightmap, start, goal, built)

    items = []
    for n, (kind, position, yaw, fields) in enumerate(built.entities, start=1):
        if kind == "rock":
            position = w.weapon_item(heightmap, kind, n, (position[0], position[2]), yaw).position
        items.append(Item.of(kind, n, position, yaw, **fields))
    animal = next(item for item in items if item.kind == prey)
    feet = (start[0], heightmap.height_at(*start), start[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, animal.position)
    terrain, trees = c.decorate(
        rng,
        difficulty,
        heightmap,
        keep_clear=[(start, 2.5), (goal, w.clearance(prey))] + [(p, 1.0) for p in rock_points],
        clear_lines=[(start, goal, 2.0)],
    )
    trees = w.trees_off(heightmap, trees, built.ring.obstacle)
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


def pit_ring(
    rng: np.random.Generator,
    heightmap: tr.Heightmap,
    goal: c.Point2,
    toward: c.Point2,
    rim_radius: float,
    depth: float,
    wall: ob.Wall,
    traversal_width: float,
    search_radius: float,
) -> ob.Ring:
    """A pit round `goal` whose crossing lies about `rim_radius` m from it (the wall's top), towards `toward`.

    The ring library draws the crossing in the middle 40 % of the band between the safety circles round its two
    points; the second point is put on the line to `toward` at 2 R - L from the goal (R the rim radius, L the ramp)
    and the safety grown by (R - 1.5) / 2 on both sides, so the band is centred on R and R - 1 m wide."""
    length = math.dist(goal, toward)
    if length < 1e-9:
        raise ob.ImpossibleWorldError("the pit's goal and its rim direction coincide")
    far = 2.0 * rim_radius - wall.length
    point = (goal[0] + (toward[0] - goal[0]) * far / length, goal[1] + (toward[1] - goal[1]) * far / length)
    extra = max(0.0, (rim_radius - 1.5) / 2.0 - 0.25)
    return ob.make_pit(
        rng,
        heightmap,
        point,
        goal,
        depth,
        wall,
        traversal_width=traversal_width,
        search_radius=search_radius,
        extra_safety=extra,
    )


def _build(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    spawn: c.Point2,
    goal: c.Point2,
    prey: str,
    pit: bool,
    depth: float,
    outer: float,
    rocks: int,
    width: float,
) -> c.Obstacle:
    """The pit (round `goal`) or the platform (round `spawn`), the rocks on the high rim and the prey at `goal`."""
    wall = ob.Wall(length=INCLINE, climbable=True)
    search = SEARCH_RADIUS.lerp(d)
    if pit:
        rim_radius = math.dist(spawn, goal) - outer
        if rim_radius < INCLINE + w.clearance(prey) - 0.5:  # the prey's body fits on the floor, 0.5 m to spare
            raise ob.ImpossibleWorldError(f"a pit's rim {rim_radius:.1f} m from the prey leaves it no floor")
        ring = pit_ring(rng, heightmap, goal, spawn, rim_radius, depth, wall, width, search)
    else:
        config = ob.RingConfig(
            height=-depth, wall=wall, traversal_width=width, center_on_spawn=1.0, search_radius=search
        )
        ring = ob.make_ring(rng, heightmap, spawn, goal, config)
    solution = ob.solve(ring, heightmap, brink=BRINK)
    # The row of rocks runs along the rim's edge (local z), then each rock is moved up to ROCK_JITTER m.
    offsets = [(0.0, ROCK_SIZE / 2 + w.TOOL_DROP, ROCK_SPACING * (k - (rocks - 1) / 2)) for k in range(rocks)]
    # The rim is eroded by the rock's radius and a point (1 m), more than the levelled disc's reach (0.96 m).
    positions = ob.place_items(
        rng, heightmap, solution, ob.Side.SPAWN, offsets, radius=ROCK_SIZE / 2, jitter=ROCK_JITTER
    )
    w.check_off_the_brink(heightmap, [(x, z) for x, _, z in positions], ring.spawn_side, BRINK_MARGIN)
    entities: list[tuple[str, c.Vec3, float, dict[str, Any]]] = []
    for x, _, z in positions:
        w.level_under(heightmap, "rock", (x, z), ring.spawn_side)
    # Heights once every disc is levelled: a later disc may reach under an earlier rock.
    for x, _, z in positions:
        rock = w.weapon_item(heightmap, "rock", 1, (x, z), float(rng.uniform(-180.0, 180.0)))
        entities.append(("rock", rock.position, rock.yaw, {"size": ROCK_SIZE}))
    animal = w.animal_item(heightmap, prey, 1, goal, w.ANIMAL_YAW)
    entities.append((prey, animal.position, animal.yaw, {}))
    return c.Obstacle(ring, solution, (solution.spawn_end, solution.goal_end, goal), tuple(entities))


def _check(heightmap: tr.Heightmap, spawn: c.Point2, goal: c.Point2, built: c.Obstacle) -> None:
    """The spawn and the rocks must be on the high rim, the rocks and the prey reachable from the spawn (walking, falls
    of at most SAFE_DROP m and climbing the climbable cells) and the prey below the rim."""
    grid = ob.Grid.of(heightmap)
    if not built.ring.spawn_side[grid.point(*spawn)]:
        raise ob.ImpossibleWorldError("the spawn is not on the high rim")
    reach = ob.reachable(heightmap, spawn, max_drop=SAFE_DROP, climbable=~heightmap.unclimbable)
    if not reach[grid.point(*goal)]:
        raise ob.ImpossibleWorldError("the prey cannot be reached from the rim")
    for kind, (x, _, z), _, _ in built.entities:
        if kind == "rock" and not (built.ring.spawn_side[grid.point(x, z)] and reach[grid.point(x, z)]):
            raise ob.ImpossibleWorldError("a rock lies off the high rim or out of reach")
    prey = built.entities[-1]
    if not built.ring.goal_side[grid.point(prey[1][0], prey[1][2])]:
        raise ob.ImpossibleWorldError("the prey is not below the rim")


def obstacle(rng: np.random.Generator, difficulty: float, constraint: c.Constraint) -> c.Obstacle:
    """THROW's pit in carry mode (always a pit, as the original's CARRY): the prey at the constraint's end in a pit
    whose rim lies on the start's side, rocks on the rim by the crossing. Same knobs as the task's worlds; the
    spawn-goal distance is the constraint's. Checked: the start is on the rim (the crossing can be drawn well off the
    start's direction, where the pit may reach past it), the rocks and the prey are reachable from it."""
    d = difficulty
    prey = _draw_prey(rng, d, None)
    depth, rocks, width, outer = _draw_pit(rng, d, math.dist(constraint.start, constraint.end))
    built = _build(
        rng, d, constraint.heightmap, constraint.start, constraint.end, prey, True, depth, outer, rocks, width
    )
    _check(constraint.heightmap, constraint.start, constraint.end, built)
    return built
