"""`gymnasium.make_vec` on an Avalon id: the registered vector entry point gives the batched Godot processes, and it
behaves step for step like gymnasium's own SyncVectorEnv of single envs: the same observations, rewards, ends, infos
and autoresets, compared with gymnasium's `data_equivalence` (its `check_environments_match` does the same for
single envs but cannot compare vector envs' arrays of ends)."""

from __future__ import annotations

import gymnasium
import pytest
from gymnasium.utils.env_checker import data_equivalence
from gymnasium.vector import AutoresetMode
from processes import TAG, tagged_env, tagged_pids

import avalon  # noqa: F401  (registers the ids)
from avalon.vector import AvalonVectorEnv

pytestmark = pytest.mark.godot


def assert_same_episodes(a: gymnasium.vector.VectorEnv, b: gymnasium.vector.VectorEnv, steps: int, seed: int) -> None:
    assert a.action_space == b.action_space and a.observation_space == b.observation_space
    a.action_space.seed(seed)
    first_a, first_b = a.reset(seed=seed), b.reset(seed=seed)
    assert data_equivalence(first_a, first_b, exact=True), "reset differs"
    for step in range(steps):
        action = a.action_space.sample()
        result_a, result_b = a.step(action), b.step(action)
        for name, x, y in zip(
            ("observation", "reward", "terminated", "truncated", "info"), result_a, result_b, strict=True
        ):
            assert data_equivalence(x, y, exact=True), f"step {step}: {name} differs:\n{x}\n{y}"


def test_vector_entry_point_batches_and_matches_gymnasiums_own(monkeypatch: pytest.MonkeyPatch) -> None:
    _, tag = tagged_env()
    monkeypatch.setenv(TAG, tag)
    kwargs = {"headless": True, "difficulty": 0.3, "time_limit": 30, "resolution": 16}
    ours = gymnasium.make_vec("avalon/Eat-v0", num_envs=4, vectorization_mode="vector_entry_point", **kwargs)
    by_default = gymnasium.make_vec("avalon/Move-v0", num_envs=2, **kwargs)  # the entry point is the default
    theirs = gymnasium.make_vec("avalon/Eat-v0", num_envs=4, vectorization_mode="sync", **kwargs)
    try:
        assert isinstance(ours.unwrapped, AvalonVectorEnv) and isinstance(by_default.unwrapped, AvalonVectorEnv)
        assert ours.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
        ours.reset(seed=0)
        by_default.reset(seed=0)
        assert len(tagged_pids(tag)) == 2 + 2, "4 envs in 2 Godot processes, plus the 2 envs of the second"
        # 45 steps: every env ends (30-step limit) and autoresets once, in both.
        assert_same_episodes(ours, theirs, steps=45, seed=7)
        assert len(tagged_pids(tag)) == 2 + 2 + 4, "gymnasium's SyncVectorEnv runs one process per env"
        observation, _ = ours.reset(seed=1)
        assert ours.observation_space.contains(observation)
        assert ours.single_observation_space == theirs.single_observation_space
        assert ours.single_action_space == theirs.single_action_space
    finally:
        for env in (ours, by_default, theirs):
            env.close()
    assert tagged_pids(tag) == set()
