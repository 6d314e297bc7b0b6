"""A privileged scripted agent: reads `info["debug"]` (positions of the body, hands and food) and walks to, grabs and
eats food. It proves worlds are solvable and drives the demo; it is not a baseline (it sees what agents cannot).

Use: `env = gymnasium.make("avalon/Eat-v0", debug=True)`, then `action = oracle.act(info)` every step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import (
    ACTION_SIZE,
    FOOD_BY_NAME,
    MAX_HAND_LINEAR_SPEED,
    MAX_HEAD_LINEAR_SPEED,
    MAX_HEAD_PITCH_SPEED,
    MAX_HEAD_YAW_SPEED,
    EntityFlag,
)

HEAD_X, HEAD_Y, HEAD_Z, HEAD_PITCH, HEAD_YAW = 0, 1, 2, 3, 4
RIGHT_HAND = slice(12, 15)
LEFT_GRASP, RIGHT_GRASP, JUMP = 18, 19, 20
REACH = 0.9  # m, horizontal distance from the body at which the oracle stops walking and reaches
GONE = EntityFlag.EATEN | EntityFlag.DESTROYED


def head_basis(yaw_deg: float, pitch_deg: float) -> np.ndarray:
    """Columns = head right, up, back in world coordinates (yaw about +Y, then pitch about the head's x)."""
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    cy, sy, cp, sp = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
    ry = np.array([[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]])
    rx = np.array([[1.0, 0.0, 0.0], [0.0, cp, -sp], [0.0, sp, cp]])
    return ry @ rx


def angle_difference(target: float, current: float) -> float:
    return (target - current + 180.0) % 360.0 - 180.0


@dataclass
class Oracle:
    """Walk to the nearest food, crouch to its height, reach with the right hand, grab, bring to the mouth."""

    stuck_patience: int = 15
    _target: int | None = None
    _last_body: np.ndarray | None = None
    _stuck: int = 0
    _jump_cooldown: int = 0
    _history: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self._target = None
        self._last_body = None
        self._stuck = 0
        self._jump_cooldown = 0

    def act(self, info: dict[str, Any]) -> np.ndarray:
        if "debug" not in info:
            raise KeyError("the oracle needs privileged state: make the env with debug=True")
        debug = info["debug"]
        action = np.zeros(ACTION_SIZE, dtype=np.float32)
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        if not foods:
            return action
        held = debug["right_held_id"]
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
        held_food = next((e for e in foods if e["id"] == held), None)
        if held_food is not None:
            # Bring the food to the mouth: hand towards the head centre.
            self._move_hand(action, basis, hand, head)
            action[RIGHT_GRASP] = 1.0
            self._look_level(action, debug)
            return action
        if held:  # holding something that is not food: drop it
            return action
        target = min(foods, key=lambda e: float(np.linalg.norm(np.asarray(e["position"]) - body)))
        position = np.asarray(target["position"], dtype=np.float64)
        to_food = position - body
        horizontal = math.hypot(to_food[0], to_food[2])
        desired_yaw = math.degrees(math.atan2(-to_food[0], -to_food[2]))
        yaw_error = angle_difference(desired_yaw, debug["head_yaw"])
        action[HEAD_YAW] = np.clip(yaw_error / MAX_HEAD_YAW_SPEED, -1.0, 1.0)
        to_eye = position - head
        desired_pitch = math.degrees(math.atan2(to_eye[1], math.hypot(to_eye[0], to_eye[2])))
        action[HEAD_PITCH] = np.clip(angle_difference(desired_pitch, debug["head_pitch"]) / MAX_HEAD_PITCH_SPEED, -1, 1)
        if horizontal > REACH and abs(yaw_error) < 45.0:
            action[HEAD_Z] = -min(1.0, (horizontal - REACH + 0.1) / MAX_HEAD_LINEAR_SPEED)
            self._unstick(action, body)
        # Crouch or stand so the food is within reach below the head.
        action[HEAD_Y] = np.clip((position[1] + 0.3 - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
        if horizontal < REACH + 0.8:
            self._move_hand(action, basis, hand, position)
            if float(np.linalg.norm(hand - position)) < 0.45:
                action[RIGHT_GRASP] = 1.0
        return action

    def _move_hand(self, action: np.ndarray, basis: np.ndarray, hand: np.ndarray, goal: np.ndarray) -> None:
        local = basis.T @ (goal - hand) / MAX_HAND_LINEAR_SPEED
        norm = float(np.linalg.norm(local))
        action[RIGHT_HAND] = local / max(1.0, norm)

    def _look_level(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        action[HEAD_PITCH] = np.clip(-debug["head_pitch"] / MAX_HEAD_PITCH_SPEED, -1.0, 1.0)

    def _unstick(self, action: np.ndarray, body: np.ndarray) -> None:
        if self._last_body is not None and float(np.linalg.norm(body - self._last_body)) < 0.02:
            self._stuck += 1
        else:
            self._stuck = 0
        self._last_body = body.copy()
        self._jump_cooldown = max(0, self._jump_cooldown - 1)
        if self._stuck >= self.stuck_patience and self._jump_cooldown == 0:
            action[JUMP] = 1.0
            self._jump_cooldown = 10
            self._stuck = 0
