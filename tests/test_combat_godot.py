"""Damage both ways through the real environment (world.gd's entity tick, the heightmap terrain and its guard, the
entity records in `info["debug"]`, the episode's reward and end): rocks falling onto a deer hurt it, then kill it; a
snake's bite and a wolf's bites hurt the player, with the animals' real behaviours bringing them to him. The rules
themselves are checked in more detail by godot_project/tests/rules/combat_scenarios.gd (tests/test_godot_rules.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from avalon.constants import ACTION_NAMES, ACTION_SIZE, PROPRIO_NAMES, STEP_COST, EntityFlag
from avalon.env import AvalonEnv
from avalon.world.builders import flat_world
from avalon.world.spec import Item, Spawn, WorldSpec

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


HEAD_Z = ACTION_NAMES.index("head_z")
LOST_FROM_ENEMIES = PROPRIO_NAMES.index("hit_points_lost_from_enemies")
PREDATOR_ID = 1
MAX_STEPS = 150  # a cap only: the loops stop at the state they wait for


def predator_world(kind: str, position: tuple[float, float, float], yaw: float) -> WorldSpec:
    """A flat world with one predator ahead of the spawn (which looks along -Z) and an apple far behind it, so the
    episode has food and ends only by the player's death or the time limit."""
    predator = Item.of(kind, PREDATOR_ID, position, yaw=yaw)
    apple = Item.food("apple", 2, (8.0, 0.5, 8.0))
    return flat_world(size=60, items=[predator, apple], spawn=Spawn((0.0, 0.0, 0.0)), task="eat")


def predator_distance(info: dict[str, Any]) -> float:
    predator = next(e for e in info["debug"]["entities"] if e["id"] == PREDATOR_ID)
    offset = predator["position"] - info["debug"]["body_position"]
    return float(np.hypot(offset[0], offset[2]))


def test_snake_bite_ends_the_episode() -> None:
    """The player walks toward a snake 8 m ahead. It edges away from him (its idle within 6 m); once he is within 3 m
    it chases him for good and its bite (5 hit points) kills him: the episode ends by death (terminated, hit points
    0), the last reward the hit point he had, -1, less the step cost. This needs the snake's real behaviour and its
    bite through the env's entity tick."""
    walk = np.zeros(ACTION_SIZE, np.float32)
    walk[HEAD_Z] = -1.0
    stand = np.zeros(ACTION_SIZE, np.float32)
    with AvalonEnv("eat", resolution=32, debug=True) as env:
        _, info = env.reset(seed=0, options={"world": predator_world("snake", (0.0, 0.3, -8.0), 180.0)})
        assert predator_distance(info) > 7.0
        terminated = truncated = False
        reward = 0.0
        steps = 0
        while not (terminated or truncated) and steps < MAX_STEPS:
            # Walks until the snake is surely triggered (3 m), then stands: the snake comes to him.
            action = walk if predator_distance(info) > 2.5 else stand
            _, reward, terminated, truncated, info = env.step(action)
            steps += 1
            if not terminated:
                assert info["hit_points"] == 1.0, "only the bite hurts, and it kills"
    assert terminated and not truncated, f"the episode ended by death within {steps} steps"
    assert info["hit_points"] == 0.0
    assert reward == pytest.approx(-1.0 - STEP_COST, abs=1e-6)


def test_wolf_bites_take_half_a_hit_point_each() -> None:
    """A wolf 6 m ahead, facing the player who stands still, chases him and bites: each bite takes 0.5 (the step's
    reward -0.5 less the step cost, `hit_points_lost_from_enemies` 0.5), the second kills him and ends the episode.
    Between the bites it hops back and rests (at least 8 steps apart)."""
    stand = np.zeros(ACTION_SIZE, np.float32)
    with AvalonEnv("eat", resolution=32, debug=True) as env:
        env.reset(seed=0, options={"world": predator_world("wolf", (0.0, 1.1, -6.0), 180.0)})
        bites = []  # (step, reward, lost from enemies, hit points after)
        terminated = truncated = False
        steps = 0
        while not (terminated or truncated) and steps < MAX_STEPS:
            observation, reward, terminated, truncated, info = env.step(stand)
            steps += 1
            lost = float(observation["proprio"][LOST_FROM_ENEMIES])
            if lost > 0.0:
                bites.append((steps, reward, lost, info["hit_points"]))
    assert terminated and not truncated, f"the bites killed the player within {steps} steps"
    assert [b[2] for b in bites] == [pytest.approx(0.5), pytest.approx(0.5)], f"two bites of 0.5: {bites}"
    assert [b[1] for b in bites] == [pytest.approx(-0.5 - STEP_COST, abs=1e-6)] * 2
    assert [b[3] for b in bites] == [pytest.approx(0.5), pytest.approx(0.0)]
    assert bites[1][0] - bites[0][0] >= 8, f"resting between the bites: {bites}"
