"""JUMP's plan: a run-up jump over the chasm (`avalon.oracle.jumping`), then the food plan.

The crossing is found from where the body stands; after each landing (or a fall into a shallow pit) it is found
again, so the plan walks on when the goal is walkable and jumps again when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.entities import FOOD_BY_NAME
from avalon.oracle.food import GONE, FoodPlan, Phase
from avalon.oracle.jumping import RunUpJump, find_crossing
from avalon.oracle.skills import Motor

MAX_JUMPS = 4  # then the food plan carries on alone (walking, jumping when stuck)


@dataclass
class JumpPlan:
    motor: Motor
    food: FoodPlan = field(init=False)
    jump: RunUpJump | None = None
    max_jumps: int = MAX_JUMPS
    _decided: bool = False
    _jumps: int = 0

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)

    @property
    def phase(self) -> Phase | None:
        return self.food.phase if self.jump is None and self._decided else None

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        if not self._decided:
            self._decide(debug)
        if self.jump is not None:
            if self.jump.act(action, debug):
                return
            self.jump, self._decided = None, False  # landed: find the way on from here
            return
        self.food.act(action, debug)

    def _decide(self, debug: dict[str, Any]) -> None:
        self._decided = True
        world = self.motor.world
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        if world is None or not foods or self._jumps >= self.max_jumps:
            return
        body = debug["body_position"]
        food = foods[0]["position"]
        crossing = find_crossing(world, (float(body[0]), float(body[2])), (float(food[0]), float(food[2])))
        if crossing is not None:
            self._jumps += 1
            self.jump = RunUpJump(self.motor, crossing)
