"""SCRAMBLE: the hill grows with difficulty, and its top needs a walk up slopes steeper than gentle ground."""

from __future__ import annotations

import math

import numpy as np

from avalon.tasks import generate_world
from avalon.world import obstacles as ob
from avalon.world.obstacles.planning import MAX_RISE
from avalon.world.spec import WorldSpec

SEEDS = range(50)


def _measure(world: WorldSpec) -> tuple[float, float, float]:
    """(spawn-food distance, rise from the spawn's ground to the tree's, island width) of a world."""
    spawn = world.spawn.position
    tree = world.items_of_kind("fruit_tree")[0].position
    apple = world.foods()[0].position
    distance = math.hypot(apple[0] - spawn[0], apple[2] - spawn[2])
    bounds = world.terrain.bounds
    return distance, tree[1] - spawn[1], bounds[1] - bounds[0]


def test_distance_rise_and_island_grow_with_difficulty() -> None:
    easy = np.array([_measure(generate_world("scramble", seed, 0.0)) for seed in SEEDS])
    hard = np.array([_measure(generate_world("scramble", seed, 1.0)) for seed in SEEDS])
    # Goal distance lerp(2 -> 20) m, sigma 0.5.
    assert 1.9 < np.median(easy[:, 0]) < 3.0 and 18.0 < np.median(hard[:, 0]) < 20.1
    # The hill: the top about 0.8 m above the spawn's ground per metre of slope outside the flat top.
    assert 1.2 < np.median(easy[:, 1]) < 2.2 and 13.5 < np.median(hard[:, 1]) < 14.6
    assert np.all(hard[:, 1] > easy[:, 1].max())
    # Island at least lerp(40 -> 60) m wide.
    assert easy[:, 2].min() >= 40.0 and hard[:, 2].min() >= 60.0


def test_the_hilltop_needs_a_walk_up_steep_ground() -> None:
    """On foot up to the body's walking rise (0.8 m per metre) the food is reachable in every world; never rising
    more than 0.2 m per metre (gentle ground) it is not (zig-zagging, 0.4 m per metre reaches it again)."""
    gentle_reached = 0
    for seed in range(20):
        world = generate_world("scramble", seed, 0.5)
        spawn, apple = world.spawn.position, world.foods()[0].position
        start, goal = (spawn[0], spawn[2]), (apple[0], apple[2])
        assert ob.is_reachable(world.terrain, start, goal, max_rise=MAX_RISE, max_drop=4.0), seed
        gentle_reached += ob.is_reachable(world.terrain, start, goal, max_rise=0.2, max_drop=4.0)
    assert gentle_reached <= 1


def test_the_top_is_flat_around_the_tree() -> None:
    for seed in range(10):
        world = generate_world("scramble", seed, 1.0)
        x, y, z = world.items_of_kind("fruit_tree")[0].position
        around = [world.terrain.height_at(x + dx, z + dz) for dx in (-0.5, 0.5) for dz in (-0.5, 0.5)]
        assert max(abs(h - y) for h in around) < 1e-3
