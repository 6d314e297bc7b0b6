"""Per-episode bookkeeping shared by the single and the vector environment.

Turns the simulator's raw records into the public observation, reward, termination, score and `info`
(as the original). No simulator access here, so it is tested without Godot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from gymnasium import spaces

from avalon.constants import (
    ACTION_SIZE,
    FRAMES_ALIVE_AFTER_FOOD_GONE,
    NUM_REAL_ACTIONS,
    PROPRIO_NAMES,
    PROPRIO_SIZE,
    STATE_NAMES,
    STEP_COST,
)
from avalon.entities import kind_name
from avalon.sim.protocol import RawObservation
from avalon.world.spec import WorldSpec

S = {name: i for i, name in enumerate(STATE_NAMES)}
P = {name: i for i, name in enumerate(PROPRIO_NAMES)}


class InvalidActionError(ValueError):
    """An action that is not a finite float vector of the action space's shape."""


def observation_space(resolution: int, mode: str = "dict") -> Any:
    """The observation space: Dict(rgbd, proprio), or with `mode` "rgbd" / "rgb" only the image Box."""
    image = spaces.Box(0, 255, (resolution, resolution, 4), np.uint8)
    if mode == "rgbd":
        return image
    if mode == "rgb":
        return spaces.Box(0, 255, (resolution, resolution, 3), np.uint8)
    return spaces.Dict({"rgbd": image, "proprio": spaces.Box(-np.inf, np.inf, (PROPRIO_SIZE,), np.float32)})


def action_space() -> spaces.Box:
    return spaces.Box(-1.0, 1.0, (ACTION_SIZE,), np.float32)


def prepare_action(action: Any) -> np.ndarray:
    """Validate an action and put it in wire form: 3-vectors projected into the unit ball, buttons 0.0 or 1.0."""
    try:
        array = np.asarray(action, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise InvalidActionError(f"action must be a float array of shape ({ACTION_SIZE},): {error}") from None
    if array.shape != (ACTION_SIZE,):
        raise InvalidActionError(f"action must have shape ({ACTION_SIZE},), got {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = [i for i in range(ACTION_SIZE) if not math.isfinite(float(array[i]))]
        raise InvalidActionError(f"action has NaN or infinite values at indices {bad}")
    triplets = array[:NUM_REAL_ACTIONS].reshape(-1, 3).astype(np.float64)
    norms = np.maximum(1.0, np.linalg.norm(triplets, axis=1, keepdims=True))
    wire = np.empty(ACTION_SIZE, dtype=np.float32)
    wire[:NUM_REAL_ACTIONS] = (triplets / norms).reshape(-1)
    wire[NUM_REAL_ACTIONS:] = (array[NUM_REAL_ACTIONS:] > 0).astype(np.float32)
    return wire


@dataclass
class Episode:
    """What the env tracks between reset and the end of one episode."""

    task: str
    seed: int
    difficulty: float
    frame_limit: int
    debug: bool = False
    world: WorldSpec | None = field(default=None, repr=False)  # shown in the reset info's "debug" only
    hit_points: float = 0.0
    initial_hit_points: float = 0.0
    score: float = 0.0
    frames_since_food_gone: int = -1
    food_gone: bool = False
    success: bool = False
    done: bool = False
    outcome: str | None = None  # once done: "success", "death", "timeout" or "failure" (the food gone, not eaten)
    last_rgbd: np.ndarray | None = field(default=None, repr=False)

    def start(self, raw: RawObservation) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        self.hit_points = self.initial_hit_points = float(raw.state[S["hit_points"]])
        self.score = self.frame_limit * STEP_COST
        self.frames_since_food_gone = -1
        self.food_gone = self.success = self.done = False
        self.outcome = None
        self._update_food(raw)
        info = self._info(raw)
        if self.debug:
            info["debug"]["world"] = self.world
        return self._observation(raw), info

    def advance(self, raw: RawObservation) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
        if self.done:
            raise RuntimeError("episode already ended: call reset()")
        hit_points = float(raw.state[S["hit_points"]])
        reward = hit_points - self.hit_points - STEP_COST
        self.hit_points = hit_points
        was_gone = self.food_gone
        self._update_food(raw)
        remaining = max(0, self.frame_limit - raw.frame)
        if not was_gone:
            self.score = max(0.0, hit_points + remaining * STEP_COST - self.initial_hit_points)
        if was_gone:
            self.frames_since_food_gone += 1
        dead = raw.state[S["is_dead"]] > 0.5
        terminated = bool(dead or self.frames_since_food_gone >= FRAMES_ALIVE_AFTER_FOOD_GONE)
        truncated = bool(not terminated and raw.frame >= self.frame_limit)
        self.done = terminated or truncated
        if self.done:
            self.outcome = "success" if self.success else "death" if dead else "timeout" if truncated else "failure"
        return self._observation(raw), float(reward), terminated, truncated, self._info(raw)

    def _update_food(self, raw: RawObservation) -> None:
        if self.food_gone:
            return
        if raw.state[S["edible_food_remaining"]] < 0.5:
            self.food_gone = True
            self.frames_since_food_gone = 0
            # Fixed quirk of the original: destroyed food (squished fig, dirty honeycomb) is not a success.
            self.success = bool(raw.state[S["food_destroyed"]] < 0.5 and raw.state[S["food_eaten"]] > 0.5)

    def _observation(self, raw: RawObservation) -> dict[str, np.ndarray]:
        proprio = raw.proprio.copy()
        proprio[-1] = float(max(0, self.frame_limit - raw.frame))
        self.last_rgbd = raw.rgbd
        return {"rgbd": raw.rgbd, "proprio": proprio}

    def _info(self, raw: RawObservation) -> dict[str, Any]:
        info: dict[str, Any] = {
            "task": self.task,
            "difficulty": self.difficulty,
            "seed": self.seed,
            "success": self.success,
            "score": self.score,
            "hit_points": self.hit_points,
            "frame": raw.frame,
            "frames_remaining": max(0, self.frame_limit - raw.frame),
        }
        if self.debug:
            info["debug"] = debug_info(raw)
        return info


def debug_info(raw: RawObservation) -> dict[str, Any]:
    """Privileged state for scripted agents and debugging; never part of the observation."""
    st = raw.state

    def vec(prefix: str) -> np.ndarray:
        return np.array([st[S[f"{prefix}_x"]], st[S[f"{prefix}_y"]], st[S[f"{prefix}_z"]]], dtype=np.float32)

    return {
        "body_position": vec("body"),
        "head_position": vec("head"),
        "head_pitch": float(st[S["head_pitch"]]),
        "head_yaw": float(st[S["head_yaw"]]),
        "head_roll": float(st[S["head_roll"]]),
        "left_hand_position": vec("left_hand"),
        "right_hand_position": vec("right_hand"),
        "left_held_id": int(st[S["left_held_id"]]),
        "right_held_id": int(st[S["right_held_id"]]),
        # a hand holding on to a climbable surface (or an item): climbing plans need it
        "left_hand_holding": bool(raw.proprio[P["left_hand_holding"]] > 0.5),
        "right_hand_holding": bool(raw.proprio[P["right_hand_holding"]] > 0.5),
        "is_on_floor": bool(st[S["is_on_floor"]] > 0.5),
        "edible_food_remaining": int(st[S["edible_food_remaining"]]),
        "food_eaten": int(st[S["food_eaten"]]),
        "food_destroyed": int(st[S["food_destroyed"]]),
        "entities": [
            {
                "id": int(e["id"]),
                "kind": kind_name(int(e["kind"])),
                "flags": int(e["flags"]),
                "position": e["position"].astype(np.float32),
                "hit_points": float(e["hit_points"]),
                "yaw": float(e["yaw"]),
            }
            for e in raw.entities
        ],
    }
