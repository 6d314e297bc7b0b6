"""The climbing skill: find where a climbable face can be climbed (the WorldSpec's terrain and climb map), walk to
its foot, face it, and go up hand over hand; or go down over a lip and hand over hand to the foot.

Hand over hand, as the rule scenarios climb (godot_project/tests/rules/climb_scenarios.gd): the free hand reaches
for a hold on the face (a point of the terrain surface, within reach, where the climb map says climbable) while the
other still holds; once it holds, the other lets go and the new hold pulls the body (moving a holding hand moves the
body the opposite way) until the arm is straight or the body is where it should be; then the hands swap. At the top
the engine's ledge rule steps the body onto the plateau; going down, the body is let go once its feet are less than
`LET_GO_HEIGHT` above the ground.

Measured with this skill in the engine (tests/test_task_climb.py): up a 20 m vertical face in about 200 ticks,
0.1 m per tick (a 1 m pull every 10 ticks: 3-4 ticks to reach and grip, 1 to let go, the pull itself).
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
from avalon.oracle.skills import HEAD_PITCH, HEAD_X, HEAD_Y, HEAD_Z, LEFT_GRASP, LEFT_HAND, RIGHT_GRASP, RIGHT_HAND
from avalon.oracle.skills import Motor, head_basis
from avalon.world.obstacles import Grid, reachable, surface_heights
from avalon.world.spec import WorldSpec

HOLD_REACH = 0.9  # m from the head to a hold (ARM_LENGTH less a margin: the line is traced to the surface)
HAND_SHORT = 0.06  # m short of the hold the hand stops; the grip line reaches GRAB_RADIUS beyond the hand
HAND_SIDE = 0.2  # m: each hand's holds lie this far to its side of the body's line up the face
CLIMB_HEAD_HEIGHT = 1.2  # m above the feet while climbing: low enough to reach a 55-degree face from its foot
PULL_STEP = 0.6  # m per tick a pull moves the body at most (the arm's length stops it anyway)
PULL_ABOVE = 0.5  # m: going up, a pull raises the head this far above its hold
PULL_CLOSE = 0.25  # m: ... and brings it this close to the hold horizontally
STUCK = 0.02  # m per tick: a pull that moves the body less than this is done
LET_GO_HEIGHT = 1.0  # m: going down, the body lets go with its feet this low above the ground (no fall damage)
FLOOR_NORMAL_Y = math.cos(math.radians(FLOOR_MAX_ANGLE))
REACH_PATIENCE = 8  # ticks a hand may take to reach and grip before another hold is tried
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


@dataclass
class Climber:
    """Hand over hand up (or down) a climbable face, `direction` being the horizontal unit vector into the face."""

    motor: Motor
    world: WorldSpec
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
            if self._hold is None:
                return any(holding)
        self._ticks += 1
        self._reach(action, debug, self.side, self._hold)
        return True

    def find_hold(
        self, head: np.ndarray, body: np.ndarray, direction: np.ndarray, side: int, climbing: bool
    ) -> np.ndarray | None:
        """The highest (going up) or lowest (going down) climbable point of the terrain surface within HOLD_REACH
        of the head, on this hand's side of the line up the face, that the line from the head meets first and that
        the engine lets a hand take (a floor-like surface only while already climbing)."""
        right = np.array([-direction[2], 0.0, direction[0]])  # (x, z) turned: right of `direction` looking into it
        lateral = (1.0 if side == RIGHT else -1.0) * HAND_SIDE
        along = np.arange(-0.4, HOLD_REACH + 0.01, 0.05)
        sideways = lateral + np.array([-0.1, 0.0, 0.1])
        a, s = np.meshgrid(along, sideways)
        px = head[0] + direction[0] * a + right[0] * s
        pz = head[2] + direction[2] * a + right[2] * s
        py = surface_heights(self._grid, px, pz)
        distance = np.sqrt((px - head[0]) ** 2 + (py - head[1]) ** 2 + (pz - head[2]) ** 2)
        ok = (distance <= HOLD_REACH) & (distance > 0.3)
        if not self.up:
            ok &= py < head[1] - 0.2
        if not ok.any():
            return None
        # Normal's y from the surface gradient: a floor-like point only while climbing.
        e = 0.1
        gx = (surface_heights(self._grid, px + e, pz) - surface_heights(self._grid, px - e, pz)) / (2 * e)
        gz = (surface_heights(self._grid, px, pz + e) - surface_heights(self._grid, px, pz - e)) / (2 * e)
        normal_y = 1.0 / np.sqrt(1.0 + gx * gx + gz * gz)
        if not climbing:
            ok &= normal_y < FLOOR_NORMAL_Y
        order = np.argsort(-py if self.up else py, axis=None)
        for n in order:
            jj, ii = np.unravel_index(n, py.shape)
            if not ok[jj, ii]:
                continue
            point = np.array([px[jj, ii], py[jj, ii], pz[jj, ii]])
            if self._clear_line(head, point) and self._climbable_at(point):
                return point
        return None

    def _climbable_at(self, point: np.ndarray) -> bool:
        return self.world.terrain.is_climbable(float(point[0]), float(point[2]))

    def _clear_line(self, head: np.ndarray, point: np.ndarray) -> bool:
        """The line from the head meets the surface no earlier than near `point`."""
        t = np.linspace(0.0, 0.9, 19)
        xs = head[0] + (point[0] - head[0]) * t
        zs = head[2] + (point[2] - head[2]) * t
        ys = head[1] + (point[1] - head[1]) * t
        return bool(np.all(surface_heights(self._grid, xs, zs) < ys + 0.02))

    def _reach(self, action: np.ndarray, debug: dict[str, Any], side: int, hold: np.ndarray) -> None:
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
            rise = max(0.0, hold[1] + PULL_ABOVE - head[1])
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

