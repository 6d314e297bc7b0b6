"""Difficulty primitives: ranges, endpoints and the difficulty-budget semantics."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.difficulty import (
    Knob,
    boolean_probability,
    categorical_probabilities,
    decompose_weighted_mean,
    lerp,
    normal_range,
    random_lerp,
    select_boolean,
    select_categorical,
)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_lerp_and_knob() -> None:
    assert lerp(1.0, 11.0, 0.0) == 1.0
    assert lerp(1.0, 11.0, 1.0) == 11.0
    assert Knob(easy=10.0, hard=2.0).lerp(0.5) == 6.0


def test_random_lerp_stays_between_easy_and_lerp() -> None:
    r = rng()
    assert all(random_lerp(r, 1.0, 11.0, 0.0) == 1.0 for _ in range(10))
    values = [random_lerp(r, 1.0, 11.0, 0.5) for _ in range(500)]
    assert min(values) >= 1.0 and max(values) <= 6.0 and max(values) > 5.5


def test_normal_range_is_clipped() -> None:
    r = rng()
    values = [normal_range(r, 0.5, 40.0, 100.0, 0.5) for _ in range(200)]
    assert min(values) == 0.5 and max(values) == 40.0
    assert Knob(3.0, 1.0).normal(r, 1.0, 1e-9) == pytest.approx(1.0)


def test_select_boolean_probability_endpoints() -> None:
    assert boolean_probability(0.0) == 1.0
    assert boolean_probability(1.0) == pytest.approx(0.01)
    assert boolean_probability(0.5, 1.0, 0.3) == pytest.approx(0.3**0.5)
    r = rng()
    assert all(select_boolean(r, 0.0)[0] for _ in range(50))
    assert sum(select_boolean(r, 1.0)[0] for _ in range(2000)) < 60


def test_select_boolean_budget() -> None:
    """The hard outcome lowers the difficulty left for later choices; the easy one raises it; endpoints fixed."""
    r = rng()
    seen: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(400):
        value, new_d = select_boolean(r, 0.5, 1.0, 0.3)
        seen[value].append(new_d)
        assert 0.0 <= new_d <= 1.0
    assert seen[True] and seen[False]
    assert min(seen[True]) > 0.5 > max(seen[False])
    assert select_boolean(r, 0.0)[1] == 0.0
    assert select_boolean(r, 1.0)[1] == pytest.approx(1.0)


def test_select_categorical() -> None:
    assert categorical_probabilities(4, 0.0).tolist() == [1.0, 0.0, 0.0, 0.0]
    assert categorical_probabilities(4, 1.0) == pytest.approx([0.25] * 4)
    r = rng()
    assert all(select_categorical(r, "abc", 0.0) == ("a", 0.0) for _ in range(20))
    counts = {c: 0 for c in "abcde"}
    for _ in range(2000):
        choice, new_d = select_categorical(r, "abcde", 1.0)
        counts[choice] += 1
        assert new_d == 1.0
    assert min(counts.values()) > 300
    choice, new_d = select_categorical(r, ["only"], 0.7)
    assert choice == "only" and new_d == pytest.approx(0.7)
    with pytest.raises(ValueError, match="at least one choice"):
        select_categorical(r, [], 0.5)


def test_categorical_harder_choice_spends_more_difficulty() -> None:
    d = 0.6
    budgets = [d * d + (1 - d) * d ** (i + 1) for i in range(4)]
    assert budgets[0] == pytest.approx(d)
    assert budgets == sorted(budgets, reverse=True)


@pytest.mark.parametrize("d", [0.0, 0.3, 0.77, 1.0])
def test_decompose_weighted_mean(d: float) -> None:
    weights = [4.0, 0.5, 1.0]
    parts = decompose_weighted_mean(rng(3), d, weights)
    assert parts.shape == (3,)
    assert np.all((parts >= 0) & (parts <= 1))
    assert np.dot(parts, weights) / sum(weights) == pytest.approx(d, abs=1e-9)


def test_difficulty_out_of_range_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        select_boolean(rng(), 1.5)
    with pytest.raises(ValueError, match="weights"):
        decompose_weighted_mean(rng(), 0.5, [])
