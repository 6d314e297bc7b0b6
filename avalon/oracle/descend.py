"""The DESCEND plan: walk to the lip where the climbing route (A* over walkable ground and climbable faces, see
`avalon.oracle.climbing.climb_route`) leaves the mesa; then either step off, when the fall there costs less than
`MAX_FALL_DAMAGE` hit points (our body takes damage from a 10 m/s landing, about 5 m: a 10 m drop costs 0.16), or
crouch at the lip facing the drop, take hold of the lip, lower the body over it, turn to face the cliff and climb
down hand over hand, letting go with the feet less than a metre above the ground; then the food plan."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import (
    AGENT_HEIGHT,
    BODY_MASS,
    FALL_DAMAGE_COEFFICIENT,
    GRAVITY,
    HEAD_HEIGHT_MIN,
    MIN_FALL_SPEED,
)
from avalon.entities import FOOD_BY_NAME
from avalon.oracle.climbing import (
    CLIMB_HEAD_HEIGHT,
    LET_GO_HEIGHT,
    RIGHT,
    Climber,
    climb_route,
    crouch_to,
    look_at_pitch,
    step_forward,
)
from avalon.oracle.food import FoodPlan
from avalon.oracle.skills import RIGHT_GRASP, Motor, head_basis

MAX_FALL_DAMAGE = 0.5  # hit points: a drop costing less is simply stepped off (the food gives 1)
LIP_DROP = 1.0  # m: the route leaves the mesa where it falls this much within LIP_LOOKAHEAD
LIP_LOOKAHEAD = 1.0  # m, horizontally along the route
STAND_REACH = 0.1  # m: the body is where it stands to go over the lip
# Head frame (level): steeply down onto the lip just ahead (the rule scenarios'), then others, REACH_TICKS each.
LIP_HOLDS = (
    np.array([0.1, -0.9, -0.35]),
    np.array([0.1, -0.75, -0.6]),
    np.array([0.1, -0.95, -0.25]),
    np.array([-0.1, -0.8, -0.5]),
)
REACH_TICKS = 5
OVER_THE_LIP = np.array([0.0, 0.5, 0.2])  # head frame, per tick: the holding hand up and back lowers the body over
OVER_TICKS = 4
TURN_YAW = 8.0  # deg: facing the cliff within this, the climb down starts
CROUCH_TICKS = 8
EDGE_CLOSE = 0.3  # m: the body stands this close to the edge before it takes hold of the lip


class Step(Enum):
    WALK = "walk"  # to the lip
    STEP_OFF = "step off"  # walk over the edge and fall
    GRIP_LIP = "grip lip"  # crouch facing the drop, take hold of the lip
    OVER = "over"  # lower the body over the lip
    TURN = "turn"  # turn round to face the cliff, hanging on
    CLIMB_DOWN = "climb down"
    FOOD = "food"


def fall_damage(height: float) -> float:
    """Hit points a fall of `height` m costs (the engine's rule: damage from a MIN_FALL_SPEED landing)."""
    speed_squared = 2.0 * GRAVITY * max(height, 0.0)
    return max(0.0, FALL_DAMAGE_COEFFICIENT * BODY_MASS * (speed_squared - MIN_FALL_SPEED**2))


@dataclass
class DescendPlan:
    motor: Motor
    step: Step = Step.WALK
    food: FoodPlan = field(init=False)
    _route: np.ndarray | None = None
    _lip: int = 0
    _bottom: float = -math.inf
    _climber: Climber | None = None
    _ticks: int = 0
    _beyond: int = 0  # route index LIP_LOOKAHEAD beyond the lip
    _drop: float = 0.0  # m from the lip to the route's lowest point
    _out: np.ndarray = field(default_factory=lambda: np.zeros(3))  # horizontal unit vector over the lip
    _stand: np.ndarray = field(default_factory=lambda: np.zeros(3))  # where the body stands to go over

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)
        world = self.motor.world
        if world is None:
            self.step = Step.FOOD
            return
        trunk = next((item for item in world.items if item.kind == "fruit_tree"), None)
        food = next(item for item in world.items if item.kind in FOOD_BY_NAME)
        goal = (trunk or food).position
        spawn = world.spawn.position
        route = climb_route(world, (spawn[0], spawn[2]), (goal[0], goal[2]))
        heights = route[:, 1]
        along = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(route[:, 0]), np.diff(route[:, 2])))])
        lip, self._beyond = 0, len(route) - 1
        for n in range(len(route)):
            ahead = int(np.searchsorted(along, along[n] + LIP_LOOKAHEAD, side="right"))
            if heights[n:ahead].min() < heights[n] - LIP_DROP:
                lip, self._beyond = n, min(ahead, len(route) - 1)
                break
        self._route, self._lip = route, lip
        self._bottom = world.terrain.height_at(goal[0], goal[2])
        self._drop = heights[lip] - float(heights[lip:].min())
        # Where to stand: on the route's line, EDGE_CLOSE short of where the ground falls away.
        out = route[self._beyond] - route[lip]
        out[1] = 0.0
        out /= max(float(np.linalg.norm(out)), 1e-9)
        self._out = out
        edge = self._edge_distance(world, route[lip], out)
        self._stand = route[lip] + out * max(edge - EDGE_CLOSE, 0.0)

    @staticmethod
    def _edge_distance(world: Any, point: np.ndarray, out: np.ndarray) -> float:
        """Horizontal metres from `point` along `out` to where the ground is LIP_DROP lower than at `point`."""
        here = world.terrain.height_at(point[0], point[2])
        for t in np.arange(0.0, 3.0, 0.05):
            if world.terrain.height_at(point[0] + out[0] * t, point[2] + out[2] * t) < here - LIP_DROP:
                return float(t)
        return 3.0

    @property
    def phase(self) -> Any:
        return self.food.phase if self.step is Step.FOOD else None

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        feet = body[1] - AGENT_HEIGHT / 2.0
        holding = bool(debug["left_hand_holding"] or debug["right_hand_holding"])
        if self.step is not Step.FOOD and debug["is_on_floor"] and feet < self._bottom + 1.0 and not holding:
            self.step = Step.FOOD
        if self.step is Step.FOOD:
            self.food.act(action, debug)
            return
        world = self.motor.world
        assert world is not None and self._route is not None
        out, stand = self._out, self._stand
        self._ticks += 1
        if self.step is Step.WALK:
            self.motor.walk(action, debug, "lip", stand, STAND_REACH)
            if math.hypot(body[0] - stand[0], body[2] - stand[2]) <= STAND_REACH + 0.05:
                self.step = Step.STEP_OFF if fall_damage(self._drop) < MAX_FALL_DAMAGE else Step.GRIP_LIP
                self._ticks = 0
        elif self.step is Step.STEP_OFF:
            if abs(self.motor.face(action, debug, body + out)) < TURN_YAW:
                step_forward(action, 1.0)
        elif self.step is Step.GRIP_LIP:
            yaw_error = self.motor.face(action, debug, body + out)
            crouch_to(action, debug, HEAD_HEIGHT_MIN)
            look_at_pitch(action, debug, -60.0)
            if holding:
                action[RIGHT_GRASP] = 1.0
                self.step, self._ticks = Step.OVER, 0
            elif abs(yaw_error) < TURN_YAW and self._ticks > CROUCH_TICKS:
                head = np.asarray(debug["head_position"], dtype=np.float64)
                climber = Climber(self.motor, world, self._route[self._lip :], up=False)
                hold = LIP_HOLDS[(self._ticks // REACH_TICKS) % len(LIP_HOLDS)]
                climber.reach(action, debug, RIGHT, head + head_basis(debug["head_yaw"], 0.0) @ hold)
        elif self.step is Step.OVER:
            action[RIGHT_GRASP] = 1.0
            basis = head_basis(debug["head_yaw"], debug["head_pitch"])
            action[12:15] = np.clip(basis.T @ (head_basis(debug["head_yaw"], 0.0) @ OVER_THE_LIP), -1.0, 1.0)
            if self._ticks >= OVER_TICKS:
                self.step, self._ticks = Step.TURN, 0
            if not holding:
                self.step = Step.WALK
        elif self.step is Step.TURN:
            action[RIGHT_GRASP] = 1.0
            look_at_pitch(action, debug, 0.0)
            if abs(self.motor.face(action, debug, body - out)) < TURN_YAW:
                self._climber = Climber(self.motor, world, self._route[self._lip :], up=False, side=1 - RIGHT)
                self.step = Step.CLIMB_DOWN
            if not holding:
                self.step = Step.WALK
        else:  # CLIMB_DOWN
            assert self._climber is not None
            if not holding and debug["is_on_floor"]:  # back on top (no hold over the lip): start again
                self.step, self._ticks = Step.WALK, 0
                return
            ground = world.terrain.height_at(body[0], body[2])
            if feet - ground <= LET_GO_HEIGHT:
                return  # nothing pressed: let go
            look_at_pitch(action, debug, 0.0)
            crouch_to(action, debug, CLIMB_HEAD_HEIGHT)
            direction = self._climber.facing(body, -out)
            self.motor.face(action, debug, body + np.array([direction[0], 0.0, direction[2]]))
            self._climber.act(action, debug, direction)
