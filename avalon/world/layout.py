"""Building layouts after the reference (original_buildings.md section 1): footprints, rooms, the doorways between
rooms, windows; the result is a `Building` of the world spec (avalon.world.building) and the rooms and doorways the
task generators and the oracle plan with.

Pure numpy, deterministic for a given `np.random.Generator`. Tiles are 1 m, arrays indexed [z, x].
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from avalon.world.building import SIDE_STEP, Building, Side, Storey, Tile
from avalon.world.spec import Vec3

MIN_BUILDING = 5  # tiles a side (reference 1.1)
MIN_ROOM = 3  # tiles a side (reference 1.3)
STOREY_HEIGHT = 5.0  # m floor top to floor top (reference 1.1)
UPPER_SHRINK_MIN = 7  # an upper storey shrinks by a tile a side unless the inside would be narrower (5 + 2)
WINDOW_SPACING = 2.5  # m per window along a straight exterior wall run (1.5 m window + 1 m; reference 1.7)
MAX_WINDOWS_PER_RUN = 8
MIN_SHARED_WALL = 3  # tiles two rooms of a chain share (OPEN, reference 1.10)


class ImpossibleLayoutError(ValueError):
    """The drawn rooms cannot be laid out as asked (the generator draws again)."""


@dataclass(frozen=True)
class Room:
    """A rectangle of floor tiles [z0, z1) x [x0, x1) on `storey`."""

    storey: int
    z0: int
    x0: int
    z1: int
    x1: int

    @property
    def centre(self) -> tuple[int, int]:
        """(z, x) of the room's centre tile (the lower middle one on even sides)."""
        return ((self.z0 + self.z1 - 1) // 2, (self.x0 + self.x1 - 1) // 2)

    @property
    def size(self) -> tuple[int, int]:
        return (self.z1 - self.z0, self.x1 - self.x0)

    def contains(self, z: int, x: int) -> bool:
        return self.z0 <= z < self.z1 and self.x0 <= x < self.x1


@dataclass(frozen=True)
class Doorway:
    """A wall tile (z, x) carved into floor between rooms `rooms[0]` (the approach side: doors stand on its face and
    open from it) and `rooms[1]`; `side` points from the approach room into the doorway."""

    storey: int
    z: int
    x: int
    rooms: tuple[int, int]
    side: int  # Side

    def door_pose(self, building: Building) -> tuple[Vec3, float]:
        """(position, yaw) of a door in this doorway (docs/doors.md "Frames"): the bottom centre of the doorway on
        the approach room's wall face; yaw turns the door's +z toward the approach room."""
        dz, dx = SIDE_STEP[Side(self.side)]
        x, y, z = building.tile_centre(self.storey, self.z, self.x)
        position = (x - dx * 0.5, y, z - dz * 0.5)
        # +z of a door at yaw 0 is world +z; it must point back along -side.
        yaw = {Side.SOUTH: 180.0, Side.NORTH: 0.0, Side.EAST: -90.0, Side.WEST: 90.0}[Side(self.side)]
        return position, yaw


@dataclass
class Layout:
    """A building being laid out: per storey tiles, rooms and doorways; `building(origin)` freezes it."""

    footprints: list[np.ndarray]  # bool (z, x) per storey
    rooms: list[Room] = field(default_factory=list)
    doorways: list[Doorway] = field(default_factory=list)
    windows: bool = True

    @property
    def shape(self) -> tuple[int, int]:
        nz, nx = self.footprints[0].shape
        return (int(nz), int(nx))

    def tiles(self, storey: int) -> np.ndarray:
        tiles = np.where(self.footprints[storey], Tile.WALL, Tile.OUTSIDE).astype(np.uint8)
        for room in self.rooms:
            if room.storey == storey:
                tiles[room.z0 : room.z1, room.x0 : room.x1] = Tile.FLOOR
        for doorway in self.doorways:
            if doorway.storey == storey:
                tiles[doorway.z, doorway.x] = Tile.FLOOR
        if self.windows:
            tiles[window_tiles(tiles)] = Tile.WINDOW
        return tiles

    def building(self, origin: Vec3) -> Building:
        storeys = tuple(Storey.of(self.tiles(s), level=s * STOREY_HEIGHT) for s in range(len(self.footprints)))
        return Building(origin, storeys)


def rectangle_footprints(width: int, length: int, storeys: int) -> list[np.ndarray]:
    """bool (length, width) per storey: the ground one full, each upper one the one below shrunk by a tile a side
    unless the shrunk one would be narrower than UPPER_SHRINK_MIN (reference 1.2: 9 -> 7 -> 5 -> 5)."""
    if width < MIN_BUILDING or length < MIN_BUILDING:
        raise ValueError(f"a building needs at least {MIN_BUILDING} x {MIN_BUILDING} tiles, got {width} x {length}")
    out = [np.ones((length, width), bool)]
    for _ in range(1, storeys):
        below = out[-1]
        zs, xs = np.nonzero(below)
        z0, z1, x0, x1 = zs.min(), zs.max() + 1, xs.min(), xs.max() + 1
        if min(z1 - z0, x1 - x0) - 2 >= UPPER_SHRINK_MIN:
            z0, z1, x0, x1 = z0 + 1, z1 - 1, x0 + 1, x1 - 1
        mask = np.zeros_like(below)
        mask[z0:z1, x0:x1] = True
        out.append(mask)
    return out


def greedy_rooms(inside: np.ndarray, storey: int) -> list[Room]:
    """The inside tiles covered by rectangles, row-major, extending right, then down while the whole row fits."""
    from avalon.world.building import greedy_rectangles

    return [Room(storey, z0, x0, z1, x1) for z0, x0, z1, x1 in greedy_rectangles(inside)]


def house_rooms(
    rng: np.random.Generator, footprint: np.ndarray, storey: int, max_rooms: int, min_room: int = MIN_ROOM
) -> list[Room]:
    """Rooms of the reference's house-like builder (section 1.3): the footprint less its outline ring (the exterior
    wall), cut into rectangles, then rooms split by 1-tile walls at a uniform spot at least `min_room` from either end,
    each half splitting on (the other way) with probability its edge / the building's size on that axis, while the
    budget of `max_rooms` lasts (depth first)."""
    inside = footprint.copy()
    inside[:, :] = False
    core = footprint.copy()
    core[1:, :] &= footprint[:-1, :]
    core[:-1, :] &= footprint[1:, :]
    core[:, 1:] &= footprint[:, :-1]
    core[:, :-1] &= footprint[:, 1:]
    core[0, :] = core[-1, :] = False
    core[:, 0] = core[:, -1] = False
    inside = core
    rooms = greedy_rooms(inside, storey)
    budget = [max_rooms - len(rooms)]
    size_z, size_x = footprint.shape
    along_x = bool(rng.uniform() < 0.5)  # the first split cuts the x extent (a wall along z)

    def split(room: Room, cut_x: bool) -> list[Room]:
        edge = room.x1 - room.x0 if cut_x else room.z1 - room.z0
        if budget[0] <= 0 or edge < 2 * min_room + 1:
            return [room]
        at = int(round(rng.uniform(min_room, edge - min_room - 1)))
        budget[0] -= 1
        if cut_x:
            halves = [
                Room(storey, room.z0, room.x0, room.z1, room.x0 + at),
                Room(storey, room.z0, room.x0 + at + 1, room.z1, room.x1),
            ]
        else:
            halves = [
                Room(storey, room.z0, room.x0, room.z0 + at, room.x1),
                Room(storey, room.z0 + at + 1, room.x0, room.z1, room.x1),
            ]
        out: list[Room] = []
        for half in halves:
            # The half splits on the other way with probability its edge on that axis / the building's.
            other = half.z1 - half.z0 if cut_x else half.x1 - half.x0
            chance = other / (size_z if cut_x else size_x)
            out.extend(split(half, not cut_x) if rng.uniform() < chance else [half])
        return out

    result: list[Room] = []
    for room in rooms:
        result.extend(split(room, along_x))
    return result


def shared_walls(a: Room, b: Room) -> tuple[int, list[tuple[int, int]], Side] | None:
    """When one wall tile thick separates rooms `a` and `b`: (overlap in tiles, the wall tiles between them along the
    overlap, the side of `a` they are on); else None."""
    if a.storey != b.storey:
        return None
    for side in Side:
        dz, dx = SIDE_STEP[side]
        if dz:
            wall = a.z1 if dz > 0 else a.z0 - 1
            if (dz > 0 and b.z0 != wall + 1) or (dz < 0 and b.z1 != wall):
                continue
            lo, hi = max(a.x0, b.x0), min(a.x1, b.x1)
            tiles = [(wall, x) for x in range(lo, hi)]
        else:
            wall = a.x1 if dx > 0 else a.x0 - 1
            if (dx > 0 and b.x0 != wall + 1) or (dx < 0 and b.x1 != wall):
                continue
            lo, hi = max(a.z0, b.z0), min(a.z1, b.z1)
            tiles = [(z, wall) for z in range(lo, hi)]
        if hi > lo:
            return hi - lo, tiles, side
    return None


def doorway_between(rooms: list[Room], i: int, j: int) -> Doorway:
    """The doorway from room i to room j: the wall tile at the floor of the middle of their shared wall (reference
    1.4's attachment rule)."""
    shared = shared_walls(rooms[i], rooms[j])
    if shared is None:
        raise ImpossibleLayoutError(f"rooms {i} and {j} share no wall")
    _, tiles, side = shared
    z, x = tiles[(len(tiles) - 1) // 2]
    return Doorway(rooms[i].storey, z, x, (i, j), int(side))


def chain(rooms: list[Room], min_shared: int = MIN_SHARED_WALL) -> list[int]:
    """The rooms' order on a path through every room once, each step between rooms sharing at least `min_shared`
    wall tiles, shortest in centre-to-centre distance (the reference's Hamiltonian builder approximates this TSP
    path with networkx; exact here: OPEN has at most 5 rooms). Raises ImpossibleLayoutError when there is none."""
    n = len(rooms)
    if n == 1:
        return [0]
    linked = np.zeros((n, n), bool)
    for i, j in itertools.combinations(range(n), 2):
        shared = shared_walls(rooms[i], rooms[j])
        linked[i, j] = linked[j, i] = shared is not None and shared[0] >= min_shared
    if n > 8:
        raise ImpossibleLayoutError(f"{n} rooms: chains are searched exhaustively up to 8")
    centres = np.array([r.centre for r in rooms], float)
    best: tuple[float, tuple[int, ...]] | None = None
    for order in itertools.permutations(range(n)):
        if order[0] > order[-1]:
            continue  # each path once, not also backwards
        if not all(linked[a, b] for a, b in itertools.pairwise(order)):
            continue
        length = float(sum(np.hypot(*(centres[a] - centres[b])) for a, b in itertools.pairwise(order)))
        if best is None or length < best[0] - 1e-9:
            best = (length, order)
    if best is None:
        raise ImpossibleLayoutError(f"no path through all {n} rooms along walls of {min_shared}+ tiles")
    return list(best[1])


def window_tiles(tiles: np.ndarray) -> np.ndarray:
    """bool (z, x): windows along each straight exterior wall run (wall tiles with outside on one side, corners and
    tiles next to a doorway left out), floor(run / WINDOW_SPACING) of them (at most MAX_WINDOWS_PER_RUN), evenly
    spaced (reference 1.7)."""
    nz, nx = tiles.shape
    padded = np.pad(tiles, 1, constant_values=Tile.OUTSIDE)
    out = np.zeros(tiles.shape, bool)
    wall = tiles == Tile.WALL
    for side in Side:
        dz, dx = SIDE_STEP[side]
        outside = padded[1 + dz : 1 + dz + nz, 1 + dx : 1 + dx + nx] == Tile.OUTSIDE
        inward = padded[1 - dz : 1 - dz + nz, 1 - dx : 1 - dx + nx] == Tile.FLOOR
        # A run tile: a wall with outside on this side and a floor straight inside (so no corner, no crossing wall).
        candidate = wall & outside & inward
        lines = candidate if dz else candidate.T
        for k in range(lines.shape[0]):
            row = lines[k]
            for start, stop in _runs(row):
                count = min(MAX_WINDOWS_PER_RUN, int((stop - start) / WINDOW_SPACING))
                for n in range(count):
                    at = start + int(math.floor((n + 0.5) * (stop - start) / count))
                    if dz:
                        out[k, at] = True
                    else:
                        out[at, k] = True
    return out


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, value in enumerate([*row.tolist(), False]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            runs.append((start, i))
            start = None
    return runs
