"""The pushing skills: find where a chasm is to be bridged, push a pushable entity (a boulder) along the line from it
to that point until it falls in, and hop: a jump steered in the air onto a point (a boulder's top, a far rim).

The body walks by velocity, in the air too (godot_project/player/locomotion.gd), so a hop needs no run-up: it jumps
where it stands and steers over its landing point during the flight. The engine pushes a pushable body the body
walks into (only on walking ticks on the floor) by the mass ratio clamp(300 / mass, 0, 1) of the body's speed, so
a 2,400 kg boulder moves an eighth as fast as the body walks: the push keeps walking into it, re-aligning behind it
whenever it drifts off the line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, BODY_RADIUS, MAX_HEAD_LINEAR_SPEED
from avalon.navigation import plan_path
from avalon.oracle.jumping import edge_pairs
from avalon.oracle.skills import HEAD_X, HEAD_Z, JUMP, Motor, entity, head_basis
from avalon.world.obstacles.grid import Grid
from avalon.world.spec import WorldSpec

Point2 = tuple[float, float]

MAX_OPENING = 8.0  # m rim to rim searched for the crossing to bridge
LEVEL = 0.5  # m the two rims of the crossing may differ
NEAR_WEIGHT = 0.5  # m of opening a metre between the take-off and the boulder is worth
TOPPLE = 0.9  # m past the rim the push aims the boulder's centre (it topples once its centre is past the rim)
STANCE_GAP = 0.35  # m between the body's surface and the boulder's face where the push starts
LINE_TOLERANCE = 0.35  # m the body may be off the push line before it walks behind the boulder again
STOP_BEFORE_RIM = 0.45  # m: the body stops pushing when the ground this far ahead falls away (the rim)
EDGE_DROP = 0.3  # m below the feet that counts as falling away
FALLEN = 0.5  # m below the rim: the boulder is in the chasm
STILL = 0.01  # m per step of motion that counts as at rest
REST_STEPS = 3
RESTING = 10  # steps a boulder waited for lies still before it is pushed again
TIPPING = 0.15  # m below its resting height on the rim: the boulder is tipping over the edge
BEHIND_PATIENCE = 60  # steps the body may go without getting nearer its stance behind the boulder
FLANK = 0.8  # of the push direction the flank push leans away from the wall beside the boulder
ROOM_RISE = 0.3  # m above the boulder's ground that is a wall, not room for the body
PUSH_LIMIT = 900  # steps one push may take (a 2,400 kg boulder moves at most 0.375 m/s)
SETTLE_LIMIT = 25  # steps a hop walks to its take-off point before it jumps from where it is
AVOID = 1.4  # m round the boulder that walking plans avoid (half diagonal plus the body)
AVOID_COST = 50.0  # m of path a point that near the boulder costs
STAND_HEIGHT = 1.04  # m from the feet to the body's origin (half its height plus the collision margin)
CLEARANCE = 0.02  # m above a boulder's top the feet must be before a rising hop moves over it


# How far a hop from a boulder's top carries onto a higher rim, measured in the engine (avalon/tasks/push.py, from
# 0.35 m inside the top's edge: rim 0.6 m higher 2.5 m from the boulder's face, 1.0-1.2 m higher 2.0 m, 1.4-1.5 m
# higher 1.5 m), less a 0.2 m margin: (highest rise, widest gap) pairs.
HOP_REACH = ((0.65, 2.3), (1.25, 1.8), (1.55, 1.3))


def hop_reach(rise: float) -> float:
    """Metres from a boulder's face a hop from its top lands on ground `rise` m above the top (0: out of reach)."""
    for highest, reach in HOP_REACH:
        if rise <= highest:
            return reach
    return 0.0


@dataclass(frozen=True)
class RimCrossing:
    """The narrowest level opening between ground walkable from the body and ground the goal is walkable from."""

    take_off: Point2  # last walkable point on the near rim
    landing: Point2  # first point on the far rim
    direction: Point2  # unit (x, z) from take_off to landing
    rim: Point2  # where the near rim's edge starts along the direction
    rim_height: float
    opening: float


def find_rim_crossing(world: WorldSpec, start: Point2, goal: Point2, near: Point2 | None = None) -> RimCrossing | None:
    """The crossing to bridge between `start` and `goal`: the narrowest level opening, traded against the take-off's
    distance from `near` (where the boulder stands: pushing it along the rim costs time and drifts); None when the
    goal is walkable already."""
    terrain = world.terrain
    pairs = edge_pairs(world, start, goal, MAX_OPENING)
    if pairs is None:
        return None
    p, q, opening = pairs.takeoffs, pairs.landings, pairs.opening.copy()
    opening[np.abs(q[None, :, 2] - p[:, None, 2]) > LEVEL] = np.inf
    cost = opening.copy()
    if near is not None:
        cost += NEAR_WEIGHT * np.hypot(p[:, 0] - near[0], p[:, 1] - near[1])[:, None]
    k = int(np.argmin(cost))
    a, b = divmod(k, len(q))
    if not math.isfinite(cost[a, b]):
        return None
    take_off, landing = (float(p[a, 0]), float(p[a, 1])), (float(q[b, 0]), float(q[b, 1]))
    length = float(opening[a, b])
    u = ((landing[0] - take_off[0]) / length, (landing[1] - take_off[1]) / length)
    ground = terrain.height_at(*take_off)
    rim = take_off
    for s in np.arange(0.0, length, 0.05):
        point = (take_off[0] + u[0] * s, take_off[1] + u[1] * s)
        if terrain.height_at(*point) < ground - 0.05:
            rim = point
            break
    return RimCrossing(take_off, landing, u, rim, float(ground), length)


def avoiding(center: Point2, radius: float = AVOID) -> Any:
    """A walking planner (`Motor.planner`) that keeps away from a disc (a boulder the walk must not bump)."""

    def planner(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
        grid = Grid.of(world.terrain)
        x, z = grid.grid_xz()
        penalty = np.where(np.hypot(x - center[0], z - center[1]) < radius, AVOID_COST, 0.0)
        return plan_path(world, start, goal, penalty=penalty)

    return planner


class PushStage(Enum):
    BEHIND = "behind"  # walk round to the stance behind the boulder
    PUSH = "push"  # walk into it along the line
    WAIT = "wait"  # stopped before the rim: wait for it to fall
    DONE = "done"


@dataclass
class Push:
    """Push entity `target_id` (a pushable of edge `size` standing on ground at `ground` m) along the line from it
    to `aim`: over a rim until it falls (`fall`: it is done once its centre is FALLEN m below `ground`), or across
    a chasm floor until its centre is within `reach` m of `aim` or it stops against something. `act` returns False
    once done."""

    motor: Motor
    target_id: int
    size: float
    aim: Point2
    ground: float
    fall: bool = True
    reach: float = 0.3
    stage: PushStage = PushStage.BEHIND
    _last: np.ndarray | None = None
    _rest: int = 0
    _steps: int = 0
    _plan_tag: int = 0
    _closest: float = math.inf  # m: the nearest the body came to the stance since it set out for it
    _stalled: int = 0  # steps since it last came nearer

    @staticmethod
    def into(motor: Motor, target_id: int, size: float, crossing: RimCrossing) -> Push:
        """Over the crossing's rim into the chasm: aimed TOPPLE m beyond the rim, so it topples."""
        c = crossing
        aim = (c.rim[0] + c.direction[0] * TOPPLE, c.rim[1] + c.direction[1] * TOPPLE)
        return Push(motor, target_id, size, aim, c.rim_height)

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> bool:
        item = entity(debug, self.target_id)
        if item is None or self._steps >= PUSH_LIMIT:
            return False
        self._steps += 1
        rock = np.asarray(item["position"], dtype=np.float64)
        body = np.asarray(debug["body_position"], dtype=np.float64)
        here, flat = np.array([body[0], body[2]]), np.array([rock[0], rock[2]])
        line = np.array(self.aim) - flat
        distance = float(np.linalg.norm(line))
        if (self.fall and rock[1] < self.ground - FALLEN) or (not self.fall and distance < self.reach):
            self.stage = PushStage.DONE
            return False
        v = line / max(distance, 1e-6)
        behind = flat - v * (self.size / 2.0 + BODY_RADIUS + STANCE_GAP)
        if not self.fall and not self._room(behind):
            # No room behind it (it lies against the near wall): push from a flank, diagonally, so it moves away
            # from the wall as well as towards the aim, until there is room behind it.
            side = np.array([-v[1], v[0]])
            if not self._room(flat + side * (self.size / 2.0 + BODY_RADIUS + STANCE_GAP)):
                side = -side
            v = _unit2(v - FLANK * side)
            behind = flat - v * (self.size / 2.0 + BODY_RADIUS + STANCE_GAP)
        offset = here - flat
        lateral = float(abs(offset[0] * v[1] - offset[1] * v[0]))
        along = float(offset @ v)
        if self.fall and rock[1] < self.ground + self.size / 2.0 - TIPPING and self.stage is not PushStage.WAIT:
            self.stage = PushStage.WAIT  # it is tipping over the rim: do not follow it
        if self.stage is PushStage.BEHIND:
            goal = np.array([behind[0], body[1], behind[1]])
            gap = float(np.linalg.norm(here - behind))
            if gap < self._closest - 0.05:
                self._closest, self._stalled = gap, 0
            self._stalled += 1
            if self._stalled > BEHIND_PATIENCE:  # it cannot get there: let the plan decide again
                self.stage = PushStage.DONE
                return False
            if gap > 0.15:
                self.motor.planner = avoiding((float(flat[0]), float(flat[1])))
                self.motor.walk(action, debug, ("behind", self._plan_tag), goal, 0.1)
                return True
            self.stage, self._rest, self._closest = PushStage.PUSH, 0, math.inf
        if self.stage is PushStage.PUSH:
            if lateral > LINE_TOLERANCE or along > -self.size / 2.0:
                self.stage, self._plan_tag = PushStage.BEHIND, self._plan_tag + 1
                return True
            if self.fall and self._edge_ahead(body, v):
                self.stage = PushStage.WAIT
                return True
            self._track(rock)
            if not self.fall and self._rest >= RESTING:  # it stopped against a wall: as far as it goes
                self.stage = PushStage.DONE
                return False
            # Steer onto the line through the boulder's centre and walk into it at full speed.
            heading = v - 1.0 * (offset - (offset @ v) * v)
            self._walk_along(action, debug, np.array([heading[0], 0.0, heading[1]]), body)
            return True
        if self.stage is PushStage.WAIT:
            self.motor.face(action, debug, np.array([rock[0], body[1], rock[2]]))
            if self._edge_ahead(body, v, STOP_BEFORE_RIM - 0.25):  # too close: step back
                self._walk_along(action, debug, -np.array([v[0], 0.0, v[1]]), body, 0.3)
            self._track(rock)
            if self._rest >= RESTING:  # it stopped short of falling: push again from behind
                self.stage, self._plan_tag, self._rest = PushStage.BEHIND, self._plan_tag + 1, 0
            return True
        return False

    def _room(self, point: np.ndarray) -> bool:
        """Whether `point` is on the ground the boulder stands on (not up a wall)."""
        if self.motor.world is None:
            return True
        return bool(self.motor.world.terrain.height_at(float(point[0]), float(point[1])) < self.ground + ROOM_RISE)

    def _edge_ahead(self, body: np.ndarray, v: np.ndarray, distance: float = STOP_BEFORE_RIM) -> bool:
        """Whether the ground `distance` m ahead of the body along `v` falls away (the rim)."""
        terrain = self.motor.world.terrain if self.motor.world is not None else None
        if terrain is None:
            return False
        ahead = terrain.height_at(body[0] + v[0] * distance, body[2] + v[1] * distance)
        return bool(ahead < body[1] - AGENT_HEIGHT / 2.0 - EDGE_DROP)

    def _walk_along(
        self, action: np.ndarray, debug: dict[str, Any], heading: np.ndarray, body: np.ndarray, speed: float = 1.0
    ) -> None:
        self.motor.face(action, debug, body + heading)
        local = head_basis(debug["head_yaw"], 0.0).T @ heading
        local /= max(1e-6, float(np.linalg.norm(local)))
        action[HEAD_X], action[HEAD_Z] = speed * local[0], speed * local[2]

    def _track(self, rock: np.ndarray) -> None:
        moved = math.inf if self._last is None else float(np.linalg.norm(rock - self._last))
        self._last = rock.copy()
        self._rest = self._rest + 1 if moved < STILL else 0


class HopStage(Enum):
    SETTLE = "settle"  # stand still on the floor before the jump
    FLIGHT = "flight"
    DONE = "done"


@dataclass
class Hop:
    """Jump where the body stands and steer in the air to land on `target` (x, z) whose ground is `height`; `act`
    returns False once landed (still for a few steps, or after `limit` steps)."""

    motor: Motor
    target: Point2
    height: float
    approach: Point2 | None = None  # walk here first (the take-off point)
    # Rise straight up until the feet are above `height`, then steer: onto a boulder from beside it (moving into its
    # face in the air moves it in the engine; docs of the plan say why this matters).
    rise_first: bool = False
    stage: HopStage = HopStage.SETTLE
    limit: int = 40
    _steps: int = 0
    _settle: int = 0
    _still: int = 0
    _last_y: float = math.nan
    start_y: float = math.nan  # the body's height when it jumped
    top_y: float = math.nan  # and the highest it got

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> bool:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        if self.stage is HopStage.FLIGHT:
            self.top_y = float(body[1]) if not math.isfinite(self.top_y) else max(self.top_y, float(body[1]))
        moved = abs(body[1] - self._last_y) if math.isfinite(self._last_y) else math.inf
        self._last_y = float(body[1])
        self._still = self._still + 1 if moved < STILL else 0
        target = np.array([self.target[0], body[1], self.target[1]])
        if self.stage is HopStage.SETTLE:
            self._settle += 1
            far = self.approach is not None and math.hypot(body[0] - self.approach[0], body[2] - self.approach[1]) > 0.1
            if far and self._settle < SETTLE_LIMIT:
                assert self.approach is not None
                goal = np.array([self.approach[0], body[1], self.approach[1]])
                self._steer(action, debug, body, goal, 0.05)
                return True
            self.motor.face(action, debug, target)
            if self._still < 2 and self._settle < SETTLE_LIMIT + 5:
                return True
            self.start_y = float(body[1])
            action[JUMP] = 1.0  # and already on the way: the body walks by velocity, in the air too
            if not self.rise_first:
                self._steer(action, debug, body, target, 0.05)
            self.stage = HopStage.FLIGHT
            self._still = 0
            return True
        if self.stage is HopStage.FLIGHT:
            self._steps += 1
            if not self.rise_first or body[1] - STAND_HEIGHT > self.height + CLEARANCE:
                self._steer(action, debug, body, target, 0.05)
            else:
                self.motor.face(action, debug, target)
            if (self._steps > 3 and self._still >= REST_STEPS) or self._steps >= self.limit:
                self.stage = HopStage.DONE
                return False
            return True
        return False

    def _steer(
        self, action: np.ndarray, debug: dict[str, Any], body: np.ndarray, goal: np.ndarray, reach: float
    ) -> None:
        self.motor.face(action, debug, goal)
        heading = goal - body
        heading[1] = 0.0
        distance = float(np.linalg.norm(heading))
        if distance <= reach:
            return
        local = head_basis(debug["head_yaw"], 0.0).T @ heading
        local /= max(1e-6, float(np.linalg.norm(local)))
        speed = min(1.0, distance / MAX_HEAD_LINEAR_SPEED)
        action[HEAD_X], action[HEAD_Z] = speed * local[0], speed * local[2]


def _unit2(v: np.ndarray) -> np.ndarray:
    return v / max(1e-6, float(np.linalg.norm(v)))
