"""Agents the scoring CLI can evaluate, and how it finds yours.

An agent is any object with
    reset(seed: int) -> None                     # start of every episode; the seed is derived from (agent seed, world)
    act(observation: dict) -> np.ndarray         # the env's observation -> a (21,) action in [-1, 1]
Pass `--agent module.path:factory` (a module on the Python path) or `--agent path/to/file.py:factory` (a file),
where `factory(seed: int)` returns an agent; it is called once per worker process. An agent with `privileged = True`
instead gets `act(observation, info)` with `info["debug"]` (positions of everything): only the built-in oracle does,
and its scores are a solvability check, not a leaderboard entry.
"""

from __future__ import annotations

import importlib
import importlib.util
import zlib
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from avalon.oracle import Oracle
from avalon.random_policy import RandomAgent


class Agent(Protocol):
    def reset(self, seed: int) -> None: ...

    def act(self, observation: dict[str, np.ndarray]) -> np.ndarray: ...


class OracleAgent:
    """The privileged scripted agent (`avalon.oracle`) behind the agent interface."""

    name = "oracle"
    privileged = True

    def __init__(self, seed: int = 0) -> None:
        self.oracle = Oracle()

    def reset(self, seed: int) -> None:
        self.oracle = Oracle()

    def act(self, observation: dict[str, np.ndarray], info: dict[str, Any]) -> np.ndarray:
        return self.oracle.act(info)


BUILT_IN = {"random": RandomAgent, "oracle": OracleAgent}


def agent_factory(spec: str) -> Any:
    """The callable that `spec` names (`random`, `oracle`, `module.path:factory` or `path/to/file.py:factory`),
    checked without calling it."""
    if spec in BUILT_IN:
        return BUILT_IN[spec]
    module_name, _, factory_name = spec.rpartition(":")
    if not module_name or not factory_name:
        raise ValueError(
            f"agent must be one of {sorted(BUILT_IN)}, 'module.path:factory' or 'path/to/file.py:factory', got {spec!r}"
        )
    if module_name.endswith(".py"):
        path = Path(module_name)
        if not path.is_file():
            raise ValueError(f"agent file {module_name!r} does not exist")
        loader = importlib.util.spec_from_file_location(f"avalon_agent_{path.stem}", path.resolve())
        if loader is None or loader.loader is None:
            raise ValueError(f"cannot load agent file {module_name!r}")
        module = importlib.util.module_from_spec(loader)
        try:
            loader.loader.exec_module(module)
        except Exception as error:
            raise ValueError(f"agent file {module_name!r} failed to load: {type(error).__name__}: {error}") from None
    else:
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise ValueError(
                f"cannot import agent module {module_name!r}: {error} (a file path ending in .py works too, "
                "e.g. path/to/agent.py:factory)"
            ) from None
    factory = getattr(module, factory_name, None)
    if not callable(factory):
        raise ValueError(f"{module_name} has no callable {factory_name!r}")
    return factory


def make_agent(spec: str, seed: int) -> Any:
    agent = agent_factory(spec)(seed)
    for method in ("reset", "act"):
        if not callable(getattr(agent, method, None)):
            raise TypeError(f"{spec} returned {type(agent).__name__}, which has no {method}() method")
    return agent


def episode_seed(agent_seed: int, world_id: str) -> int:
    """The agent's seed for one world: independent of which worker runs it or in which order."""
    return (agent_seed * 1_000_003 + zlib.crc32(world_id.encode())) % 2**31
