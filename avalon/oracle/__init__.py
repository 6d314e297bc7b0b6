"""A privileged scripted agent: reads `info["debug"]` (the world, and positions of the body, hands and entities)
and plays each task by a plan made of shared motor skills. It proves worlds are solvable and drives the demo; it is
not a baseline (it sees what agents cannot).

- `skills.py`: the motor skills (face, walk a planned path, move the hand, look level);
- `food.py`: the food plan (fetch, open, eat), which ends every task;
- `climbing.py`: the climbing skill (a climbing route over the terrain's climb map, hand over hand up or down);
- `carrying.py`: the carrying skill (grab an item, carry it to a spot, put it down);
- `pushing.py`: the pushing skills (push a boulder over a rim into a chasm, hop: a jump steered onto a point);
- `throwing.py`: the throwing skill (aim a held rock at a moving point on the engine's measured flight model, wind
  up, swing, let go);
- `log_carrying.py`: carrying a log and laying it across a chasm (BRIDGE, CARRY): grabbed wherever it lies, turned
  once across the chasm, levelled in the hand, carried with the head still so it keeps its direction;
- one plan per task in `PLANS` (EAT and MOVE are the food plan alone; `climb.py`, `descend.py`, `push.py`,
  `bridge.py`, `stack.py`).

Use: `env = gymnasium.make("avalon/Eat-v0", debug=True)`, then `action = oracle.act(info)` every step.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from avalon.constants import ACTION_SIZE
from avalon.oracle import indoor_tasks
from avalon.oracle.avoid import AvoidPlan
from avalon.oracle.bridge import BridgePlan
from avalon.oracle.carry import CarryPlan
from avalon.oracle.climb import ClimbPlan
from avalon.oracle.descend import DescendPlan
from avalon.oracle.food import FoodPlan, Phase
from avalon.oracle.hunt import HuntPlan
from avalon.oracle.indoor import indoor_or
from avalon.oracle.open import OpenPlan
from avalon.oracle.scramble import ScramblePlan
from avalon.oracle.skills import Motor, head_basis
from avalon.tasks import Task

__all__ = ["PLANS", "FoodPlan", "Motor", "Oracle", "Phase", "Plan", "head_basis", "main"]


class Plan(Protocol):
    """One task's plan for one episode: writes each step's action."""

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None: ...


PLANS: dict[str, Callable[[Motor], Plan]] = {
    "eat": FoodPlan,
    "move": FoodPlan,
    "explore": indoor_or(FoodPlan),
    "scramble": ScramblePlan,
    "jump": indoor_tasks.jump,
    "climb": indoor_or(ClimbPlan),
    "descend": DescendPlan,
    "push": indoor_tasks.push,
    "bridge": BridgePlan,
    "stack": indoor_tasks.stack,
    "open": OpenPlan,
    "avoid": AvoidPlan,
    "hunt": HuntPlan,
    "fight": AvoidPlan,
    "carry": CarryPlan,
    "throw": HuntPlan,
}


@dataclass
class Oracle:
    """Picks the plan of the world's task at each reset (the reset info carries the world) and follows it."""

    stuck_patience: int = 15
    plan: Plan | None = None

    def reset(self) -> None:
        self.plan = None

    @property
    def phase(self) -> Phase | None:
        """The food plan's phase (None while another stage of a task's plan is running)."""
        phase = getattr(self.plan, "phase", None)
        return phase if isinstance(phase, Phase) else None

    def act(self, info: dict[str, Any]) -> np.ndarray:
        if "debug" not in info:
            raise KeyError("the oracle needs privileged state: make the env with debug=True")
        debug = info["debug"]
        world = debug.get("world")
        if world is not None:  # a new episode
            make = PLANS.get(world.task)
            if make is None and world.task in {t.name.lower() for t in Task}:
                raise ValueError(f"the oracle has no plan for task {world.task!r}; it has: {', '.join(PLANS)}")
            make = make or FoodPlan  # a hand-built world (tests, debugging): just eat
            self.plan = make(Motor(world, self.stuck_patience))
        if self.plan is None:
            self.plan = FoodPlan(Motor(None, self.stuck_patience))  # no world seen: walk straight at food
        action = np.zeros(ACTION_SIZE, dtype=np.float32)
        self.plan.act(action, debug)
        return action


def main(argv: list[str] | None = None) -> int:
    """`python -m avalon.oracle`: the oracle's success rate per task and difficulty (`python -m avalon.rates`)."""
    from avalon.rates import main as rates_main

    return rates_main(["--agent", "oracle", *(argv if argv is not None else sys.argv[1:])])
