"""The run-up jump skill: find where a chasm is narrowest between where the body can walk and where the goal can be
walked to, walk to a run-up point before it, face across, run at full speed and jump on the last tick before the rim.

The world's ring and its designed crossing are not in the WorldSpec, so the crossing is recovered from the heightmap:
the grid points the body can walk to from where it stands (`reachable` with walking rises and drops only) and those
it could walk from to the goal; the closest pair of the two, no higher on the far side than a jump lands, is the
crossing. Measured in the engine (avalon/tasks/jump.py): running at full speed and jumping on the last tick before
the rim clears 3.0 m from rim to rim on the 0.5 m grid, onto a level rim.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, MAX_HEAD_LINEAR_SPEED
from avalon.oracle.skills import HEAD_X, HEAD_Y, HEAD_Z, JUMP, Motor, head_basis
from avalon.world.obstacles.grid import Grid, dilate
from avalon.world.obstacles.planning import MAX_RISE, reachable
from avalon.world.spec import WorldSpec

Point2 = tuple[float, float]

WALK_DROP = MAX_RISE * 0.5  # m per 0.5 m step: the oracle's A* walks down no steeper than it walks up
MAX_OPENING = 3.0  # m rim to rim: the widest level chasm the body cleared in 6 of 6 run-up jumps
MAX_LANDING_RISE = 1.0  # m the far rim may be above the take-off point (the apex is 1.5 m)
RISE_COST = 2.0  # m of opening a metre of rise is worth when choosing between crossings
LANDING_ROOM = 1.5  # m of walkable ground beyond the landing point (the far side may be a narrow ridge)
LANDING_TRIES = 2000  # pairs tried, narrowest first
RUN_UP = 1.5  # m before the take-off point where the run starts
MIN_RUN_UP = 0.5  # m: a shorter run-up if the longer one is not walkable
RIM_DROP = 0.05  # m below the take-off ground: where the rim starts along the run (the body follows the ground
# down the rim's slope and leaves the floor within a step of it, so the jump must come before)
JUMP_LEAD = 0.05  # m: jump when the rim is at most a step and this much ahead
ALIGN = 2.0  # deg of yaw error allowed before the run starts
LATERAL_GAIN = 1.0  # sideways correction per metre off the line, in units of full speed
STEP = MAX_HEAD_LINEAR_SPEED  # m a full-speed step moves the body
OVERRUN = 0.3  # m past the landing point the run goes on during the flight
LANDED_STEPS = 3  # steps on the far side with no vertical motion that count as landed
FLIGHT_LIMIT = 40  # steps after the jump before the flight is over anyway
STILL = 0.01  # m per step of vertical motion that counts as standing


@dataclass(frozen=True)
class Crossing:
    """Where to jump: run from `run_up` along `direction` (unit x, z), take off before `rim`, land by `landing`."""

    run_up: Point2
    take_off: Point2
    landing: Point2
    direction: Point2
    rim: Point2
    opening: float  # m from the take-off point to the landing point


@dataclass(frozen=True)
class EdgePairs:
    """The ground points on the two sides of a gap: where the body walks to from the start (`here`) and from the goal
    (`there`), the take-off points of `here` and landing points of `there` within the search distance of the other
    side (rows x, z, height), and the horizontal distance of every take-off and landing pair."""

    grid: Grid
    here: np.ndarray
    there: np.ndarray
    takeoffs: np.ndarray  # (n, 3)
    landings: np.ndarray  # (m, 3)
    opening: np.ndarray  # (n, m) m


def edge_pairs(world: WorldSpec, start: Point2, goal: Point2, max_opening: float) -> EdgePairs | None:
    """The two sides of the gap between `start` and `goal` (EdgePairs), or None when the goal is walkable already or
    no ground of the goal's side lies within `max_opening` m of the start's."""
    grid = Grid.of(world.terrain)
    here = reachable(grid, start, max_rise=MAX_RISE, max_drop=WALK_DROP)
    there = reachable(grid, goal, max_rise=MAX_RISE, max_drop=WALK_DROP)
    if here[grid.point(*goal)]:
        return None
    near = math.ceil(max_opening / grid.cell_size)
    takeoffs = here & dilate(there, near)
    landings = there & dilate(here, near) & ~here
    if not takeoffs.any() or not landings.any():
        return None
    x, z = grid.grid_xz()
    h = grid.heights
    p = np.stack([x[takeoffs], z[takeoffs], h[takeoffs]], axis=1)
    q = np.stack([x[landings], z[landings], h[landings]], axis=1)
    opening = np.hypot(p[:, None, 0] - q[None, :, 0], p[:, None, 1] - q[None, :, 1])
    return EdgePairs(grid, here, there, p, q, opening)


def find_crossing(world: WorldSpec, start: Point2, goal: Point2) -> Crossing | None:
    """The narrowest jump from where the body can walk from `start` to where it can walk to `goal` on, or None when
    the goal is walkable already or no jump of at most MAX_OPENING m joins the two."""
    terrain = world.terrain
    pairs = edge_pairs(world, start, goal, MAX_OPENING)
    if pairs is None:
        return None
    grid, here, there, p, q, opening = (
        pairs.grid,
        pairs.here,
        pairs.there,
        pairs.takeoffs,
        pairs.landings,
        pairs.opening,
    )
    rise = q[None, :, 2] - p[:, None, 2]
    cost = opening + RISE_COST * np.maximum(rise, 0.0)
    cost[(opening > MAX_OPENING) | (rise > MAX_LANDING_RISE)] = np.inf
    # The narrowest pair with a walkable run-up behind the take-off and room to land beyond the landing point.
    for _ in range(LANDING_TRIES):
        k = int(np.argmin(cost))
        a, b = divmod(k, len(q))
        if not math.isfinite(cost[a, b]):
            return None
        cost[a, b] = np.inf
        take_off, landing = (float(p[a, 0]), float(p[a, 1])), (float(q[b, 0]), float(q[b, 1]))
        length = float(opening[a, b])
        u = ((landing[0] - take_off[0]) / length, (landing[1] - take_off[1]) / length)
        if not _room(grid, there, landing, u):
            continue
        run_up = _run_up(grid, here, take_off, u)
        if run_up is None:
            cost[a, :] = np.inf
            continue
        return Crossing(run_up, take_off, landing, u, _rim(terrain, take_off, u, length), length)
    return None


def _room(grid: Grid, walkable: np.ndarray, landing: Point2, u: Point2) -> bool:
    """Whether the ground LANDING_ROOM m on from `landing` along `u`, and half a metre to each side, is walkable."""
    points = [(landing[0] + u[0] * s, landing[1] + u[1] * s) for s in np.arange(0.0, LANDING_ROOM + 1e-9, 0.25)]
    points += [(landing[0] - u[1] * s, landing[1] + u[0] * s) for s in (-0.5, 0.5)]
    return all(walkable[grid.point(*point)] for point in points)


def _run_up(grid: Grid, walkable: np.ndarray, take_off: Point2, u: Point2) -> Point2 | None:
    """The farthest point up to RUN_UP m back from `take_off` whose whole way to it is walkable ground."""
    length = RUN_UP
    while length >= MIN_RUN_UP:
        samples = np.linspace(0.0, length, max(2, int(length / (0.5 * grid.cell_size)) + 1))
        if all(walkable[grid.point(take_off[0] - u[0] * s, take_off[1] - u[1] * s)] for s in samples):
            return (take_off[0] - u[0] * length, take_off[1] - u[1] * length)
        length -= grid.cell_size
    return None


def _rim(terrain: Any, take_off: Point2, u: Point2, length: float) -> Point2:
    """The first point from `take_off` towards the landing where the ground is RIM_DROP m below the take-off's."""
    ground = terrain.height_at(*take_off)
    for s in np.arange(0.0, length, 0.05):
        point = (take_off[0] + u[0] * s, take_off[1] + u[1] * s)
        if terrain.height_at(*point) < ground - RIM_DROP:
            return point
    return take_off


class Stage(Enum):
    APPROACH = "approach"  # walk to the run-up point
    AIM = "aim"  # stand up and face across
    RUN = "run"  # full speed towards the rim
    FLIGHT = "flight"  # jumped: keep running until landed
    DONE = "done"


@dataclass
class RunUpJump:
    """One run-up jump over `crossing`, step by step (`act` returns False once the body has landed)."""

    motor: Motor
    crossing: Crossing
    stage: Stage = Stage.APPROACH
    _flight: int = 0
    _still: int = 0
    _last_y: float = math.nan

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> bool:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        c = self.crossing
        u = np.array([c.direction[0], 0.0, c.direction[1]])
        far = np.array([c.landing[0], body[1], c.landing[1]]) + 20.0 * u
        if self.stage is Stage.APPROACH:
            goal = np.array([c.run_up[0], body[1], c.run_up[1]])
            if math.hypot(body[0] - c.run_up[0], body[2] - c.run_up[1]) > 0.15:
                self.motor.walk(action, debug, "run-up", goal, 0.1)
                return True
            self.stage = Stage.AIM
        if self.stage is Stage.AIM:
            error = self.motor.face(action, debug, far)
            standing = debug["head_position"][1] - (body[1] - AGENT_HEIGHT / 2.0) > AGENT_HEIGHT - 0.02
            if not standing:
                action[HEAD_Y] = 1.0
            if abs(error) > ALIGN or not standing:
                return True
            self.stage = Stage.RUN
        if self.stage is Stage.RUN:
            self._run(action, debug, body, u, far)
            remaining = (c.rim[0] - body[0]) * u[0] + (c.rim[1] - body[2]) * u[2]
            if remaining <= STEP + JUMP_LEAD:
                action[JUMP] = 1.0
                self.stage = Stage.FLIGHT
            return True
        if self.stage is Stage.FLIGHT:
            # Run on until past the landing point (not farther: the far side may be a small plateau), then stand.
            beyond = (body[0] - c.landing[0]) * u[0] + (body[2] - c.landing[1]) * u[2]
            if beyond < OVERRUN:
                self._run(action, debug, body, u, far)
            else:
                self.motor.face(action, debug, far)
            self._flight += 1
            moved = abs(body[1] - self._last_y) if math.isfinite(self._last_y) else math.inf
            self._last_y = float(body[1])
            self._still = self._still + 1 if moved < STILL else 0
            past = (body[0] - c.rim[0]) * u[0] + (body[2] - c.rim[1]) * u[2] > 0.0
            if (past and self._still >= LANDED_STEPS) or self._flight >= FLIGHT_LIMIT:
                self.stage = Stage.DONE
                action[HEAD_X] = action[HEAD_Z] = 0.0
                return False
            return True
        return False

    def _run(self, action: np.ndarray, debug: dict[str, Any], body: np.ndarray, u: np.ndarray, far: np.ndarray) -> None:
        """Face `far` and move along the crossing's line at full speed, steering back onto it."""
        self.motor.face(action, debug, far)
        c = self.crossing
        offset = np.array([body[0] - c.take_off[0], 0.0, body[2] - c.take_off[1]])
        lateral = offset - np.dot(offset, u) * u
        heading = u - LATERAL_GAIN * lateral
        local = head_basis(debug["head_yaw"], 0.0).T @ heading
        local /= max(1e-6, float(np.linalg.norm(local)))
        action[HEAD_X], action[HEAD_Z] = local[0], local[2]
