"""Reward, termination, score and action preparation (pure Python)."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, PROPRIO_SIZE, STATE_NAMES, STATE_SIZE, STEP_COST
from avalon.episode import Episode, InvalidActionError, prepare_action
from avalon.sim.protocol import ENTITY_DTYPE, RawObservation

S = {name: i for i, name in enumerate(STATE_NAMES)}


def raw(frame: int, hp: float = 1.0, remaining: int = 1, eaten: int = 0, destroyed: int = 0, dead: bool = False):
    state = np.zeros(STATE_SIZE, np.float32)
    state[S["hit_points"]] = hp
    state[S["edible_food_remaining"]] = remaining
    state[S["food_eaten"]] = eaten
    state[S["food_destroyed"]] = destroyed
    state[S["is_dead"]] = float(dead)
    proprio = np.zeros(PROPRIO_SIZE, np.float32)
    proprio[-1] = frame
    return RawObservation(frame, np.zeros((8, 8, 4), np.uint8), proprio, state, np.zeros(0, ENTITY_DTYPE))


def test_reward_is_hit_point_change_minus_step_cost() -> None:
    episode = Episode("eat", 0, 0.0, frame_limit=100)
    episode.start(raw(0))
    _, reward, *_ = episode.advance(raw(1))
    assert reward == pytest.approx(-STEP_COST)
    _, reward, *_ = episode.advance(raw(2, hp=2.0, remaining=0, eaten=1))
    assert reward == pytest.approx(1.0 - STEP_COST)


def test_score_freezes_when_food_is_gone_and_episode_ends_20_steps_later() -> None:
    episode = Episode("eat", 0, 0.0, frame_limit=100)
    episode.start(raw(0))
    episode.advance(raw(1))
    obs, _, terminated, _, info = episode.advance(raw(10, hp=2.0, remaining=0, eaten=1))
    frozen = 1.0 + (100 - 10) * STEP_COST
    assert info["score"] == pytest.approx(frozen) and info["success"] and not terminated
    assert obs["proprio"][-1] == 90  # frames remaining, not the frame number
    for frame in range(11, 30):
        _, _, terminated, truncated, info = episode.advance(raw(frame, hp=2.0, remaining=0, eaten=1))
        assert not terminated and not truncated
    _, _, terminated, _, info = episode.advance(raw(30, hp=2.0, remaining=0, eaten=1))
    assert terminated and info["score"] == pytest.approx(frozen) and episode.outcome == "success"


def test_destroyed_food_is_not_success() -> None:
    episode = Episode("eat", 0, 0.0, frame_limit=100)
    episode.start(raw(0))
    _, _, _, _, info = episode.advance(raw(1, remaining=0, destroyed=1))
    assert not info["success"] and info["score"] == pytest.approx(99 * STEP_COST)
    for frame in range(2, 22):
        episode.advance(raw(frame, remaining=0, destroyed=1))
    assert episode.done and episode.outcome == "failure"


def test_death_terminates_with_zero_score() -> None:
    episode = Episode("eat", 0, 0.0, frame_limit=100)
    episode.start(raw(0))
    _, reward, terminated, truncated, info = episode.advance(raw(1, hp=0.0, dead=True))
    assert terminated and not truncated and info["score"] == 0.0 and reward == pytest.approx(-1.0 - STEP_COST)
    assert episode.outcome == "death"


def test_truncation_at_frame_limit() -> None:
    episode = Episode("eat", 0, 0.0, frame_limit=3)
    episode.start(raw(0))
    results = [episode.advance(raw(f)) for f in (1, 2, 3)]
    assert [r[3] for r in results] == [False, False, True] and not any(r[2] for r in results)
    assert episode.outcome == "timeout"
    with pytest.raises(RuntimeError, match="reset"):
        episode.advance(raw(4))
    episode.start(raw(0))
    assert episode.outcome is None


def test_prepare_action_projects_and_binarizes() -> None:
    action = np.zeros(ACTION_SIZE, np.float32)
    action[:3] = [3.0, 4.0, 0.0]
    action[3:6] = [0.1, 0.2, 0.0]
    action[18:] = [0.5, -0.2, 0.0]
    wire = prepare_action(action)
    np.testing.assert_allclose(wire[:3], [0.6, 0.8, 0.0], rtol=1e-6)
    np.testing.assert_allclose(wire[3:6], [0.1, 0.2, 0.0], rtol=1e-6)
    assert wire[18:].tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (np.zeros(20), "shape"),
        (np.full(ACTION_SIZE, np.nan), "NaN"),
        (np.array([np.inf] + [0.0] * (ACTION_SIZE - 1)), "indices \\[0\\]"),
        ("left", "float array"),
    ],
)
def test_bad_actions_raise_clear_errors(action: object, message: str) -> None:
    with pytest.raises(InvalidActionError, match=message):
        prepare_action(action)
