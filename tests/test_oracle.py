"""The privileged scripted agent solves easy worlds in the real engine: the proof that generated worlds are solvable.

Rates at difficulty 0.5 and 1 are reported by `python -m avalon.oracle`, not asserted here. The task checklist's
40 worlds at d = 0 are measured by `python -m avalon.tasks.docs rates` (docs/tasks.md); the suite plays the first
20 of them for every registered task (at most one may fail), which keeps it short as tasks multiply.
"""

from __future__ import annotations

import pytest

from avalon.constants import EntityFlag
from avalon.entities import FOOD_BY_NAME
from avalon.env import AvalonEnv
from avalon.oracle import Oracle
from avalon.rates import oracle_episode
from avalon.tasks import implemented_tasks
from avalon.world.builders import flat_world
from avalon.world.spec import Item

pytestmark = pytest.mark.godot

WORLDS = 20


@pytest.mark.parametrize("task", [t.name.lower() for t in implemented_tasks()])
def test_oracle_solves_at_least_95_percent_of_easy_worlds(task: str) -> None:
    with AvalonEnv(task, headless=True, debug=True) as env:
        results = [oracle_episode(env, task, 0.0, seed) for seed in range(WORLDS)]
    failed = [r["seed"] for r in results if not r["success"]]
    assert len(failed) <= 0.05 * WORLDS, f"{task}: oracle failed on seeds {failed}"


def test_oracle_follows_the_walkway_across_a_chasm() -> None:
    """At difficulty 1 MOVE worlds need the walkway (tests/test_tasks.py checks that); the oracle plans over it."""
    with AvalonEnv("move", headless=True, debug=True) as env:
        results = [oracle_episode(env, "move", 1.0, seed) for seed in range(5)]
    assert sum(r["success"] for r in results) >= 4, results


def test_oracle_opens_a_closed_avocado_on_a_rock() -> None:
    """A closed avocado opens only on an impact with a rock: the oracle carries it to the rock, throws it down onto
    it, picks it up again and eats it."""
    avocado = Item.food("avocado", 1, (0.3, FOOD_BY_NAME["avocado"].rest_height, -1.5), opened=False)
    world = flat_world(items=[avocado, Item.rock(2, (-0.8, 0.3, -2.0), size=0.5)])
    oracle = Oracle()
    phases = set()
    with AvalonEnv("eat", headless=True, debug=True) as env:
        _, info = env.reset(seed=0, options={"world": world})
        assert info["debug"]["entities"][0]["flags"] & EntityFlag.UNOPENED
        for _ in range(200):
            _, _, terminated, truncated, info = env.step(oracle.act(info))
            phases.add(oracle.phase.value)
            if terminated or truncated:
                break
    assert info["success"], f"avocado not eaten; phases seen: {sorted(phases)}; last: {info['debug']['entities']}"
    assert {"carry", "raise", "throw"} <= phases
