"""SCRAMBLE's plan: the food plan, walking up the hill on a slope-aware path.

The heightmap's point-to-point rises can all be walkable while a triangle between them is steeper than the body's
45-degree floor limit (a rise along x and one along z add up), and on such a triangle the body slides back. So the
walk is planned with a penalty on points whose surrounding cells are steep, which makes A* zig-zag up the gentler
parts of the slope; the motor still jumps when it is stuck.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from avalon.entities import FOOD_BY_NAME
from avalon.navigation import plan_path
from avalon.oracle.food import GONE, FoodPlan, Phase
from avalon.oracle.skills import HEAD_X, HEAD_Z, JUMP, Motor, horizontal
from avalon.world.obstacles.grid import Grid
from avalon.world.spec import WorldSpec

GENTLE = 0.6  # m per metre: cells up to this steep cost nothing extra
STEEP_COST = 8.0  # m of extra path cost per point, per m/m of gradient above GENTLE
PROGRESS = 0.3  # m closer to the food that counts as progress
PROGRESS_PATIENCE = 20  # steps without progress before a jump


def steepness_penalty(world: WorldSpec) -> np.ndarray:
    """Per point: STEEP_COST times how much the steepest cell touching it exceeds GENTLE (gradient, m per metre)."""
    grid = Grid.of(world.terrain)
    h, cs = grid.heights, grid.cell_size
    gx = ((h[:-1, 1:] - h[:-1, :-1]) + (h[1:, 1:] - h[1:, :-1])) / (2.0 * cs)
    gz = ((h[1:, :-1] - h[:-1, :-1]) + (h[1:, 1:] - h[:-1, 1:])) / (2.0 * cs)
    # The steeper of the cell's two triangles is at most this much steeper than the cell's mean gradient.
    corner = np.abs((h[:-1, :-1] + h[1:, 1:]) - (h[1:, :-1] + h[:-1, 1:])) / (2.0 * cs)
    steep = np.hypot(gx, gz) + corner
    point = np.zeros(h.shape)
    for dj in (0, 1):
        for di in (0, 1):
            view = point[dj : dj + steep.shape[0], di : di + steep.shape[1]]
            np.maximum(view, steep, out=view)
    return STEEP_COST * np.maximum(point - GENTLE, 0.0)


class ScramblePlan(FoodPlan):
    """The food plan with a slope-aware walk (falls back to the usual planner when the slope-aware one finds no
    path), jumping when the walk stops getting closer to the food: on a slope too steep to stand on the body
    slides back and forth, which the motor's stuck check (a body that does not move) never sees."""

    def __init__(self, motor: Motor) -> None:
        self._best = math.inf
        self._since_progress = 0
        if motor.world is not None:
            penalty = steepness_penalty(motor.world)

            def planner(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
                return plan_path(world, start, goal, penalty=penalty) or plan_path(world, start, goal)

            motor.planner = planner
        super().__init__(motor)

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        super().act(action, debug)
        if self.phase is not Phase.FETCH or not action[HEAD_X] and not action[HEAD_Z]:
            self._since_progress = 0
            return
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        body = debug["body_position"]
        distance = min((horizontal(body, e["position"]) for e in foods), default=math.inf)
        if distance < self._best - PROGRESS:
            self._best, self._since_progress = distance, 0
            return
        self._since_progress += 1
        if self._since_progress >= PROGRESS_PATIENCE:
            action[JUMP] = 1.0
            self._since_progress = PROGRESS_PATIENCE // 2  # jump again if the landing did not help either
