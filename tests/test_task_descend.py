"""DESCEND: the drop grows with difficulty, the food needs the descent, and the body survives the easy drop."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.env import AvalonEnv
from avalon.oracle import Oracle
from avalon.oracle.descend import DescendPlan, Step, fall_damage
from avalon.tasks import generate_world
from avalon.tasks.descend import SAFE_FALL
from avalon.world.obstacles import is_reachable
from avalon.world.spec import WorldSpec

SEEDS = range(50)


def _measure(world: WorldSpec) -> tuple[float, float, float, float]:
    """(drop: spawn's ground above the food tree's, spawn-to-food distance, has a platform, decorative trees)."""
    tree = next(item for item in world.items if item.kind == "fruit_tree")
    apple = next(item for item in world.items if item.kind == "apple")
    drop = world.spawn.position[1] - world.terrain.height_at(tree.position[0], tree.position[2])
    distance = float(np.hypot(apple.position[0] - world.spawn.position[0], apple.position[2] - world.spawn.position[2]))
    platform = any(item.kind == "platform_rock" for item in world.items)
    return drop, distance, float(platform), float(len(world.trees))


def test_difficulty_deepens_the_drop_and_takes_away_the_platform() -> None:
    easy = np.array([_measure(generate_world("descend", s, 0.0)) for s in SEEDS])
    hard = np.array([_measure(generate_world("descend", s, 1.0)) for s in SEEDS])
    assert easy[:, 0].mean() > 8.0 and hard[:, 0].mean() > easy[:, 0].mean() + 30.0, (easy[:, 0], hard[:, 0])
    assert hard[:, 1].mean() > easy[:, 1].mean() + 15.0
    assert easy[:, 2].all() and hard[:, 2].mean() < 0.2
    assert hard[:, 3].mean() < easy[:, 3].mean()  # foliage x (1 - d): no trunk to catch while falling


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_the_food_needs_the_descent(difficulty: float) -> None:
    for seed in range(8):
        world = generate_world("descend", seed, difficulty)
        t = world.terrain
        spawn = (world.spawn.position[0], world.spawn.position[2])
        apple = next(item for item in world.items if item.kind == "apple")
        food = (apple.position[0], apple.position[2])
        assert not is_reachable(t, spawn, food, max_drop=SAFE_FALL), f"seed {seed}: harmless falls reach the food"
        climbable = t.climbable.astype(bool)
        assert is_reachable(t, spawn, food, max_drop=SAFE_FALL, climbable=climbable), f"seed {seed}: no way down"


def test_fall_damage_of_the_drops() -> None:
    """At d = 0 the drop is 10 m: our body (damage from a 10 m/s landing) loses 0.16 hit points, so stepping off is
    survivable; 38 m kill it."""
    assert fall_damage(5.0) == 0.0 and 0.1 < fall_damage(10.0) < 0.2 and fall_damage(38.0) > 1.0


@pytest.mark.godot
def test_the_body_survives_the_easy_drop_and_climbs_down_a_deep_one() -> None:
    """In the engine: at d = 0 the oracle steps off the 10 m mesa and lives (the food then gives +1); at d = 0.5
    (a ~35 m drop, deadly) it climbs down hand over hand without damage."""
    with AvalonEnv("descend", headless=True, debug=True) as env:
        for difficulty, expected in ((0.0, Step.STEP_OFF), (0.5, Step.CLIMB_DOWN)):
            oracle = Oracle()
            _, info = env.reset(seed=0, options={"task": "descend", "difficulty": difficulty})
            steps, lowest = set(), 1.0
            for _ in range(1500):
                _, _, terminated, truncated, info = env.step(oracle.act(info))
                assert isinstance(oracle.plan, DescendPlan)
                steps.add(oracle.plan.step)
                lowest = min(lowest, info["hit_points"])
                if terminated or truncated:
                    break
            assert info["success"] and expected in steps, (difficulty, steps)
            if expected is Step.STEP_OFF:  # (onto the platform rock first, or straight down: at most 0.16)
                assert lowest > 0.8, f"the 10 m drop should be survivable, lowest hit points {lowest}"
            else:
                assert lowest == 1.0, f"climbing down should not hurt, lowest hit points {lowest}"
