"""The food plan: walk to the nearest food (round altars to the side nearest it), crouch to its height, reach with
the right hand, grab, bring it to the mouth; a closed food is opened first by throwing it down (onto a rock if it
needs one). Every task's plan ends with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import (
    AGENT_HEIGHT,
    ARM_LENGTH,
    BODY_RADIUS,
    HEAD_HEIGHT_MAX,
    MAX_HEAD_LINEAR_SPEED,
    MAX_HEAD_PITCH_SPEED,
    PHYSICS_FPS,
    EntityFlag,
)
from avalon.entities import FOOD_BY_NAME, KIND_BY_NAME, PREY_KINDS
from avalon.navigation import Box, stand_point, static_boxes
from avalon.oracle.skills import (
    HEAD_PITCH,
    HEAD_X,
    HEAD_Y,
    HEAD_Z,
    RIGHT_GRASP,
    Motor,
    angle_difference,
    head_basis,
    horizontal,
)

REACH = 0.9  # m, horizontal distance from the body at which the oracle stops walking and reaches
REACH_CLEARANCE = 0.15  # m beyond the body's and the food's radii: wide foods are reached from farther
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


ROCK_KINDS = ("rock", "large_rock")  # what opens a food that needs a rock
ANIMAL_GRAB_INSET = 0.05  # m inside a prey's body box where the hand aims
ANIMAL_GRAB_DISTANCE = 0.1  # m between the hand and its aim when it grasps a prey


def is_food(e: dict[str, Any]) -> bool:
    """A food, or a prey that can be eaten now (dead, or alive for the frog); not eaten or destroyed."""
    if e["flags"] & GONE:
        return False
    return e["kind"] in FOOD_BY_NAME or (e["kind"] in PREY_KINDS and bool(e["flags"] & EntityFlag.EDIBLE))


def grab_point(e: dict[str, Any], head: np.ndarray) -> np.ndarray:
    """Where the hand aims to grab the entity: a food's centre; for an animal, a point just inside its body box on
    the side of the head (the hand cannot reach the centre of a big body from beside it)."""
    position = np.asarray(e["position"], dtype=np.float64)
    if e["kind"] in FOOD_BY_NAME:
        return position
    inner = min(KIND_BY_NAME[e["kind"]].physics.extents) - ANIMAL_GRAB_INSET
    towards = head - position
    length = float(np.linalg.norm(towards))
    return position if length < 1e-6 else position + towards / length * min(inner, length)


def reach_of(kind: str) -> float:
    """m between the body's and the entity's centres (horizontally) from where it is reached: a food's horizontal
    radius; for an animal its box's longer horizontal half side (the body stops against the box's side)."""
    physics = KIND_BY_NAME[kind].physics
    if kind in FOOD_BY_NAME:
        return max(REACH, physics.horizontal_radius + BODY_RADIUS + REACH_CLEARANCE)
    return max(physics.extents[0], physics.extents[2]) + BODY_RADIUS + REACH_CLEARANCE


@dataclass
class FoodPlan:
    """Walk to the nearest food (round altars to the side nearest it), crouch to its height, reach with the right
    hand, grab, bring to the mouth.

    A closed food is opened first (phases: see `Phase`): lifted and thrown down onto the ground in front (orange,
    coconut), or carried to the nearest rock and thrown down onto it (avocado: only a rock opens it), from as high as
    the arm reaches; the food is picked up again once it has come to rest, and thrown again if it is still closed.
    """

    motor: Motor
    phase: Phase = Phase.FETCH
    _boxes: list[Box] = field(default_factory=list)
    _raise_steps: int = 0
    _last_positions: dict[int, np.ndarray] = field(default_factory=dict)
    _rest_steps: dict[int, int] = field(default_factory=dict)  # per food id: steps at rest so far

    def __post_init__(self) -> None:
        if self.motor.world is not None:
            self._boxes = static_boxes(self.motor.world)

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        """Writes this step's action (zeros where the plan does nothing)."""
        foods = [e for e in debug["entities"] if is_food(e)]
        if not foods:
            return
        held = debug["right_held_id"]
        held_food = next((e for e in foods if e["id"] == held), None)
        self.phase = self._next_phase(held_food, debug)
        self._track_rest(foods)
        if held_food is None:
            if not held:  # (holding something that is not food: the zero action drops it)
                self._fetch(action, debug, foods)
        elif self.phase is Phase.EAT:
            self.motor.move_hand(action, debug, np.asarray(debug["head_position"], dtype=np.float64))
            action[RIGHT_GRASP] = 1.0
            self.motor.look_level(action, debug)
        elif self.phase is Phase.CARRY:
            rock = self._nearest_rock(debug)
            if rock is not None:
                goal = np.asarray(rock["position"], dtype=np.float64)
                self.motor.walk(action, debug, rock["id"], goal, ROCK_DISTANCE)
            action[HEAD_Y] = 1.0  # stand up: the food is dropped from above the head
            action[RIGHT_GRASP] = 1.0
            self.motor.look_level(action, debug)
        else:
            self._raise_and_throw(action, debug, held_food)

    def _next_phase(self, held_food: dict[str, Any] | None, debug: dict[str, Any]) -> Phase:
        """The state machine: FETCH -> EAT (opened food), or FETCH -> [CARRY ->] RAISE -> THROW -> FETCH."""
        phase = self._choose_phase(held_food, debug)
        if phase is not Phase.RAISE:
            self._raise_steps = 0
        return phase

    def _choose_phase(self, held_food: dict[str, Any] | None, debug: dict[str, Any]) -> Phase:
        if held_food is None:
            return Phase.FETCH
        if not held_food["flags"] & EntityFlag.UNOPENED or held_food["kind"] not in FOOD_BY_NAME:
            return Phase.EAT
        rock = self._nearest_rock(debug) if FOOD_BY_NAME[held_food["kind"]].food_info.needs_rock else None
        slack = 0.3 if self.phase is Phase.RAISE else 0.1  # hysteresis: lifting does not stop for a small drift
        if rock is not None and horizontal(debug["body_position"], rock["position"]) > ROCK_DISTANCE + slack:
            return Phase.CARRY
        return Phase.RAISE

    def _track_rest(self, foods: list[dict[str, Any]]) -> None:
        positions = {e["id"]: np.asarray(e["position"], dtype=np.float64) for e in foods}
        for id, position in positions.items():
            moved = float(np.linalg.norm(position - self._last_positions.get(id, position)))
            self._rest_steps[id] = self._rest_steps.get(id, 0) + 1 if moved < AT_REST else 0
        self._last_positions = positions

    def fetch(self, action: np.ndarray, debug: dict[str, Any], item: dict[str, Any]) -> None:
        """Walk to `item` (a food, a prey or a tool), crouch to it and grab it with the right hand."""
        self._fetch(action, debug, [item])

    def _fetch(self, action: np.ndarray, debug: dict[str, Any], foods: list[dict[str, Any]]) -> None:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        target = min(foods, key=lambda e: float(np.linalg.norm(np.asarray(e["position"]) - body)))
        position = np.asarray(target["position"], dtype=np.float64)
        distance = horizontal(body, position)
        # Food on an altar: walk round it to the side nearest the food, stop once the food is within reach.
        stand = stand_point(self._boxes, position, body)
        reach = reach_of(target["kind"])
        self.motor.walk(action, debug, target["id"], stand, reach if stand is position else STAND_TOLERANCE)
        if distance <= reach or horizontal(body, stand) <= STAND_TOLERANCE:
            action[HEAD_X] = action[HEAD_Z] = 0.0
            self.motor.face(action, debug, position)
        to_eye = position - head
        desired_pitch = math.degrees(math.atan2(to_eye[1], math.hypot(to_eye[0], to_eye[2])))
        action[HEAD_PITCH] = np.clip(angle_difference(desired_pitch, debug["head_pitch"]) / MAX_HEAD_PITCH_SPEED, -1, 1)
        # Crouch or stand so the food is within reach below the head (upright while still far: faster; level with
        # food beyond REACH, in the middle of a wide altar, for the longest reach).
        feet = body[1] - AGENT_HEIGHT / 2.0
        head_goal = position[1] + (0.3 if distance <= reach else 0.0)
        if distance >= CROUCH_DISTANCE:
            head_goal = feet + HEAD_HEIGHT_MAX
        action[HEAD_Y] = np.clip((head_goal - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
        # A closed food that was just thrown may still open (its impact is counted late): wait until it rests.
        ready = not target["flags"] & EntityFlag.UNOPENED or self._rest_steps.get(target["id"], 0) >= REST_STEPS
        if distance < reach + 0.8:
            aim = grab_point(target, head)
            self.motor.move_hand(action, debug, aim)
            close = 0.45 if target["kind"] in FOOD_BY_NAME else ANIMAL_GRAB_DISTANCE
            if float(np.linalg.norm(hand - aim)) < close and ready:
                action[RIGHT_GRASP] = 1.0

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
            self.motor.move_hand(action, debug, hand - np.array([0.0, stroke, 0.0]))
            return  # grasp released: a throw
        action[HEAD_Y] = 1.0
        self.motor.look_level(action, debug)
        self.motor.move_hand(action, debug, hand_goal)
        action[RIGHT_GRASP] = 1.0

    def _drop_spot(self, debug: dict[str, Any], food: dict[str, Any]) -> np.ndarray:
        """Where the held food is thrown down to (x, z): the nearest rock for a food that opens only on a rock, else
        the ground in front of the head."""
        rock = self._nearest_rock(debug) if FOOD_BY_NAME[food["kind"]].food_info.needs_rock else None
        if rock is not None:
            return np.asarray(rock["position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        return head + head_basis(debug["head_yaw"], 0.0) @ np.array([0.0, 0.0, -DROP_DISTANCE])

    def _nearest_rock(self, debug: dict[str, Any]) -> dict[str, Any] | None:
        body = debug["body_position"]
        rocks = [
            e
            for e in debug["entities"]
            if e["kind"] in ("rock", "large_rock")
            and not e["flags"] & EntityFlag.HELD
            and not self._sunk(e["position"])
        ]
        return min(rocks, key=lambda e: horizontal(body, e["position"]), default=None)

    def _sunk(self, position: np.ndarray) -> bool:
        """Whether an item's centre is below the ground (out of reach; the engine keeps items above it, but an
        oracle should not rely on that)."""
        world = self.motor.world
        return world is not None and position[1] < world.terrain.height_at(position[0], position[2])
