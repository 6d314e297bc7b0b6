"""OPEN's plan: through the chain of rooms door by door (avalon/oracle/doors.py opens each, locks first), walking
inside with the indoor planner (avalon/oracle/indoor.py), then the food plan in the last room."""

from __future__ import annotations

from typing import Any

import numpy as np

from avalon.entities import DOOR_KINDS
from avalon.oracle.doors import DoorSkill
from avalon.oracle.food import FoodPlan
from avalon.oracle.indoor import indoor_path
from avalon.oracle.skills import Motor
from avalon.world.building import SLAB

BEYOND = SLAB + 0.7  # m past a doorway's approach face where a door's walk through ends: the wall and a step more


class OpenPlan:
    def __init__(self, motor: Motor) -> None:
        assert motor.world is not None, "OPEN's plan needs the world"
        motor.planner = indoor_path
        self.motor = motor
        self.world = motor.world
        # The generator lists the doors in the chain's order (avalon/tasks/open.py).
        self.doors = [item.id for item in self.world.items if item.kind in DOOR_KINDS]
        self.skill: DoorSkill | None = None
        self.food = FoodPlan(motor)
        self.failure: str | None = None

    @property
    def phase(self) -> Any:
        return self.food.phase

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        while self.doors:
            if self.skill is None:
                self.skill = DoorSkill.for_door(self.motor, self.world, self.doors[0], beyond=BEYOND)
            if not self.skill.done:
                self.skill.act(action, debug)
                return
            if not self.skill.succeeded:
                self.failure = self.skill.failure
            self.doors.pop(0)
            self.skill = None
        self.food.act(action, debug)
