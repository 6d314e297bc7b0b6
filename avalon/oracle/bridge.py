"""BRIDGE's plan: cross the chasm on the log, then the food plan.

When the log already spans the chasm (one end on the ground the body can walk to, the other where the food can be
walked to from), the plan walks to a run-up point behind the log's near end on its axis, faces along it, runs, jumps
onto the log's end (its top is 1.4 m up; the apex is 1.5 m) and runs along its top, steering onto the axis, until it
has dropped off beyond the far end; then the food plan takes over. Measured in the engine: running at full speed
from 3 m behind the log's end and jumping 0.3, 0.6, ... 2.0 m before it, the body crossed a 4.5 m chasm on the log
7 times in 7 (the log turns static at the player's touch); tests/test_task_bridge.py crosses 4.9 m (wider than any
opening the generator's gaps left) with this skill.

Otherwise the log lies on the ground (BRIDGE: behind the chasm with its axis across it; CARRY: anywhere on the
spawn side, at any yaw): `log_carrying.LogCarry` grabs it, turns it across the chasm if it lies otherwise, carries it
sideways to the rim, lays it across the narrowest opening and lets go; then the crossing as above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT
from avalon.entities import FOOD_BY_NAME
from avalon.oracle.food import GONE, FoodPlan, Phase
from avalon.oracle.jumping import WALK_DROP
from avalon.oracle.log_carrying import LogCarry, plan_placement, towards
from avalon.oracle.skills import HEAD_X, HEAD_Y, HEAD_Z, JUMP, Motor, head_basis
from avalon.tasks.bridge import LOG, log_axis
from avalon.world.obstacles.grid import Grid, dilate
from avalon.world.obstacles.planning import MAX_RISE, reachable
from avalon.world.spec import WorldSpec

Point2 = tuple[float, float]

RUN_UP = 3.0  # m behind the log's near end where the run starts
ARRIVE = 0.2  # m: close enough to the run-up point
ALIGN = 3.0  # deg of yaw error allowed before the run starts
JUMP_BEFORE = 1.3  # m before the log's near end the jump is pressed (0.3-2.0 m all crossed, see above)
LATERAL_GAIN = 1.5  # sideways correction per metre off the axis, in units of full speed
BEYOND = 1.0  # m past the log's far end the run goes on (the body drops off the end onto the far rim)
LIMIT = 120  # steps of a crossing before it is given up (the food plan carries on)
MAX_CROSSINGS = 3
END_SLACK = 0.3  # m in from each end of the log where the ground must be on that end's side
MAX_CARRIES = 2


@dataclass(frozen=True)
class LogBridge:
    """A log lying across the chasm: its near end (the body's side) and far end, on its axis."""

    near: Point2
    far: Point2

    @property
    def direction(self) -> Point2:
        length = math.dist(self.near, self.far)
        return ((self.far[0] - self.near[0]) / length, (self.far[1] - self.near[1]) / length)


def find_log_bridge(world: WorldSpec, body: Point2, food: Point2, log: Any, yaw: float) -> LogBridge | None:
    """The log as a bridge when one end of it is over ground the body can walk to and the other over ground from
    which the food can be walked to, and the food cannot be walked to from here; else None."""
    grid = Grid.of(world.terrain)
    here = reachable(grid, body, max_rise=MAX_RISE, max_drop=WALK_DROP)
    if here[grid.point(*food)]:
        return None
    there = towards(grid, food)
    a, b = log_axis((float(log[0]), float(log[1]), float(log[2])), yaw)
    # The ends as far in as the log may overhang a rim, and a cell's slack: a laid log lies within a few
    # centimetres of where it was meant to.
    here, there = dilate(here, 1), dilate(there, 1)
    for near, far in ((a, b), (b, a)):
        inner_near = _towards(near, far, END_SLACK)
        inner_far = _towards(far, near, END_SLACK)
        if here[grid.point(*inner_near)] and there[grid.point(*inner_far)]:
            return LogBridge(near, far)
    return None


def _towards(a: Point2, b: Point2, distance: float) -> Point2:
    length = math.dist(a, b)
    return (a[0] + (b[0] - a[0]) * distance / length, a[1] + (b[1] - a[1]) * distance / length)


class Stage(Enum):
    APPROACH = "approach"  # walk to the run-up point behind the near end
    AIM = "aim"  # stand up and face along the log
    RUN = "run"  # full speed along the axis, jump before the near end, on along the top
    DONE = "done"


@dataclass
class LogCrossing:
    """Run, jump onto a log lying across a chasm and run along it (`act` returns False once past its far end)."""

    motor: Motor
    bridge: LogBridge
    stage: Stage = Stage.APPROACH
    _jumped: bool = False
    _steps: int = 0

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> bool:
        self._steps += 1
        if self._steps > LIMIT:
            self.stage = Stage.DONE
            return False
        body = np.asarray(debug["body_position"], dtype=np.float64)
        u = self.bridge.direction
        near, far = self.bridge.near, self.bridge.far
        ahead = np.array([far[0] + 20.0 * u[0], body[1], far[1] + 20.0 * u[1]])
        if self.stage is Stage.APPROACH:
            start = np.array([near[0] - RUN_UP * u[0], body[1], near[1] - RUN_UP * u[1]])
            if math.hypot(body[0] - start[0], body[2] - start[2]) > ARRIVE:
                self.motor.walk(action, debug, "log run-up", start, ARRIVE * 0.5)
                return True
            self.stage = Stage.AIM
        if self.stage is Stage.AIM:
            error = self.motor.face(action, debug, ahead)
            standing = debug["head_position"][1] - (body[1] - AGENT_HEIGHT / 2.0) > AGENT_HEIGHT - 0.02
            if not standing:
                action[HEAD_Y] = 1.0
            if abs(error) > ALIGN or not standing:
                return True
            self.stage = Stage.RUN
        along = (body[0] - near[0]) * u[0] + (body[2] - near[1]) * u[1]
        if along > math.dist(near, far) + BEYOND:
            self.stage = Stage.DONE
            action[HEAD_X] = action[HEAD_Z] = 0.0
            return False
        self.motor.face(action, debug, ahead)
        lateral = -(body[0] - near[0]) * u[1] + (body[2] - near[1]) * u[0]  # left of the axis (x, z) -> (-uz, ux)
        heading = np.array([u[0], 0.0, u[1]]) - LATERAL_GAIN * lateral * np.array([-u[1], 0.0, u[0]])
        local = head_basis(debug["head_yaw"], 0.0).T @ heading
        local /= max(1e-6, float(np.linalg.norm(local)))
        action[HEAD_X], action[HEAD_Z] = local[0], local[2]
        if not self._jumped and along >= -JUMP_BEFORE:
            action[JUMP] = 1.0
            self._jumped = True
        return True


@dataclass
class BridgePlan:
    motor: Motor
    food: FoodPlan = field(init=False)
    crossing: LogCrossing | None = None
    carry: LogCarry | None = None
    _decided: bool = False
    _crossings: int = 0
    _carries: int = 0

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)

    @property
    def phase(self) -> Phase | None:
        return self.food.phase if self.crossing is None and self.carry is None and self._decided else None

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        if not self._decided:
            self._decide(debug)
        if self.carry is not None:
            if self.carry.act(action, debug):
                return
            self.carry, self._decided = None, False  # laid (or given up): look again
            return
        if self.crossing is not None:
            if self.crossing.act(action, debug):
                return
            self.crossing, self._decided = None, False  # over (or given up): find the way on from here
            return
        self.food.act(action, debug)

    def _decide(self, debug: dict[str, Any]) -> None:
        self._decided = True
        world = self.motor.world
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        logs = [e for e in debug["entities"] if e["kind"] == LOG]
        if world is None or not foods or not logs or self._crossings >= MAX_CROSSINGS:
            return
        # Where the log lies now, at its yaw now (it may have rolled, or been laid badly before).
        yaw = float(logs[0]["yaw"])
        body, food, log = debug["body_position"], foods[0]["position"], logs[0]["position"]
        here, there = (float(body[0]), float(body[2])), (float(food[0]), float(food[2]))
        bridge = find_log_bridge(world, here, there, log, yaw)
        if bridge is not None:
            self._crossings += 1
            self.crossing = LogCrossing(self.motor, bridge)
            return
        if self._carries >= MAX_CARRIES:
            return
        placement = plan_placement(world, here, there, (float(log[0]), float(log[2])), yaw)
        if placement is not None:
            self._carries += 1
            self.carry = LogCarry(self.motor, int(logs[0]["id"]), placement)
