"""The CLIMB plan: walk to the foot of a climbable part of the cliff (the one nearest the spawn, weighted towards
the food), face it, crouch, climb hand over hand until the ledge rule puts the body on the plateau, then the food
plan. A fall starts it over from the foot."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT
from avalon.entities import FOOD_BY_NAME
from avalon.oracle.climbing import (
    CLIMB_HEAD_HEIGHT,
    Climber,
    climb_route,
    crouch_to,
    find_foot,
    look_at_pitch,
    step_forward,
)
from avalon.oracle.food import FoodPlan
from avalon.oracle.skills import Motor

FOOT_REACH = 0.2  # m: the body is at the foot
TOP_MARGIN = 0.6  # m: feet this close to the plateau's height count as on top
FACE_YAW = 8.0  # deg: facing the face within this, the climb starts
APPROACH_PATIENCE = 30  # ticks of stepping towards the face without a hold before the foot is planned again


class Step(Enum):
    WALK = "walk"  # to the foot of the face
    FACE = "face"  # turn to the face, crouch, step up to it
    CLIMB = "climb"
    FOOD = "food"


@dataclass
class ClimbPlan:
    motor: Motor
    step: Step = Step.WALK
    food: FoodPlan = field(init=False)
    _foot: np.ndarray | None = None
    _direction: np.ndarray | None = None
    _top: float = math.inf
    _target: tuple[float, float] = (0.0, 0.0)
    _climber: Climber | None = None
    _ticks: int = 0

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)
        world = self.motor.world
        if world is None:
            self.step = Step.FOOD
            return
        foods = [item for item in world.items if item.kind in FOOD_BY_NAME]
        trunks = [item for item in world.items if item.kind == "fruit_tree"]
        goal = trunks[0].position if trunks else foods[0].position
        self._target = (goal[0], goal[2])
        self._top = world.terrain.height_at(goal[0], goal[2])

    @property
    def phase(self) -> Any:
        return self.food.phase if self.step is Step.FOOD else None

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        feet = body[1] - AGENT_HEIGHT / 2.0
        holding = debug["left_hand_holding"] or debug["right_hand_holding"]
        if self.step is not Step.FOOD and not holding and feet > self._top - TOP_MARGIN:
            self.step = Step.FOOD
        if self.step is Step.FOOD:
            self.food.act(action, debug)
            return
        world = self.motor.world
        assert world is not None
        if self.step is Step.CLIMB:
            assert self._direction is not None and self._climber is not None
            crouch_to(action, debug, CLIMB_HEAD_HEIGHT)
            look_at_pitch(action, debug, 0.0)
            self._direction = self._climber.facing(body, self._direction)
            self.motor.face(action, debug, body + self._direction)
            if self._climber.act(action, debug, self._direction) or holding:
                return
            if not debug["is_on_floor"]:
                return
            self.step, self._foot = Step.FACE, None  # nothing in reach: step closer to the face
        if self._foot is None:
            self._foot, self._direction = find_foot(world, (body[0], body[2]), self._target)
            route = climb_route(world, (self._foot[0], self._foot[2]), self._target)
            self._climber = Climber(self.motor, world, route)
            self.step, self._ticks = Step.WALK, 0
        assert self._direction is not None and self._climber is not None
        if self.step is Step.WALK:
            self.motor.walk(action, debug, ("foot", tuple(self._foot)), self._foot, FOOT_REACH)
            flat = math.hypot(body[0] - self._foot[0], body[2] - self._foot[2])
            if flat <= FOOT_REACH + 0.05:
                self.step, self._ticks = Step.FACE, 0
            return
        # FACE: turn to the face, crouch, look level, step forward until a hold is in reach.
        self._direction = self._climber.facing(body, self._direction)
        yaw_error = self.motor.face(action, debug, body + self._direction)
        crouch_to(action, debug, CLIMB_HEAD_HEIGHT)
        look_at_pitch(action, debug, 0.0)
        self._ticks += 1
        if abs(yaw_error) > FACE_YAW:
            return
        head = np.asarray(debug["head_position"], dtype=np.float64)
        if self._climber.find_hold(head, body, self._direction, self._climber.side, False) is not None:
            self._climber = Climber(self.motor, world, self._climber.route)  # a fresh climb
            self.step = Step.CLIMB
            return
        step_forward(action)
        if self._ticks > APPROACH_PATIENCE:
            self._foot = None
