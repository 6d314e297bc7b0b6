"""A privileged scripted agent: reads `info["debug"]` (positions of the body, hands and food) and walks to, grabs and
eats food. It proves worlds are solvable and drives the demo; it is not a baseline (it sees what agents cannot).

Use: `env = gymnasium.make("avalon/Eat-v0", debug=True)`, then `action = oracle.act(info)` every step.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import (
    ACTION_SIZE,
    FOOD_BY_NAME,
    MAX_HAND_LINEAR_SPEED,
    MAX_HEAD_LINEAR_SPEED,
    MAX_HEAD_PITCH_SPEED,
    MAX_HEAD_YAW_SPEED,
    EntityFlag,
)
from avalon.world.spec import WorldSpec

HEAD_X, HEAD_Y, HEAD_Z, HEAD_PITCH, HEAD_YAW = 0, 1, 2, 3, 4
RIGHT_HAND = slice(12, 15)
LEFT_GRASP, RIGHT_GRASP, JUMP = 18, 19, 20
REACH = 0.9  # m, horizontal distance from the body at which the oracle stops walking and reaches
MAX_RISE = 0.8  # m per metre: steeper grid edges are not walked (the body's floor limit is 45 degrees)
CLIFF = 1.0  # m: a point with a neighbour this much lower is on a cliff edge, which the path keeps away from
LOOKAHEAD = 1.0  # m along the path to the point the oracle heads for
GONE = EntityFlag.EATEN | EntityFlag.DESTROYED


def head_basis(yaw_deg: float, pitch_deg: float) -> np.ndarray:
    """Columns = head right, up, back in world coordinates (yaw about +Y, then pitch about the head's x)."""
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    cy, sy, cp, sp = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
    ry = np.array([[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]])
    rx = np.array([[1.0, 0.0, 0.0], [0.0, cp, -sp], [0.0, sp, cp]])
    return ry @ rx


def angle_difference(target: float, current: float) -> float:
    return (target - current + 180.0) % 360.0 - 180.0


def plan_path(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
    """A* over the heightmap points from `start` to `goal` (world x, z), on land, up slopes the body can walk,
    around tree trunks and away from cliff edges. None when no such path exists."""
    t = world.terrain
    h = t.heights.astype(np.float64)
    rows, cols = h.shape
    x0, _, z0 = t.origin
    blocked = h <= t.water_height + 0.1
    for x, _, z in world.trees.positions:
        i, j = round(x - x0), round(z - z0)
        blocked[max(0, j - 1) : j + 2, max(0, i - 1) : i + 2] = True
    padded = np.pad(h, 1, mode="edge")
    shifts = [(dj, di) for dj in (-1, 0, 1) for di in (-1, 0, 1)]
    lowest = np.min([padded[1 + dj : 1 + dj + rows, 1 + di : 1 + di + cols] for dj, di in shifts], axis=0)
    edge = (h - lowest) > CLIFF
    penalty = np.zeros_like(h)
    ring = edge
    for cost in (6.0, 3.0, 1.0):  # on a cliff edge, one point from it, two points from it
        penalty = np.maximum(penalty, np.where(ring, cost, 0.0))
        grown = ring.copy()
        for dj, di in shifts:
            grown |= np.roll(np.roll(ring, dj, 0), di, 1)
        ring = grown

    def cell(p: np.ndarray) -> tuple[int, int]:
        return (int(np.clip(round(p[2] - z0), 0, rows - 1)), int(np.clip(round(p[0] - x0), 0, cols - 1)))

    begin, end = cell(start), cell(goal)
    blocked[begin] = blocked[end] = False
    best = {begin: 0.0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(0.0, begin)]
    steps = [(dj, di, math.hypot(dj, di)) for dj in (-1, 0, 1) for di in (-1, 0, 1) if dj or di]
    while queue:
        _, here = heapq.heappop(queue)
        if here == end:
            path = [here]
            while path[-1] in came:
                path.append(came[path[-1]])
            return [(float(i + x0), float(j + z0)) for j, i in reversed(path)]
        j, i = here
        for dj, di, length in steps:
            there = (j + dj, i + di)
            if not (0 <= there[0] < rows and 0 <= there[1] < cols) or blocked[there]:
                continue
            if abs(h[there] - h[here]) > MAX_RISE * length:
                continue
            # Cutting a cell diagonally runs along a triangle edge: both triangles beside it must be walkable.
            if dj and di and max(abs(h[j + dj, i] - h[here]), abs(h[j, i + di] - h[here])) > MAX_RISE:
                continue
            cost = best[here] + length + penalty[there]
            if cost < best.get(there, math.inf):
                best[there] = cost
                came[there] = here
                heapq.heappush(queue, (cost + math.hypot(end[0] - there[0], end[1] - there[1]), there))
    return None


@dataclass
class Oracle:
    """Walk to the nearest food, crouch to its height, reach with the right hand, grab, bring to the mouth."""

    stuck_patience: int = 15
    _world: WorldSpec | None = None
    _path: list[tuple[float, float]] = field(default_factory=list)
    _path_target: int | None = None
    _progress: int = 0
    _last_body: np.ndarray | None = None
    _stuck: int = 0
    _jump_cooldown: int = 0

    def reset(self) -> None:
        self._world = None
        self._path, self._path_target, self._progress = [], None, 0
        self._last_body = None
        self._stuck = 0
        self._jump_cooldown = 0

    def act(self, info: dict[str, Any]) -> np.ndarray:
        if "debug" not in info:
            raise KeyError("the oracle needs privileged state: make the env with debug=True")
        debug = info["debug"]
        if debug.get("world") is not None:  # a new episode: the reset info carries the world
            self.reset()
            self._world = debug["world"]
        action = np.zeros(ACTION_SIZE, dtype=np.float32)
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        if not foods:
            return action
        held = debug["right_held_id"]
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        hand = np.asarray(debug["right_hand_position"], dtype=np.float64)
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
        held_food = next((e for e in foods if e["id"] == held), None)
        if held_food is not None:
            # Bring the food to the mouth: hand towards the head centre.
            self._move_hand(action, basis, hand, head)
            action[RIGHT_GRASP] = 1.0
            self._look_level(action, debug)
            return action
        if held:  # holding something that is not food: drop it
            return action
        target = min(foods, key=lambda e: float(np.linalg.norm(np.asarray(e["position"]) - body)))
        position = np.asarray(target["position"], dtype=np.float64)
        to_food = position - body
        horizontal = math.hypot(to_food[0], to_food[2])
        heading = self._waypoint(target["id"], body, position) - body
        desired_yaw = math.degrees(math.atan2(-heading[0], -heading[2]))
        yaw_error = angle_difference(desired_yaw, debug["head_yaw"])
        action[HEAD_YAW] = np.clip(yaw_error / MAX_HEAD_YAW_SPEED, -1.0, 1.0)
        to_eye = position - head
        desired_pitch = math.degrees(math.atan2(to_eye[1], math.hypot(to_eye[0], to_eye[2])))
        action[HEAD_PITCH] = np.clip(angle_difference(desired_pitch, debug["head_pitch"]) / MAX_HEAD_PITCH_SPEED, -1, 1)
        if horizontal > REACH:
            # Walk towards the waypoint in the head's frame (sideways too), slower while still turning.
            local = head_basis(debug["head_yaw"], 0.0).T @ np.array([heading[0], 0.0, heading[2]])
            local /= max(1e-6, float(np.linalg.norm(local)))
            speed = min(1.0, (horizontal - REACH + 0.1) / MAX_HEAD_LINEAR_SPEED)
            speed *= max(0.3, math.cos(math.radians(min(abs(yaw_error), 90.0))))
            action[HEAD_X], action[HEAD_Z] = speed * local[0], speed * local[2]
            self._unstick(action, body)
        # Crouch or stand so the food is within reach below the head.
        action[HEAD_Y] = np.clip((position[1] + 0.3 - head[1]) / MAX_HEAD_LINEAR_SPEED, -1.0, 1.0)
        if horizontal < REACH + 0.8:
            self._move_hand(action, basis, hand, position)
            if float(np.linalg.norm(hand - position)) < 0.45:
                action[RIGHT_GRASP] = 1.0
        return action

    def _waypoint(self, target: int, body: np.ndarray, goal: np.ndarray) -> np.ndarray:
        """The point LOOKAHEAD metres along the planned path to `goal` (the goal itself without a world or path)."""
        if self._world is None:
            return goal
        if self._path_target != target or self._off_path(body):
            self._path = plan_path(self._world, body, goal) or []
            self._path_target, self._progress = target, 0
        if len(self._path) < 2:
            return goal
        window = self._path[self._progress : self._progress + 6]
        distances = [math.hypot(x - body[0], z - body[2]) for x, z in window]
        self._progress += int(np.argmin(distances))
        ahead = self._progress
        while (
            ahead < len(self._path) - 1
            and math.hypot(self._path[ahead][0] - body[0], self._path[ahead][1] - body[2]) < LOOKAHEAD
        ):
            ahead += 1
        if ahead >= len(self._path) - 1:
            return goal
        x, z = self._path[ahead]
        return np.array([x, body[1], z])

    def _off_path(self, body: np.ndarray) -> bool:
        if not self._path:
            return False
        window = self._path[self._progress : self._progress + 6] or self._path[-1:]
        return min(math.hypot(x - body[0], z - body[2]) for x, z in window) > 2.5

    def _move_hand(self, action: np.ndarray, basis: np.ndarray, hand: np.ndarray, goal: np.ndarray) -> None:
        local = basis.T @ (goal - hand) / MAX_HAND_LINEAR_SPEED
        norm = float(np.linalg.norm(local))
        action[RIGHT_HAND] = local / max(1.0, norm)

    def _look_level(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        action[HEAD_PITCH] = np.clip(-debug["head_pitch"] / MAX_HEAD_PITCH_SPEED, -1.0, 1.0)

    def _unstick(self, action: np.ndarray, body: np.ndarray) -> None:
        if self._last_body is not None and float(np.linalg.norm(body - self._last_body)) < 0.02:
            self._stuck += 1
        else:
            self._stuck = 0
        self._last_body = body.copy()
        self._jump_cooldown = max(0, self._jump_cooldown - 1)
        if self._stuck >= self.stuck_patience and self._jump_cooldown == 0:
            action[JUMP] = 1.0
            self._jump_cooldown = 10
            self._stuck = 0


def run_episode(env: Any, task: str, difficulty: float, seed: int, max_steps: int | None = None) -> dict[str, Any]:
    """Play one episode with a fresh oracle; `env` must have been made with debug=True."""
    oracle = Oracle()
    _, info = env.reset(seed=seed, options={"task": task, "difficulty": difficulty})
    limit = info["frames_remaining"] if max_steps is None else max_steps
    steps = 0
    while steps < limit:
        _, _, terminated, truncated, info = env.step(oracle.act(info))
        steps += 1
        if terminated or truncated:
            break
    return {"task": task, "difficulty": difficulty, "seed": seed, "success": bool(info["success"]), "steps": steps}


def main(argv: list[str] | None = None) -> int:
    """`python -m avalon.oracle`: the oracle's success rate per task and difficulty (headless, no pictures)."""
    import argparse

    from tqdm import tqdm

    from avalon.env import AvalonEnv

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--tasks", nargs="+", default=["eat", "move"])
    parser.add_argument("--difficulties", nargs="+", type=float, default=[0.0, 0.5, 1.0])
    parser.add_argument("--seeds", type=int, default=40, help="worlds per (task, difficulty): seeds 0..N-1")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failed seeds")
    args = parser.parse_args(argv)
    runs = [(t, d, s) for t in args.tasks for d in args.difficulties for s in range(args.seeds)]
    results: list[dict[str, Any]] = []
    with AvalonEnv(args.tasks[0], headless=True, debug=True) as env:
        for task, difficulty, seed in tqdm(runs, desc="oracle episodes", unit="episode"):
            results.append(run_episode(env, task, difficulty, seed))
    print(f"{'task':<6} {'difficulty':>10} {'success':>9} {'mean steps':>11}  failed seeds")
    for task in args.tasks:
        for difficulty in args.difficulties:
            group = [r for r in results if r["task"] == task and r["difficulty"] == difficulty]
            wins = sum(r["success"] for r in group)
            failed = [r["seed"] for r in group if not r["success"]]
            shown = " ".join(map(str, failed)) if args.verbose else f"{len(failed)}"
            steps = np.mean([r["steps"] for r in group])
            print(f"{task:<6} {difficulty:>10.2f} {wins:>4}/{len(group):<4} {steps:>11.0f}  {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
