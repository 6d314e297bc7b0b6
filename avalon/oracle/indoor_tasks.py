"""JUMP's, PUSH's and STACK's plans in their indoor (single-room) worlds: the outdoor plans over the room's floors as
terrain (`avalon.oracle.rooms`), and the staircase of STACK's island found from the room's tiles.

`PLANS` in avalon/oracle/__init__.py maps each of the three tasks to `jump`, `push` and `stack` here: the outdoor
plan when the world has no building, the indoor one otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from avalon.entities import FOOD_BY_NAME
from avalon.oracle.food import GONE
from avalon.oracle.jump import JumpPlan
from avalon.oracle.jumping import RunUpJump, find_crossing
from avalon.world.building import Building, Tile
from avalon.world.obstacles.grid import Grid, dilate
from avalon.oracle.rooms import on_terrain
from avalon.oracle.skills import Motor
from avalon.oracle.stack import Stage as StackStage
from avalon.oracle.stack import StackPlan, Staircase
from avalon.tasks.indoor_room import Room
from avalon.tasks.stack import ISLAND_ABOVE_STONES, STAIR_CLEARANCE, island_faces
from avalon.world.layout import Room as LayoutRoom
from avalon.world.spec import WorldSpec

ISLAND_CLEARANCE = 0.3  # m between the island and the staircase's tallest column
INDOOR_MAX_JUMPS = 16
WALL_CLEAR = 1.25  # m off the walls and the island that STACK's walks keep where they can
WALL_STEP = 0.5  # m above the room's floor that counts as a wall or the island
WALL_PENALTY = 5.0  # m of path a point near them costs  # a long room at d = 1 has up to 8 chasm rows; a failed jump (a fall) counts too


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

    building: Building | None = None

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
    # The tile's centre is half a stone from the face; the tallest column stands STAIR_CLEARANCE m off it.
    anchor = (cx - hx * ISLAND_CLEARANCE, cz - hz * ISLAND_CLEARANCE)
    ground = building.origin[1] + s.level
    return Staircase(anchor, (float(hx), float(hz)), ground, n, cliff_above=ISLAND_ABOVE_STONES, clearance=ISLAND_CLEARANCE)


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
