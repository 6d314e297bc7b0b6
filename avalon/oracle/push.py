"""PUSH's plan: push the boulder into the chasm at its narrowest level crossing near it (`avalon.oracle.pushing`),
hop down onto its top, hop from there onto the far rim, then the food plan.

What to do next is decided from where the body and the boulder are whenever a skill finishes: a boulder still on a
rim is pushed in; from the near rim the body hops onto the fallen boulder; from its top it hops onto the nearest
ground the food can be walked to from when that is within a hop's measured reach (`pushing.hop_reach`), else it hops
down onto the chasm floor, pushes the boulder across to the foot of the far wall and hops back onto it; once the food
is walkable, the food plan takes over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, FINE_CELL_SIZE
from avalon.entities import BOULDER_SIZE, FOOD_BY_NAME
from avalon.navigation import plan_path
from avalon.oracle.food import GONE, FoodPlan, Phase
from avalon.oracle.jumping import WALK_DROP
from avalon.oracle.pushing import (
    FALLEN,
    Hop,
    Push,
    RimCrossing,
    find_rim_crossing,
    hop_reach,
)
from avalon.oracle.skills import Motor, horizontal
from avalon.world.obstacles.grid import Grid, erode
from avalon.world.obstacles.planning import MAX_RISE, reachable
from avalon.world.spec import WorldSpec

MAX_SKILLS = 16  # pushes and hops before the food plan carries on alone
ON_TOP = 0.25  # m beyond the boulder's half size that still counts as standing on it
TAKE_OFF_BACK = 0.35  # m the take-off point on the boulder stays inside its edge
LAND_BEYOND = 0.3  # m beyond the landing point (inside the far rim) the hop aims
EDGE_STEP = 0.05  # m between samples looking for the far rim's edge
EDGE_BELOW = 0.3  # m below the rim's height where its edge starts
FLOOR_ROOM = 0.6  # m from the boulder's face where a hop down from its top lands
FLOOR_REACH = 0.3  # m from its aim at the far wall's foot where a push across the floor stops
MAX_FLOOR_PUSHES = 3  # then the body hops on from where the boulder is
FLOOR_STANCE = 0.2  # m from the boulder's face to the body's axis where a hop from the floor starts


@dataclass
class PushPlan:
    motor: Motor
    food: FoodPlan = field(init=False)
    skill: Push | Hop | None = None
    crossing: RimCrossing | None = None
    _decided: bool = False
    _skills: int = 0
    _failed_floor_hops: int = 0
    _floor_pushes: int = 0

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
        rock_id = int(boulder["id"])
        if rock[1] > crossing.rim_height - FALLEN:
            self.skill = Push.into(self.motor, rock_id, size, crossing)
            return
        landing, edge, gap, rise = self._far_rim(world, grid, there, rock, size)
        w = _unit(landing - rock[[0, 2]])
        in_reach = gap <= hop_reach(rise) or self._floor_pushes >= MAX_FLOOR_PUSHES
        on_top = horizontal(body, rock) < size / 2.0 + ON_TOP and feet > top - 0.3
        if on_top and in_reach:
            approach = rock[[0, 2]] + w * (size / 2.0 - TAKE_OFF_BACK)
            target = landing + w * LAND_BEYOND
            self.skill = Hop(self.motor, _point(target), float(grid.heights[grid.point(*landing)]), _point(approach))
        elif on_top:  # too far from the far rim: down onto the floor, to push it across
            down = self._floor_beside(world, rock, -w, size)
            self.skill = Hop(self.motor, _point(down), float(world.terrain.height_at(*down)))
        elif feet > crossing.rim_height - 0.5:
            self.skill = self._hop_from_rim(grid, body, rock, top)
        elif not in_reach:
            self._floor_pushes += 1
            # To the foot of the far wall: its top is the landing point, its foot about a cell nearer.
            aim = edge - w * (size / 2.0 + FINE_CELL_SIZE / 2.0)
            ground = float(world.terrain.height_at(rock[0], rock[2]))
            self.skill = Push(self.motor, rock_id, size, _point(aim), ground, fall=False, reach=FLOOR_REACH)
        else:
            # From the side facing the body; after a hop that did not get off the floor (a corner between the boulder
            # and a wall, say), from the next side round.
            u = _unit(rock[[0, 2]] - body[[0, 2]])
            turn = math.pi / 2.0 * self._failed_floor_hops
            u = np.array([u[0] * math.cos(turn) - u[1] * math.sin(turn), u[0] * math.sin(turn) + u[1] * math.cos(turn)])
            approach = rock[[0, 2]] - u * (size / 2.0 + FLOOR_STANCE)
            self.skill = Hop(self.motor, _point(rock[[0, 2]]), top, _point(approach), rise_first=True)

    def _far_rim(
        self, world: WorldSpec, grid: Grid, there: np.ndarray, rock: np.ndarray, size: float
    ) -> tuple[np.ndarray, np.ndarray, float, float]:
        """Where to land beyond the far rim: the nearest point to the boulder of the ground the food is walkable from
        (about the rim's height) that has such ground all round it (a wall running obliquely leaves lone corner
        points); the rim's edge on the way there, its distance from the boulder's face, and the landing's height
        above the boulder's top."""
        assert self.crossing is not None
        x, z = grid.grid_xz()
        ok = there & (grid.heights > self.crossing.rim_height - 0.5)
        inner = erode(ok, 1)
        if inner.any():
            ok = inner
        distance = np.where(ok, np.hypot(x - rock[0], z - rock[2]), np.inf)
        j, i = np.unravel_index(int(np.argmin(distance)), distance.shape)
        landing = np.array([x[j, i], z[j, i]])
        w = _unit(landing - rock[[0, 2]])
        edge = landing
        for s in np.arange(0.0, float(distance[j, i]), EDGE_STEP):
            point = rock[[0, 2]] + w * s
            if world.terrain.height_at(*point) > self.crossing.rim_height - EDGE_BELOW:
                edge = point
                break
        gap = float(np.linalg.norm(edge - rock[[0, 2]])) - size / 2.0
        return landing, edge, gap, float(grid.heights[j, i]) - (rock[1] + size / 2.0)

    def _floor_beside(self, world: WorldSpec, rock: np.ndarray, toward: np.ndarray, size: float) -> np.ndarray:
        """A point on the chasm floor next to the boulder: on the `toward` side if there is floor there, else on
        one of its flanks."""
        floor = world.terrain.height_at(rock[0], rock[2])
        side = np.array([-toward[1], toward[0]])
        for direction in (toward, side, -side):
            point = rock[[0, 2]] + direction * (size / 2.0 + FLOOR_ROOM)
            if world.terrain.height_at(*point) < floor + 0.3:
                return point
        return rock[[0, 2]] + toward * (size / 2.0 + FLOOR_ROOM)

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


def _unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v, dtype=np.float64) / max(1e-6, float(np.linalg.norm(v)))


def _point(v: np.ndarray) -> tuple[float, float]:
    return (float(v[0]), float(v[1]))
