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
