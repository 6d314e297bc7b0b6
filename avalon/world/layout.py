"""Building layouts after the reference (original_buildings.md section 1): the `Layout` being built, footprints
(rectangles, T and L shapes), rooms, the doorways between rooms (OPEN's chain), windows and entrances; the result is
a `Building` of the world spec (avalon.world.building) and the rooms and doorways the task generators and the oracle
plan with. Hallways, ramps and ladders, the room graph and reachability are avalon/world/connections.py.

Pure numpy, deterministic for a given `np.random.Generator`. Tiles are 1 m, arrays indexed [z, x].
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from avalon.world.building import SIDE_STEP, Building, Ladder, Ramp, Side, Storey, Tile
from avalon.world.spec import Vec3

MIN_BUILDING = 5  # tiles a side (reference 1.1)
MIN_ROOM = 3  # tiles a side (reference 1.3)
STOREY_HEIGHT = 5.0  # m floor top to floor top (reference 1.1)
UPPER_SHRINK_MIN = 7  # an upper storey shrinks by a tile a side unless the inside would be narrower (5 + 2)
WINDOW_SPACING = 2.5  # m per window along a straight exterior wall run (1.5 m window + 1 m; reference 1.7)
MAX_WINDOWS_PER_RUN = 8
MIN_SHARED_WALL = 3  # tiles two rooms of a chain share (OPEN, reference 1.10)
TL_BAR = (0.4, 0.8)  # a T/L footprint's bars are U[0.4, 0.8) of the side wide (at least MIN_BUILDING; reference 1.2)


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
    hallways: list[Hallway] = field(default_factory=list)
    ramps: list[Ramp] = field(default_factory=list)
    ladders: list[Ladder] = field(default_factory=list)

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
        for hallway in self.hallways:
            if hallway.storey == storey:
                for z, x in hallway.tiles:
                    tiles[z, x] = Tile.FLOOR
        if self.windows:
            tiles[window_tiles(tiles)] = Tile.WINDOW
        return tiles

    def holes(self, storey: int) -> np.ndarray:
        """bool (z, x): tiles cut from `storey`'s floor by the links from the storey below (they become VOID)."""
        out = np.zeros(self.shape, bool)
        for ramp in self.ramps:
            if ramp.storey + 1 == storey:
                for z, x in ramp_tiles(ramp)[2:-1]:
                    out[z, x] = True
        for ladder in self.ladders:
            if ladder.storey + 1 == storey:
                for z, x in ladder_tiles(ladder)[:2]:
                    out[z, x] = True
        return out

    def open_ceiling(self, storey: int) -> np.ndarray:
        """bool (z, x): tiles where `storey`'s ceiling is cut for a link up from it."""
        out = np.zeros(self.shape, bool)
        for ramp in self.ramps:
            if ramp.storey == storey:
                for z, x in ramp_tiles(ramp)[1:-1]:
                    out[z, x] = True
        for ladder in self.ladders:
            if ladder.storey == storey:
                for z, x in ladder_tiles(ladder)[:2]:
                    out[z, x] = True
        return out

    def storey_tiles(self, storey: int) -> np.ndarray:
        """`tiles(storey)` with the links' holes cut (VOID)."""
        tiles = self.tiles(storey)
        tiles[self.holes(storey) & (tiles == Tile.FLOOR)] = Tile.VOID
        return tiles

    def room_mask(self, storey: int) -> np.ndarray:
        out = np.zeros(self.shape, bool)
        for room in self.rooms:
            if room.storey == storey:
                out[room.z0 : room.z1, room.x0 : room.x1] = True
        return out

    def building(self, origin: Vec3) -> Building:
        storeys = []
        for s in range(len(self.footprints)):
            tiles = self.storey_tiles(s)
            storey = Storey.of(tiles, level=s * STOREY_HEIGHT)
            ceiling = ((tiles == Tile.FLOOR) | (tiles == Tile.VOID)) & ~self.open_ceiling(s)
            storeys.append(Storey(storey.level, tiles, storey.floor, storey.climbable, ceiling.astype(np.uint8)))
        return Building(origin, tuple(storeys), tuple(self.ladders), tuple(self.ramps))


def rectangle_footprints(width: int, length: int, storeys: int) -> list[np.ndarray]:
    """bool (length, width) per storey: the ground one full, each upper one the one below shrunk by a tile a side
    unless the shrunk one would be narrower than UPPER_SHRINK_MIN (reference 1.2: 9 -> 7 -> 5 -> 5)."""
    if width < MIN_BUILDING or length < MIN_BUILDING:
        raise ValueError(f"a building needs at least {MIN_BUILDING} x {MIN_BUILDING} tiles, got {width} x {length}")
    out = [np.ones((length, width), bool)]
    for _ in range(1, storeys):
        out.append(_shrunk(out[-1]))
    return out


def _shrunk(below: np.ndarray) -> np.ndarray:
    """The rectangle of `below`'s extent shrunk by a tile a side, unless it would be narrower than UPPER_SHRINK_MIN."""
    zs, xs = np.nonzero(below)
    z0, z1, x0, x1 = zs.min(), zs.max() + 1, xs.min(), xs.max() + 1
    if min(z1 - z0, x1 - x0) - 2 >= UPPER_SHRINK_MIN:
        z0, z1, x0, x1 = z0 + 1, z1 - 1, x0 + 1, x1 - 1
    mask = np.zeros_like(below)
    mask[z0:z1, x0:x1] = True
    return mask


def tl_footprints(rng: np.random.Generator, width: int, length: int, storeys: int) -> list[np.ndarray]:
    """bool (length, width) per storey of a T or L shaped building (reference 1.2): the ground storey is a bar the
    full length long and U[0.4, 0.8) of the width wide joined with a bar the full width long and U[0.4, 0.8) of the
    length wide (both at least MIN_BUILDING); the bar across the longer axis (either when square) lies flush with one
    side, the other at a uniform offset. Storey 1 is one of the rectangles at least MIN_BUILDING a side of the ground's
    greedy decomposition (of the transposed grid with probability 0.5); higher storeys shrink as rectangles do."""
    if width < MIN_BUILDING or length < MIN_BUILDING:
        raise ValueError(f"a building needs at least {MIN_BUILDING} x {MIN_BUILDING} tiles, got {width} x {length}")
    across_x = max(MIN_BUILDING, int(rng.uniform(*TL_BAR) * width))  # the bar along z: its width along x
    across_z = max(MIN_BUILDING, int(rng.uniform(*TL_BAR) * length))  # the bar along x: its length along z
    flush_z_bar = width > length or (width == length and rng.uniform() < 0.5)  # the bar along z is across x
    if flush_z_bar:
        x0 = 0 if rng.uniform() < 0.5 else width - across_x
        z0 = int(rng.integers(0, length - across_z + 1))
    else:
        z0 = 0 if rng.uniform() < 0.5 else length - across_z
        x0 = int(rng.integers(0, width - across_x + 1))
    ground = np.zeros((length, width), bool)
    ground[:, x0 : x0 + across_x] = True
    ground[z0 : z0 + across_z, :] = True
    out = [ground]
    if storeys > 1:
        from avalon.world.building import greedy_rectangles

        transposed = bool(rng.uniform() < 0.5)
        grid = ground.T if transposed else ground
        rects = [
            (x0_, z0_, x1_, z1_) if transposed else (z0_, x0_, z1_, x1_)
            for z0_, x0_, z1_, x1_ in greedy_rectangles(grid)
        ]
        big = [r for r in rects if r[2] - r[0] >= MIN_BUILDING and r[3] - r[1] >= MIN_BUILDING]
        if not big:
            big = [max(rects, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))]
        rz0, rx0, rz1, rx1 = big[int(rng.integers(len(big)))]
        first = np.zeros_like(ground)
        first[rz0:rz1, rx0:rx1] = True
        out.append(first)
    for _ in range(2, storeys):
        out.append(_shrunk(out[-1]))
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
    rooms = greedy_rooms(interior(footprint), storey)
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


def interior(footprint: np.ndarray) -> np.ndarray:
    """bool (z, x): the footprint less its outline ring (the exterior wall)."""
    core = footprint.copy()
    core[1:, :] &= footprint[:-1, :]
    core[:-1, :] &= footprint[1:, :]
    core[:, 1:] &= footprint[:, :-1]
    core[:, :-1] &= footprint[:, 1:]
    # Diagonal neighbours too: an inner corner of a T or L is outline.
    core[1:, 1:] &= footprint[:-1, :-1]
    core[1:, :-1] &= footprint[:-1, 1:]
    core[:-1, 1:] &= footprint[1:, :-1]
    core[:-1, :-1] &= footprint[1:, 1:]
    core[0, :] = core[-1, :] = False
    core[:, 0] = core[:, -1] = False
    return core


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
        # A run tile: a wall with outside on this side and a floor straight inside (so no corner, no crossing wall),
        # not beside a doorway in the run (an entrance; reference 1.6 clears the windows beside it).
        ax, az = dz, dx  # along the run
        beside = (padded[1 + az : 1 + az + nz, 1 + ax : 1 + ax + nx] == Tile.FLOOR) | (
            padded[1 - az : 1 - az + nz, 1 - ax : 1 - ax + nx] == Tile.FLOOR
        )
        candidate = wall & outside & inward & ~beside
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


# --- entrances (reference 1.6) ----------------------------------------------------------------------------------------


OUTSIDE_ROOM = -1  # a Doorway's room index for the outside (an entrance's approach side)


def add_entrance(rng: np.random.Generator, layout: Layout, sides: tuple[Side, ...] = tuple(Side)) -> Doorway | None:
    """An entrance on the ground storey (reference 1.6): a tile of the exterior wall carved into a 1 x 3 m doorway,
    drawn uniformly among the outline wall tiles with a room's floor straight inside and the outside straight out,
    facing one of `sides` (the direction from the building out through it); the windows on it and beside it go.
    Recorded as a doorway whose approach side is the outside (doors in it open from outside). None when no tile
    fits. Indoor-only task worlds have none (they are sealed)."""
    tiles = layout.tiles(0)
    rooms = layout.room_mask(0)
    nz, nx = tiles.shape
    candidates = []
    for out in sides:
        dz, dx = SIDE_STEP[Side(out)]
        for z in range(nz):
            for x in range(nx):
                if tiles[z, x] not in (Tile.WALL, Tile.WINDOW):
                    continue
                iz, ix, oz, ox = z - dz, x - dx, z + dz, x + dx
                inside = 0 <= iz < nz and 0 <= ix < nx and bool(rooms[iz, ix])
                outside = not (0 <= oz < nz and 0 <= ox < nx) or tiles[oz, ox] == Tile.OUTSIDE
                if inside and outside:
                    candidates.append((z, x, int(out)))
    if not candidates:
        return None
    z, x, facing = candidates[int(rng.integers(len(candidates)))]
    dz, dx = SIDE_STEP[Side(facing)]
    room = next(n for n, r in enumerate(layout.rooms) if r.storey == 0 and r.contains(z - dz, x - dx))
    inward = {Side.NORTH: Side.SOUTH, Side.SOUTH: Side.NORTH, Side.EAST: Side.WEST, Side.WEST: Side.EAST}[Side(facing)]
    doorway = Doorway(0, z, x, (OUTSIDE_ROOM, room), int(inward))
    layout.doorways.append(doorway)
    return doorway


# --- hallways (reference 1.4) ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hallway:
    """A 1-tile wide way between rooms `rooms` (indices into `Layout.rooms`) on `storey`: the tiles from the first
    room's attachment tile to the second's, every one of them made floor (doorways through the walls it crosses)."""

    storey: int
    rooms: tuple[int, int]
    tiles: tuple[tuple[int, int], ...]


# --- ramps and ladders between storeys (reference 1.5) ---------------------------------------------------------------


def ramp_tiles(ramp: Ramp) -> list[tuple[int, int]]:
    """(z, x) along a ramp: the approach tile before the bottom landing, the bottom landing, the `length` slope
    tiles, the top landing (on the storey above)."""
    dz, dx = SIDE_STEP[Side(ramp.rises)]
    return [(ramp.z + dz * k, ramp.x + dx * k) for k in range(-1, ramp.length + 2)]


def ladder_tiles(ladder: Ladder) -> list[tuple[int, int]]:
    """(z, x) of a ladder's tile, the tile behind it (where the climber comes from; both are the hole in the floor
    above) and the landing ahead on the storey above."""
    dz, dx = SIDE_STEP[Side(ladder.side)]
    return [(ladder.z, ladder.x), (ladder.z - dz, ladder.x - dx), (ladder.z + dz, ladder.x + dx)]
