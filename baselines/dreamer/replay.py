"""Replay buffer: one ring of steps per environment, in memory or as memory-mapped arrays on disk.

Every step of every env is stored in that env's stream: the observation, the action that led to it (zeros after a
reset), the reward received on arriving, `is_first` (a reset observation) and `is_terminal` (the episode ended there
by death or by the food being gone; time-limit truncation is not terminal). Samples are fixed-length windows of one
stream; they may cross episode boundaries, which `is_first` marks for the RSSM.

On disk (`directory` given), the arrays are `.npy` memory maps plus `replay.json` (write position and fill), so a
resumed run finds its replay where it left it; the full original's 1 M steps of 96 px RGB-D are ~37 GB.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from avalon.constants import ACTION_SIZE, PROPRIO_SIZE


def _fields(resolution: int) -> dict[str, tuple[tuple[int, ...], Any]]:
    return {
        "rgbd": ((4, resolution, resolution), np.uint8),
        "proprio": ((PROPRIO_SIZE,), np.float32),
        "action": ((ACTION_SIZE,), np.float32),
        "reward": ((), np.float32),
        "is_first": ((), np.bool_),
        "is_terminal": ((), np.bool_),
    }


class Replay:
    def __init__(self, capacity: int, num_envs: int, resolution: int, directory: str | Path | None = None) -> None:
        self.num_envs = num_envs
        self.length = capacity // num_envs  # steps kept per env stream
        self.resolution = resolution
        self.directory = Path(directory) if directory is not None else None
        self.position = 0  # next slot written (all streams advance together)
        self.filled = 0  # valid slots per stream
        self.arrays: dict[str, np.ndarray] = {}
        meta = self.directory / "replay.json" if self.directory is not None else None
        reopen = meta is not None and meta.exists() and self._matches(json.loads(meta.read_text()))
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
        for name, (shape, dtype) in _fields(resolution).items():
            full = (num_envs, self.length, *shape)
            if self.directory is None:
                self.arrays[name] = np.zeros(full, dtype)
            else:
                path = self.directory / f"{name}.npy"
                mode = "r+" if reopen else "w+"
                self.arrays[name] = np.lib.format.open_memmap(path, mode=mode, dtype=dtype, shape=full)
        if reopen and meta is not None:
            state = json.loads(meta.read_text())
            self.position, self.filled = int(state["position"]), int(state["filled"])

    def _matches(self, state: dict[str, Any]) -> bool:
        return bool(
            state.get("num_envs") == self.num_envs
            and state.get("length") == self.length
            and state.get("resolution") == self.resolution
        )

    def __len__(self) -> int:
        """Steps stored, over all streams."""
        return self.filled * self.num_envs

    def add(self, step: dict[str, np.ndarray]) -> None:
        """One step of every env: each value has a leading (num_envs,) axis."""
        for name, array in self.arrays.items():
            array[:, self.position] = step[name]
        self.position = (self.position + 1) % self.length
        self.filled = min(self.filled + 1, self.length)

    def can_sample(self, length: int) -> bool:
        return self.filled >= length

    def sample(self, batch: int, length: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """`batch` windows of `length` consecutive steps, each from a random stream: values (batch, length, ...)."""
        if not self.can_sample(length):
            raise ValueError(f"replay holds {self.filled} steps per stream, fewer than a window of {length}")
        envs = rng.integers(0, self.num_envs, batch)
        # windows lie in the filled part and never straddle the write position (where old meets new)
        oldest = self.position if self.filled == self.length else 0
        starts = (oldest + rng.integers(0, self.filled - length + 1, batch)) % self.length
        times = (starts[:, None] + np.arange(length)[None]) % self.length
        return {name: array[envs[:, None], times] for name, array in self.arrays.items()}

    def save(self) -> None:
        """Disk replay: flush the arrays and write the positions atomically (no-op in memory)."""
        if self.directory is None:
            return
        for array in self.arrays.values():
            if isinstance(array, np.memmap):
                array.flush()
        state = {
            "num_envs": self.num_envs,
            "length": self.length,
            "resolution": self.resolution,
            "position": self.position,
            "filled": self.filled,
        }
        tmp = self.directory / ".replay.json.tmp"
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self.directory / "replay.json")
