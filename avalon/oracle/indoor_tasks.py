"""JUMP's, PUSH's and STACK's plans in their indoor (single-room) worlds: the outdoor plans over the room's floors as
terrain (`avalon.oracle.rooms`), and the staircase of STACK's island found from the room's tiles.

`PLANS` in avalon/oracle/__init__.py maps each of the three tasks to `jump`, `push` and `stack` here: the outdoor
plan when the world has no building, the indoor one otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from avalon.constants import AGENT_HEIGHT
from avalon.entities import FOOD_BY_NAME
from avalon.navigation import plan_path
from avalon.oracle.food import GONE, FoodPlan, Phase
from avalon.oracle.jump import JumpPlan
from avalon.oracle.jumping import RunUpJump, find_crossing
from avalon.oracle.push import PushPlan
from avalon.oracle.pushing import Hop, Push
from avalon.oracle.rooms import on_terrain
from avalon.oracle.skills import Motor
from avalon.oracle.stack import StackPlan, Staircase
from avalon.oracle.stack import Stage as StackStage
from avalon.tasks.indoor import Room
from avalon.tasks.stack import ISLAND_ABOVE_STONES, island_faces
from avalon.world.building import Building, Tile
from avalon.world.layout import Room as LayoutRoom
from avalon.world.obstacles.grid import Grid, dilate
from avalon.world.spec import WorldSpec

ISLAND_CLEARANCE = 0.3  # m between the island and the staircase's tallest column
INDOOR_MAX_JUMPS = 16  # a long room at d = 1 has up to 8 chasm rows; a fall counts as a jump too
WALL_CLEAR = 1.25  # m off the walls and the island that STACK's walks keep where they can
WALL_STEP = 0.5  # m above the room's floor that counts as a wall or the island
WALL_PENALTY = 5.0  # m of path each ring of points nearer them costs


def _indoors(motor: Motor) -> bool:
    return motor.world is not None and bool(motor.world.buildings)


def jump(motor: Motor) -> JumpPlan:
    """JUMP: run-up jumps over each chasm row in turn (each landing finds the next crossing), then the food plan."""
    if not _indoors(motor):
        return JumpPlan(motor)
    assert motor.world is not None
    return IndoorJumpPlan(on_terrain(motor), max_jumps=INDOOR_MAX_JUMPS, building=motor.world.buildings[0])


@dataclass
class IndoorJumpPlan(JumpPlan):
    """JumpPlan in a room of chasm rows: each jump aims at the landing row beyond the next chasm towards the food
    (the outdoor crossing search joins the body's floor to the food's, which only works for one chasm)."""

    building: Building | None = None

    def _decide(self, debug: dict[str, Any]) -> None:
        self._decided = True
        world = self.motor.world
        foods = [e for e in debug["entities"] if e["kind"] in FOOD_BY_NAME and not e["flags"] & GONE]
        if world is None or not foods or self._jumps >= self.max_jumps or self.building is None:
            return
        body = debug["body_position"]
        food = foods[0]["position"]
        goal = self._next_landing(body, food)
        if goal is None:
            return
        crossing = find_crossing(world, (float(body[0]), float(body[2])), goal)
        if crossing is not None:
            self._jumps += 1
            self.jump = RunUpJump(self.motor, crossing)

    def _next_landing(self, body: Any, food: Any) -> tuple[float, float] | None:
        """The centre of the first floor row beyond the next chasm rows between the body and the food, in the body's
        column (x, z); None when no chasm lies between them."""
        b = self.building
        assert b is not None
        s = b.storeys[0]
        here, there = b.tile_of(float(body[0]), float(body[2])), b.tile_of(float(food[0]), float(food[2]))
        if here is None or there is None:
            return None
        step = 1 if there[0] >= here[0] else -1
        inside = s.tiles[:, here[1]] == Tile.FLOOR
        rows = range(here[0] + step, there[0] + step, step)
        chasm = [z for z in rows if inside[z] and s.floor[z, here[1]] < -0.5]
        if not chasm or s.floor[here] < -0.5:
            return None
        z = chasm[0]
        while s.floor[z, here[1]] < -0.5:
            z += step
        x, _, zc = b.tile_centre(0, z, here[1])
        return (x, zc)


def island_staircase(world: WorldSpec, stones: list[tuple[float, float]]) -> Staircase | None:
    """STACK's staircase in a room: against the middle of the island face with room for it (the generator's
    `island_faces`), the face nearest the stones' mean (the body walks least); None without an island."""
    building = world.buildings[0]
    s = building.storeys[0]
    raised = (s.tiles == Tile.FLOOR) & (s.floor > 0.5)
    if not raised.any():
        return None
    zs, xs = np.nonzero(raised)
    z0, x0 = int(zs.min()), int(xs.min())
    heights = s.floor[raised]
    n = max(1, round(float(np.min(heights)) - ISLAND_ABOVE_STONES))
    room = Room(np.array(s.tiles), np.array(s.floor), np.array(s.climbable), LayoutRoom(0, 0, 0, 0, 0))
    faces = island_faces(room, z0, x0, n)
    if not faces:
        return None
    centre = np.mean(np.asarray(stones), axis=0) if stones else None
    best = None
    for (z, x), (dz, dx) in faces:
        cx, _, cz = building.tile_centre(0, z, x)
        cost = 0.0 if centre is None else math.hypot(cx - centre[0], cz - centre[1])
        if best is None or cost < best[0]:
            best = (cost, (cx, cz), (-dx, -dz))
    assert best is not None
    _, (cx, cz), (hx, hz) = best
    # The tile's centre is half a stone from the face; the tallest column stands ISLAND_CLEARANCE m off it.
    anchor = (cx - hx * ISLAND_CLEARANCE, cz - hz * ISLAND_CLEARANCE)
    ground = building.origin[1] + s.level
    return Staircase(
        anchor, (float(hx), float(hz)), ground, n, cliff_above=ISLAND_ABOVE_STONES, clearance=ISLAND_CLEARANCE
    )


@dataclass
class IndoorStackPlan(StackPlan):
    """StackPlan whose walks keep WALL_CLEAR m off the walls and the island where they can: a stone carried in front
    of the body would otherwise scrape along them (the A* path hugs the island's corners)."""

    def _trunks(self, world: WorldSpec) -> np.ndarray | float:
        if self._trunk_penalty is None:
            grid = Grid.of(world.terrain)
            high = grid.heights > float(np.min(grid.heights)) + WALL_STEP
            # Graded: each ring of points nearer the walls costs WALL_PENALTY more, so walks keep to the middle.
            penalty = np.zeros(grid.shape)
            for k in range(1, math.ceil(WALL_CLEAR / grid.cell_size) + 1):
                penalty += np.where(dilate(high, k), WALL_PENALTY, 0.0)
            self._trunk_penalty = penalty
        return self._trunk_penalty


def stack(motor: Motor) -> StackPlan:
    """STACK: outdoors the outdoor plan; indoors the same plan with the island's staircase (`island_staircase`)."""
    if not _indoors(motor):
        return StackPlan(motor)
    assert motor.world is not None
    stones = [(item.position[0], item.position[2]) for item in motor.world.items if item.kind == "stone"]
    stair = island_staircase(motor.world, stones)
    plan = IndoorStackPlan(on_terrain(motor))
    if stair is not None:
        plan.stair, plan.stage = stair, StackStage.BUILD
    return plan


BLOCKING_CLEAR = 0.6  # m past the gap's edge the BLOCKED boulder's face must be (room for the body by it)
FACE_GAP = 0.05  # m between the island and the boulder pushed against it (aim; it stops against the island anyway)
ON_BOULDER = 0.3  # m: feet within this of the boulder's top, over it, stand on it
TAKE_OFF_IN = 0.35  # m inside the boulder top's edge where a hop onto the island starts
LAND_IN = 0.8  # m inside the island's edge where that hop aims
MAX_PUSH_SKILLS = 12


@dataclass
class IndoorPushPlan:
    """PUSH indoors. BLOCKED: push the boulder along the partition off the gap (towards the longer side), then the
    food plan through the gap. CLIMB_HIGHER: push the boulder against the island face nearest it, hop onto it, hop
    onto the island, then the food plan. CROSS_CHASM: the outdoor plan (push it into the chasm, hop down onto it,
    down to the floor, push it across, hop onto it and up onto the far rim)."""

    motor: Motor
    building: Building
    food: FoodPlan = field(init=False)
    skill: Push | Hop | None = None
    _decided: bool = False
    _skills: int = 0
    _pushed: bool = False

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
            self.skill, self._decided = None, False
            return
        self.food.act(action, debug)

    def _decide(self, debug: dict[str, Any]) -> None:
        self._decided = True
        self.motor.planner = plan_path
        boulders = [e for e in debug["entities"] if e["kind"] == "boulder"]
        if not boulders or self._skills >= MAX_PUSH_SKILLS:
            return
        self._skills += 1
        boulder = boulders[0]
        size = float(next(i.fields["size"] for i in self.motor.world.items if i.kind == "boulder"))  # type: ignore[union-attr]
        rock = np.asarray(boulder["position"], dtype=np.float64)
        body = np.asarray(debug["body_position"], dtype=np.float64)
        s = self.building.storeys[0]
        inner = s.tiles[1:-1, 1:-1]
        ground = self.building.origin[1] + s.level
        if ((inner == Tile.WALL) | (inner == Tile.WINDOW)).any():
            gap = self._gap()
            if abs(float(rock[2]) - gap[1]) < size / 2.0 + 0.5 + BLOCKING_CLEAR:
                self.skill = Push(self.motor, int(boulder["id"]), size, self._off_gap(rock, gap), ground, fall=False)
            return
        island = (s.tiles == Tile.FLOOR) & (s.floor > 0.5)
        if not island.any():
            return
        feet = float(body[1]) - AGENT_HEIGHT / 2.0
        top = float(rock[1]) + size / 2.0
        island_top = ground + float(np.min(s.floor[island]))
        if feet > island_top - 0.3:
            return  # on the island: the food plan
        face, out = self._face(island, rock)
        at_face = np.array(face) + np.array(out) * (size / 2.0 + FACE_GAP)
        on_top = math.hypot(body[0] - rock[0], body[2] - rock[2]) < size / 2.0 + 0.25 and feet > top - ON_BOULDER
        if on_top:
            w = -np.array(out)
            approach = rock[[0, 2]] + w * (size / 2.0 - TAKE_OFF_IN)
            target = np.array(face) + w * LAND_IN
            self.skill = Hop(self.motor, _pt(target), island_top, _pt(approach))
            return
        if math.hypot(rock[0] - at_face[0], rock[2] - at_face[1]) > 0.45 and not self._pushed:
            self._pushed = True
            self.skill = Push(self.motor, int(boulder["id"]), size, _pt(at_face), ground, fall=False, reach=0.2)
            return
        # Onto the boulder from the side facing the body (the hop rises straight up, then over its top).
        u = rock[[0, 2]] - body[[0, 2]]
        u = u / max(1e-6, float(np.linalg.norm(u)))
        approach = rock[[0, 2]] - u * (size / 2.0 + 0.2)
        self.skill = Hop(self.motor, _pt(rock[[0, 2]]), top, _pt(approach), rise_first=True)

    def _gap(self) -> tuple[float, float]:
        """BLOCKED: the centre (x, z) of the partition's gap tile."""
        s = self.building.storeys[0]
        nz, nx = self.building.shape
        walls = (s.tiles == Tile.WALL) | (s.tiles == Tile.WINDOW)
        column = next(x for x in range(1, nx - 1) if walls[1 : nz - 1, x].sum() >= nz - 3)
        row = next(z for z in range(1, nz - 1) if s.tiles[z, column] == Tile.FLOOR)
        x, _, z = self.building.tile_centre(0, row, column)
        return (x, z)

    def _off_gap(self, rock: np.ndarray, gap: tuple[float, float]) -> tuple[float, float]:
        """BLOCKED: where the boulder is pushed: along the partition (z) to the end of the longer stretch of floor
        (it stops against the outline wall; aiming short of it, a push overshot and the next one pushed it back)."""
        b = self.building
        nz = b.shape[0]
        z_min, z_max = b.origin[2] + 1.0, b.origin[2] + nz - 1.0
        end = z_max if z_max - gap[1] >= gap[1] - z_min else z_min
        return (float(rock[0]), end)

    def _face(self, island: np.ndarray, rock: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
        """The middle of the island face nearest the boulder, and the unit step out of it (x, z)."""
        zs, xs = np.nonzero(island)
        ox, oz = self.building.origin[0], self.building.origin[2]
        x0, x1, z0, z1 = ox + xs.min(), ox + xs.max() + 1, oz + zs.min(), oz + zs.max() + 1
        cx, cz = (x0 + x1) / 2.0, (z0 + z1) / 2.0
        faces = [((x0, cz), (-1.0, 0.0)), ((x1, cz), (1.0, 0.0)), ((cx, z0), (0.0, -1.0)), ((cx, z1), (0.0, 1.0))]
        return min(faces, key=lambda f: math.hypot(f[0][0] - rock[0], f[0][1] - rock[2]))


def _pt(v: Any) -> tuple[float, float]:
    return (float(v[0]), float(v[1]))


def push(motor: Motor) -> Any:
    """PUSH: outdoors the outdoor plan; indoors `IndoorPushPlan` (CROSS_CHASM: the outdoor plan over the room)."""
    if not _indoors(motor):
        return PushPlan(motor)
    assert motor.world is not None
    building = motor.world.buildings[0]
    s = building.storeys[0]
    if (s.floor[s.tiles == Tile.FLOOR] < -0.5).any():
        return PushPlan(on_terrain(motor))
    return IndoorPushPlan(on_terrain(motor), building)
