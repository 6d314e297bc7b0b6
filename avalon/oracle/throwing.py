"""The throwing skill: aim a held rock at a (possibly moving) point and throw it: stand up, wind the hand up behind
the head, then swing it through in one step and let go; a released item keeps the hand's velocity over that step.

The flight follows the engine's integration, measured (a 1 kg rock released at (0, 4.5, -8) m/s on flat ground,
positions each step): Godot's default linear damping takes 1 % of the speed every step, and the step of the
release adds no gravity, so v1 = 0.99 v0, then v(n+1) = 0.99 v(n) - g dt, and p(n+1) = p(n) + v(n+1) dt. `aim`
searches speeds and elevations on that model for the throw whose path passes nearest the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, ARM_LENGTH, GRAVITY, HEAD_HEIGHT_MAX, MAX_HAND_LINEAR_SPEED, PHYSICS_FPS
from avalon.oracle.skills import HEAD_Y, RIGHT_GRASP, RIGHT_HAND, Motor, entity, head_basis
from avalon.world.spec import Terrain

DT = 1.0 / PHYSICS_FPS
DAMPING = 0.99  # per step: Godot's default linear damp, 0.1 / s
FLIGHT_STEPS = 40  # steps of flight the aim looks at (4 s)
# m/s: the hand moves at most MAX_HAND_LINEAR_SPEED (1 m) per step, so 10 m/s; a little under it, so that the action
# stays inside the unit ball
MAX_THROW_SPEED = 9.8
MIN_THROW_SPEED = 3.0  # m/s
SPEEDS = np.linspace(MIN_THROW_SPEED, MAX_THROW_SPEED, 25)
ELEVATIONS = np.radians(np.linspace(-60.0, 70.0, 131))
SIDE = 0.3  # m, the right hand's offset to the right of the head while throwing
WIND_TOLERANCE = 0.03  # m between the hand and its wind-up point before the swing
WIND_PATIENCE = 30  # steps winding up before throwing from wherever the hand is
STILL = 0.03  # m per step: a target moving less stands still
STILL_PATIENCE = 60  # steps waiting for a still target before throwing anyway
# A thrown rock's first touch of the terrain ends its throw (it no longer hurts), so its path must clear the ground
# with the whole cube: its centre stays CLEARANCE m above the highest ground within GROUND_REACH m along the throw
# (a small rock's half diagonal is 0.43 m; Bullet's margin and the terrain's triangles add a little), except over the
# last NEAR_TARGET m before the target, where the rock comes down onto it.
CLEARANCE = 0.55  # m
GROUND_REACH = 0.5  # m
GROUND_SAMPLE = 0.25  # m between the samples of the ground along the throw
NEAR_TARGET = 0.5  # m
# m below the full height the head may be at the swing: the throw stands up first (a rock let go from a crouch
# starts touching the ground, and a rock let go touching the terrain is not thrown: it does not hurt)
STANDING = 0.05
FACING = 1.5  # degrees: the head must face the target this closely before the swing (it must not turn during it)


def trajectory(p0: np.ndarray, v0: np.ndarray, steps: int = FLIGHT_STEPS) -> np.ndarray:
    """Positions (steps + 1, 3) of an item released at `p0` with velocity `v0`, one per physics step (the
    engine's integration, measured; no collisions)."""
    out = np.empty((steps + 1, 3))
    p = np.asarray(p0, dtype=np.float64).copy()
    v = np.asarray(v0, dtype=np.float64) * DAMPING
    out[0] = p
    for n in range(1, steps + 1):
        p = p + v * DT
        out[n] = p
        v = v * DAMPING
        v[1] -= GRAVITY * DT
    return out


def _ground_profile(terrain: Terrain, p0: np.ndarray, u: np.ndarray, distance: float) -> tuple[np.ndarray, np.ndarray]:
    """(distances along the horizontal direction `u` from `p0`, the highest ground within GROUND_REACH m of each
    along it, relative to `p0`'s height), out to `distance` m."""
    reach = int(round(GROUND_REACH / GROUND_SAMPLE))
    rs = np.arange(-reach, int(distance / GROUND_SAMPLE) + reach + 2) * GROUND_SAMPLE
    ground = np.array([terrain.height_at(*(p0 + u * q)[[0, 2]]) for q in rs]) - p0[1]
    window = np.lib.stride_tricks.sliding_window_view(ground, 2 * reach + 1).max(axis=-1)
    return rs[reach:-reach], window


def _paths() -> tuple[np.ndarray, ...]:
    """Every throw's path in the vertical plane through its target, from the release point (r along the ground
    toward the target, y up; the model is separable per axis), for each (speed, elevation) of SPEEDS x ELEVATIONS:
    the release velocity's parts vr and vy, the positions r and y after each step, the segments' starts a (with the
    release point first) and steps ab, and ab's squared lengths (at least 1e-12)."""
    s, e = np.meshgrid(SPEEDS, ELEVATIONS, indexing="ij")
    vr, vy = s * np.cos(e), s * np.sin(e)
    n = np.arange(1, FLIGHT_STEPS + 1)
    decay = DAMPING**n  # v(n) = 0.99^n v0 - g dt * (0.99^(n-1) + ... + 1) for n >= 2
    fall = GRAVITY * DT * np.concatenate([[0.0], np.cumsum(DAMPING ** np.arange(FLIGHT_STEPS - 1))])
    r = np.cumsum(vr[..., None] * decay, axis=-1) * DT
    y = np.cumsum(vy[..., None] * decay - fall, axis=-1) * DT
    zero = np.zeros(r.shape[:-1] + (1,))
    path = np.stack([np.concatenate([zero, r], -1), np.concatenate([zero, y], -1)], axis=-1)
    a, b = path[..., :-1, :], path[..., 1:, :]
    ab = b - a
    return vr, vy, r, y, a, ab, np.maximum(np.einsum("...i,...i", ab, ab), 1e-12)


_PATHS = _paths()  # computed once: aim only measures them against its target


@dataclass(frozen=True)
class Aim:
    velocity: np.ndarray  # m/s, the release velocity
    miss: float  # m, nearest distance of the path to the target
    flight_steps: float  # steps from the release to the nearest point


def aim(p0: np.ndarray, target: np.ndarray, max_speed: float = MAX_THROW_SPEED, terrain: Terrain | None = None) -> Aim:
    """The throw from `p0` whose path passes nearest `target`; among near-equal misses (within 5 cm) the one that
    gets there soonest (a moving target has less time to move). With `terrain`, only paths that clear the ground
    (`CLEARANCE`) until they come down onto the target (a throw down into a pit must clear its rim)."""
    p0 = np.asarray(p0, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    flat = target - p0
    flat[1] = 0.0
    distance = float(np.linalg.norm(flat))
    u = flat / distance if distance > 1e-6 else np.array([0.0, 0.0, -1.0])
    rows = int(np.count_nonzero(max_speed + 1e-9 >= SPEEDS))  # SPEEDS ascend: the allowed ones come first
    vr, vy, r, y, a, ab, ab2 = (array[:rows] for array in _PATHS)
    goal = np.array([distance, target[1] - p0[1]])
    t = np.clip(np.einsum("...i,...i", goal - a, ab) / ab2, 0, 1)
    miss_all = np.linalg.norm(a + ab * t[..., None] - goal, axis=-1)
    k = np.argmin(miss_all, axis=-1)
    miss = np.take_along_axis(miss_all, k[..., None], axis=-1)[..., 0]
    if terrain is not None:
        under = np.interp(r, *_ground_profile(terrain, p0, u, distance))
        before = np.arange(FLIGHT_STEPS)[None, None, :] < k[..., None]  # the points before the arrival
        hits = (before & (r < distance - NEAR_TARGET) & (y < under + CLEARANCE)).any(axis=-1)
        miss = np.where(hits, np.inf, miss)
        if not np.isfinite(miss).any():
            miss = np.take_along_axis(miss_all, k[..., None], axis=-1)[..., 0]  # no clear path: the best anyway
    steps = k + np.take_along_axis(t, k[..., None], axis=-1)[..., 0]
    score = np.where(miss <= miss.min() + 0.05, steps, np.inf)
    i, j = np.unravel_index(int(np.argmin(score)), score.shape)
    velocity = u * vr[i, j] + np.array([0.0, vy[i, j], 0.0])
    return Aim(velocity, float(miss[i, j]), float(steps[i, j]))


@dataclass
class Throw:
    """Throw the rock held in the right hand at the entity `target_id` (its position predicted at arrival from its
    last velocity): face it, wind the hand up, swing and let go. `act` returns False once the rock is thrown (or
    the hand holds nothing)."""

    motor: Motor
    target_id: int
    aim_offset: tuple[float, float, float] = (0.0, 0.0, 0.0)  # m added to the target's position (aim at its body)
    # Wait for the target to stand still this many steps before the swing (a hopping animal rests between bursts;
    # a rock thrown then arrives before it moves on), at most STILL_PATIENCE steps.
    still_steps: int = 0
    _last_target: np.ndarray | None = None
    _velocity: np.ndarray | None = None
    _wind_steps: int = 0
    _still: int = 0
    thrown: bool = False
    last_aim: Aim | None = None

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> bool:
        held = int(debug["right_held_id"])
        target = entity(debug, self.target_id)
        if not held or target is None or self.thrown:
            return False
        rock = entity(debug, held)
        if rock is None:
            return False
        position = np.asarray(target["position"], dtype=np.float64) + np.asarray(self.aim_offset)
        if self._last_target is not None:
            self._velocity = (position - self._last_target) * PHYSICS_FPS
            moving = float(np.linalg.norm(position - self._last_target)) > STILL
            self._still = 0 if moving else self._still + 1
        self._last_target = position
        facing = abs(self.motor.face(action, debug, position))
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        item = np.asarray(rock["position"], dtype=np.float64)
        held_offset = item - hand
        right = head_basis(debug["head_yaw"], 0.0)[:, 0]
        # Fixed point: the release point depends on the swing, the swing on the aim from the release point.
        swing = np.zeros(3)
        for _ in range(3):
            p0 = head + right * SIDE - swing / 2.0 + held_offset
            predicted = position
            terrain = self.motor.world.terrain if self.motor.world is not None else None
            solution = aim(p0, predicted, terrain=terrain)
            for _ in range(2):  # lead a moving target by its flight time
                if self._velocity is None:
                    break
                lead = self._velocity.copy()
                lead[1] = 0.0
                predicted = position + lead * solution.flight_steps * DT
                solution = aim(p0, predicted, terrain=terrain)
            swing = solution.velocity * DT
        wind = head + right * SIDE - swing / 2.0
        if float(np.linalg.norm(wind - head)) > ARM_LENGTH - 0.02:
            wind = head + (wind - head) * (ARM_LENGTH - 0.02) / float(np.linalg.norm(wind - head))
        self._wind_steps += 1
        action[RIGHT_GRASP] = 1.0
        wound = float(np.linalg.norm(hand - wind)) <= WIND_TOLERANCE or self._wind_steps >= WIND_PATIENCE
        waiting = self._still < self.still_steps and self._wind_steps < STILL_PATIENCE
        feet = float(debug["body_position"][1]) - AGENT_HEIGHT / 2.0
        standing = head[1] - feet >= HEAD_HEIGHT_MAX - STANDING
        if not wound or facing > FACING or waiting or not standing:
            self.motor.move_hand(action, debug, wind)
            action[HEAD_Y] = 1.0  # stand up
            return True
        # The swing: the hand moves by `swing` this step and lets go; the head keeps still (the hand moves in its
        # frame, so turning now would add to the throw).
        action[:6] = 0.0
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
        local = basis.T @ swing / MAX_HAND_LINEAR_SPEED
        action[RIGHT_HAND] = local / max(1.0, float(np.linalg.norm(local)))
        action[RIGHT_GRASP] = 0.0
        self.thrown = True
        self.last_aim = solution
        return False
