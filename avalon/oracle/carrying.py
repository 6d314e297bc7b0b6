"""The carrying skill: walk to an item, grab it with the right hand (head level, crouched to its height), lift it,
carry it to a stand point behind its target spot (on the step behind, for a spot on top of others), turn so the item
ends square to the target yaw, lower it there, let go a little above the spot and wait for it to rest.

The hand is steered on the item, not on itself: each step the hand moves by (goal - item position), so whatever
offset the grab left between hand and item, the item goes where it is meant to. The head stays level while holding
(a held item turns with the head: its pitch would tilt it, its yaw turns it). Walks go round other stones (an A*
penalty) and are planned again when a moved stone blocks them. Written for STACK's stones; BRIDGE's logs may use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, ARM_LENGTH, MAX_HEAD_LINEAR_SPEED
from avalon.oracle.skills import HEAD_X, HEAD_Y, HEAD_Z, RIGHT_GRASP, Motor, angle_difference, entity
from avalon.world.obstacles.grid import Grid
from avalon.world.spec import WorldSpec

Vec3 = tuple[float, float, float]
Point2 = tuple[float, float]

GRAB_DISTANCE = 0.95  # m (horizontal) from the body to the item's centre where the oracle stops to grab a 1 m stone
GRAB_INSET = 0.4  # m from the item's centre towards the body: the hand's aim, inside the item's near face
GRAB_PATIENCE = 40  # steps trying to grab before walking to it again
LIFT = 1.05  # m the carried item's centre is held above its target spot's centre (clear of the layer below)
REACH_UP = ARM_LENGTH - 0.05  # m the hand goes above the head at most
DROP_HEIGHT = 0.08  # m above its spot where the item is let go
SETTLE_LIMIT = 40  # steps waiting for it to rest
PUT_TOLERANCE = 0.06  # m between the item and its spot before it is let go
LOWER_PATIENCE = 40  # steps lowering before it is let go anyway
SETTLE_STEPS = 12  # steps at rest after the release: done (a stone freezes after 1 s at rest)
AT_REST = 0.01  # m per step
REPLAN = 8  # steps without moving while walking: plan the walk again
STONE_CLEAR = 0.9  # m round a loose stone that the walk avoids (A* penalty)
STONE_PENALTY = 50.0  # m of path a point near a stone costs


def stone_penalty(world: WorldSpec, stones: list[dict[str, Any]], held: int) -> np.ndarray:
    """A* penalty (points shape) near every stone but the held one, so walks go round them."""
    grid = Grid.of(world.terrain)
    x, z = grid.grid_xz()
    penalty = np.zeros(grid.shape)
    for stone in stones:
        if int(stone["id"]) == held:
            continue
        sx, _, sz = stone["position"]
        penalty[np.hypot(x - float(sx), z - float(sz)) < STONE_CLEAR] = STONE_PENALTY
    return penalty


class Stage(Enum):
    FETCH = "fetch"
    LIFT = "lift"
    CARRY = "carry"
    LOWER = "lower"
    SETTLE = "settle"
    DONE = "done"


@dataclass
class Carry:
    """Carry the item `item_id` to `spot` (its centre's world position), put down from `back` m behind it along
    `heading` (unit x, z); `act` returns False when it is done (the item rests, let go) or has lost the item."""

    motor: Motor
    item_id: int
    spot: Vec3
    heading: Point2
    back: float = 1.2  # m behind the spot (against `heading`) where the body stands to put the item down
    item_yaw: float = 0.0  # degrees, the item's yaw when grabbed (as the world placed it)
    yaw: float = 0.0  # degrees, the yaw the item is put down at (modulo 90: a box)
    _relative_yaw: float = 0.0
    stage: Stage = Stage.FETCH
    _steps: int = 0
    _last: np.ndarray | None = None
    _still: int = 0
    _last_body: np.ndarray | None = None
    _stuck: int = 0

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> bool:
        item = entity(debug, self.item_id)
        if item is None:
            return False
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        position = np.asarray(item["position"], dtype=np.float64)
        held = int(debug.get("right_held_id") or 0) == self.item_id
        feet = float(body[1]) - AGENT_HEIGHT / 2.0
        self._steps += 1
        self.motor.look_level(action, debug)
        if self.stage is Stage.FETCH:
            if held:
                self.stage, self._steps = Stage.LIFT, 0
                # The held item turns with the head: remember its yaw relative to the head's at the grab.
                self._relative_yaw = self.item_yaw - float(debug["head_yaw"])
            else:
                self._fetch(action, debug, body, head, hand, position)
                return True
        if self.stage in (Stage.LIFT, Stage.CARRY, Stage.LOWER) and not held:
            self.stage, self._steps = Stage.FETCH, 0  # dropped it: pick it up again
            return True
        spot = np.asarray(self.spot, dtype=np.float64)
        carry_y = min(spot[1] + LIFT, feet + AGENT_HEIGHT + REACH_UP + (position[1] - hand[1]))
        action[RIGHT_GRASP] = 1.0
        if self.stage is Stage.LIFT:
            action[HEAD_Y] = 1.0
            self._steer(action, debug, hand, position, np.array([position[0], carry_y, position[2]]))
            if position[1] >= carry_y - 0.05 or self._steps > 15:
                self.stage, self._steps = Stage.CARRY, 0
            return True
        stand = self._stand_point()
        if self.stage is Stage.CARRY:
            action[HEAD_Y] = 1.0
            self._steer(action, debug, hand, position, np.array([position[0], carry_y, position[2]]))
            if math.hypot(body[0] - stand[0], body[2] - stand[2]) > 0.15:
                self._replan_if_stuck(body)
                self.motor.walk(action, debug, ("stand", self.item_id, self.spot), stand, 0.1)
                self.motor.look_level(action, debug)
                return True
            error = self._face_square(action, debug, body, spot)
            if abs(error) < 3.0:
                self.stage, self._steps = Stage.LOWER, 0
            return True
        if self.stage is Stage.LOWER:
            self._face_square(action, debug, body, spot)
            above = spot + np.array([0.0, DROP_HEIGHT, 0.0])  # let go a little above: never pressed into the ground
            # The head follows the item down (a crouch) so the hand stays within reach.
            action[HEAD_Y] = np.clip((above[1] + 0.4 - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
            self._steer(action, debug, hand, position, above)
            if float(np.linalg.norm(position - above)) < PUT_TOLERANCE or self._steps > LOWER_PATIENCE:
                action[RIGHT_GRASP] = 0.0
                action[HEAD_X] = action[HEAD_Z] = 0.0
                self.stage, self._steps, self._still = Stage.SETTLE, 0, 0
            return True
        if self.stage is Stage.SETTLE:
            action[RIGHT_GRASP] = 0.0
            moved = math.inf if self._last is None else float(np.linalg.norm(position - self._last))
            self._last = position
            self._still = self._still + 1 if moved < AT_REST else 0
            if self._still >= SETTLE_STEPS or self._steps > SETTLE_LIMIT:
                self.stage = Stage.DONE
                return False
            return True
        return False

    def _fetch(
        self,
        action: np.ndarray,
        debug: dict[str, Any],
        body: np.ndarray,
        head: np.ndarray,
        hand: np.ndarray,
        position: np.ndarray,
    ) -> None:
        distance = math.hypot(body[0] - position[0], body[2] - position[2])
        if distance > GRAB_DISTANCE + 0.3:
            self._replan_if_stuck(body)
        self.motor.walk(action, debug, ("item", self.item_id), position, GRAB_DISTANCE)
        self.motor.look_level(action, debug)
        # Crouch so the hand reaches the item's near face level with the head.
        action[HEAD_Y] = np.clip((position[1] + 0.3 - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
        if distance > GRAB_DISTANCE + 0.6:
            return
        toward = np.array([body[0] - position[0], 0.0, body[2] - position[2]])
        toward /= max(1e-6, float(np.linalg.norm(toward)))
        aim = position + GRAB_INSET * toward
        self.motor.move_hand(action, debug, aim)
        if float(np.linalg.norm(hand - aim)) < 0.2 and distance <= GRAB_DISTANCE + 0.1:
            action[RIGHT_GRASP] = 1.0
        if self._steps > GRAB_PATIENCE:
            self._steps = 0
            action[HEAD_X], action[HEAD_Z] = -action[HEAD_X], -action[HEAD_Z]  # back off a step and retry

    def _face_square(self, action: np.ndarray, debug: dict[str, Any], body: np.ndarray, spot: np.ndarray) -> float:
        """Turn so the held item ends square to `yaw` (its faces along the heading, modulo 90 degrees), with the head
        as near facing `spot` as that allows; returns the yaw error (degrees)."""
        toward = math.degrees(math.atan2(-(spot[0] - body[0]), -(spot[2] - body[2])))
        square = self.yaw - self._relative_yaw
        turns = round(angle_difference(toward, square) / 90.0)
        goal = math.radians(square + 90.0 * turns)
        return self.motor.face(action, debug, body + np.array([-math.sin(goal), 0.0, -math.cos(goal)]))

    def _replan_if_stuck(self, body: np.ndarray) -> None:
        """Plan the walk again (round the stones as they lie now) when the body has not moved for REPLAN steps: a
        stone that fell or was knocked since the path was planned may block it. (The Motor keeps its path until its
        target changes; forgetting the target is how a plan asks for a new one.)"""
        moved = math.inf if self._last_body is None else float(np.linalg.norm(body - self._last_body))
        self._last_body = body.copy()
        self._stuck = self._stuck + 1 if moved < 0.02 else 0
        if self._stuck >= REPLAN:
            self.motor._path_target = None
            self._stuck = 0

    def _steer(self, action: np.ndarray, debug: dict[str, Any], hand: np.ndarray, item: np.ndarray, goal: Any) -> None:
        """Move the hand so the held item goes towards `goal` (the hand's move is the item's)."""
        self.motor.move_hand(action, debug, hand + (np.asarray(goal, dtype=np.float64) - item))

    def _stand_point(self) -> np.ndarray:
        """Where the body puts the item down from: `back` m behind the spot along the heading (on the ground for a
        spot on the ground; on the step behind it for a spot higher up, which the walk gets onto by jumping when the
        step stops it)."""
        return np.array([self.spot[0] - self.heading[0] * self.back, 0.0, self.spot[2] - self.heading[1] * self.back])
