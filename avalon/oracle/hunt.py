"""HUNT's and THROW's plan: kill the prey with the weapons about, then eat it (the food plan).

A prey that can be eaten now (dead, or the frog, alive) is fetched and eaten by the food plan; eating a frog alive
kills it, and the food plan then picks it up again. Otherwise the plan fetches the nearest rock, walks towards the
prey until a throw from where it stands can reach it (`avalon.oracle.throwing.aim`), and throws; then the next rock.
With no rock left it fetches a stick, chases the prey and strikes: the hand (and the stick it holds, which hurts
whatever it touches while held) goes into the prey's body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import EntityFlag
from avalon.entities import PREY_KINDS
from avalon.oracle.food import GONE, ROCK_KINDS, FoodPlan, grab_point, is_food, reach_of
from avalon.oracle.skills import RIGHT_GRASP, Motor, entity, horizontal
from avalon.oracle.throwing import Throw, aim

IN_RANGE = 0.3  # m: a throw whose path passes this near the prey's centre is worth throwing
APPROACH = 2.0  # m: how close the walk gets to the prey when a throw cannot reach it from farther
WATCH_STEPS = 6  # steps after a throw before the next rock is fetched (the hit is counted a step or two late)
STICK_KINDS = ("stick", "large_stick")
STRIKE_REACH = 0.6  # m beyond reaching distance (a held stick reaches past the hand) from where the hand strikes


@dataclass
class HuntPlan:
    motor: Motor
    food: FoodPlan = field(init=False)
    _throw: Throw | None = None
    _watch: int = 0

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)

    @property
    def phase(self) -> Any:
        return self.food.phase

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        prey = [e for e in debug["entities"] if e["kind"] in PREY_KINDS and not e["flags"] & GONE]
        if not prey:
            return
        target = min(prey, key=lambda e: horizontal(body, e["position"]))
        held = int(debug["right_held_id"])
        held_entity = entity(debug, held) if held else None
        if is_food(target) or (held_entity is not None and held_entity["kind"] in PREY_KINDS):
            if held_entity is not None and held_entity["kind"] in ROCK_KINDS:
                return  # let the rock go (grasp released) before fetching the prey
            self.food.act(action, debug)
            return
        if self._throw is not None:
            if self._throw.act(action, debug):
                return
            self._throw, self._watch = None, WATCH_STEPS
            return
        if self._watch > 0:
            self._watch -= 1
            self.motor.face(action, debug, np.asarray(target["position"], dtype=np.float64))
            return
        if held_entity is not None and held_entity["kind"] in STICK_KINDS:
            self._strike(action, debug, target)
            return
        if held_entity is None or held_entity["kind"] not in ROCK_KINDS:
            free = [e for e in debug["entities"] if not e["flags"] & EntityFlag.HELD]
            weapons = [e for e in free if e["kind"] in ROCK_KINDS] or [e for e in free if e["kind"] in STICK_KINDS]
            if weapons:
                self.food.fetch(action, debug, min(weapons, key=lambda e: horizontal(body, e["position"])))
            return
        rock = np.asarray(held_entity["position"], dtype=np.float64)
        position = np.asarray(target["position"], dtype=np.float64)
        if aim(rock, position).miss <= IN_RANGE:
            self._throw = Throw(self.motor, int(target["id"]))
            self._throw.act(action, debug)
            return
        self.motor.walk(action, debug, ("prey", int(target["id"])), position, APPROACH)

    def _strike(self, action: np.ndarray, debug: dict[str, Any], target: dict[str, Any]) -> None:
        """Chase the prey holding the stick; within reach, put the hand into its body."""
        body = np.asarray(debug["body_position"], dtype=np.float64)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        position = np.asarray(target["position"], dtype=np.float64)
        reach = reach_of(target["kind"])
        self.motor.walk(action, debug, ("prey", int(target["id"])), position, reach)
        action[RIGHT_GRASP] = 1.0
        if horizontal(body, position) <= reach + STRIKE_REACH:
            self.motor.move_hand(action, debug, grab_point(target, head))
