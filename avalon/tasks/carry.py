"""CARRY: another task's obstacle whose tools lie away from it; carry them back, then solve it.

What is generated: an island on the 0.5 m grid holding the obstacle of one inner task, built by that task's `obstacle()`
between the spawn and the goal: THROW's pit (the prey at the goal, rocks on the rim), FIGHT's ridge (the ring round the
goal, weapons at the corridor's entrance, predators beyond), STACK's cliff (stones for a staircase) or BRIDGE's chasm (a
log). Then every tool (rock, stick, stone, log) is moved from its place in the obstacle to a random point of the land
the agent can walk to from the spawn, off the obstacle, and the ground under it is levelled; animals stay where they
are. THROW's goal is its prey; the others get an apple hanging 2 m up a fruit tree at the goal.

How difficulty scales (as the original's code): the inner task is uniform over THROW, FIGHT, STACK and BRIDGE; the inner
obstacle scales with d as in its task; each tool moves to a point drawn with weight pdf N(distance from its place; M, M
/ 4) with M = 1 -> 10 m; trees denser and the spawn's yaw and pitch noisier with d. At d = 0 the tools lie a metre or
two from where the solved obstacle wants them (farther when that place is on or against the obstacle: a log across the
chasm, a stone against the cliff).

Deliberate differences: the original takes the spawn-goal distance from the inner task's world; ours draws it for all
four as N(14 -> 24, 0.5) m, room for the widest inner obstacle at each d (STACK's staircase and BRIDGE's chasm with
their safety circles). The ground under the spawn and the tree's trunk is made flat again after the obstacle is cut
(CLIMB's rule: the levelled aprons of a MIDPOINT ring meet the land beyond in steps), and the trunk stands 2 m or more
from the walls. The island stands 3 m above the sea (the original's sea +3 m), raised by BRIDGE's deepest chasm (6.4 m)
when BRIDGE is the inner task, so the chasm's floor stays dry; its shore can be climbed. Tools are moved only onto land
walked to from the spawn (falls of at most 4 m) and back to it (a held tool leaves no hand to climb with), the whole
tool on it where there is room, at least their radius plus 0.5 m from the obstacle (less where a small spawn side has no
such room, and then the ground under them is not levelled; a tool with no room at all stays in place), 1.5 m from the
spawn and apart from each other, not onto the obstacle's far side (the original also allows the tool's solution region
there); the levelled disc is the tool's radius (a stick's or a log's half length), blending out over 0.5 m. Each inner
obstacle is checked as its `obstacle()` says.

What success needs: the inner task's: eating the prey (THROW) or the apple, after carrying the tools back: rocks to the
rim to throw, weapons through the corridor, stones into a staircase, the log across the chasm.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob
from avalon.entities import KIND_BY_NAME
from avalon.tasks import bridge, fight, stack, throw
from avalon.tasks import common as c
from avalon.tasks import weapons as w
from avalon.tasks.climb import flatten_clear_of_walls
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.grid import dilate, erode
from avalon.world.obstacles.planning import MAX_RISE
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 2
TASK_NAME = "carry"
INNER = {"throw": throw, "fight": fight, "stack": stack, "bridge": bridge}
VARIANTS: tuple[str, ...] = tuple(INNER)  # the inner task
FOOD = "apple"
TOOLS = frozenset({"rock", "large_rock", "stick", "stone", "log"})

GOAL_DISTANCE = Knob(easy=14.0, hard=24.0)  # m, normal (sigma below)
DISTANCE_SIGMA = 0.5
MOVE_DISTANCE = Knob(easy=1.0, hard=10.0)  # m, M: the tools' wanted distance from their place
MOVE_SIGMA_SHARE = 0.25  # sigma = M / 4
# m beyond its horizontal radius a moved tool keeps from the obstacle: the ground levelled under it blends out within
# this, so the levelling never touches the obstacle.
OBSTACLE_CLEARANCE = 0.5  # = FLAT_BLEND
CELL_CLEARANCE = 0.5  # m, the least clearance from the obstacle (a grid cell)
SPAWN_KEEP = 1.5  # m round the spawn without tools
APART = 0.5  # m between moved tools' radii
TOOL_DROP = 0.05  # m above the levelled ground a moved tool starts
BASE_HEIGHT = 3.0  # m above the sea
SAFE_DROP = 4.0  # m the walk to a tool may fall
LAND_SCALE, LAND_MARGIN = 0.5, 6.0  # m of land held round the spawn and the goal: scale x distance + margin
FLAT = 2.0  # m, flat round the spawn and the goal before the obstacle
FLAT_BLEND = 0.5  # m over which the ground levelled under a moved tool blends into the land round it


def generate(rng: np.random.Generator, difficulty: float, variant: str | None = None) -> WorldSpec:
    d = difficulty
    names = tuple(INNER)
    inner = names[int(rng.integers(len(names)))]
    if variant is not None:
        if variant not in INNER:
            raise ValueError(f"carry has no inner task {variant!r}; its inner tasks: {', '.join(INNER)}")
        inner = variant
    distance = max(float(rng.normal(GOAL_DISTANCE.lerp(d), DISTANCE_SIGMA)), GOAL_DISTANCE.easy)
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    land = LAND_SCALE * distance + LAND_MARGIN
    layout = c.frame_points([((0.0, 0.0), land), (goal_rel, land)])
    base = BASE_HEIGHT + (bridge.DEPTH.hard if inner == "bridge" else 0.0)
    heightmap = c.make_island(rng, d, layout, base_height=base, cell_size=FINE_CELL_SIZE)
    spawn = c.snap_to_grid(heightmap, layout.place((0.0, 0.0)))
    goal = c.snap_to_grid(heightmap, layout.place(goal_rel))
    tr.flatten_many(heightmap, [(spawn, FLAT), (goal, FLAT)], blend=2.0)

    built = INNER[inner].obstacle(rng, d, c.Constraint(heightmap, spawn, goal))
    if inner != "throw":  # the fruit tree's trunk stands at the goal: level ground under it, clear of the walls
        flatten_clear_of_walls(heightmap, built.ring, spawn, goal)
    entities = _move_tools(rng, d, heightmap, spawn, built)

    items: list[Item] = []
    target: c.Vec3
    if inner == "throw":
        target = next(position for kind, position, _, _ in entities if KIND_BY_NAME[kind].animal is not None)
    else:
        ground = heightmap.height_at(*goal)
        apple = c.hanging_food(rng, FOOD, 1, ground, goal, angle)  # on the far side of the trunk
        items += [apple, Item.fruit_tree(2, (goal[0], ground, goal[1]), c.FRUIT_TREE_HEIGHT)]
        target = apple.position
    for kind, position, yaw, fields in entities:
        items.append(Item.of(kind, len(items) + 1, position, yaw, **fields))
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, target)
    keep = [(spawn, 2.5), (goal, 2.5)] + [((p[0], p[2]), w.clearance(kind)) for kind, p, _, _ in entities]
    terrain, trees = c.decorate(rng, difficulty, heightmap, keep_clear=keep)
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


def _move_tools(
    rng: np.random.Generator, d: float, heightmap: tr.Heightmap, spawn: c.Point2, built: c.Obstacle
) -> list[tuple[str, c.Vec3, float, dict[str, Any]]]:
    """The obstacle's entities with every tool moved (in order) to a point walked to from the spawn, off the
    obstacle, drawn by the distance from its place; the ground under each is levelled, then each tool is put on it."""
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    cs = heightmap.cell_size
    # Land the body walks to (falling at most SAFE_DROP m on the way) and back from, carrying the tool on foot: a
    # held tool leaves no hand to climb with.
    walk = ob.reachable(heightmap, spawn, max_drop=SAFE_DROP)
    back = ob.reachable(heightmap, spawn, max_rise=SAFE_DROP / (cs * math.sqrt(2.0)), max_drop=MAX_RISE * cs)
    land = heightmap.heights > grid.water_height
    base = walk & back & land & built.ring.spawn_side & (np.hypot(x - spawn[0], z - spawn[1]) > SPAWN_KEEP)
    mean = MOVE_DISTANCE.lerp(d)
    entities = list(built.entities)
    moved: dict[int, tuple[c.Point2, float]] = {}  # entity index: (new point, radius)
    level: list[tuple[c.Point2, float]] = []  # the discs levelled under moved tools
    for n, (kind, position, _, fields) in enumerate(entities):
        if kind not in TOOLS:
            continue
        radius = KIND_BY_NAME[kind].physics.horizontal_radius
        if "length" in fields:  # a stick or a log lies along its length
            radius = max(radius, float(fields["length"]) / 2.0)
        # A small spawn side (a ring round the spawn) may have no room that far from the obstacle: the clearance
        # shrinks (and the ground is then not levelled, which would reach the obstacle), and a tool with no room at
        # all stays in place (as the library's jittered items do).
        # The whole tool lies on that land where it can (levelled there, its disc stays level with the land round
        # it: not a pit cut into a slope the body cannot walk out of).
        for clearance, inside in (
            (radius + OBSTACLE_CLEARANCE, radius),
            (radius + OBSTACLE_CLEARANCE, 0.0),
            (radius, 0.0),
            (CELL_CLEARANCE, 0.0),
        ):
            allowed = erode(base, math.ceil(inside / cs)) & ~dilate(built.ring.obstacle, math.ceil(clearance / cs))
            if allowed.any():
                break
        else:
            continue
        taken = [(point, radius + other + APART) for point, other in moved.values()]
        sigma = MOVE_SIGMA_SHARE * mean
        point = w.random_point(rng, heightmap, (position[0], position[2]), mean, allowed, taken, sigma)
        moved[n] = (point, radius)
        if clearance > radius:
            level.append((point, radius))
    tr.flatten_many(heightmap, level, blend=FLAT_BLEND)
    out = []
    for n, (kind, position, yaw, fields) in enumerate(entities):
        if n in moved:
            (px, pz), _ = moved[n]
            physics = KIND_BY_NAME[kind].physics
            rest = float(fields["size"]) / 2.0 if isinstance(fields.get("size"), float) else physics.rest_height
            top = w.ground_under(heightmap, (px, pz), physics.horizontal_radius)
            position = (px, top + rest + TOOL_DROP, pz)
        out.append((kind, position, yaw, fields))
    return out
