"""Edge noise for ring obstacles: a random sum of angular harmonics, tabulated once and looked up per point.

With `noise` n and `circularity` c, a ring of radius r gets, with n' = sqrt(n) and f = r / 20.6 (wiggles grow with the
ring so their size in metres stays about the same):
- noise terms: harmonics f0 + k (f0 = round(2 f), k = 1 .. round(20 n' sqrt(f)) - 1), each weighted 0.75 n' / (f0 + k);
- shape terms: harmonics 1..5 weighted (0.1, 0.3, 0.2, 0.1, 0.05) * 1.75 (1 - c) (ovals, triangles, ...).
Every term has a sine and a cosine with U(-1, 1) coefficients. The sum distorts the ring's radius (`ring.py`); a
second, independent sum rescaled to [0, 1] moves the walls (`wall noise`).
"""

from __future__ import annotations

import functools
import math

import numpy as np

SCALE_RADIUS = 20.6  # m: a ring this big gets the base number of noise harmonics
SHAPE_WEIGHTS = (0.1, 0.3, 0.2, 0.1, 0.05)
SHAPE_GAIN = 1.75
NOISE_GAIN = 0.75
HARMONIC_CAP = 16  # cached harmonic tables go up to a multiple of this order (few distinct caches)
TABLE_SIZE = 1024  # samples over a full turn (0.35 degrees: 0.2 m at 30 m); points look up the nearest one


def harmonic_table(rng: np.random.Generator, radius: float, noise: float, circularity: float) -> np.ndarray:
    """H(theta) sampled at theta = 2 pi k / TABLE_SIZE (see the module docstring)."""
    if not (0.0 <= noise <= 1.0 and 0.0 <= circularity <= 1.0):
        raise ValueError(f"edge noise and circularity must be in [0, 1], got {noise}, {circularity}")
    root = math.sqrt(noise)
    f = max(radius, 0.0) / SCALE_RADIUS
    f0 = round(2 * f)
    orders, weights = [], []
    for k in range(1, round(20 * root * math.sqrt(f))):
        orders.append(f0 + k)
        weights.append(NOISE_GAIN * root / (f0 + k))
    for order, weight in enumerate(SHAPE_WEIGHTS, start=1):
        orders.append(order)
        weights.append(weight * SHAPE_GAIN * (1.0 - circularity))
    coefficients = rng.uniform(-1.0, 1.0, size=(len(orders), 2))
    sines, cosines = _harmonics(HARMONIC_CAP * ((max(orders) - 1) // HARMONIC_CAP + 1))
    table = np.zeros(TABLE_SIZE)
    for order, weight, (a, b) in zip(orders, weights, coefficients, strict=True):
        table += weight * (a * sines[order] + b * cosines[order])
    return table


@functools.lru_cache(maxsize=4)
def _harmonics(top: int) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """sin(n theta) and cos(n theta) on the table's angles for n = 0..top, by the angle-addition recurrence from
    `math.sin`/`math.cos` of the angles: only correctly rounded arithmetic after that, never a BLAS product or a
    vectorised transcendental whose last bits may differ between machines (worlds must be byte-identical)."""
    step = 2 * math.pi / TABLE_SIZE
    c1 = np.array([math.cos(k * step) for k in range(TABLE_SIZE)])
    s1 = np.array([math.sin(k * step) for k in range(TABLE_SIZE)])
    sines, cosines = [np.zeros(TABLE_SIZE), s1], [np.ones(TABLE_SIZE), c1]
    for _ in range(2, top + 1):
        sines.append(sines[-1] * c1 + cosines[-1] * s1)
        cosines.append(cosines[-1] * c1 - sines[-2] * s1)
    for array in sines + cosines:
        array.setflags(write=False)  # shared through the cache
    return tuple(sines), tuple(cosines)


def unit_table(table: np.ndarray) -> np.ndarray:
    """`table` rescaled to [0, 1] (all zeros if it is flat)."""
    low, high = float(table.min()), float(table.max())
    return np.zeros_like(table) if high - low < 1e-12 else (table - low) / (high - low)


def lookup(table: np.ndarray, theta: np.ndarray | float) -> np.ndarray:
    """The table's value at angle(s) `theta` (radians, any range)."""
    index = np.round(np.asarray(theta) / (2 * math.pi) * TABLE_SIZE).astype(int) % TABLE_SIZE
    return table[index]
