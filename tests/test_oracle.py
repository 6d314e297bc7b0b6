"""The privileged scripted agent solves easy worlds in the real engine: the proof that generated worlds are solvable.

Rates at difficulty 0.5 and 1 are reported by `python -m avalon.oracle`, not asserted here.
"""

from __future__ import annotations

import pytest

from avalon.env import AvalonEnv
from avalon.oracle import run_episode

pytestmark = pytest.mark.godot

WORLDS = 40


@pytest.mark.parametrize("task", ["eat", "move"])
def test_oracle_solves_at_least_95_percent_of_easy_worlds(task: str) -> None:
    with AvalonEnv(task, headless=True, debug=True) as env:
        results = [run_episode(env, task, 0.0, seed) for seed in range(WORLDS)]
    failed = [r["seed"] for r in results if not r["success"]]
    assert len(failed) <= 0.05 * WORLDS, f"{task}: oracle failed on seeds {failed}"


def test_oracle_follows_the_walkway_across_a_chasm() -> None:
    """At difficulty 1 MOVE worlds need the walkway (tests/test_tasks.py checks that); the oracle plans over it."""
    with AvalonEnv("move", headless=True, debug=True) as env:
        results = [run_episode(env, "move", 1.0, seed) for seed in range(5)]
    assert sum(r["success"] for r in results) >= 4, results
