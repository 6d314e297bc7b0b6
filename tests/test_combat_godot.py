"""Damage to animals through the real environment (world.gd's entity tick, the heightmap terrain and its guard, the
entity records in `info["debug"]`): rocks falling onto a deer hurt it, then kill it. The rules themselves are checked
in more detail by godot_project/tests/rules/combat_scenarios.gd (tests/test_godot_rules.py)."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, EntityFlag
from avalon.env import AvalonEnv
from avalon.world.builders import flat_world
from avalon.world.spec import Item, Spawn

pytestmark = pytest.mark.godot

DEER_ID = 1
DEER_TOP = 3.6  # m: the deer's box is 1.8 m high on each side of its centre, which stands 1.8 m above the ground


def test_falling_rocks_hurt_then_kill_a_deer() -> None:
    """A deer (2 hit points) 20 m from the player (too far to mind it) under two rocks: one from 10 m above its back
    (about 13 m/s at impact: a rock nobody threw hurts from 10 m/s), one from 35 m, which arrives more than the 9
    invincible ticks later. The first takes one hit point, the second kills it: dead, edible, 0 hit points."""
    deer = Item.of("deer", DEER_ID, (0.0, DEER_TOP / 2.0, -20.0))
    first = Item.of("rock", 2, (0.0, DEER_TOP + 10.0, -21.0), size=0.3)
    second = Item.of("rock", 3, (0.0, DEER_TOP + 35.0, -19.0), size=0.3)
    apple = Item.food("apple", 4, (8.0, 0.5, 8.0))
    world = flat_world(size=60, items=[deer, first, second, apple], spawn=Spawn((0.0, 0.0, 0.0)), task="eat")
    records = []
    with AvalonEnv("eat", resolution=32, debug=True) as env:
        env.reset(seed=0, options={"world": world})
        for _ in range(40):
            _, _, terminated, truncated, info = env.step(np.zeros(ACTION_SIZE, np.float32))
            assert not (terminated or truncated)
            records.append(next(e for e in info["debug"]["entities"] if e["id"] == DEER_ID))
    hit_points = [r["hit_points"] for r in records]
    assert hit_points[0] == 2.0 and 1.0 in hit_points, f"the first rock took one hit point: {hit_points}"
    wounded = hit_points.index(1.0)
    assert not records[wounded]["flags"] & EntityFlag.DEAD and not records[wounded]["flags"] & EntityFlag.EDIBLE
    assert hit_points[-1] == 0.0, f"the second rock killed it: {hit_points}"
    killed = hit_points.index(0.0)
    assert killed - wounded >= 9, f"hits {killed - wounded} ticks apart: the second was inside the invincibility"
    flags = records[-1]["flags"]
    assert flags & EntityFlag.DEAD and flags & EntityFlag.EDIBLE and not flags & EntityFlag.ACTIVE
