"""Walking inside buildings (docs/buildings.md): shortest paths over a storey's floor tiles, for `Motor.planner`, and
the indoor plan across storeys (CLIMB's and EXPLORE's indoor worlds).

A path goes from tile centre to tile centre over FLOOR tiles of one storey whose floors are level with each other
(doorways included: the door skill, avalon.oracle.doors, opens what stands in them; a ramp's strip and a ladder's tile
left out: they are entered only by the link's own leg), diagonal steps only where both tiles beside them are floor
too, then shortened to the turns a straight walk cannot skip. Outside any building, or across storeys, it falls back
to the terrain planner (`avalon.navigation.plan_path`).

`IndoorPlan` goes up storey by storey: a walk to the link's entry tile, then up it: a ramp is walked straight from
its approach tile to its top landing; a ladder is climbed hand over hand (the reach-grip-pull cycle of the rule
scenario building_ladder_is_climbed: each free hand reaches for holds at fixed places in the head's frame on the slab
in front, grips, the old hold lets go, the new one pulls the body up and forward until the arm stops it) until the
engine's ledge rule steps the body onto the landing above. Then a walk on, and the food plan.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT, MAX_HAND_LINEAR_SPEED, MAX_HEAD_LINEAR_SPEED
from avalon.navigation import plan_path
from avalon.oracle.food import FoodPlan
from avalon.oracle.skills import HEAD_X, HEAD_Z, LEFT_GRASP, LEFT_HAND, RIGHT_GRASP, RIGHT_HAND, Motor, head_basis
from avalon.world.building import SIDE_STEP, Building, Ladder, Ramp, Side, Tile
from avalon.world.connections import walkable_floor
from avalon.world.layout import ladder_tiles, ramp_tiles
from avalon.world.spec import WorldSpec

STEP_TOLERANCE = 0.3  # m of floor height difference a walk treats as level
SIGHT_SAMPLES = 8  # samples per metre of a straight walk checked for floor


def locate(world: WorldSpec, point: np.ndarray) -> tuple[Building, int, tuple[int, int]] | None:
    """(building, storey, (z, x)) of the floor tile under world `point` (x, y, z): the storey whose floor there is
    the highest at most 1 m above the point; None outside every building."""
    for building in world.buildings:
        tile = building.tile_of(float(point[0]), float(point[2]))
        if tile is None:
            continue
        best = None
        for k, storey in enumerate(building.storeys):
            if storey.tiles[tile] != Tile.FLOOR:
                continue
            top = building.origin[1] + storey.level + float(storey.floor[tile])
            if top <= float(point[1]) + 1.0 and (best is None or top > best[0]):
                best = (top, k)
        if best is not None:
            return building, best[1], tile
    return None


def _walkable(building: Building, storey: int, level: float) -> np.ndarray:
    s = building.storeys[storey]
    level_floor = (s.tiles == Tile.FLOOR) & (np.abs(s.floor - level) <= STEP_TOLERANCE)
    if building.ramps or building.ladders:
        level_floor &= walkable_floor(building, storey) | (np.abs(s.floor) > STEP_TOLERANCE)
    return level_floor


def _nearest(walkable: np.ndarray, x: float, z: float) -> tuple[int, int] | None:
    """The walkable tile whose centre is nearest to tile-space (x, z)."""
    zs, xs = np.nonzero(walkable)
    if not len(zs):
        return None
    k = int(np.argmin((xs + 0.5 - x) ** 2 + (zs + 0.5 - z) ** 2))
    return (int(zs[k]), int(xs[k]))


def tile_path(walkable: np.ndarray, start: tuple[int, int], goal: tuple[int, int]) -> list[tuple[int, int]] | None:
    """Dijkstra over `walkable` tiles, 8-connected (a diagonal only between two walkable sides)."""
    nz, nx = walkable.shape
    if not (walkable[start] and walkable[goal]):
        return None
    cost = {start: 0.0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(0.0, start)]
    while queue:
        c, here = heapq.heappop(queue)
        if here == goal:
            break
        if c > cost[here]:
            continue
        z, x = here
        for dz in (-1, 0, 1):
            for dx in (-1, 0, 1):
                if not (dz or dx):
                    continue
                nz_, nx_ = z + dz, x + dx
                if not (0 <= nz_ < nz and 0 <= nx_ < nx) or not walkable[nz_, nx_]:
                    continue
                if dz and dx and not (walkable[z + dz, x] and walkable[z, x + dx]):
                    continue
                step = math.sqrt(2.0) if dz and dx else 1.0
                if c + step < cost.get((nz_, nx_), math.inf):
                    cost[(nz_, nx_)] = c + step
                    came[(nz_, nx_)] = here
                    heapq.heappush(queue, (c + step, (nz_, nx_)))
    if goal not in cost:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(came[path[-1]])
    return path[::-1]


def _clear(walkable: np.ndarray, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """A straight walk from tile-space point a to b (x, z in tiles) stays on walkable tiles, 0.3 m from their edges
    where they meet unwalkable ones."""
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    n = max(2, int(length * SIGHT_SAMPLES))
    for k in range(n + 1):
        t = k / n
        x, z = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        for ox in (-0.3, 0.3):
            for oz in (-0.3, 0.3):
                ix, iz = math.floor(x + ox), math.floor(z + oz)
                if not (0 <= iz < walkable.shape[0] and 0 <= ix < walkable.shape[1]) or not walkable[iz, ix]:
                    return False
    return True


def indoor_path(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
    """Waypoints (world x, z) from `start` to `goal` over one storey's floor; the terrain planner's path when
    either is outside a building or they are on different storeys; None when the floor does not join them."""
    here, there = locate(world, start), locate(world, goal)
    if here is None or there is None or here[0] is not there[0] or here[1] != there[1]:
        if here is None and there is None:
            return plan_path(world, start, goal)
        return None
    building, storey, tile = here
    level = float(building.storeys[storey].floor[tile])
    return floor_path(building, storey, start, goal, level, there[2])


def floor_path(
    building: Building,
    storey: int,
    start: np.ndarray,
    goal: np.ndarray,
    level: float = 0.0,
    goal_tile: tuple[int, int] | None = None,
) -> list[tuple[float, float]] | None:
    """Waypoints (world x, z) from `start` to `goal` over `storey`'s floor at `level` (from the nearest walkable
    tiles when they stand on none: next to a hole, on a ladder's tile)."""
    walkable = _walkable(building, storey, level)
    ox, oz = building.origin[0], building.origin[2]
    first = (math.floor(float(start[2]) - oz), math.floor(float(start[0]) - ox))
    if not (0 <= first[0] < walkable.shape[0] and 0 <= first[1] < walkable.shape[1] and walkable[first]):
        first = _nearest(walkable, float(start[0]) - ox, float(start[2]) - oz)  # type: ignore[assignment]
    last = goal_tile or (math.floor(float(goal[2]) - oz), math.floor(float(goal[0]) - ox))
    if not (0 <= last[0] < walkable.shape[0] and 0 <= last[1] < walkable.shape[1] and walkable[last]):
        last = _nearest(walkable, float(goal[0]) - ox, float(goal[2]) - oz)  # type: ignore[assignment]
    if first is None or last is None:
        return None
    tiles = tile_path(walkable, first, last)
    if tiles is None:
        return None
    points = [(float(start[0]) - ox, float(start[2]) - oz)]
    points += [(x + 0.5, z + 0.5) for z, x in tiles[1:-1]]
    points.append((float(goal[0]) - ox, float(goal[2]) - oz))
    # Keep only the turns: from each kept point, the farthest point in a clear straight line.
    kept = [points[0]]
    k = 0
    while k < len(points) - 1:
        far = k + 1
        for j in range(len(points) - 1, k, -1):
            if _clear(walkable, points[k], points[j]):
                far = j
                break
        kept.append(points[far])
        k = far
    return [(x + ox, z + oz) for x, z in kept]


# --- the plan across storeys -----------------------------------------------------------------------------------------

AT_TILE = 0.15  # m: a walk to a link's entry tile is done this close to its centre
RAMP_DONE = 0.35  # m from the top landing's centre
RAMP_PATIENCE = 120  # ticks a ramp leg may take before the route is planned again (a fall)
LADDER_PATIENCE = 400  # ticks a ladder leg may take
LADDER_STAND = 0.3  # m from the body's axis to the slab's face while climbing (the rule scenario's)
ALIGN_YAW = 4.0  # deg: facing the slab within this, the body steps up to it
ALIGN_DONE = 0.04  # m from the climbing stand
# The rule scenario's holds (head frame, right hand; the left one mirrored) and pull, building_scenarios.gd.
UP_HOLDS = (np.array([0.15, 0.75, -0.6]), np.array([0.15, 0.0, -0.95]), np.array([0.15, -0.5, -0.8]))
PULL_UP = np.array([0.0, -0.5, 0.2])  # hand move per tick (m, head frame): the body goes up and to the slab
REACH_TICKS = 3  # per hold tried
PULL_TICKS = 6
PULL_STUCK = 0.02  # m per tick: a pull that gains less has reached the end of the arm
LEFT, RIGHT = 0, 1
HANDS = (LEFT_HAND, RIGHT_HAND)
GRASPS = (LEFT_GRASP, RIGHT_GRASP)


class Climb(Enum):
    ALIGN = "align"  # face the slab, step to the climbing stand
    REACH = "reach"  # the free hand reaches for a hold
    LET_GO = "let go"  # one tick: the old hold lets go
    PULL = "pull"  # the new hold pulls the body up


@dataclass
class Leg:
    kind: str  # "walk" (to `tile` on `storey`), "ramp", "ladder", "food"
    storey: int = 0
    tile: tuple[int, int] = (0, 0)
    link: Ramp | Ladder | None = None


def route(building: Building, storey: int, tile: tuple[int, int], goal: tuple[int, tuple[int, int]]) -> list[Leg]:
    """Legs from `tile` of `storey` to the goal (storey, tile): walks and links up; [] when no route (the plan then
    just runs the food plan)."""
    walkable = _walkable(building, storey, 0.0)
    if not walkable[tile]:
        near = _nearest(walkable, tile[1] + 0.5, tile[0] + 0.5)
        if near is None:
            return []
        tile = near
    if storey == goal[0]:
        return [Leg("food")] if tile_path(walkable, tile, goal[1]) is not None or not walkable[goal[1]] else []
    links: list[Ramp | Ladder] = [*building.ramps, *building.ladders]
    for link in links:
        if link.storey != storey:
            continue
        if isinstance(link, Ramp):
            tiles = ramp_tiles(link)
            entry, landing = tiles[0], tiles[-1]
        else:
            _, entry, landing = ladder_tiles(link)
        if tile_path(walkable, tile, entry) is None:
            continue
        rest = route(building, storey + 1, landing, goal)
        if rest:
            kind = "ramp" if isinstance(link, Ramp) else "ladder"
            return [Leg("walk", storey, entry), Leg(kind, storey, entry, link), *rest]
    return []


def _centre(building: Building, storey: int, tile: tuple[int, int]) -> np.ndarray:
    return np.asarray(building.tile_centre(storey, *tile), dtype=np.float64)


@dataclass
class IndoorPlan:
    """Up the building's links to the food's storey, then the food plan (avalon.oracle.food)."""

    motor: Motor
    food: FoodPlan = field(init=False)
    legs: list[Leg] | None = None
    _building: Building | None = None
    _goal: tuple[int, tuple[int, int]] | None = None
    _ticks: int = 0
    _climb: Climb = Climb.ALIGN
    _free: int = RIGHT
    _hold: int = 0  # index into UP_HOLDS
    _last_feet: float | None = None
    _ticks_stage: int = 0  # ticks in the climbing stage (reach: on this hold; pull: pulling)

    def __post_init__(self) -> None:
        self.food = FoodPlan(self.motor)
        self.motor.planner = indoor_path
        world = self.motor.world
        if world is None or not world.buildings:
            self.legs = [Leg("food")]
            return
        food = world.foods()[0].position
        here = locate(world, np.array([food[0], food[1] + 0.5, food[2]]))
        if here is None:
            self.legs = [Leg("food")]
            return
        self._building, self._goal = here[0], (here[1], here[2])

    @property
    def phase(self) -> Any:
        return self.food.phase if self.legs and self.legs[0].kind == "food" else None

    def _plan(self, body: np.ndarray) -> None:
        world = self.motor.world
        assert world is not None and self._building is not None and self._goal is not None
        here = locate(world, body)
        legs: list[Leg] = []
        if here is not None and here[0] is self._building:
            legs = route(self._building, here[1], here[2], self._goal)
        self.legs = legs or [Leg("food")]
        self._ticks, self._climb = 0, Climb.ALIGN

    def act(self, action: np.ndarray, debug: dict[str, Any]) -> None:
        body = np.asarray(debug["body_position"], dtype=np.float64)
        if self.legs is None:
            self._plan(body)
        assert self.legs is not None
        leg = self.legs[0]
        if leg.kind == "food":
            self.food.act(action, debug)
            return
        assert self._building is not None
        self._ticks += 1
        if leg.kind == "walk":
            goal = _centre(self._building, leg.storey, leg.tile)
            self.motor.walk(action, debug, ("leg", leg.storey, leg.tile), goal, 0.0)
            self.motor.look_level(action, debug)
            if math.hypot(body[0] - goal[0], body[2] - goal[2]) <= AT_TILE:
                self._next()
            return
        if leg.kind == "ramp":
            self._ramp(action, debug, body, leg)
        else:
            self._ladder(action, debug, body, leg)

    def _next(self) -> None:
        assert self.legs is not None
        self.legs.pop(0)
        self._ticks, self._climb, self._last_feet = 0, Climb.ALIGN, None
        self.motor._path_target = None  # a fresh path for the next walk

    def _ramp(self, action: np.ndarray, debug: dict[str, Any], body: np.ndarray, leg: Leg) -> None:
        assert self._building is not None and isinstance(leg.link, Ramp)
        tiles = ramp_tiles(leg.link)
        start, top = _centre(self._building, leg.storey, tiles[0]), _centre(self._building, leg.storey + 1, tiles[-1])
        line = [(float(start[0]), float(start[2])), (float(top[0]), float(top[2]))]
        planner = self.motor.planner
        self.motor.planner = lambda world, a, b: line
        self.motor.walk(action, debug, ("ramp", leg.link), top, 0.0)
        self.motor.planner = planner
        self.motor.look_level(action, debug)
        feet = body[1] - AGENT_HEIGHT / 2.0
        if math.hypot(body[0] - top[0], body[2] - top[2]) <= RAMP_DONE and feet > top[1] - 0.3:
            self._next()
        elif self._ticks > RAMP_PATIENCE:
            self._plan(body)

    def _ladder(self, action: np.ndarray, debug: dict[str, Any], body: np.ndarray, leg: Leg) -> None:
        assert self._building is not None and isinstance(leg.link, Ladder)
        ladder = leg.link
        dz, dx = SIDE_STEP[Side(ladder.side)]
        into = np.array([dx, 0.0, dz], dtype=np.float64)
        foot = _centre(self._building, ladder.storey, (ladder.z, ladder.x))
        landing = _centre(self._building, ladder.storey + 1, ladder_tiles(ladder)[2])
        feet = body[1] - AGENT_HEIGHT / 2.0
        holding = [bool(debug["left_hand_holding"]), bool(debug["right_hand_holding"])]
        if not any(holding) and feet > landing[1] - 0.3 and debug["is_on_floor"]:
            self._next()  # the ledge rule stepped the body onto the landing
            return
        if self._ticks > LADDER_PATIENCE:
            self._plan(body)
            return
        self.motor.face(action, debug, body + into * 5.0)
        self.motor.look_level(action, debug)
        if self._climb is Climb.ALIGN:
            if any(holding):
                self._climb = Climb.REACH
            else:
                stand = foot + into * (0.5 - 0.1 - LADDER_STAND)
                yaw_error = self.motor.face(action, debug, body + into * 5.0)
                offset = stand - body
                if abs(yaw_error) <= ALIGN_YAW:
                    local = head_basis(debug["head_yaw"], 0.0).T @ np.array([offset[0], 0.0, offset[2]])
                    local = np.clip(local / MAX_HEAD_LINEAR_SPEED, -0.5, 0.5)
                    action[HEAD_X], action[HEAD_Z] = local[0], local[2]
                if math.hypot(offset[0], offset[2]) <= ALIGN_DONE and abs(yaw_error) <= ALIGN_YAW:
                    self._climb, self._free, self._hold, self._ticks_stage = Climb.REACH, RIGHT, 0, 0
                return
        self._climb_step(action, debug, holding, feet)

    def _climb_step(self, action: np.ndarray, debug: dict[str, Any], holding: list[bool], feet: float) -> None:
        free, other = self._free, 1 - self._free
        if self._climb is Climb.PULL:
            moved = math.inf if self._last_feet is None else abs(feet - self._last_feet)
            self._last_feet = feet
            if not holding[free] or self._ticks_stage >= PULL_TICKS or moved < PULL_STUCK:
                self._free, self._climb, self._hold, self._ticks_stage = other, Climb.REACH, 0, 0
                free, other = other, free
            else:
                self._ticks_stage += 1
                action[HANDS[free]] = PULL_UP
                action[GRASPS[free]] = 1.0
                return
        if self._climb is Climb.LET_GO:
            action[GRASPS[free]] = 1.0
            self._climb, self._ticks_stage, self._last_feet = Climb.PULL, 0, None
            return
        # REACH
        if holding[other]:
            action[GRASPS[other]] = 1.0
        if holding[free]:
            action[GRASPS[free]] = 1.0
            self._climb = Climb.LET_GO if holding[other] else Climb.PULL
            self._ticks_stage, self._last_feet = 0, None
            if self._climb is Climb.PULL:
                action[HANDS[free]] = PULL_UP
            return
        if self._ticks_stage >= REACH_TICKS:
            self._hold, self._ticks_stage = self._hold + 1, 0
        if self._hold >= len(UP_HOLDS):  # no hold in reach
            if holding[other]:  # pull on the old hold again
                self._free, self._climb, self._ticks_stage, self._last_feet = other, Climb.PULL, 0, None
                action[GRASPS[other]] = 1.0
            else:
                self._climb, self._ticks_stage = Climb.ALIGN, 0
            self._hold = 0
            return
        self._ticks_stage += 1
        target = UP_HOLDS[self._hold] * (np.array([-1.0, 1.0, 1.0]) if free == LEFT else 1.0)
        head = np.asarray(debug["head_position"], dtype=np.float64)
        key = "left_hand_position" if free == LEFT else "right_hand_position"
        basis = head_basis(debug["head_yaw"], debug["head_pitch"])
        offset = basis.T @ (np.asarray(debug[key], dtype=np.float64) - head)
        delta = (target - offset) / MAX_HAND_LINEAR_SPEED
        norm = float(np.linalg.norm(delta))
        action[HANDS[free]] = delta / max(1.0, norm)
        if norm <= 1.0:
            action[GRASPS[free]] = 1.0


def indoor_or(plan: Any) -> Any:
    """A plan factory: `IndoorPlan` in a world with buildings, else `plan`."""

    def make(motor: Motor) -> Any:
        if motor.world is not None and motor.world.buildings:
            return IndoorPlan(motor)
        return plan(motor)

    return make
