"""Single-room indoor worlds for the outdoor skills (JUMP, PUSH and STACK indoors): the room's floors as terrain.

The outdoor skills (run-up jumps, pushes and hops, carrying stones into a staircase) plan over the world's heightmap.
In a one-room building everything they need is the height of the floor under each point, so `as_terrain(world)`
gives them a copy of the world whose terrain is the building's ground storey: points `CELL` m apart, placed so none
lies on a tile edge (the floor steps within CELL / 2 of each edge), walls `WALL_ABOVE` m above the ceiling (no walk,
jump or hop crosses them), the floor blocks' climbable flags as the climb map; the building itself is left out (the
engine still has it: only the plans read the copy).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from avalon.oracle.skills import JUMP, Motor
from avalon.world import terrain as tr
from avalon.world.building import Building, Tile
from avalon.world.spec import Terrain, WorldSpec

CELL = 0.25  # m between the terrain's points
WALL_ABOVE = 10.0  # m above the storey's ceiling: walls as terrain
JITTER = 0.15  # m: a walking body that stays this near one point for `stuck_patience` steps is stuck


def building_terrain(building: Building, storey: int = 0) -> Terrain:
    """`storey`'s floors as a heightmap (see the module docstring)."""
    nz, nx = building.shape
    s = building.storeys[storey]
    per_tile = round(1.0 / CELL)
    x0 = building.origin[0] + CELL / 2.0
    z0 = building.origin[2] + CELL / 2.0
    base = building.origin[1] + s.level
    tile_height = np.where(s.tiles == Tile.FLOOR, base + s.floor, base + s.inner_height + WALL_ABOVE).astype(np.float64)
    # Point k along an axis lies in tile k // per_tile.
    heights = np.repeat(np.repeat(tile_height, per_tile, axis=0), per_tile, axis=1)
    climbable_tiles = (s.climbable > 0) & (s.tiles == Tile.FLOOR)
    points = np.repeat(np.repeat(climbable_tiles, per_tile, axis=0), per_tile, axis=1)
    # A cell between points is climbable where either of the points at its corners is (the block's face).
    cells = points[:-1, :-1] | points[1:, :-1] | points[:-1, 1:] | points[1:, 1:]
    return Terrain(
        heights=heights.astype(np.float32),
        cell_colors=np.full(cells.shape, tr.SAND, np.uint8),
        climbable=cells.astype(np.uint8),
        palette=tr.PALETTE,
        origin=(x0, 0.0, z0),
        water_height=float(base - 100.0),
        cell_size=CELL,
    )


def as_terrain(world: WorldSpec) -> WorldSpec:
    """A copy of `world` whose terrain is its (first) building's ground storey and without buildings (see the
    module docstring); `world` itself when it has no building."""
    if not world.buildings:
        return world
    return dataclasses.replace(world, terrain=building_terrain(world.buildings[0]), buildings=())


@dataclass
class RoomMotor(Motor):
    """A Motor whose walks count the body as stuck while it stays within JITTER m of where it was, not only while it
    stands still: against a stone's shell in a room the walk turned back and forth between waypoints, moving a few
    centimetres each step, and never jumped onto the stone it had to stand on (STACK's upper layers)."""

    _anchor: np.ndarray | None = None

    def unstick(self, action: np.ndarray, body: np.ndarray) -> None:
        if self._anchor is not None and float(np.linalg.norm(body - self._anchor)) < JITTER:
            self._stuck += 1
        else:
            self._anchor, self._stuck = body.copy(), 0
        self._jump_cooldown = max(0, self._jump_cooldown - 1)
        if self._stuck >= self.stuck_patience and self._jump_cooldown == 0:
            action[JUMP] = 1.0
            self._jump_cooldown = 10
            self._anchor, self._stuck = None, 0


def on_terrain(motor: Motor) -> Motor:
    """A `RoomMotor` whose world is `as_terrain(motor.world)`."""
    world = as_terrain(motor.world) if motor.world is not None else None
    return RoomMotor(world, motor.stuck_patience)
