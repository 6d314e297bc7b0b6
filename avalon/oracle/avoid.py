"""AVOID's plan: the food plan, walking round the predators.

The walk to the food is planned with a penalty round every live predator (its detection radius plus a margin, as
the engine reports it each step), planned again whenever a predator has moved more than REPLAN_MOVE m since the last
plan, so the body keeps out of their reach where the land allows and otherwise goes past them as far away as it can.
A predator that starts chasing anyway is outrun where possible: the plan does not stop to fight.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from avalon.constants import EntityFlag
from avalon.entities import KIND_BY_NAME, PREDATOR_KINDS
from avalon.navigation import plan_path
from avalon.oracle.food import FoodPlan
from avalon.oracle.skills import Motor
from avalon.world.obstacles.grid import Grid
from avalon.world.spec import WorldSpec

MARGIN = 3.0  # m beyond a predator's detection radius that the walk keeps clear of
PENALTY = 200.0  # m of path a point inside a predator's cleared circle costs (A* goes round unless it cannot)
REPLAN_MOVE = 1.5  # m a predator moves before the walk is planned again


def predator_penalty(world: WorldSpec, predators: list[dict[str, Any]]) -> np.ndarray:
    """A* penalty (points shape): PENALTY inside each predator's detection radius + MARGIN (2-D), falling off
    linearly to 0 over the margin, so paths keep as far out as they can."""
    grid = Grid.of(world.terrain)
    x, z = grid.grid_xz()
    penalty = np.zeros(grid.shape)
    for predator in predators:
        radius = KIND_BY_NAME[predator["kind"]].animal_info.detection_radius
        px, _, pz = predator["position"]
        distance = np.hypot(x - float(px), z - float(pz))
        inside = np.clip((radius + MARGIN - distance) / MARGIN, 0.0, 1.0)
        penalty = np.maximum(penalty, PENALTY * inside)
    return penalty


def live_predators(debug: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in debug["entities"] if e["kind"] in PREDATOR_KINDS and not e["flags"] & EntityFlag.DEAD]


class AvoidPlan(FoodPlan):
    """The food plan whose walks go round the live predators (planned again as they move)."""

    def __init__(self, motor: Motor) -> None:
        self._planned_at: dict[int, np.ndarray] = {}
        self._predators: list[dict[str, Any]] = []
        if motor.world is not None:
            plan_world = motor.world

            def planner(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
                if not self._predators:
                    return plan_path(world, start, goal)
                penalty = predator_penalty(plan_world, self._predators)
                return plan_path(world, start, goal, penalty=penalty) or plan_path(world, start, goal)

            motor.planner = planner
        super().__init__(motor)

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        self._predators = live_predators(debug)
        positions = {int(e["id"]): np.asarray(e["position"], dtype=np.float64) for e in self._predators}
        moved = set(positions) != set(self._planned_at) or any(
            float(np.linalg.norm(positions[k] - self._planned_at[k])) > REPLAN_MOVE for k in positions
        )
        if moved:
            self.motor._path_target = None  # plan the walk again round where they are now
            self._planned_at = positions
        super().act(action, debug)
