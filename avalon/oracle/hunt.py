"""HUNT's and THROW's plan: kill the prey with the weapons about, then eat it (the food plan).

A prey that can be eaten now (dead, or the frog, alive) is fetched and eaten by the food plan; eating a frog alive
kills it, and the food plan then picks it up again. Otherwise the plan fetches the nearest rock, walks towards the
prey until a throw from where it stands can reach it (`avalon.oracle.throwing.aim`, considered every RECHECK_STEPS
steps of the walk), and throws; then the next rock.
It keeps the rock in the hand while walking. A rock lying down a drop from the feet (a miss that fell into the pit)
is fetched only when no rock is left up where the body stands, nor a stick. With no rock left it fetches a stick,
chases the prey and strikes: the hand (and the stick it holds, which hurts whatever it touches while held) goes into
the prey's body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, EntityFlag
from avalon.entities import KIND_BY_NAME, PREY_KINDS
from avalon.oracle.food import GONE, ROCK_KINDS, FoodPlan, grab_point, is_food, reach_of
from avalon.oracle.skills import RIGHT_GRASP, Motor, entity, horizontal
from avalon.oracle.throwing import Throw, aim
from avalon.world.spec import Terrain

IN_RANGE = 0.3  # m: a throw whose path passes this near the prey's centre is worth throwing
APPROACH = 2.0  # m: how close the walk gets to the prey when a throw cannot reach it from farther
WATCH_STEPS = 6  # steps after a throw before the next rock is fetched (the hit is counted a step or two late)
STICK_KINDS = ("stick", "large_stick")
THROW_WHEN_STILL = 2  # steps the prey must have stood still before the swing (it rests between hops)
# A rock is thrown from beyond the prey's detection radius where a throw from there still reaches it: a prey that
# has not noticed the player hops about slowly instead of fleeing.
STANDOFF_MARGIN = 1.0  # m beyond the detection radius
STANDOFF_LEVEL = 0.5  # m: the stand-off spot's ground is at most this far from the feet's height (not off a rim, nor
# up a wall the walk cannot climb)
STANDOFF_ARRIVE = 0.3  # m
BELOW_FEET = 1.0  # m: a rock lying lower than this under the feet is down a drop (fetched only when no other is)
RECHECK_STEPS = 5  # a walk toward a throwing spot considers throwing (and the stand-off) every this many steps
STRIKE_REACH = 0.6  # m beyond reaching distance (a held stick reaches past the hand) from where the hand strikes


@dataclass
class HuntPlan:
    motor: Motor
    food: FoodPlan = field(init=False)
    _throw: Throw | None = None
    _watch: int = 0
    _walking: int = 0  # steps left walking before the throw from here is considered again
    _walking_to: int = 0  # the prey the walk is after
    _spot: np.ndarray | None = None  # where the walk goes (the stand-off spot), or None: toward the prey

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
            weapon = self._weapon(debug, body)
            if weapon is not None:
                self.food.fetch(action, debug, weapon)
            return
        rock = np.asarray(held_entity["position"], dtype=np.float64)
        position = np.asarray(target["position"], dtype=np.float64)
        action[RIGHT_GRASP] = 1.0  # the rock stays in the hand while walking
        if self._walking > 0 and self._walking_to == int(target["id"]):
            self._walking -= 1  # keep on the way chosen a few steps ago (aims are costly)
        else:
            self._spot = self._standoff(body, rock, position, target["kind"])
            if self._spot is None and aim(rock, position, terrain=self._terrain()).miss <= IN_RANGE:
                self._throw = Throw(self.motor, int(target["id"]), still_steps=THROW_WHEN_STILL)
                self._throw.act(action, debug)
                return
            self._walking, self._walking_to = RECHECK_STEPS - 1, int(target["id"])
        if self._spot is not None:
            self.motor.walk(action, debug, ("standoff", int(target["id"])), self._spot, STANDOFF_ARRIVE)
        else:
            self.motor.walk(action, debug, ("prey", int(target["id"])), position, APPROACH)

    def _weapon(self, debug: dict[str, Any], body: np.ndarray) -> dict[str, Any] | None:
        """The weapon to fetch: the nearest free rock that lies no lower than BELOW_FEET m under the feet (a missed
        rock that fell into a pit is left there while any other is about), else the nearest stick, else the
        nearest rock."""
        free = [e for e in debug["entities"] if not e["flags"] & EntityFlag.HELD]
        rocks = [e for e in free if e["kind"] in ROCK_KINDS]
        feet = body[1] - AGENT_HEIGHT / 2.0
        level = [e for e in rocks if e["position"][1] >= feet - BELOW_FEET]
        weapons = level or [e for e in free if e["kind"] in STICK_KINDS] or rocks
        return min(weapons, key=lambda e: horizontal(body, e["position"])) if weapons else None

    def _terrain(self) -> Terrain | None:
        return self.motor.world.terrain if self.motor.world is not None else None

    def _standoff(self, body: np.ndarray, rock: np.ndarray, prey: np.ndarray, kind: str) -> np.ndarray | None:
        """Where to step back to, out of the prey's detection radius, if the body is inside it, the spot's ground is
        level with the feet and a throw from there still reaches the prey; else None (throw from here)."""
        world = self.motor.world
        away = body - prey
        away[1] = 0.0
        distance = float(np.linalg.norm(away))
        want = KIND_BY_NAME[kind].animal_info.detection_radius + STANDOFF_MARGIN
        if world is None or distance >= want - STANDOFF_ARRIVE or distance < 1e-6:
            return None
        spot = body + away / distance * (want - distance)
        feet = body[1] - AGENT_HEIGHT / 2.0
        ground = world.terrain.height_at(float(spot[0]), float(spot[2]))
        if not world.terrain.contains(float(spot[0]), float(spot[2])) or abs(ground - feet) > STANDOFF_LEVEL:
            return None
        if aim(rock + (spot - body), prey, terrain=world.terrain).miss > IN_RANGE:
            return None
        return spot

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
