"""CARRY's plan: the plan of the inner task whose obstacle the world holds (a log: BRIDGE; stones: STACK; prey:
THROW's hunt; predators: FIGHT's), which fetch their tools from wherever they lie."""

from __future__ import annotations

from typing import Any

import numpy as np

from avalon.entities import PREDATOR_KINDS, PREY_KINDS
from avalon.oracle.avoid import AvoidPlan
from avalon.oracle.bridge import BridgePlan
from avalon.oracle.hunt import HuntPlan
from avalon.oracle.skills import Motor
from avalon.oracle.stack import StackPlan


class CarryPlan:
    def __init__(self, motor: Motor) -> None:
        kinds = {item.kind for item in motor.world.items} if motor.world is not None else set()
        self.inner: Any
        if "log" in kinds:
            self.inner = BridgePlan(motor)
        elif "stone" in kinds:
            self.inner = StackPlan(motor, apple_beyond=True)  # CARRY hangs it beyond the trunk
        elif kinds & set(PREY_KINDS):
            self.inner = HuntPlan(motor)
        elif kinds & set(PREDATOR_KINDS):
            self.inner = AvoidPlan(motor)
        else:
            raise ValueError(f"a CARRY world without a log, stones or animals: {sorted(kinds)}")

    @property
    def phase(self) -> Any:
        return getattr(self.inner, "phase", None)

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        self.inner.act(action, debug)
