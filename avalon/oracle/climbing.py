"""The climbing skill: find where a climbable face can be climbed (the WorldSpec's terrain and climb map), walk to
its foot, face it, and go up hand over hand; or go down over a lip and hand over hand to the foot.

Hand over hand, as the rule scenarios climb (godot_project/tests/rules/climb_scenarios.gd): the free hand reaches
for a hold on the face (a point of the terrain surface, within reach, where the climb map says climbable) while the
other still holds; once it holds, the other lets go and the new hold pulls the body (moving a holding hand moves the
body the opposite way) until the arm is straight or the body is where it should be; then the hands swap. At the top
the engine's ledge rule steps the body onto the plateau; going down, the body is let go once its feet are less than
`LET_GO_HEIGHT` above the ground.

Measured with this skill in the engine (tests/test_task_climb.py): up a 20 m vertical face in 91 ticks, 0.22 m
per tick (each hold: a few ticks to reach and grip, one to let go, then a pull of up to a metre).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import (
    AGENT_HEIGHT,
    FLOOR_MAX_ANGLE,
    MAX_HAND_LINEAR_SPEED,
    MAX_HEAD_LINEAR_SPEED,
    MAX_HEAD_PITCH_SPEED,
)
from avalon.oracle.skills import (
    HEAD_PITCH,
    HEAD_X,
    HEAD_Y,
    HEAD_Z,
    LEFT_GRASP,
    LEFT_HAND,
    RIGHT_GRASP,
    RIGHT_HAND,
    Motor,
    head_basis,
)
from avalon.world.obstacles import Grid, astar, reachable, surface_heights
from avalon.world.spec import WorldSpec

HOLD_REACH = 0.9  # m from the head to a hold (ARM_LENGTH less a margin: the line is traced to the surface)
HAND_SHORT = 0.06  # m short of the hold the hand stops; the grip line reaches GRAB_RADIUS beyond the hand
HAND_SIDE = 0.2  # m: each hand's holds lie this far to its side of the body's line up the face
CLIMB_HEAD_HEIGHT = 1.2  # m above the feet while climbing: low enough to reach a 55-degree face from its foot
PULL_STEP = 0.6  # m per tick a pull moves the body at most (the arm's length stops it anyway)
PULL_ABOVE = 0.9  # m: going up, a pull raises the head this far above its hold
MIN_RISE = 0.15  # m: every pull up rises a little (the engine tries the ledge only on ticks that raised the body)
PULL_CLOSE = 0.25  # m: ... and brings it this close to the hold horizontally
STUCK = 0.02  # m per tick: a pull that moves the body less than this is done
LET_GO_HEIGHT = 1.0  # m: going down, the body lets go with its feet this low above the ground (no fall damage)
FLOOR_NORMAL_Y = math.cos(math.radians(FLOOR_MAX_ANGLE))
REACH_PATIENCE = 8  # ticks a hand may take to reach and grip before another hold is tried
FACE_RISE = 0.3  # m: where the route has risen this much above the last hold, the face is
ROUTE_SPACING = 0.1  # m between the points of a climbing route
STEEP = 1.0  # rise per metre: steeper cells are a face (not walked on, the body slides)
LEFT, RIGHT = 0, 1
HANDS = (LEFT_HAND, RIGHT_HAND)
GRASPS = (LEFT_GRASP, RIGHT_GRASP)


class Stage(Enum):
    REACH = "reach"  # the free hand reaches for a hold (the other keeps holding, if it does)
    LET_GO = "let go"  # one tick: the old hold lets go
    PULL = "pull"  # the new hold pulls the body


def steep_points(grid: Grid) -> np.ndarray:
    """Points touching a cell steeper than STEEP (a face, not a floor)."""
    h, cs = grid.heights, grid.cell_size
    gx = (h[:-1, 1:] - h[:-1, :-1] + h[1:, 1:] - h[1:, :-1]) / (2.0 * cs)
    gz = (h[1:, :-1] - h[:-1, :-1] + h[1:, 1:] - h[:-1, 1:]) / (2.0 * cs)
    cells = np.hypot(gx, gz) > STEEP
    points = np.zeros(h.shape, bool)
    points[:-1, :-1] |= cells
    points[:-1, 1:] |= cells
    points[1:, :-1] |= cells
    points[1:, 1:] |= cells
    return points


def climbable_points(world: WorldSpec) -> np.ndarray:
    """Points whose every touching cell is climbable."""
    climbable = world.terrain.climbable.astype(bool)
    every = np.ones(world.terrain.heights.shape, bool)
    every[:-1, :-1] &= climbable
    every[:-1, 1:] &= climbable
    every[1:, :-1] &= climbable
    every[1:, 1:] &= climbable
    return every


def _touching_climbable(world: WorldSpec) -> np.ndarray:
    climbable = world.terrain.climbable.astype(bool)
    some = np.zeros(world.terrain.heights.shape, bool)
    some[:-1, :-1] |= climbable
    some[:-1, 1:] |= climbable
    some[1:, :-1] |= climbable
    some[1:, 1:] |= climbable
    return some


def find_foot(world: WorldSpec, start: tuple[float, float], top: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Where to start climbing from `start` (x, z) to `top` (x, z): the point walkable from `start` and next to a
    climbable face from which climbing and walking lead to `top`, nearest to `start` plus twice its distance to `top`.
    Returns the foot (x, ground y, z) and the unit horizontal direction up the face (x, 0, z)."""
    grid = Grid.of(world.terrain)
    steep = steep_points(grid)
    climb = climbable_points(world)
    walk = reachable(grid, start, blocked=steep, max_drop=1.0)
    up = reachable(grid, top, climbable=world.terrain.climbable.astype(bool), max_drop=0.4)
    face = steep & climb & up
    near_face = np.zeros(face.shape, bool)
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            near_face |= np.roll(np.roll(face, dj, axis=0), di, axis=1)
    candidates = walk & near_face & ~steep
    if not candidates.any():
        raise ValueError("no walkable foot of a climbable face leads to the top")
    x, z = grid.grid_xz()
    cost = np.hypot(x - start[0], z - start[1]) + 2.0 * np.hypot(x - top[0], z - top[1])
    j, i = np.unravel_index(np.argmin(np.where(candidates, cost, np.inf)), cost.shape)
    foot = np.array([x[j, i], grid.heights[j, i], z[j, i]])
    # Up the face: towards the face points within 1.5 m, weighted by how much higher they are.
    around = face & (np.hypot(x - foot[0], z - foot[2]) <= 1.5)
    rise = np.where(around, np.maximum(grid.heights - foot[1], 0.0), 0.0)
    dx, dz = float(((x - foot[0]) * rise).sum()), float(((z - foot[2]) * rise).sum())
    norm = math.hypot(dx, dz)
    if norm < 1e-9:
        dx, dz, norm = top[0] - foot[0], top[1] - foot[2], math.hypot(top[0] - foot[0], top[1] - foot[2])
    return foot, np.array([dx / norm, 0.0, dz / norm])


def climb_route(world: WorldSpec, start: tuple[float, float], goal: tuple[float, float]) -> np.ndarray:
    """Grid points (x, surface y, z) from `start` to `goal` over walkable ground and climbable faces (A* with any
    rise, never through a steep point that is not climbable): the line a climber's holds follow."""
    grid = Grid.of(world.terrain)
    steep, water = steep_points(grid), grid.heights <= world.terrain.water_height
    path = None
    # First over points whose every cell is climbable; failing that, points touching any climbable cell (the edge
    # of a narrow climbable path); failing that, anywhere on land (short falls the generator allowed).
    for climbable in (climbable_points(world), _touching_climbable(world), np.ones(steep.shape, bool)):
        blocked = steep & ~climbable | water
        path = path or astar(grid, start, goal, blocked=blocked, max_rise=1.0e9)
    if path is None:
        raise ValueError(f"no climbing route from {start} to {goal}")
    # Densified along the surface: on a steep face neighbouring grid points are metres apart in height.
    points = [np.array([path[0][0], grid.heights[grid.point(*path[0])], path[0][1]])]
    for (ax, az), (bx, bz) in zip(path[:-1], path[1:], strict=True):
        rise = abs(grid.heights[grid.point(bx, bz)] - grid.heights[grid.point(ax, az)])
        count = max(1, math.ceil(math.hypot(bx - ax, bz - az, rise) / ROUTE_SPACING))
        t = np.arange(1, count + 1) / count
        xs, zs = ax + (bx - ax) * t, az + (bz - az) * t
        points.extend(np.stack([xs, surface_heights(grid, xs, zs), zs], axis=1))
    return np.array(points)


@dataclass
class Climber:
    """Hand over hand up (or down) a climbable face, `direction` being the horizontal unit vector into the face."""

    motor: Motor
    world: WorldSpec
    route: np.ndarray  # (n, 3) points the holds follow, from the bottom (up) or the top (down)
    up: bool = True
    stage: Stage = Stage.REACH
    side: int = RIGHT  # the hand reaching or pulling
    _hold: np.ndarray | None = None  # the hold the reaching hand goes for
    _ticks: int = 0
    _last_body: np.ndarray | None = None
    _grid: Grid = field(init=False)
    _climbable: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self._grid = Grid.of(self.world.terrain)
        self._climbable = self.world.terrain.climbable.astype(bool)
        self._progress = 0  # index of the last route point held

    def act(self, action: np.ndarray, debug: dict[str, Any], direction: np.ndarray) -> bool:
        """One tick of climbing towards `direction`; False when no hold is in reach and nothing holds."""
        holding = [bool(debug["left_hand_holding"]), bool(debug["right_hand_holding"])]
        other = 1 - self.side
        body = np.asarray(debug["body_position"], dtype=np.float64)
        if self.stage is Stage.PULL:
            if not holding[self.side]:
                self.stage, self.side = Stage.REACH, other  # let go by the ledge rule, or lost
                return any(holding)
            moved = 1.0 if self._last_body is None else float(np.linalg.norm(body - self._last_body))
            self._last_body = body
            if self._ticks > 0 and moved < STUCK:
                self.stage, self.side, self._hold, self._ticks = Stage.REACH, other, None, 0
                self._last_body = None
            else:
                self._ticks += 1
                self._pull(action, debug, direction)
                return True
        if self.stage is Stage.LET_GO:
            action[GRASPS[self.side]] = 1.0  # the new hold only: the old one lets go
            self.stage, self._ticks, self._last_body = Stage.PULL, 0, None
            return True
        # REACH
        other_holds = holding[1 - self.side]
        if other_holds:
            action[GRASPS[1 - self.side]] = 1.0
        if holding[self.side]:
            action[GRASPS[self.side]] = 1.0
            self.stage = Stage.LET_GO if other_holds else Stage.PULL
            self._ticks, self._last_body = 0, None
            return True
        head = np.asarray(debug["head_position"], dtype=np.float64)
        if self._hold is None or self._ticks > REACH_PATIENCE:
            self._hold = self.find_hold(head, body, direction, self.side, any(holding))
            self._ticks = 0
            if self._hold is None and any(holding):  # off the route: plan again from here
                end = self.route[-1]
                try:
                    self.route = climb_route(self.world, (body[0], body[2]), (end[0], end[2]))
                except ValueError:
                    pass
                else:
                    self._progress = 0
                    self._hold = self.find_hold(head, body, direction, self.side, True)
            if self._hold is None:
                if other_holds:  # nothing new in reach: pull on the old hold again (up to a ledge)
                    self.side, self.stage, self._last_body = 1 - self.side, Stage.PULL, None
                    action[GRASPS[self.side]] = 1.0
                return any(holding)
        self._ticks += 1
        self.reach(action, debug, self.side, self._hold)
        return True

    def find_hold(
        self, head: np.ndarray, body: np.ndarray, direction: np.ndarray, side: int, climbing: bool
    ) -> np.ndarray | None:
        """The farthest point along the route (from where the climb got to) within HOLD_REACH of the head, moved
        HAND_SIDE to this hand's side where that is still climbable, that the line from the head meets first and
        that the engine lets a hand take (a floor-like surface only while already climbing)."""
        route = self.route
        distance = np.linalg.norm(route - head[None, :], axis=1)
        for n in range(len(route) - 1, self._progress - 1, -1):
            if not 0.3 < distance[n] <= HOLD_REACH:
                continue
            if not self.up and route[n][1] > head[1] - 0.2:
                continue
            ahead = route[min(n + 1, len(route) - 1)] - route[max(n - 1, 0)]
            flat = math.hypot(ahead[0], ahead[2])
            right = np.array([-ahead[2], 0.0, ahead[0]]) / flat if flat > 1e-6 else np.zeros(3)
            for lateral in ((1.0 if side == RIGHT else -1.0) * HAND_SIDE, 0.0):
                point = route[n] + right * lateral
                point[1] = float(surface_heights(self._grid, np.array([point[0]]), np.array([point[2]]))[0])
                if np.linalg.norm(point - head) > HOLD_REACH or not self._climbable_at(point):
                    continue
                if not climbing and self._floor_like(point):
                    continue
                if self._clear_line(head, point):
                    self._progress = n
                    return point
        return None

    def facing(self, body: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        """Horizontal unit vector from the body to the route where it next rises (going up) or a little beyond the
        last hold (into the face)."""
        later = self.route[self._progress :]
        if self.up:
            rising = np.flatnonzero(later[:, 1] > later[0, 1] + FACE_RISE)
            point = later[rising[0]] if rising.size else later[-1]
        else:
            point = later[min(2, len(later) - 1)]
        flat = np.array([point[0] - body[0], 0.0, point[2] - body[2]])
        length = float(np.linalg.norm(flat))
        return flat / length if length > 0.2 else fallback

    def _floor_like(self, point: np.ndarray) -> bool:
        e = 0.1
        x = np.array([point[0] - e, point[0] + e, point[0], point[0]])
        z = np.array([point[2], point[2], point[2] - e, point[2] + e])
        h = surface_heights(self._grid, x, z)
        gx, gz = (h[1] - h[0]) / (2 * e), (h[3] - h[2]) / (2 * e)
        return bool(1.0 / math.sqrt(1.0 + gx * gx + gz * gz) >= FLOOR_NORMAL_Y)

    def _climbable_at(self, point: np.ndarray) -> bool:
        return self.world.terrain.is_climbable(float(point[0]), float(point[2]))

    def _clear_line(self, head: np.ndarray, point: np.ndarray) -> bool:
        """The line from the head meets the surface no earlier than near `point`."""
        t = np.linspace(0.0, 0.9, 19)
        xs = head[0] + (point[0] - head[0]) * t
        zs = head[2] + (point[2] - head[2]) * t
        ys = head[1] + (point[1] - head[1]) * t
        return bool(np.all(surface_heights(self._grid, xs, zs) < ys + 0.02))

    def reach(self, action: np.ndarray, debug: dict[str, Any], side: int, hold: np.ndarray) -> None:
        """Move the hand to just short of `hold` on the line from the head; grasp on the tick it arrives."""
        head = np.asarray(debug["head_position"], dtype=np.float64)
        key = "left_hand_position" if side == LEFT else "right_hand_position"
        hand = np.asarray(debug[key], dtype=np.float64)
        to_hold = hold - head
        length = float(np.linalg.norm(to_hold))
        goal = head + to_hold * (max(length - HAND_SHORT, 0.1) / length)
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
        local = basis.T @ (goal - hand) / MAX_HAND_LINEAR_SPEED
        norm = float(np.linalg.norm(local))
        action[HANDS[side]] = local / max(1.0, norm)
        if norm <= 1.0:
            action[GRASPS[side]] = 1.0

    def _pull(self, action: np.ndarray, debug: dict[str, Any], direction: np.ndarray) -> None:
        """Move the holding hand so the body moves towards where it should be relative to the hold."""
        head = np.asarray(debug["head_position"], dtype=np.float64)
        key = "left_hand_position" if self.side == LEFT else "right_hand_position"
        hold = np.asarray(debug[key], dtype=np.float64)
        flat = np.array([hold[0] - head[0], 0.0, hold[2] - head[2]])
        flat_length = float(np.linalg.norm(flat))
        if self.up:
            rise = max(MIN_RISE, hold[1] + PULL_ABOVE - head[1])
            toward = flat * (max(0.0, flat_length - PULL_CLOSE) / max(flat_length, 1e-9))
            move = np.array([toward[0], rise, toward[2]])
        else:  # down: the head goes below the hold, as far as the arm allows, keeping close to the face
            move = np.array([0.0, -PULL_STEP, 0.0]) + 0.3 * direction * (flat_length > 0.35)
        length = float(np.linalg.norm(move))
        if length > PULL_STEP:
            move *= PULL_STEP / length
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
        action[HANDS[self.side]] = np.clip(basis.T @ (-move) / MAX_HAND_LINEAR_SPEED, -1.0, 1.0)
        action[GRASPS[self.side]] = 1.0


def crouch_to(action: np.ndarray, debug: dict[str, Any], height: float) -> None:
    """Move the head towards `height` m above the feet (standing: HEAD_HEIGHT_MAX)."""
    feet = float(debug["body_position"][1]) - AGENT_HEIGHT / 2.0
    action[HEAD_Y] = np.clip((feet + height - float(debug["head_position"][1])) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)


def look_at_pitch(action: np.ndarray, debug: dict[str, Any], pitch: float) -> None:
    action[HEAD_PITCH] = np.clip((pitch - debug["head_pitch"]) / MAX_HEAD_PITCH_SPEED, -1.0, 1.0)


def step_forward(action: np.ndarray, speed: float = 0.3) -> None:
    """Walk straight ahead (the head's forward) at `speed` of the top speed."""
    action[HEAD_X] = 0.0
    action[HEAD_Z] = -speed
