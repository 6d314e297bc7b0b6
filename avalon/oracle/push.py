"""PUSH's plan: push the boulder into the chasm at its narrowest level crossing (`avalon.oracle.pushing`), hop down
onto its top, hop from there onto the far rim, then the food plan.

What to do next is decided from where the body and the boulder are whenever a skill finishes: the boulder still on
a rim is pushed; the body on the near rim hops onto the fallen boulder, on the chasm floor it hops back onto it, on
its top it hops towards the nearest ground the food can be walked to from; once the food is walkable, the food plan
takes over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT
from avalon.entities import BOULDER_SIZE, FOOD_BY_NAME
from avalon.navigation import plan_path
from avalon.oracle.food import GONE, FoodPlan, Phase
from avalon.oracle.pushing import (
    FALLEN,
    WALK_DROP,
    Hop,
    PushInto,
    RimCrossing,
    find_rim_crossing,
)
from avalon.oracle.skills import Motor, horizontal
from avalon.world.obstacles.grid import Grid
from avalon.world.obstacles.planning import MAX_RISE, reachable

MAX_SKILLS = 16  # pushes and hops before the food plan carries on alone
ON_TOP = 0.25  # m beyond the boulder's half size that still counts as standing on it
TAKE_OFF_BACK = 0.35  # m the take-off point on the boulder stays inside its edge
LAND_BEYOND = 0.7  # m beyond the far rim's first point the hop aims
FLOOR_STANCE = 0.2  # m from the boulder's face to the body's axis where a hop from the floor starts


@dataclass
class PushPlan:
    motor: Motor
    food: FoodPlan = field(init=False)
    skill: PushInto | Hop | None = None
    crossing: RimCrossing | None = None
    _decided: bool = False
    _skills: int = 0
    _failed_floor_hops: int = 0

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)

    @property
    def phase(self) -> Phase | None:
        return self.food.phase if self.skill is None and self._decided else None

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        if not self._decided:
            self._decide(debug)
        if self.skill is not None:
            if self.skill.act(action, debug):
                return
            if (
                isinstance(self.skill, Hop)
                and self.skill.rise_first
                and not self.skill.top_y > self.skill.start_y + 0.3
            ):
                self._failed_floor_hops += 1
            self.skill, self._decided = None, False
            return
        self.food.act(action, debug)

    def _decide(self, debug: dict[str, Any]) -> None:
        self._decided = True
        world = self.motor.world
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        boulders = [e for e in debug["entities"] if e["kind"] == "boulder"]
        if world is None or not foods or not boulders or self._skills >= MAX_SKILLS:
            return
        self.motor.planner = plan_path  # the push's walks avoided the boulder where it stood then
        body = np.asarray(debug["body_position"], dtype=np.float64)
        food = np.asarray(foods[0]["position"], dtype=np.float64)
        boulder = boulders[0]
        rock = np.asarray(boulder["position"], dtype=np.float64)
        size = BOULDER_SIZE
        if self.crossing is None:
            self.crossing = find_rim_crossing(world, (body[0], body[2]), (food[0], food[2]), (rock[0], rock[2]))
            if self.crossing is None:
                return  # the food is walkable: no boulder needed
        crossing = self.crossing
        feet = body[1] - AGENT_HEIGHT / 2.0
        top = rock[1] + size / 2.0
        grid = Grid.of(world.terrain)
        there = reachable(grid, (food[0], food[2]), max_rise=MAX_RISE, max_drop=WALK_DROP)
        if there[grid.point(body[0], body[2])] and feet > crossing.rim_height - 0.5:
            return  # on the far rim: the food plan walks on
        self._skills += 1
        if rock[1] > crossing.rim_height - FALLEN:
            self.skill = PushInto(self.motor, int(boulder["id"]), size, crossing)
        elif horizontal(body, rock) < size / 2.0 + ON_TOP and feet > top - 0.3:
            self.skill = self._hop_to_far_rim(grid, there, rock, size)
        elif feet > crossing.rim_height - 0.5:
            self.skill = self._hop_from_rim(grid, body, rock, top)
        else:
            # From the side facing the body; after a hop that did not get off the floor (a corner between the boulder
            # and a wall, say), from the next side round.
            w = np.array([rock[0] - body[0], rock[2] - body[2]])
            w /= max(1e-6, float(np.linalg.norm(w)))
            turn = math.pi / 2.0 * self._failed_floor_hops
            w = np.array([w[0] * math.cos(turn) - w[1] * math.sin(turn), w[0] * math.sin(turn) + w[1] * math.cos(turn)])
            approach = (rock[0] - w[0] * (size / 2.0 + FLOOR_STANCE), rock[2] - w[1] * (size / 2.0 + FLOOR_STANCE))
            self.skill = Hop(self.motor, (float(rock[0]), float(rock[2])), top, approach, rise_first=True)

    def _hop_to_far_rim(self, grid: Grid, there: np.ndarray, rock: np.ndarray, size: float) -> Hop:
        """From the boulder's top onto the nearest ground the food is walkable from (about the rim's height)."""
        assert self.crossing is not None
        x, z = grid.grid_xz()
        ok = there & (grid.heights > self.crossing.rim_height - 0.5)
        distance = np.where(ok, np.hypot(x - rock[0], z - rock[2]), np.inf)
        j, i = np.unravel_index(int(np.argmin(distance)), distance.shape)
        landing = np.array([x[j, i], z[j, i]])
        w = landing - np.array([rock[0], rock[2]])
        w /= max(1e-6, float(np.linalg.norm(w)))
        approach = (rock[0] + w[0] * (size / 2.0 - TAKE_OFF_BACK), rock[2] + w[1] * (size / 2.0 - TAKE_OFF_BACK))
        target = (float(landing[0] + w[0] * LAND_BEYOND), float(landing[1] + w[1] * LAND_BEYOND))
        return Hop(self.motor, target, float(grid.heights[j, i]), approach)

    def _hop_from_rim(self, grid: Grid, body: np.ndarray, rock: np.ndarray, top: float) -> Hop:
        """From the near rim's point nearest the fallen boulder down onto its top."""
        assert self.crossing is not None
        here = reachable(grid, (body[0], body[2]), max_rise=MAX_RISE, max_drop=WALK_DROP)
        x, z = grid.grid_xz()
        ok = here & (grid.heights > self.crossing.rim_height - 0.3)
        distance = np.where(ok, np.hypot(x - rock[0], z - rock[2]), np.inf)
        j, i = np.unravel_index(int(np.argmin(distance)), distance.shape)
        approach = (float(x[j, i]), float(z[j, i]))
        if not math.isfinite(float(distance[j, i])):
            approach = (float(body[0]), float(body[2]))
        return Hop(self.motor, (float(rock[0]), float(rock[2])), top, approach)
