"""A JUMP-like world built with the obstacle library on a 0.5 m grid, and what it costs (docs/obstacles.md).

    python examples/obstacle_world.py --png jump.png          # one world, drawn from above
    python examples/obstacle_world.py --measure 15            # generation ms, encoded KB, reset ms, steps/s

Not a task (JUMP's generator, `avalon/tasks/jump.py`, is built on the library the same way): a sketch of how one
uses it, and the measurement behind the choice of cell size. The spawn and an apple tree stand on either side of a
chasm 1 to 2.1 m wide and 2 to 30 m deep, with a flattened run-up across it; the world checks that walking cannot
reach the goal but a jump can.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np

from avalon.constants import ACTION_SIZE, FINE_CELL_SIZE
from avalon.tasks import common as c
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.codec import encode_world
from avalon.world.spec import Item, WorldSpec
from avalon.world.validate import check_world

ATTEMPTS = 10


def _attempt(rng: np.random.Generator, d: float) -> WorldSpec:
    distance = 7.0 + 5.0 * d * rng.uniform()
    angle = rng.uniform(0, 2 * math.pi)
    goal_rel = c.offset((0.0, 0.0), angle, distance)
    layout = c.frame_points([((0.0, 0.0), distance + 4.0), (goal_rel, distance + 4.0)])
    depth = 2.0 + 28.0 * d
    heightmap = c.make_island(rng, d, layout, base_height=depth + 2.0, relief_scale=0.5, cell_size=FINE_CELL_SIZE)
    spawn, goal = layout.place((0.0, 0.0)), layout.place(goal_rel)
    gap = ob.critical_distance(distance, 1.0, 1.0 + 1.1 * d)
    if gap is None:
        raise ob.ImpossibleWorldError("spawn and goal too close for a chasm")
    config = ob.RingConfig(
        height=-depth,
        far_wall=ob.Wall(climbable=d < 0.5),
        gap=gap,
        traversal_width=max(3.0, 10.0 - 7.0 * d),
        extra_safety=0.5,
        search_radius=2.0 + 10.0 * d,
    )
    ring = ob.make_ring(rng, heightmap, spawn, goal, config)
    solution = ob.solve(ring, heightmap)
    ob.add_path(rng, heightmap, solution, ob.PathConfig(width=6.0, flatten=ob.Flatten.MID, run_up=2.0))
    tr.flatten_many(heightmap, [(spawn, 1.0), (goal, 1.5)], blend=1.0)
    if ob.is_reachable(heightmap, spawn, goal, max_drop=2.0) or not ob.is_reachable(
        heightmap, spawn, goal, jump_distance=2.3, max_drop=2.0
    ):
        raise ob.ImpossibleWorldError("the chasm must need a jump, and a jump must do")
    trunk = c.offset(goal, angle, c.FOOD_OFFSET_FROM_TRUNK)
    apple = c.hanging_food(rng, "apple", 1, heightmap.height_at(*trunk), trunk, angle + math.pi)
    tree = Item.fruit_tree(2, (trunk[0], heightmap.height_at(*trunk), trunk[1]), c.FRUIT_TREE_HEIGHT)
    feet = (spawn[0], heightmap.height_at(*spawn), spawn[1])
    terrain, trees = c.decorate(rng, d, heightmap, keep_clear=[(spawn, 2.5), (trunk, 2.5)])
    world = WorldSpec("debug", 0, d, terrain, c.spawn_facing(rng, d, feet, apple.position), (apple, tree), trees)
    check_world(world)
    return world


def jump_like_world(seed: int, difficulty: float = 0.5) -> WorldSpec:
    rng = np.random.default_rng(seed)
    for _ in range(ATTEMPTS):
        try:
            return _attempt(rng, difficulty)
        except ob.ImpossibleWorldError:
            continue
    raise ob.ImpossibleWorldError(f"no world in {ATTEMPTS} attempts")


def measure(count: int) -> None:
    from avalon.env import AvalonEnv

    times, sizes, worlds = [], [], []
    for seed in range(count):
        start = time.perf_counter()
        worlds.append(jump_like_world(seed))
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(len(encode_world(worlds[-1])) / 1024)
    points = worlds[0].terrain.heights.shape
    print(f"generation {statistics.median(times):.1f} ms median, encoded {statistics.median(sizes):.1f} KB median")
    print(f"(first world {points[1]} x {points[0]} points at {FINE_CELL_SIZE} m)")
    rng = np.random.default_rng(0)
    with AvalonEnv("eat") as env:
        env.reset(seed=0)
        resets, rates = [], []
        for world in worlds:
            start = time.perf_counter()
            env.reset(seed=1, options={"world": world})
            resets.append((time.perf_counter() - start) * 1000)
        for world in worlds[:4]:
            env.reset(seed=1, options={"world": world})
            start = time.perf_counter()
            for _ in range(200):
                _, _, terminated, truncated, _ = env.step(rng.uniform(-1, 1, ACTION_SIZE).astype(np.float32))
                if terminated or truncated:
                    env.reset(seed=1, options={"world": world})
            rates.append(200 / (time.perf_counter() - start))
    print(f"reset {statistics.median(resets):.1f} ms median, {statistics.median(rates):.0f} steps/s (random actions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--png", help="write a top-down picture of the world here")
    parser.add_argument("--measure", type=int, metavar="WORLDS", help="measure over this many worlds (needs Godot)")
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    world = jump_like_world(args.seed)
    if args.png:
        from avalon.world.topdown import render_topdown

        render_topdown(world, args.png)
    print(f"{len(encode_world(world)) / 1024:.1f} KB, {world.terrain.points_x} x {world.terrain.points_z} points")


if __name__ == "__main__":
    main()
