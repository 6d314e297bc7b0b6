"""The reference random policy (as the original's): what every score is normalized against."""

from __future__ import annotations

import numpy as np

from avalon.constants import ACTION_SIZE, NUM_REAL_ACTIONS
from avalon.human.controls import KM_ACTION_SIZE, KM_NUM_REAL_ACTIONS

ACTION_MODES = ("vr", "keyboard_mouse")


class RandomAgent:
    """The 18 reals ~ N(0, 1), each button pressed with probability 0.5 (the env projects each 3-vector into the
    unit ball, as the original does). With `action_mode="keyboard_mouse"` the same in that space: its 4 reals
    ~ N(0, 1) clipped to [-1, 1], each of its 7 buttons pressed half the time."""

    name = "random"
    privileged = False

    def __init__(self, seed: int = 0, action_mode: str = "vr") -> None:
        if action_mode not in ACTION_MODES:
            raise ValueError(f"action_mode must be one of {ACTION_MODES}, got {action_mode!r}")
        self.rng = np.random.default_rng(seed)
        self.action_mode = action_mode
        self.keyboard_mouse = action_mode == "keyboard_mouse"
        self.size, self.reals = (
            (KM_ACTION_SIZE, KM_NUM_REAL_ACTIONS) if self.keyboard_mouse else (ACTION_SIZE, NUM_REAL_ACTIONS)
        )

    def reset(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def act(self, observation: dict[str, np.ndarray]) -> np.ndarray:
        action = np.empty(self.size, dtype=np.float32)
        action[: self.reals] = self.rng.normal(0.0, 1.0, self.reals)
        action[self.reals :] = np.where(self.rng.uniform(size=self.size - self.reals) < 0.5, 1.0, -1.0)
        return np.clip(action, -1.0, 1.0) if self.keyboard_mouse else action
