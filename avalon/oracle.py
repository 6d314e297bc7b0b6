"""A privileged scripted agent: reads `info["debug"]` (positions of the body, hands and food) and walks to, grabs,
opens (by throwing it down, onto a rock if it needs one) and eats food. It proves worlds are solvable and drives the
demo; it is not a baseline (it sees what agents cannot).

Use: `env = gymnasium.make("avalon/Eat-v0", debug=True)`, then `action = oracle.act(info)` every step.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import (
    ACTION_SIZE,
    AGENT_HEIGHT,
    ARM_LENGTH,
    BODY_RADIUS,
    HEAD_HEIGHT_MAX,
    MAX_HAND_LINEAR_SPEED,
    MAX_HEAD_LINEAR_SPEED,
    MAX_HEAD_PITCH_SPEED,
    MAX_HEAD_YAW_SPEED,
    PHYSICS_FPS,
    EntityFlag,
)
from avalon.entities import FOOD_BY_NAME
from avalon.navigation import Box, plan_path, stand_point, static_boxes
from avalon.world.spec import WorldSpec

HEAD_X, HEAD_Y, HEAD_Z, HEAD_PITCH, HEAD_YAW = 0, 1, 2, 3, 4
RIGHT_HAND = slice(12, 15)
LEFT_GRASP, RIGHT_GRASP, JUMP = 18, 19, 20
REACH = 0.9  # m, horizontal distance from the body at which the oracle stops walking and reaches
REACH_CLEARANCE = 0.15  # m beyond the body's and the food's radii: wide foods are reached from farther
LOOKAHEAD = 1.0  # m along the path to the point the oracle heads for
GONE = EntityFlag.EATEN | EntityFlag.DESTROYED
CROUCH_DISTANCE = 2.5  # m: farther from the food the oracle walks upright (crouching slows walking down)
STAND_TOLERANCE = 0.03  # m: the body is at its stand point
# Opening a closed food: lift it above the head, then release it while moving the hand down fast (a throw).
RAISE_ABOVE_HEAD = 0.3  # m, highest point of the hand above the head
DROP_DISTANCE = 0.55  # m in front of the head where a food is dropped when it needs no rock
THROW_SPEED_MARGIN = 1.5  # m/s above the food's opening speed
ROCK_DISTANCE = 0.85  # m, horizontal body-rock distance from which a food is dropped onto the rock
AIM = 0.01  # m, how close the hand must be to its goal before the throw
RAISE_PATIENCE = 40  # steps: throw anyway when the food does not reach its drop point
AT_REST = 0.03  # m per step: food moving faster (falling, bouncing) is not at rest
REST_STEPS = 4  # a closed food is grabbed only after this many steps at rest (an impact counts two steps late)
HAND_ROOM = ARM_LENGTH - 0.03  # m, the hand's reach from the head, a little inside the arm's length


class Phase(Enum):
    """What the oracle is doing; `Oracle.act` picks the phase from what the right hand holds."""

    FETCH = "fetch"  # walk to the nearest food, crouch, reach and grab it
    EAT = "eat"  # bring the held, opened food to the mouth
    CARRY = "carry"  # walk with a closed food that opens only on a rock to the nearest rock
    RAISE = "raise"  # stand up and lift the closed food above its drop point (in front, or above the rock)
    THROW = "throw"  # (one step) release it while the hand moves down fast: the impact opens it


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
    """Walk to the nearest food (round altars to the side nearest it), crouch to its height, reach with the right
    hand, grab, bring to the mouth.

    A closed food is opened first (phases: see `Phase`): lifted and thrown down onto the ground in front (orange,
    coconut), or carried to the nearest rock and thrown down onto it (avocado: only a rock opens it), from as high as
    the arm reaches; the food is picked up again once it has come to rest, and thrown again if it is still closed.
    """

    stuck_patience: int = 15
    phase: Phase = Phase.FETCH
    _world: WorldSpec | None = None
    _boxes: list[Box] = field(default_factory=list)
    _path: list[tuple[float, float]] = field(default_factory=list)
    _path_target: int | None = None
    _progress: int = 0
    _last_body: np.ndarray | None = None
    _stuck: int = 0
    _jump_cooldown: int = 0
    _raise_steps: int = 0
    _last_positions: dict[int, np.ndarray] = field(default_factory=dict)
    _rest_steps: dict[int, int] = field(default_factory=dict)  # per food id: steps at rest so far

    def reset(self) -> None:
        self.phase = Phase.FETCH
        self._world, self._boxes = None, []
        self._path, self._path_target, self._progress = [], None, 0
        self._last_body = None
        self._stuck = 0
        self._jump_cooldown = 0
        self._raise_steps = 0
        self._last_positions, self._rest_steps = {}, {}

    def act(self, info: dict[str, Any]) -> np.ndarray:
        if "debug" not in info:
            raise KeyError("the oracle needs privileged state: make the env with debug=True")
        debug = info["debug"]
        if debug.get("world") is not None:  # a new episode: the reset info carries the world
            self.reset()
            self._world = debug["world"]
            self._boxes = static_boxes(debug["world"])
        action = np.zeros(ACTION_SIZE, dtype=np.float32)
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        if not foods:
            return action
        held = debug["right_held_id"]
        held_food = next((e for e in foods if e["id"] == held), None)
        self.phase = self._next_phase(held_food, debug)
        self._track_rest(foods)
        if held_food is None:
            if not held:  # (holding something that is not food: the zero action drops it)
                self._fetch(action, debug, foods)
        elif self.phase is Phase.EAT:
            self._move_hand(action, debug, np.asarray(debug["head_position"], dtype=np.float64))
            action[RIGHT_GRASP] = 1.0
            self._look_level(action, debug)
        elif self.phase is Phase.CARRY:
            rock = self._nearest_rock(debug)
            if rock is not None:
                self._walk(action, debug, rock["id"], np.asarray(rock["position"], dtype=np.float64), ROCK_DISTANCE)
            action[HEAD_Y] = 1.0  # stand up: the food is dropped from above the head
            action[RIGHT_GRASP] = 1.0
            self._look_level(action, debug)
        else:
            self._raise_and_throw(action, debug, held_food)
        return action

    def _next_phase(self, held_food: dict[str, Any] | None, debug: dict[str, Any]) -> Phase:
        """The state machine: FETCH -> EAT (opened food), or FETCH -> [CARRY ->] RAISE -> THROW -> FETCH."""
        phase = self._choose_phase(held_food, debug)
        if phase is not Phase.RAISE:
            self._raise_steps = 0
        return phase

    def _choose_phase(self, held_food: dict[str, Any] | None, debug: dict[str, Any]) -> Phase:
        if held_food is None:
            return Phase.FETCH
        if not held_food["flags"] & EntityFlag.UNOPENED:
            return Phase.EAT
        rock = self._nearest_rock(debug) if FOOD_BY_NAME[held_food["kind"]].food_info.needs_rock else None
        slack = 0.3 if self.phase is Phase.RAISE else 0.1  # hysteresis: lifting does not stop for a small drift
        if rock is not None and self._horizontal(debug["body_position"], rock["position"]) > ROCK_DISTANCE + slack:
            return Phase.CARRY
        return Phase.RAISE

    def _track_rest(self, foods: list[dict[str, Any]]) -> None:
        positions = {e["id"]: np.asarray(e["position"], dtype=np.float64) for e in foods}
        for id, position in positions.items():
            moved = float(np.linalg.norm(position - self._last_positions.get(id, position)))
            self._rest_steps[id] = self._rest_steps.get(id, 0) + 1 if moved < AT_REST else 0
        self._last_positions = positions

    def _fetch(self, action: np.ndarray, debug: dict[str, Any], foods: list[dict[str, Any]]) -> None:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        target = min(foods, key=lambda e: float(np.linalg.norm(np.asarray(e["position"]) - body)))
        position = np.asarray(target["position"], dtype=np.float64)
        horizontal = self._horizontal(body, position)
        # Food on an altar: walk round it to the side nearest the food, stop once the food is within reach.
        stand = stand_point(self._boxes, position, body)
        reach = max(REACH, FOOD_BY_NAME[target["kind"]].horizontal_radius + BODY_RADIUS + REACH_CLEARANCE)
        self._walk(action, debug, target["id"], stand, reach if stand is position else STAND_TOLERANCE)
        if horizontal <= reach or self._horizontal(body, stand) <= STAND_TOLERANCE:
            action[HEAD_X] = action[HEAD_Z] = 0.0
            self._face(action, debug, position)
        to_eye = position - head
        desired_pitch = math.degrees(math.atan2(to_eye[1], math.hypot(to_eye[0], to_eye[2])))
        action[HEAD_PITCH] = np.clip(angle_difference(desired_pitch, debug["head_pitch"]) / MAX_HEAD_PITCH_SPEED, -1, 1)
        # Crouch or stand so the food is within reach below the head (upright while still far: faster; level with
        # food beyond REACH, in the middle of a wide altar, for the longest reach).
        feet = body[1] - AGENT_HEIGHT / 2.0
        head_goal = position[1] + (0.3 if horizontal <= reach else 0.0)
        if horizontal >= CROUCH_DISTANCE:
            head_goal = feet + HEAD_HEIGHT_MAX
        action[HEAD_Y] = np.clip((head_goal - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
        # A closed food that was just thrown may still open (its impact is counted late): wait until it rests.
        ready = not target["flags"] & EntityFlag.UNOPENED or self._rest_steps.get(target["id"], 0) >= REST_STEPS
        if horizontal < reach + 0.8:
            self._move_hand(action, debug, position)
            if float(np.linalg.norm(hand - position)) < 0.45 and ready:
                action[RIGHT_GRASP] = 1.0

    def _walk(self, action: np.ndarray, debug: dict[str, Any], target: int, goal: np.ndarray, reach: float) -> None:
        """Turn towards the next waypoint to `goal` and walk there while farther than `reach` (horizontally)."""
        body = np.asarray(debug["body_position"], dtype=np.float64)
        heading = self._waypoint(target, body, goal) - body
        yaw_error = self._face(action, debug, body + heading)
        distance = self._horizontal(body, goal)
        if distance <= reach:
            return
        # Walk towards the waypoint in the head's frame (sideways too), slower while still turning.
        local = head_basis(debug["head_yaw"], 0.0).T @ np.array([heading[0], 0.0, heading[2]])
        local /= max(1e-6, float(np.linalg.norm(local)))
        speed = min(1.0, (distance - reach + 0.1) / MAX_HEAD_LINEAR_SPEED)
        speed *= max(0.3, math.cos(math.radians(min(abs(yaw_error), 90.0))))
        action[HEAD_X], action[HEAD_Z] = speed * local[0], speed * local[2]
        self._unstick(action, body)

    def _raise_and_throw(self, action: np.ndarray, debug: dict[str, Any], food: dict[str, Any]) -> None:
        """RAISE: stand, look level and lift the food above its drop spot, as high as the arm reaches; then THROW
        (one step): release it while the hand moves down (the hand's velocity becomes the food's)."""
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        item = np.asarray(food["position"], dtype=np.float64)
        info = FOOD_BY_NAME[food["kind"]].food_info
        spot = self._drop_spot(debug, food)
        speed = info.open_speed + THROW_SPEED_MARGIN
        stroke = speed / PHYSICS_FPS
        # The hand's offset from the head that puts the food above the spot, and the highest release point the
        # hand reaches there (it stays within reach of the head).
        held = item - hand
        offset = spot - head - held
        room = math.sqrt(max(0.0, HAND_ROOM**2 - offset[0] ** 2 - offset[2] ** 2))
        release = head[1] + held[1] + min(RAISE_ABOVE_HEAD, room)
        hand_goal = np.array([head[0] + offset[0], release - held[1], head[2] + offset[2]])
        self._raise_steps += 1
        # The head must be still (upright, level) for the throw: the hand moves in the head's frame.
        still = head[1] - (debug["body_position"][1] - AGENT_HEIGHT / 2.0) > HEAD_HEIGHT_MAX - 0.01
        still = still and abs(debug["head_pitch"]) < 0.5
        aimed = float(np.linalg.norm(hand_goal - hand)) < AIM
        if (still and aimed) or self._raise_steps > RAISE_PATIENCE:
            self.phase = Phase.THROW
            self._move_hand(action, debug, hand - np.array([0.0, stroke, 0.0]))
            return  # grasp released: a throw
        action[HEAD_Y] = 1.0
        self._look_level(action, debug)
        self._move_hand(action, debug, hand_goal)
        action[RIGHT_GRASP] = 1.0

    def _drop_spot(self, debug: dict[str, Any], food: dict[str, Any]) -> np.ndarray:
        """Where the held food is thrown down to (x, z): the nearest rock for a food that opens only on a rock, else
        the ground in front of the head."""
        rock = self._nearest_rock(debug) if FOOD_BY_NAME[food["kind"]].food_info.needs_rock else None
        if rock is not None:
            return np.asarray(rock["position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        return head + head_basis(debug["head_yaw"], 0.0) @ np.array([0.0, 0.0, -DROP_DISTANCE])

    def _face(self, action: np.ndarray, debug: dict[str, Any], point: np.ndarray) -> float:
        """Turn the head towards `point` (about +Y); returns the yaw error in degrees."""
        body = debug["body_position"]
        desired_yaw = math.degrees(math.atan2(-(point[0] - body[0]), -(point[2] - body[2])))
        yaw_error = angle_difference(desired_yaw, debug["head_yaw"])
        action[HEAD_YAW] = np.clip(yaw_error / MAX_HEAD_YAW_SPEED, -1.0, 1.0)
        return yaw_error

    def _nearest_rock(self, debug: dict[str, Any]) -> dict[str, Any] | None:
        body = debug["body_position"]
        rocks = [
            e
            for e in debug["entities"]
            if e["kind"] == "rock" and not e["flags"] & EntityFlag.HELD and not self._sunk(e["position"])
        ]
        return min(rocks, key=lambda e: self._horizontal(body, e["position"]), default=None)

    def _sunk(self, position: np.ndarray) -> bool:
        """Whether an item's centre is below the ground (out of reach; the engine keeps items above it, but an
        oracle should not rely on that)."""
        return self._world is not None and position[1] < self._world.terrain.height_at(position[0], position[2])

    @staticmethod
    def _horizontal(a: Any, b: Any) -> float:
        return math.hypot(float(a[0]) - float(b[0]), float(a[2]) - float(b[2]))

    def _waypoint(self, target: int, body: np.ndarray, goal: np.ndarray) -> np.ndarray:
        """The point LOOKAHEAD metres along the planned path to `goal` beyond the body's projection onto it (the goal
        itself without a world or path). Following the polyline this closely keeps the body on narrow walkways."""
        if self._world is None:
            return goal
        if self._path_target != target or self._off_path(body):
            self._path = plan_path(self._world, body, goal) or []
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

    def _move_hand(self, action: np.ndarray, debug: dict[str, Any], goal: np.ndarray) -> None:
        """Right hand towards the world point `goal`, at most MAX_HAND_LINEAR_SPEED per step."""
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
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


def main(argv: list[str] | None = None) -> int:
    """`python -m avalon.oracle`: the oracle's success rate per task and difficulty (`python -m avalon.rates`)."""
    from avalon.rates import main as rates_main

    return rates_main(["--agent", "oracle", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    raise SystemExit(main())
