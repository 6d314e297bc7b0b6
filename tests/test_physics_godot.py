"""Items stay on the terrain in the real engine: Bullet at 10 Hz lets small fast bodies pass through the heightmap
and resting ones sink into it, so item.gd guards them (see `_guard_terrain`). These tests fail without the guard."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, EntityFlag
from avalon.env import AvalonEnv
from avalon.tasks import Task, generate_world
from avalon.world.builders import flat_world
from avalon.world.spec import Item

pytestmark = pytest.mark.godot

IDLE = np.zeros(ACTION_SIZE, np.float32)


@pytest.fixture(scope="module")
def env():
    with AvalonEnv("eat", headless=True, debug=True) as env:
        yield env


def test_dropped_items_land_on_the_heightmap_and_the_impact_counts(env: AvalonEnv) -> None:
    items = [
        Item.food("orange", 1, (0.5, 2.4, -1.5), opened=False),  # opens at >= 1 m/s
        Item.food("coconut", 2, (-0.5, 2.4, -1.5), opened=False),  # opens at >= 5 m/s: about a 1.25 m fall
        Item.food("coconut", 3, (1.5, 0.6, -1.5), opened=False),  # a 0.4 m fall: stays closed
        Item.rock(4, (-1.5, 2.4, -1.5)),
    ]
    _, info = env.reset(seed=0, options={"world": flat_world(items=items)})
    for _ in range(40):
        _, _, _, _, info = env.step(IDLE)
    entities = {e["id"]: e for e in info["debug"]["entities"]}
    for item_id in (1, 2, 3, 4):
        assert entities[item_id]["position"][1] > 0.05, f"item {item_id} fell through the ground"
    assert not entities[1]["flags"] & EntityFlag.UNOPENED
    assert not entities[2]["flags"] & EntityFlag.UNOPENED
    assert entities[3]["flags"] & EntityFlag.UNOPENED


def test_items_of_generated_worlds_stay_above_the_terrain(env: AvalonEnv) -> None:
    for seed in range(4):
        world = generate_world(Task.EAT, seed, 1.0)
        _, info = env.reset(seed=seed, options={"world": world})
        for _ in range(150):
            _, _, _, _, info = env.step(IDLE)
        for e in info["debug"]["entities"]:
            if e["kind"] in ("altar", "fruit_tree", "block") or e["flags"] & EntityFlag.ATTACHED:
                continue
            x, y, z = e["position"]
            ground = world.terrain.height_at(float(x), float(z))
            assert y > ground - 0.05, f"seed {seed}: {e['kind']} {e['id']} sank to {y:.2f} (ground {ground:.2f})"


def test_half_metre_cells_collide_where_python_says_the_ground_is(env: AvalonEnv) -> None:
    """A 0.5 m grid: a 1 m high step whose ramp is one 0.5 m cell wide, and a trench with a 0.5 m wide floor.
    HeightMapShape points are 1 unit apart in Godot 3.2, so this fails unless the collision is scaled to the cell
    size: rocks must rest on `Terrain.height_at` (+ half their size) on both sides of the step and in the trench,
    and the body must stand on the step's top."""
    from dataclasses import replace

    from avalon.world.builders import flat_terrain
    from avalon.world.spec import Spawn, WorldSpec

    flat = flat_terrain(12, cell_size=0.5)
    heights = np.array(flat.heights)
    x = flat.origin[0] + 0.5 * np.arange(flat.points_x)
    heights[:, x >= 0.5] = 1.0  # points at x <= 0 stay at 0: the step's ramp is the cell [0, 0.5)
    heights[:, np.isclose(x, -2.5) | np.isclose(x, -3.0)] = -0.5  # trench floor [-3, -2.5], rims at -3.5 and -2
    terrain = replace(flat, heights=heights)
    rocks = {1: (-1.0, -2.0), 2: (1.0, -2.0), 3: (0.75, -3.0), 4: (-2.75, -2.0), 5: (-1.5, -3.0)}
    items = [Item.rock(n, (px, 2.5, pz), size=0.3) for n, (px, pz) in rocks.items()]
    items.append(Item.food("orange", 9, (4.5, 1.6, 4.5), opened=False))  # a world ends when it has no food
    world = WorldSpec("debug", 0, 0.0, terrain, Spawn((2.5, 1.0, 0.0)), items=tuple(items))
    _, info = env.reset(seed=0, options={"world": world})
    for _ in range(40):
        _, _, _, _, info = env.step(IDLE)
    entities = {e["id"]: e for e in info["debug"]["entities"]}
    for n, (px, pz) in rocks.items():
        ex, ey, ez = (float(v) for v in entities[n]["position"])
        ground = terrain.height_at(ex, ez)
        assert ground == pytest.approx(terrain.height_at(px, pz), abs=0.3), f"rock {n} slid to x={ex:.2f}"
        assert ey == pytest.approx(ground + 0.15, abs=0.06), f"rock {n} at y={ey:.3f}, ground {ground:.3f}"
    assert terrain.height_at(0.75, -3.0) == 1.0 and terrain.height_at(-1.0, -2.0) == 0.0
    body_y = float(info["debug"]["body_position"][1])
    assert body_y == pytest.approx(1.0 + 1.0, abs=0.1), f"body centre at y={body_y:.3f} on the 1 m step"
