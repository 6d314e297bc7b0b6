"""AVOID: predators roam between the spawn and an apple tree; get to the apple without being killed.

What is generated: an island (1 m grid) with an apple hanging 2 m up a fruit tree at the goal and predators off the line
from the spawn to the goal, each standing on the ground facing -Z (the original's identity basis). No weapons: the way
to the food goes round the predators. A circle round the spawn is kept free of predators.

How difficulty scales (as the original's code): the predator kinds and count of `weapons.select_predator_types` (the
hardest a categorical draw over bee, snake, hawk, hippo, alligator, eagle, wolf, jaguar, bear that rewrites d;
round(clip(N(0.55 -> 5.45, 0.5))) of them); spawn-goal distance N(13 + (39 - 39 d) U, 0.5) m, so the food comes nearer
as d grows (and the predators sit closer to the way); safety radius round the spawn 11 -> 8 m; per predator, an offset
from the spawn-goal line N(10 -> 1, 1) m (not clipped) on a side drawn 50/50, at a fraction clip(N(0.9 -> 0.1, 0.1)) of
the way, then moved by the random-point rule (weight a normal pdf of the distance to that spot round 1 m, sigma 5 m);
trees denser and the spawn's yaw and pitch noisier with d. At d = 0 one bee waits about 10 m off the way, near the
apple, 13-52 m away.

Deliberate differences: predators stand on the ground (centre at the body's half height above it), not 1.5625 m up; they
are drawn only on land reachable from the spawn whose cells are walkable and climbable, 1 m from the water and outside
the safety circle, at least 2.5 m from the tree's trunk and their body 0.5 m clear of it and of the apple (a body
through the apple knocks it off the tree); several predators keep
their body radii plus 0.5 m apart when there is room. The world is at most 100 m wide, so the land kept round the spawn
and the goal is 0.1 x their distance + 6 m. Every world is checked: the tree is reachable from the spawn by walking
(falls of at most 4 m).

What success needs: eating the apple, alive: predators within their detection radius (6-12 m) chase and bite (0.25-5 hit
points; a snake's bite kills), so the way goes round them or past them quickly.
"""

from __future__ import annotations

import math

import numpy as np

from avalon.difficulty import Knob
from avalon.entities import KIND_BY_NAME
from avalon.tasks import common as c
from avalon.tasks import weapons as w
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 2
TASK_NAME = "avoid"
VARIANTS: tuple[str, ...] = ()
FOOD = "apple"

DISTANCE_BASE, DISTANCE_EXTRA = 13.0, 39.0  # m: N(13 + (39 - 39 d) U, sigma)
DISTANCE_SIGMA = 0.5
MIN_DISTANCE = 8.0  # m: the spawn keeps its safety circle short of the tree
SAFETY_RADIUS = Knob(easy=11.0, hard=8.0)  # m round the spawn without predators
LINE_OFFSET = Knob(easy=10.0, hard=1.0)  # m off the spawn-goal line, normal (not clipped)
LINE_OFFSET_SIGMA = 1.0
ALONG = Knob(easy=0.9, hard=0.1)  # fraction of the way from the spawn, clip(N(lerp, sigma))
ALONG_SIGMA = 0.1
POINT_RADIUS = 1.0  # m: the random-point rule's wanted distance from the spot (the original's radius 1)
APART_MARGIN = 0.5  # m between predators' bodies, when there is room
SAFE_DROP = 4.0  # m the reachability check lets the body fall
BASE_HEIGHT = 1.5  # m
LAND_SCALE, LAND_MARGIN = 0.1, 6.0  # m of land held round the spawn and the goal: scale x distance + margin
FLAT = 2.0  # m, flat round the spawn and the trunk


def generate(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    predators, d = w.select_predator_types(rng, difficulty)
    mean = DISTANCE_BASE + (DISTANCE_EXTRA - DISTANCE_EXTRA * d) * float(rng.uniform())
    distance = max(float(rng.normal(mean, DISTANCE_SIGMA)), MIN_DISTANCE)
    safety = SAFETY_RADIUS.lerp(d)
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK)
    land = LAND_SCALE * distance + LAND_MARGIN
    layout = c.frame_points([((0.0, 0.0), max(land, safety)), (goal_rel, land)])
    heightmap = c.make_island(rng, d, layout)
    spawn, goal, trunk = layout.place((0.0, 0.0)), layout.place(goal_rel), layout.place(trunk_rel)
    tr.flatten_many(heightmap, [(spawn, FLAT), (trunk, FLAT)], blend=2.0)
    reach = ob.reachable(heightmap, spawn, max_drop=SAFE_DROP)
    grid = ob.Grid.of(heightmap)
    if not reach[grid.point(*trunk)]:
        raise ob.ImpossibleWorldError("the fruit tree cannot be reached from the spawn")
    x, z = grid.grid_xz()
    allowed = w.safe_land(heightmap, reach)
    allowed &= np.hypot(x - spawn[0], z - spawn[1]) > safety
    from_trunk = np.hypot(x - trunk[0], z - trunk[1])

    ux, uz = (goal[0] - spawn[0]) / distance, (goal[1] - spawn[1]) / distance
    animals: list[Item] = []
    for n, kind in enumerate(predators):
        off = float(rng.normal(LINE_OFFSET.lerp(d), LINE_OFFSET_SIGMA))
        side = 1.0 if rng.uniform() < 0.5 else -1.0
        along = ALONG.normal(rng, d, ALONG_SIGMA) * distance
        spot = (spawn[0] + ux * along - uz * off * side, spawn[1] + uz * along + ux * off * side)
        radius = KIND_BY_NAME[kind].physics.horizontal_radius
        taken = [
            ((a.position[0], a.position[2]), radius + a.entity.physics.horizontal_radius + APART_MARGIN)
            for a in animals
        ]
        clear = allowed & (from_trunk > w.tree_keep(radius))  # the body misses the trunk and the apple
        point = w.random_point(rng, heightmap, spot, POINT_RADIUS, clear, taken)
        animals.append(w.animal_item(heightmap, kind, 3 + n, point, w.ANIMAL_YAW))

    ground = heightmap.height_at(*trunk)
    apple = c.hanging_food(rng, FOOD, 1, ground, trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], ground, trunk[1]), c.FRUIT_TREE_HEIGHT)
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, difficulty, feet, apple.position)
    keep = [(spawn, 2.5), (trunk, 2.5), (goal, 2.5)] + [
        ((a.position[0], a.position[2]), w.clearance(a.kind)) for a in animals
    ]
    terrain, trees = c.decorate(rng, difficulty, heightmap, keep_clear=keep)
    return WorldSpec(
        task=TASK_NAME,
        seed=0,
        difficulty=difficulty,
        generator_version=GENERATOR_VERSION,
        terrain=terrain,
        trees=trees,
        items=(apple, tree, *animals),
        spawn=spawn_pose,
    )
