"""Shared checks of the indoor variants of JUMP, PUSH and STACK (single-room buildings): the indoor share of the
worlds, and the oracle playing a few indoor worlds in the engine."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from avalon.env import AvalonEnv
from avalon.oracle import Oracle
from avalon.tasks import generate_world
from avalon.tasks.common import ImpossibleWorldError
from avalon.world.spec import WorldSpec


def indoor_share(monkeypatch: pytest.MonkeyPatch, module: ModuleType, task: str, seeds: int = 200) -> float:
    """The share of indoor worlds among `seeds` worlds at d = 0.5, the outdoor ones stubbed (one world, made once)
    so the count is quick; the stub fails half its attempts, as hard outdoor worlds often do (a retry must not get
    another chance to go indoor)."""
    outdoor = generate_world(task, 0, 0.5, variant="outdoor")

    def stub(rng: np.random.Generator, d: float) -> WorldSpec:
        if rng.uniform() < 0.5:
            raise ImpossibleWorldError("stub")
        return outdoor

    monkeypatch.setattr(module, "generate_outdoor", stub)
    return sum(bool(generate_world(task, seed, 0.5).buildings) for seed in range(seeds)) / seeds


def oracle_solves(task: str, worlds: list[WorldSpec], steps: int) -> None:
    with AvalonEnv(task, headless=True, debug=True) as env:
        for world in worlds:
            oracle = Oracle()
            _, info = env.reset(seed=0, options={"world": world})
            for _ in range(steps):
                _, _, terminated, truncated, info = env.step(oracle.act(info))
                if terminated or truncated:
                    break
            assert info["success"], f"seed {world.seed}: the body ended at {info['debug']['body_position']}"
