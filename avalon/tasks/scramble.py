"""SCRAMBLE: walk up a steep, rough slope to food on a hilltop.

What is generated: a rough island (0.5 m terrain cells) whose edges drop as cliffs into the sea, with an apple
hanging 2 m up a fruit tree on top of a hill. The hill is the obstacle library's cone (`raise_hill`): heights are
scaled under a cone round the goal so that the goal's ground ends about 0.8 m above the spawn's per metre between
them, keeping the terrain's own bumps, stretched; the top is flat within r = min(0.2 R, 2) m (R = the spawn-goal
distance).

How difficulty scales (as the original's code): the terrain's own difficulty is lerp(0.5 -> 1) (rougher, hillier
and less often a smooth single mound); the island is at least lerp(40 -> 60) m wide; the goal is normal around
lerp(2 -> 20) m away (sigma 0.5), so the climb grows from about 1.4 m to about 14.5 m at the same steepness (0.8 m
of rise per metre of slope, about 39 degrees, under the body's 45-degree walking limit, plus the terrain's bumps);
spawn yaw and pitch noise grow with d.

Deliberate differences: the goal ends 0.1 + 0.8 (R - r) m above the spawn, not 0.1 + 0.8 R: over the slope outside
the flat top the original's rise is 0.8 R / 0.8 R, exactly the 45 degrees at which our body stops walking (the
original's body also climbed everywhere on this island); the top is levelled before the cone scaling, which is flat
on it (levelled after it at the raised height, as the original, the top would be ringed by a cliff: at R = 10 a 3 m
drop within a metre). The tree stands 1.25 m beyond the goal on a small footing levelled to the goal's height, so
the apple hangs over the hilltop (the original plants the tree at the goal on whatever slope is there); the island
is raised by `ISLAND_FLOOR` instead of being lowered to put its lowest cell at 3 m (same effect: no way round by the
sea); a world whose goal the body cannot reach by walking and jumping (checked on the heightmap) is drawn again. The
indoor variant comes later, with buildings (the original has none for SCRAMBLE either).

What success needs: eating the apple: walking (and where the bumps are too steep, jumping) up the slope.
"""

from __future__ import annotations

import math

import numpy as np

from avalon.constants import FINE_CELL_SIZE
from avalon.difficulty import Knob
from avalon.tasks import common as c
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.planning import JUMP_DISTANCE, JUMP_RISE, MAX_RISE
from avalon.world.obstacles.shapes import HILL_LIFT, HILL_RISE, HILL_TOP_RADIUS, HILL_TOP_SHARE
from avalon.world.spec import Item, WorldSpec

GENERATOR_VERSION = 1
TASK_NAME = "scramble"
VARIANTS: tuple[str, ...] = ()  # nothing for the evaluation set to force
FOOD = "apple"

TERRAIN_DIFFICULTY = Knob(easy=0.5, hard=1.0)  # the d the island's roughness, relief and trees are drawn with
MIN_WORLD_SIZE = Knob(easy=40.0, hard=60.0)  # m, lower bound of the island's width
GOAL_DISTANCE = Knob(easy=2.0, hard=20.0)  # m, spawn to food, normal around the lerp, clipped to the range
GOAL_DISTANCE_SIGMA = 0.5  # m (the original's tight deviation)
ISLAND_FLOOR = 3.0  # m of land above the water at the island's foot: its shore is a drop, not a way round
TRUNK_FOOTING = 0.75  # m, radius levelled to the goal's height under the trunk beyond the goal
TRUNK_FOOTING_BLEND = 1.0  # m over which the footing blends back into the slope
SPAWN_FLAT = 1.0  # m, flat radius under the spawn before the hill (at most a quarter of the way to the goal)
# Reachability check of each world: walking up to MAX_RISE (0.8 m per metre, under the body's 45 degrees) and
# jumps of JUMP_DISTANCE (2.1 m) rising at most JUMP_RISE (1.2 m; the engine's apex is 1.5 m), falls of at most
# SAFE_DROP (a fall from 5 m does no damage: damage starts at a 10 m/s speed change).
SAFE_DROP = 4.0  # m


def generate(rng: np.random.Generator, difficulty: float) -> WorldSpec:
    d = difficulty
    terrain_d = TERRAIN_DIFFICULTY.lerp(d)
    distance = GOAL_DISTANCE.normal(rng, d, GOAL_DISTANCE_SIGMA)
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    trunk_rel = c.offset(goal_rel, angle, c.FOOD_OFFSET_FROM_TRUNK)
    min_size = 2 * math.ceil(MIN_WORLD_SIZE.lerp(d) / 2)
    layout = c.frame_points([((0.0, 0.0), 3.0), (trunk_rel, 3.0)], min_size=min_size)
    heightmap = c.make_island(rng, terrain_d, layout, base_height=ISLAND_FLOOR, cell_size=FINE_CELL_SIZE)
    spawn, goal = layout.place((0.0, 0.0)), layout.place(goal_rel)
    trunk = c.snap_to_grid(heightmap, layout.place(trunk_rel))

    tr.flatten(heightmap, spawn, min(SPAWN_FLAT, distance / 4), blend=min(SPAWN_FLAT, distance / 4))
    # HILL_RISE m per metre of the slope outside the flat top (see the docstring's differences).
    flat_top = min(HILL_TOP_SHARE * distance, HILL_TOP_RADIUS)
    top = ob.raise_hill(heightmap, spawn, goal, rise=HILL_RISE * (distance - flat_top) / distance, lift=HILL_LIFT)
    tr.flatten(heightmap, trunk, TRUNK_FOOTING, blend=TRUNK_FOOTING_BLEND, target=top)
    if not ob.is_reachable(
        heightmap, spawn, goal, max_rise=MAX_RISE, max_drop=SAFE_DROP, jump_distance=JUMP_DISTANCE, jump_rise=JUMP_RISE
    ):
        raise c.ImpossibleWorldError("the hilltop cannot be reached by walking and jumping")

    apple = c.hanging_food(rng, FOOD, 1, top, trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], top, trunk[1]), c.FRUIT_TREE_HEIGHT)
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    spawn_pose = c.spawn_facing(rng, d, feet, apple.position)
    terrain, trees = c.decorate(
        rng,
        terrain_d,
        heightmap,
        keep_clear=[(spawn, 2.5), (trunk, 2.5)],
        clear_lines=[(spawn, goal, 1.5)],
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
