"""Motor skills the task plans share: face a point, walk along a planned path (pure pursuit over the heightmap's
A* path, jumping when stuck), move the right hand to a world point, look level. Each writes into the action array
of the current step; `Motor` keeps the walking state of one episode.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import MAX_HAND_LINEAR_SPEED, MAX_HEAD_LINEAR_SPEED, MAX_HEAD_PITCH_SPEED, MAX_HEAD_YAW_SPEED
from avalon.navigation import plan_path
from avalon.world.spec import WorldSpec

HEAD_X, HEAD_Y, HEAD_Z, HEAD_PITCH, HEAD_YAW = 0, 1, 2, 3, 4
LEFT_HAND = slice(6, 9)
RIGHT_HAND = slice(12, 15)
RIGHT_HAND_ROLL = 17
LEFT_GRASP, RIGHT_GRASP, JUMP = 18, 19, 20
LOOKAHEAD = 1.0  # m along the path to the point the oracle heads for


def head_basis(yaw_deg: float, pitch_deg: float) -> np.ndarray:
    """Columns = head right, up, back in world coordinates (yaw about +Y, then pitch about the head's x)."""
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    cy, sy, cp, sp = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
    ry = np.array([[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]])
    rx = np.array([[1.0, 0.0, 0.0], [0.0, cp, -sp], [0.0, sp, cp]])
    return ry @ rx


def angle_difference(target: float, current: float) -> float:
    return (target - current + 180.0) % 360.0 - 180.0


def entity(debug: dict[str, Any], entity_id: int) -> dict[str, Any] | None:
    """The entity record with id `entity_id` in this step's debug info, or None when it is gone."""
    return next((e for e in debug["entities"] if int(e["id"]) == entity_id), None)


def horizontal(a: Any, b: Any) -> float:
    return math.hypot(float(a[0]) - float(b[0]), float(a[2]) - float(b[2]))


@dataclass
class Motor:
    """The shared skills, with the walking state of one episode (`world` None: walk straight at goals)."""

    world: WorldSpec | None = None
    stuck_patience: int = 15
    # How walks are planned: `avalon.navigation.plan_path` unless a task's plan walks differently (e.g. SCRAMBLE's
    # slope-aware planner).
    planner: Callable[[WorldSpec, np.ndarray, np.ndarray], list[tuple[float, float]] | None] = plan_path
    _path: list[tuple[float, float]] = field(default_factory=list)
    _path_target: Any = None
    _progress: int = 0
    _last_body: np.ndarray | None = None
    _stuck: int = 0
    _jump_cooldown: int = 0

    def walk(self, action: np.ndarray, debug: dict[str, Any], target: Any, goal: np.ndarray, reach: float) -> None:
        """Turn towards the next waypoint to `goal` and walk there while farther than `reach` (horizontally)."""
        body = np.asarray(debug["body_position"], dtype=np.float64)
        heading = self._waypoint(target, body, goal) - body
        yaw_error = self.face(action, debug, body + heading)
        distance = horizontal(body, goal)
        if distance <= reach:
            return
        # Walk towards the waypoint in the head's frame (sideways too), slower while still turning.
        local = head_basis(debug["head_yaw"], 0.0).T @ np.array([heading[0], 0.0, heading[2]])
        local /= max(1e-6, float(np.linalg.norm(local)))
        speed = min(1.0, (distance - reach + 0.1) / MAX_HEAD_LINEAR_SPEED)
        speed *= max(0.3, math.cos(math.radians(min(abs(yaw_error), 90.0))))
        action[HEAD_X], action[HEAD_Z] = speed * local[0], speed * local[2]
        self.unstick(action, body)

    def face(self, action: np.ndarray, debug: dict[str, Any], point: np.ndarray) -> float:
        """Turn the head towards `point` (about +Y); returns the yaw error in degrees."""
        body = debug["body_position"]
        desired_yaw = math.degrees(math.atan2(-(point[0] - body[0]), -(point[2] - body[2])))
        yaw_error = angle_difference(desired_yaw, debug["head_yaw"])
        action[HEAD_YAW] = np.clip(yaw_error / MAX_HEAD_YAW_SPEED, -1.0, 1.0)
        return yaw_error

    def _waypoint(self, target: Any, body: np.ndarray, goal: np.ndarray) -> np.ndarray:
        """The point LOOKAHEAD metres along the planned path to `goal` beyond the body's projection onto it (the goal
        itself without a world or path). Following the polyline this closely keeps the body on narrow walkways."""
        if self.world is None:
            return goal
        if self._path_target != target or self._off_path(body):
            self._path = self.planner(self.world, body, goal) or []
            self._path_target, self._progress = target, 0
        if len(self._path) < 2:
            return goal
        points = np.asarray(self._path, dtype=np.float64)
        here = np.array([body[0], body[2]])
        # Project onto the next few segments; progress only moves forward.
        best: tuple[float, int, float] | None = None
        last = min(len(points) - 1, self._progress + 6)
        for k in range(self._progress, last):
            a, b = points[k], points[k + 1]
            length = float(np.linalg.norm(b - a))
            t = 0.0 if length == 0.0 else float(np.clip(np.dot(here - a, b - a) / length**2, 0.0, 1.0))
            distance = float(np.linalg.norm(a + t * (b - a) - here))
            if best is None or distance < best[0]:
                best = (distance, k, t * length)
        if best is None:
            return goal
        _, k, along = best
        self._progress = k
        remaining = LOOKAHEAD
        while k < len(points) - 1:
            a, b = points[k], points[k + 1]
            length = float(np.linalg.norm(b - a))
            if along + remaining <= length:
                x, z = a + (b - a) * ((along + remaining) / max(length, 1e-9))
                return np.array([x, body[1], z])
            remaining -= length - along
            along = 0.0
            k += 1
        return goal

    def _off_path(self, body: np.ndarray) -> bool:
        if not self._path:
            return False
        window = self._path[self._progress : self._progress + 6] or self._path[-1:]
        return min(math.hypot(x - body[0], z - body[2]) for x, z in window) > 2.5

    def move_hand(self, action: np.ndarray, debug: dict[str, Any], goal: np.ndarray) -> None:
        """Right hand towards the world point `goal`, at most MAX_HAND_LINEAR_SPEED per step."""
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
        local = basis.T @ (goal - hand) / MAX_HAND_LINEAR_SPEED
        norm = float(np.linalg.norm(local))
        action[RIGHT_HAND] = local / max(1.0, norm)

    def look_level(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        action[HEAD_PITCH] = np.clip(-debug["head_pitch"] / MAX_HEAD_PITCH_SPEED, -1.0, 1.0)

    def unstick(self, action: np.ndarray, body: np.ndarray) -> None:
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
