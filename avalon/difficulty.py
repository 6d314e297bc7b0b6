"""Difficulty primitives shared by every task generator.

A world's difficulty `d` is a float in [0, 1]. Generators declare their ranges once as named module-level `Knob`s
(`FOOD_DISTANCE = Knob(easy=1.0, hard=11.0)`) and read them through the helpers here. Two helpers implement the
"difficulty budget": `select_boolean` and `select_categorical` return the drawn value *and* a new difficulty for the
choices that follow, so a world that drew a hard option early spends less difficulty on later ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def lerp(a: float, b: float, d: float) -> float:
    """`a` at d=0, `b` at d=1, linear in between."""
    return a + (b - a) * d


def random_lerp(rng: np.random.Generator, a: float, b: float, d: float) -> float:
    """Uniform in [a, lerp(a, b, d)]: at d=0 always `a`, at d=1 anywhere in [a, b]."""
    return a + (b - a) * d * float(rng.uniform())


def normal_range(rng: np.random.Generator, a: float, b: float, sigma: float, d: float) -> float:
    """Normal around lerp(a, b, d) with deviation `sigma`, clipped to [min(a, b), max(a, b)]."""
    value = float(rng.normal(lerp(a, b, d), sigma))
    return float(min(max(value, min(a, b)), max(a, b)))


@dataclass(frozen=True)
class Knob:
    """A named difficulty range: the value at difficulty 0 (`easy`) and at difficulty 1 (`hard`)."""

    easy: float
    hard: float

    def lerp(self, d: float) -> float:
        return lerp(self.easy, self.hard, d)

    def random_lerp(self, rng: np.random.Generator, d: float) -> float:
        return random_lerp(rng, self.easy, self.hard, d)

    def normal(self, rng: np.random.Generator, d: float, sigma: float) -> float:
        return normal_range(rng, self.easy, self.hard, sigma, d)


def _check_difficulty(d: float) -> None:
    if not (0.0 <= d <= 1.0):
        raise ValueError(f"difficulty must be in [0, 1], got {d!r}")


def boolean_probability(d: float, p_easy: float = 1.0, p_hard: float = 0.01) -> float:
    """P(True) at difficulty d: log-interpolated from `p_easy` (d=0) to `p_hard` (d=1)."""
    return float(p_easy ** (1.0 - d) * p_hard**d)


def select_boolean(rng: np.random.Generator, d: float, p_easy: float = 1.0, p_hard: float = 0.01) -> tuple[bool, float]:
    """Draw the easy option (True) with probability p_easy^(1-d) * p_hard^d; return (value, new difficulty).

    The new difficulty is the normalised integral, over [0, d], of the probability curve of the drawn outcome:
    F(d) = int_0^d P(outcome | t) dt / int_0^1 P(outcome | t) dt. It is 0 at d=0 and 1 at d=1 for both outcomes; the
    hard outcome (False, likelier at high d) lowers the difficulty left for later choices, the easy one raises it.
    Put True on the easy side: P(True) = 1 is allowed at d=0, zero probabilities are not.
    """
    _check_difficulty(d)
    if not (0.0 < p_easy <= 1.0 and 0.0 < p_hard <= 1.0):
        raise ValueError(f"probabilities must be in (0, 1], got p_easy={p_easy}, p_hard={p_hard}")
    value = bool(rng.uniform() < boolean_probability(d, p_easy, p_hard))
    if p_easy == p_hard:
        return value, d
    log_ratio = math.log(p_hard / p_easy)

    def integral_true(x: float) -> float:  # int_0^x p_easy * (p_hard/p_easy)^t dt
        return p_easy * (math.exp(log_ratio * x) - 1.0) / log_ratio

    share_true = integral_true(d) / integral_true(1.0)
    share_false = (d - integral_true(d)) / (1.0 - integral_true(1.0))  # int_0^d (1 - p) / int_0^1 (1 - p)
    new_d = share_true if value else share_false
    return value, float(min(max(new_d, 0.0), 1.0))


def categorical_probabilities(n: int, d: float) -> np.ndarray:
    """P(i) = d/n + (1-d) * d^i / sum_j d^j for choices ordered easy -> hard (always the first one at d=0)."""
    powers = np.array([d**i for i in range(n)], dtype=np.float64)  # 0.0**0 == 1.0
    probabilities = d / n + (1.0 - d) * powers / powers.sum()
    return probabilities / probabilities.sum()


def select_categorical(rng: np.random.Generator, choices: Sequence[T], d: float) -> tuple[T, float]:
    """Pick one of `choices` (ordered easy -> hard); return (choice, new difficulty d^2 + (1-d) d^(i+1)).

    The easiest choice keeps the difficulty; harder choices consume it.
    """
    _check_difficulty(d)
    if not choices:
        raise ValueError("select_categorical needs at least one choice")
    probabilities = categorical_probabilities(len(choices), d)
    index = int(rng.choice(len(choices), p=probabilities))
    new_d = d * d + (1.0 - d) * d ** (index + 1)
    return choices[index], float(min(max(new_d, 0.0), 1.0))


def decompose_weighted_mean(rng: np.random.Generator, d: float, weights: Sequence[float]) -> np.ndarray:
    """Random sub-difficulties in [0, 1] whose mean weighted by `weights` is `d` (to 1e-9).

    Draws uniform values, then shifts them all by the same amount (clipping to [0, 1]) until the weighted mean is d.
    """
    _check_difficulty(d)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or len(w) == 0 or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"weights must be non-negative with a positive sum, got {list(weights)}")
    w = w / w.sum()
    base = rng.uniform(size=len(w))
    lo, hi = -1.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if float(np.dot(w, np.clip(base + mid, 0.0, 1.0))) < d:
            lo = mid
        else:
            hi = mid
    return np.clip(base + 0.5 * (lo + hi), 0.0, 1.0)
