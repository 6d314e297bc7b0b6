"""Carrying a log and laying it across a chasm (BRIDGE, CARRY): plan where it goes, then grab, carry and release it.

A held item follows the hand rigidly and the hand keeps its pose in the head's frame, so a log turns with the head.
The plan therefore turns the head only once, right after the lift: the body stands beside the log (`SIDE_OFFSET` m
from its axis), grabs its upper side at the point that will be at the body's side at the rim, lifts it a little,
turns (the log swings round with it: a held log is kinematic and passes through terrain and trees) until the log lies
along the line it goes on, strafes along a planned path to the stand point beside the chasm's rim, head still,
lowers the log until it is just above the rims and lets go; the log drops onto both rims. BRIDGE's log already lies
across the chasm (no turn); CARRY's lies anywhere on the spawn side. A log lying on a slope is tilted: the hand goes
to where its axis lies there (the ground under it bounds the tilt, `lying_slope`), on in towards the axis when that
is lower still, and once held the hand rolls until the log's axis is level.

Where it goes: the line along the log's axis direction over the chasm where the chasm is narrowest from the ground
the body walks on to the ground from which the food is walked to, or, when no such line exists (a log at another
yaw), lines within 30 degrees of the direction across the narrowest place; the log's centre is put over the middle
of the opening, so both rims keep (6.4 m - opening) / 2 of it. The log may lie where the body drops to, if it can
walk back up from there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, ARM_LENGTH, HEAD_HEIGHT_MAX, MAX_HAND_ANGULAR_SPEED, MAX_HEAD_LINEAR_SPEED
from avalon.entities.table import LOG_LENGTH, LOG_RADIUS
from avalon.navigation import plan_path
from avalon.oracle.jumping import WALK_DROP
from avalon.oracle.skills import (
    HEAD_X,
    HEAD_Y,
    HEAD_Z,
    RIGHT_GRASP,
    RIGHT_HAND_ROLL,
    Motor,
    angle_difference,
    head_basis,
)
from avalon.tasks.bridge import resting_height
from avalon.world.obstacles.grid import Grid, erode, surface_heights
from avalon.world.obstacles.planning import MAX_RISE, reachable
from avalon.world.spec import WorldSpec

Point2 = tuple[float, float]

SIDE_OFFSET = LOG_RADIUS + 0.25  # m from the log's axis to the body's while it holds the log
RIM_BACK = 0.6  # m the body stands back from the rim (on the log's line) when it lets go
# Grid points (0.5 m) between a stand point and the nearest point the body cannot walk to (at the edge itself the
# body slid into the chasm; at d=1 the narrow part of the crossing is only about 2 m wide, so a metre is too much).
STAND_MARGIN = 1
MIN_RIM_SHARE = 0.4  # m of log each rim must keep
LATERAL_RANGE = 8.0  # m each side of the narrowest point searched for the line
LATERAL_STEP = 0.25  # m between the candidate lines
LINE_BACK, LINE_AHEAD = 8.0, 12.0  # m sampled along a candidate line before and beyond the narrowest point
SAMPLE = 0.1  # m between samples along a line
SAFE_DROP = 4.0  # m the body may drop on its way (fall damage starts at about 5 m)
GRAB_FROM_END = 0.2  # m: the log is held at least this far from its end
MIN_RIM_BACK = 0.3  # m: the body stands at least this far back from the rim
RUN_UP_ROOM = 3.5  # m of walkable ground on the line behind the log's near end (the crossing's run-up)
LANDING_ROOM = 1.5  # m beyond its far end
SUPPORT_HALF_WIDTH = 0.15  # m each side of the log's axis where its ground must be solid
# m the surface may differ from the nearest grid point's height on solid ground: a log rests on a rim's last high
# point, so the slope from it into the chasm counts as support (0.25 m made the widest gaps unspannable)
SUPPORT_TOLERANCE = 1.0
EDGE_DEPTH = 4  # grid points: how far from an edge counts as far enough
ACROSS_ANGLE = 30.0  # deg: the narrowest place is sought among pairs of sides this close to the log's direction
# deg from the direction across the narrowest place: the lines tried for a log that must be turned
TURN_DIRECTIONS = (0.0, 10.0, -10.0, 20.0, -20.0, 30.0, -30.0)
OPENING_SLACK = 0.4  # m wider than the narrowest line a line may be, if it lies farther from the edges
GRAB_DEPTH = 0.62  # m from the axis to the grab point (inside the 0.7 m surface: the hand's sphere overlaps it)
GRAB_ANGLE = 50.0  # deg above the horizontal, on the body's side of the log
GRAB_NEAR = 0.12  # m from the grab point at which the grasp is pressed
PRE_GRAB = LOG_RADIUS + 0.3  # m from the axis where the hand waits before it moves in
REACH_ABOVE = 0.6  # m the head is kept above the grab point (crouching when the log lies low)
LIFT = 0.3  # m the log is lifted before it is carried
CLEARANCE = 0.05  # m between the log's underside and the highest ground under it when it is let go
ARRIVE = 0.15  # m: at a stand point
WAYPOINT_REACHED = 0.4  # m
AIM = 0.05  # m: the hand is where it should be
SETTLE_STEPS = 15  # steps after the release before the log is taken to lie where it fell
TOUCH_START, TOUCH_STEPS, TOUCH_SPEED = 1, 10, 0.5  # after the release the body walks into the log (see RELEASE)
TOUCH_DEPTH = SIDE_OFFSET - LOG_RADIUS  # m towards the log at most: up to its surface, never past it (the body
# ignores a released item while they overlap, so it would walk through the log towards the chasm)
PATIENCE = 800  # steps before the skill gives up (a log fetched from afar)
PROBE_AFTER = 5  # steps at the grab point without a hold before the hand moves on towards the axis
PROBE_STEP = 0.05  # share of the way to the axis per step after that
PROBE_SHARE = 0.8  # at most this share of the way (the hand's sphere reaches the surface well before)
TURN_ALIGN = 1.0  # deg: the held log is turned onto its direction
TURN_STEPS = 60  # steps at most the turn takes
LEVEL_GAIN = 0.5  # share of the held log's tilt rolled out per step
MIN_LEVER = 0.3  # m: the held log's centre this near the hand (sideways) is not levelled by rolling
LYING_SAMPLE = 0.1  # m between the points along a lying log where the ground under it is read


@dataclass(frozen=True)
class Placement:
    """Where a log goes: its axis along `direction` (unit x, z, towards the food's side), its centre at `center`,
    resting `rest_height` m (its axis) over the ground there; the body grabs it `grab_along` m along the axis from
    its centre, standing at `grab_stand`, and lets go standing at `release_stand`, both `side` (unit) of the axis.
    The log lies turned `-turn` degrees (yaw) from `direction` now: the body grabs it at the point and on the side
    that become those once it has turned `turn` degrees holding it (0: the log already lies along `direction`)."""

    direction: Point2
    side: Point2
    center: Point2
    opening: float
    grab_along: float
    grab_stand: Point2
    release_stand: Point2
    rest_height: float
    turn: float = 0.0

    @property
    def grab_axis(self) -> Point2:
        """The log's axis direction now, the end that goes towards the food's side first."""
        return turned(self.direction, -self.turn)

    @property
    def grab_side(self) -> Point2:
        """The side of the log's axis the body grabs it from (unit x, z)."""
        return turned(self.side, -self.turn)


def turned(v: Point2, degrees: float) -> Point2:
    """`v` (x, z) turned `degrees` about +Y as Godot turns yaw (the body's head and what it holds turn so)."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (v[0] * c + v[1] * s, -v[0] * s + v[1] * c)


def yaw_of(v: Point2) -> float:
    """The Godot yaw (degrees) that turns local +x to `v` (x, z)."""
    return math.degrees(math.atan2(-v[1], v[0]))


def plan_placement(world: WorldSpec, body: Point2, food: Point2, log: Point2, yaw: float) -> Placement | None:
    """Where the log lying at `log` (centre, x z) with `yaw` should go so that it spans the chasm between the ground
    the body walks on and the ground from which the food is walked to, and where the body stands to move it there
    (see `_plan`); a line with a full run-up behind the log is preferred, else one with the log's overhang only.
    Lines along the log's direction come first (it is only carried sideways); when there is none (a log lying
    elsewhere, at another yaw), lines near the direction across the chasm's narrowest place, the log turned onto
    them once held. None when the food is walkable already, or no line has an opening the log spans."""
    for turn in (False, True):
        for run_up in (RUN_UP_ROOM, 0.0):
            placement = _plan(world, body, food, log, yaw, run_up, turn)
            if placement is not None:
                return placement
    return None


def _plan(
    world: WorldSpec, body: Point2, food: Point2, log: Point2, yaw: float, run_up: float, turn: bool = False
) -> Placement | None:
    """Where the log lying at `log` (centre, x z) with `yaw` should go so that it spans the chasm between the ground
    the body walks on and the ground from which the food is walked to, and where the body stands to move it there.
    None when the food is walkable already, or no line along the log's direction has an opening the log spans."""
    grid = Grid.of(world.terrain)
    here = reachable(grid, body, max_rise=MAX_RISE, max_drop=WALK_DROP)
    if here[grid.point(*food)]:
        return None
    there = towards(grid, food)
    if not there.any():
        return None
    axis = (math.cos(math.radians(yaw)), -math.sin(math.radians(yaw)))  # Godot's yaw turns local +x to (cos, -sin)
    # The log is symmetric: either direction along its axis may lead across, from the ground the body walks on.
    directions = [axis, (-axis[0], -axis[1])]
    if turn:
        across = _narrowest_direction(grid, here, there)
        if across is None:
            return None
        directions = [turned(across, angle) for angle in TURN_DIRECTIONS]
    # The log may lie where the body drops to (not where it walks), if it can carry it back up on foot.
    fetch = erode(reachable(grid, body, max_rise=MAX_RISE, max_drop=SAFE_DROP) & towards(grid, body), STAND_MARGIN)
    candidates: list[tuple[float, int, Placement]] = []
    for u in directions:
        origin = _narrowest_point(grid, here, there, u)
        if origin is not None:
            candidates += _lines(world, grid, here, there, fetch, log, axis, u, origin, run_up)
    if not candidates:
        return None
    # Among the lines nearly as narrow as the narrowest, the one farthest from the edges.
    narrowest = min(c[0] for c in candidates)
    near = [c for c in candidates if c[0] <= narrowest + OPENING_SLACK]
    return max(near, key=lambda c: (c[1], -c[0]))[2]


def _lines(
    world: WorldSpec,
    grid: Grid,
    here: np.ndarray,
    there: np.ndarray,
    fetch: np.ndarray,
    log: Point2,
    axis: Point2,
    u: Point2,
    origin: Point2,
    run_up: float,
) -> list[tuple[float, int, Placement]]:
    """(opening, edge margin, placement) of the lines along `u` beside `origin` over which the log (at `log`, its
    axis along `axis`) can be laid; the body grabs it standing on `fetch`."""
    n = (-u[1], u[0])
    firm = erode(here, STAND_MARGIN)  # stand points keep half a metre from every edge

    def on(lateral: float, along: float, sideways: float = 0.0) -> Point2:
        return (
            origin[0] + n[0] * (lateral + sideways) + u[0] * along,
            origin[1] + n[1] * (lateral + sideways) + u[1] * along,
        )

    s = np.arange(-LINE_BACK, LINE_AHEAD, SAMPLE)
    # How far (in grid points, up to EDGE_DEPTH) each walkable point lies from the nearest edge.
    depth_here = np.sum([erode(here, k) for k in range(1, EDGE_DEPTH + 1)], axis=0)
    depth_there = np.sum([erode(there, k) for k in range(1, EDGE_DEPTH + 1)], axis=0)
    candidates: list[tuple[float, int, Placement]] = []
    laterals = np.arange(-LATERAL_RANGE, LATERAL_RANGE + 1e-9, LATERAL_STEP)
    solid_here, solid_there = _solid(grid, here, there, origin, u, n, laterals, s)
    for row, lateral in enumerate(laterals):
        points = [grid.point(*on(lateral, along)) for along in s]
        on_here, on_there = solid_here[row], solid_there[row]
        if not on_there.any():
            continue
        first_there = int(np.argmax(on_there))
        before = np.flatnonzero(on_here[:first_there])
        if not before.size:
            continue
        k0, k1 = int(before[-1]), first_there
        r0, r1 = float(s[k0]), float(s[k1])
        opening = r1 - r0
        if opening + 2 * MIN_RIM_SHARE > LOG_LENGTH:
            continue
        # Whole ground on the line: behind the near rim for the log's overhang and the run-up onto it, beyond the
        # far rim for its overhang and the landing (a line grazing a ragged rim has neither).
        behind = round((LOG_LENGTH / 2.0 - opening / 2.0 + run_up) / SAMPLE)
        beyond = round((LOG_LENGTH / 2.0 - opening / 2.0 + LANDING_ROOM) / SAMPLE)
        if k0 - behind < 0 or k1 + beyond >= len(s):
            continue
        if not (on_here[k0 - behind : k0 + 1].all() and on_there[k1 : k1 + beyond + 1].all()):
            continue
        # How far the ground on the line lies from its edges, away from the rims themselves: a line down the
        # middle of a narrow neck is safer to run along than one along its side.
        rim = round(RIM_BACK / SAMPLE)
        margin = min(
            min((int(depth_here[point]) for point in points[k0 - behind : k0 - rim + 1]), default=EDGE_DEPTH),
            min((int(depth_there[point]) for point in points[k1 + rim : k1 + beyond + 1]), default=EDGE_DEPTH),
        )
        middle = (r0 + r1) / 2.0
        # The body holds the log at its own place along it: at least GRAB_FROM_END from the log's end, so over
        # the widest openings it stands nearer the rim.
        back = min(RIM_BACK, LOG_LENGTH / 2.0 - GRAB_FROM_END - opening / 2.0)
        if back < MIN_RIM_BACK:
            continue
        stand = r0 - back
        grab_along = stand - middle
        center = on(lateral, middle)
        a, b = on(lateral, middle - LOG_LENGTH / 2.0), on(lateral, middle + LOG_LENGTH / 2.0)
        rest = resting_height(grid, a, b)
        # The log turns by the smaller angle that brings one of its ends round to `u` (none when it lies along it).
        turn = angle_difference(yaw_of(u), yaw_of(axis))
        if abs(turn) > 90.0:
            turn = angle_difference(yaw_of(u), yaw_of((-axis[0], -axis[1])))
        a0 = turned(u, -turn)
        for sign in (1.0, -1.0):
            offset = sign * SIDE_OFFSET
            release = on(lateral, stand, offset)
            side = (n[0] * sign, n[1] * sign)
            n0 = turned(side, -turn)
            grab = (
                log[0] + a0[0] * grab_along + n0[0] * SIDE_OFFSET,
                log[1] + a0[1] * grab_along + n0[1] * SIDE_OFFSET,
            )
            if firm[grid.point(*release)] and fetch[grid.point(*grab)]:
                candidates.append(
                    (opening, margin, Placement(u, side, center, opening, grab_along, grab, release, rest, turn))
                )
                break
    return candidates


def _solid(
    grid: Grid,
    here: np.ndarray,
    there: np.ndarray,
    origin: Point2,
    u: Point2,
    n: Point2,
    laterals: np.ndarray,
    s: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(laterals x samples) bools: whether the ground under a log lying on the line `lateral` m beside `origin` (along
    `u`), at `s` m along it, is solid ground of `here` (resp. `there`) across the log's width: at the axis and
    SUPPORT_HALF_WIDTH m to each side, the nearest grid point is in the set and the surface there lies within
    SUPPORT_TOLERANCE m of that point's height (not on a rim's slope between it and the chasm)."""
    lat = laterals[:, None, None] + np.array([-SUPPORT_HALF_WIDTH, 0.0, SUPPORT_HALF_WIDTH])[None, None, :]
    along = s[None, :, None]
    x = origin[0] + n[0] * lat + u[0] * along
    z = origin[1] + n[1] * lat + u[1] * along
    surface = surface_heights(grid, x, z)
    i = np.clip(np.rint((x - grid.origin_x) / grid.cell_size).astype(int), 0, grid.shape[1] - 1)
    j = np.clip(np.rint((z - grid.origin_z) / grid.cell_size).astype(int), 0, grid.shape[0] - 1)
    level = np.abs(surface - grid.heights[j, i]) <= SUPPORT_TOLERANCE
    return (here[j, i] & level).all(axis=2), (there[j, i] & level).all(axis=2)


def towards(grid: Grid, goal: Point2) -> np.ndarray:
    """Points (bool) from which the body can walk to `goal`, dropping down steps of up to SAFE_DROP m on the way: the
    points reachable from `goal` with every move reversed (a rise of up to SAFE_DROP m per step, a drop no steeper
    than walking). A far rim may be a strip the crossing's path levelled, a drop above the rest of its side."""
    rise = SAFE_DROP / (grid.cell_size * math.sqrt(2.0))  # m per metre: SAFE_DROP on a diagonal step
    return reachable(grid, goal, max_rise=rise, max_drop=WALK_DROP)


def _narrowest_direction(grid: Grid, here: np.ndarray, there: np.ndarray) -> Point2 | None:
    """The direction (unit x, z) from the point of `here` nearest to a point of `there` to that point (sampled as
    `_narrowest_point`): across the chasm at its narrowest place, or None."""
    x, z = grid.grid_xz()
    hx, hz, tx, tz = x[here], z[here], x[there], z[there]
    if not len(tx):
        return None
    best: Point2 | None = None
    best_d = math.inf
    for k in range(0, len(hx), max(1, len(hx) // 3000)):
        d = np.hypot(tx - hx[k], tz - hz[k])
        m = int(np.argmin(d))
        if d[m] < best_d and d[m] > 0.0:
            best_d = float(d[m])
            best = (float(tx[m] - hx[k]) / best_d, float(tz[m] - hz[k]) / best_d)
    return best


def _narrowest_point(grid: Grid, here: np.ndarray, there: np.ndarray, direction: Point2) -> Point2 | None:
    """The point of `here` nearest to a point of `there` that lies roughly along `direction` from it (within
    ACROSS_ANGLE; sampled: at most a few thousand of `here`'s points), or None."""
    x, z = grid.grid_xz()
    hx, hz, tx, tz = x[here], z[here], x[there], z[there]
    cos_limit = math.cos(math.radians(ACROSS_ANGLE))
    best: Point2 | None = None
    best_d = math.inf
    for k in range(0, len(hx), max(1, len(hx) // 3000)):
        dx, dz = tx - hx[k], tz - hz[k]
        d = np.hypot(dx, dz)
        along = (dx * direction[0] + dz * direction[1]) >= cos_limit * d
        if along.any():
            m = float(d[along].min())
            if m < best_d:
                best, best_d = (float(hx[k]), float(hz[k])), m
    return best


class Stage(Enum):
    WALK = "walk"  # to the grab stand point
    FACE = "face"  # the log, standing, head level
    REACH = "reach"  # the hand to the grab point, grasp
    LIFT = "lift"  # the log a little
    TURN = "turn"  # the body and the log with it, onto the placement's direction (a log lying at another yaw)
    CARRY = "carry"  # strafe to the release stand point, head still
    LOWER = "lower"  # the log to just above the rims
    RELEASE = "release"  # let go and wait for it to settle
    DONE = "done"


@dataclass
class LogCarry:
    """Grab the log `log_id` (lying with its axis along `placement.grab_axis`), turn it onto `placement.direction`
    if it lies otherwise, carry it over the chasm as `placement` says and let go; `act` returns False when done (or
    given up). A log lying on a slope is grabbed where its axis lies there and levelled in the hand (rolled about
    the hand) before it is carried."""

    motor: Motor
    log_id: int
    placement: Placement
    stage: Stage = Stage.WALK
    _steps: int = 0
    _stage_steps: int = 0
    _path: list[Point2] = field(default_factory=list)
    _hand_goal: np.ndarray | None = None
    _planner: Planner | None = None
    _pre_grab: bool = False
    _released_at: np.ndarray | None = None
    _slope: float | None = None  # the lying log's axis: m up per metre along `placement.grab_axis`
    _at_grab: int = 0  # steps the hand has been at the grab point without holding the log
    _level_offset: float | None = None  # m from the held log's axis up to the hand, where it held it

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> bool:
        self._steps += 1
        self._stage_steps += 1
        if self._steps > PATIENCE:
            self.stage = Stage.DONE
            return False
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        log = next(e for e in debug["entities"] if e["id"] == self.log_id)
        log_center = np.asarray(log["position"], dtype=np.float64)
        p = self.placement
        u, n = np.array([p.direction[0], 0.0, p.direction[1]]), np.array([p.side[0], 0.0, p.side[1]])
        if self.stage in (Stage.WALK, Stage.FACE, Stage.REACH):  # the log still lies as it lay
            u = np.array([p.grab_axis[0], 0.0, p.grab_axis[1]])
            n = np.array([p.grab_side[0], 0.0, p.grab_side[1]])
        holding = debug["right_held_id"] == self.log_id
        if self.stage is Stage.WALK:
            goal = np.array([p.grab_stand[0], body[1], p.grab_stand[1]])
            if math.hypot(body[0] - goal[0], body[2] - goal[2]) > ARRIVE:
                if self._planner is None:  # walk round the log, not into it
                    self._planner = self.motor.planner
                    self.motor.planner = _avoiding(self._planner, log_center, p.grab_axis)
                self.motor.walk(action, debug, ("log", self.log_id), goal, ARRIVE * 0.5)
                return True
            if self._planner is not None:
                self.motor.planner = self._planner
            self._next(Stage.FACE)
        if self.stage is Stage.FACE:
            error = self.motor.face(action, debug, body - n)
            self.motor.look_level(action, debug)
            standing = head[1] - (body[1] - AGENT_HEIGHT / 2.0) > HEAD_HEIGHT_MAX - 0.02
            if not standing:
                action[HEAD_Y] = 1.0
            if abs(error) > 1.0 or not standing or abs(debug["head_pitch"]) > 0.5:
                return True
            self._next(Stage.REACH)
        if self.stage is Stage.REACH:
            angle = math.radians(GRAB_ANGLE)
            if self._slope is None and self.motor.world is not None:
                self._slope = lying_slope(Grid.of(self.motor.world.terrain), log_center, (float(u[0]), float(u[2])))
            axis_point = log_center + u * p.grab_along + np.array([0.0, (self._slope or 0.0) * p.grab_along, 0.0])
            grab = axis_point + n * GRAB_DEPTH * math.cos(angle) + np.array([0.0, GRAB_DEPTH * math.sin(angle), 0.0])
            # First to a point outside the log at the grab point's place along it, then straight in: the hand's
            # sphere must first touch the log there, or the log is held at another place along its axis.
            above = axis_point + n * PRE_GRAB * math.cos(angle) + np.array([0.0, PRE_GRAB * math.sin(angle), 0.0])
            if not self._pre_grab:
                self.motor.move_hand(action, debug, above)
                self._pre_grab = float(np.linalg.norm(hand - above)) < AIM
                if self._stage_steps > 40:
                    self._pre_grab = True
                return True
            # At the grab point with nothing held (the log lies lower there than estimated): on in, towards its axis.
            grab = grab + (axis_point - grab) * min(PROBE_SHARE, PROBE_STEP * max(0, self._at_grab - PROBE_AFTER))
            self.motor.move_hand(action, debug, grab)
            # Crouch so the grab point is well within reach below the head.
            action[HEAD_Y] = np.clip((grab[1] + REACH_ABOVE - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
            if holding:
                action[RIGHT_GRASP] = 1.0
                self._hand_goal = None
                self._level_offset = float(hand[1] - axis_point[1])
                self._next(Stage.LIFT)
                return True
            if float(np.linalg.norm(hand - grab)) < GRAB_NEAR:
                action[RIGHT_GRASP] = 1.0
                self._at_grab += 1
            if self._stage_steps > 80:
                self.stage = Stage.DONE
                return False
            return True
        if not holding and self.stage in (Stage.LIFT, Stage.TURN, Stage.CARRY, Stage.LOWER):
            self.stage = Stage.DONE  # dropped it: the plan looks again
            return False
        if holding:
            self._level(action, debug, hand, log_center)
        if self.stage is Stage.LIFT:
            if self._hand_goal is None:
                self._hand_goal = hand + np.array([0.0, LIFT, 0.0])
            self.motor.move_hand(action, debug, self._hand_goal)
            action[HEAD_Y] = 1.0  # stand up: the log rises with the head
            action[RIGHT_GRASP] = 1.0
            standing = head[1] - (body[1] - AGENT_HEIGHT / 2.0) > HEAD_HEIGHT_MAX - 0.02
            if (standing and float(np.linalg.norm(hand - self._hand_goal)) < AIM) or self._stage_steps > 15:
                self._next(Stage.TURN)
            return True
        if self.stage is Stage.TURN:
            action[RIGHT_GRASP] = 1.0
            error = self.motor.face(action, debug, body - n)
            if abs(error) > TURN_ALIGN and self._stage_steps <= TURN_STEPS:
                return True
            self._next(Stage.CARRY)
            goal = np.array([p.release_stand[0], body[1], p.release_stand[1]])
            self._path = (self.motor.planner(self.motor.world, body, goal) if self.motor.world else None) or []
            self._path = [*self._path[1:], p.release_stand]
        if self.stage is Stage.CARRY:
            action[RIGHT_GRASP] = 1.0
            while (
                len(self._path) > 1
                and math.hypot(body[0] - self._path[0][0], body[2] - self._path[0][1]) < WAYPOINT_REACHED
            ):
                self._path.pop(0)
            # The log moves with the body: the last stand point is where the log's centre reaches its place.
            target = self._path[0]
            if len(self._path) == 1:
                target = (body[0] + p.center[0] - log_center[0], body[2] + p.center[1] - log_center[2])
            to = np.array([target[0] - body[0], 0.0, target[1] - body[2]])
            distance = float(np.linalg.norm(to))
            if len(self._path) == 1 and distance < ARRIVE:
                self._next(Stage.LOWER)
                self._hand_goal = None
                return True
            local = head_basis(debug["head_yaw"], 0.0).T @ (to / max(distance, 1e-6))
            speed = min(1.0, distance / 0.3 + 0.1) if len(self._path) == 1 else 1.0
            action[HEAD_X], action[HEAD_Z] = speed * local[0], speed * local[2]
            return True
        if self.stage is Stage.LOWER:
            action[RIGHT_GRASP] = 1.0
            target_y = p.rest_height + CLEARANCE
            if self._hand_goal is None:
                self._hand_goal = hand + np.array([0.0, target_y - log_center[1], 0.0])
            self.motor.move_hand(action, debug, self._hand_goal)
            self._crouch_to_reach(action, debug, self._hand_goal)
            if float(np.linalg.norm(hand - self._hand_goal)) < AIM or self._stage_steps > 25:
                action[:] = 0.0
                action[RIGHT_GRASP] = 1.0  # one still step: the release throws with the hand's last velocity
                self._next(Stage.RELEASE)
            return True
        if self.stage is Stage.RELEASE:
            # Grasp released (no grasp action). Then step into the log: the player's touch makes a log lying on
            # the ground static, so it cannot roll off rims that slope across it.
            if self._released_at is None:
                self._released_at = body.copy()
            moved = float(np.dot(self._released_at - body, n))
            if TOUCH_START <= self._stage_steps < TOUCH_START + TOUCH_STEPS and moved < TOUCH_DEPTH:
                local = head_basis(debug["head_yaw"], 0.0).T @ -n
                action[HEAD_X], action[HEAD_Z] = TOUCH_SPEED * local[0], TOUCH_SPEED * local[2]
            if self._stage_steps < SETTLE_STEPS:
                return True
            self.stage = Stage.DONE
        return False

    def _level(self, action: np.ndarray, debug: dict[str, Any], hand: np.ndarray, log_center: np.ndarray) -> None:
        """Roll the hand (and the held log about it) until the log's axis is level: its centre as high as the axis
        where the hand holds it."""
        if self._level_offset is None:
            return
        error = float(log_center[1] - (hand[1] - self._level_offset))
        lever = float((log_center - hand) @ head_basis(debug["head_yaw"], debug["head_pitch"])[:, 0])
        if abs(lever) < MIN_LEVER:
            return
        # A roll about the hand's back axis (+) lifts what lies to its right (+x) by lever x angle.
        degrees = math.degrees(-LEVEL_GAIN * error / lever)
        action[RIGHT_HAND_ROLL] = np.clip(degrees / MAX_HAND_ANGULAR_SPEED, -1.0, 1.0)

    def _crouch_to_reach(self, action: np.ndarray, debug: dict[str, Any], goal: np.ndarray) -> None:
        """Lower the head while `goal` (for the hand) is beyond the arm's reach from it, never below a crouch."""
        head = np.asarray(debug["head_position"], dtype=np.float64)
        if float(np.linalg.norm(goal - head)) > ARM_LENGTH - 0.05:
            action[HEAD_Y] = -0.5

    def _next(self, stage: Stage) -> None:
        self.stage, self._stage_steps = stage, 0


def lying_slope(grid: Grid, center: np.ndarray, axis: Point2) -> float:
    """The slope (m up per metre along `axis`) of a log lying on the terrain with its centre at `center` (x, y, z):
    its underside (LOG_RADIUS below the axis) lies above the highest ground across its width along it and rests
    on it, so the axis may pivot about the centre only between the heights the ground on each side allows; level
    when the ground allows that, else the slope nearest to level."""
    s = np.arange(-LOG_LENGTH / 2.0, LOG_LENGTH / 2.0 + 1e-9, LYING_SAMPLE)
    s = s[np.abs(s) > 0.5]  # near the centre the ground bounds the slope only loosely
    lateral = np.linspace(-LOG_RADIUS * 0.9, LOG_RADIUS * 0.9, 5)
    x = center[0] + axis[0] * s[:, None] - axis[1] * lateral[None, :]
    z = center[2] + axis[1] * s[:, None] + axis[0] * lateral[None, :]
    ground = surface_heights(grid, x, z).max(axis=1)
    bound = (ground + LOG_RADIUS - center[1]) / s  # beyond the centre (s > 0) a lower bound, before it an upper
    low = float(bound[s > 0].max())
    high = float(bound[s < 0].min())
    if low <= high:
        return min(max(0.0, low), high)
    return (low + high) / 2.0


Planner = Callable[[WorldSpec, np.ndarray, np.ndarray], "list[tuple[float, float]] | None"]
AVOID_PENALTY = 1000.0  # m of path a point beside the log costs: the planner goes round it
AVOID_MARGIN = 0.4  # m beyond the log's radius


def _avoiding(planner: Planner, center: np.ndarray, direction: Point2) -> Planner:
    """`planner` with every grid point within the log's radius + AVOID_MARGIN of its axis made very costly."""

    def plan(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
        grid = Grid.of(world.terrain)
        x, z = grid.grid_xz()
        dx, dz = x - center[0], z - center[2]
        along = np.clip(dx * direction[0] + dz * direction[1], -LOG_LENGTH / 2.0, LOG_LENGTH / 2.0)
        distance = np.hypot(dx - along * direction[0], dz - along * direction[1])
        penalty = np.where(distance <= LOG_RADIUS + AVOID_MARGIN, AVOID_PENALTY, 0.0)
        return plan_path(world, start, goal, penalty=penalty)

    return plan
