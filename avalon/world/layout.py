"""Building layouts after the reference (original_buildings.md section 1): footprints (rectangles, T and L shapes),
rooms, the doorways and hallways between rooms, windows, ramps and ladders between storeys, and the room graph; the
result is a `Building` of the world spec (avalon.world.building) and the rooms, hallways and links the task
generators and the oracle plan with.

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
DELAUNAY_FRACTION = 0.18  # of the Delaunay edges beyond the spanning tree that become hallways (EXPLORE: 1)
RAMP_RISE_TILES = 5  # slope tiles of a ramp: 45 degrees over a 5 m rise (reference 1.5)


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


def spanning_tree(points: np.ndarray) -> list[tuple[int, int]]:
    """Edges (i < j) of the minimum spanning tree of the complete graph of `points` by distance (Prim)."""
    n = len(points)
    if n < 2:
        return []
    distance = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    inside = np.zeros(n, bool)
    inside[0] = True
    best = distance[0].copy()
    parent = np.zeros(n, int)
    edges = []
    for _ in range(n - 1):
        j = int(np.argmin(np.where(inside, np.inf, best)))
        edges.append((min(j, int(parent[j])), max(j, int(parent[j]))))
        inside[j] = True
        closer = ~inside & (distance[j] < best)
        best[closer] = distance[j][closer]
        parent[closer] = j
    return edges


def delaunay_edges(points: np.ndarray) -> set[tuple[int, int]]:
    """Edges (i < j) of the Delaunay triangulation of 2-D `points` (Bowyer-Watson; ties between co-circular points
    broken by a tiny fixed skew; all collinear: consecutive points along the line)."""
    n = len(points)
    if n < 2:
        return set()
    p = np.asarray(points, float)
    skew = np.stack([np.arange(n) * 1.0e-7, np.arange(n) ** 2 * 1.3e-7], axis=1)
    p = p + skew
    lo, hi = p.min(axis=0), p.max(axis=0)
    span, mid = float(max(hi - lo)) + 1.0, (lo + hi) / 2.0
    big = np.array([mid + (-20.0 * span, -20.0 * span), mid + (20.0 * span, -20.0 * span), mid + (0.0, 20.0 * span)])
    vertices = np.concatenate([p, big])
    triangles: list[tuple[int, int, int]] = [(n, n + 1, n + 2)]

    def circumcircle(t: tuple[int, int, int]) -> tuple[float, float, float]:
        (ax, ay), (bx, by), (cx, cy) = vertices[list(t)]
        d = 2.0 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
        if abs(d) < 1e-12:
            return 0.0, 0.0, math.inf
        a2, b2, c2 = ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy
        ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d
        uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d
        return ux, uy, (ax - ux) ** 2 + (ay - uy) ** 2

    circles = {triangles[0]: circumcircle(triangles[0])}
    for i in range(n):
        x, y = vertices[i]
        bad = [t for t in triangles if (x - circles[t][0]) ** 2 + (y - circles[t][1]) ** 2 < circles[t][2]]
        count: dict[tuple[int, int], int] = {}
        for t in bad:
            for e in ((t[0], t[1]), (t[1], t[2]), (t[2], t[0])):
                key = (min(e), max(e))
                count[key] = count.get(key, 0) + 1
        triangles = [t for t in triangles if t not in bad]
        for (a, b), k in count.items():
            if k == 1:
                t = (a, b, i)
                triangles.append(t)
                circles[t] = circumcircle(t)
    edges: set[tuple[int, int]] = set()
    for t in triangles:
        for a, b in ((t[0], t[1]), (t[1], t[2]), (t[2], t[0])):
            if a < n and b < n:
                edges.add((min(a, b), max(a, b)))
    if not edges and n >= 2:  # all collinear: neighbours along the line
        order = np.lexsort((points[:, 1], points[:, 0]))
        edges = {(min(int(a), int(b)), max(int(a), int(b))) for a, b in itertools.pairwise(order)}
    return edges


def attachment(a: Room, b: Room) -> tuple[tuple[int, int], tuple[int, int]]:
    """The tiles of rooms a and b a hallway joins (reference 1.4): on their facing edges at the floor of the middle of
    their overlap along x (or z), else their nearest corners."""
    lo, hi = max(a.x0, b.x0), min(a.x1, b.x1)
    if hi > lo:
        x = (lo + hi - 1) // 2
        if a.z1 <= b.z0:
            return (a.z1 - 1, x), (b.z0, x)
        if b.z1 <= a.z0:
            return (a.z0, x), (b.z1 - 1, x)
    lo, hi = max(a.z0, b.z0), min(a.z1, b.z1)
    if hi > lo:
        z = (lo + hi - 1) // 2
        if a.x1 <= b.x0:
            return (z, a.x1 - 1), (z, b.x0)
        if b.x1 <= a.x0:
            return (z, a.x0), (z, b.x1 - 1)
    corners_a = [(a.z0, a.x0), (a.z0, a.x1 - 1), (a.z1 - 1, a.x0), (a.z1 - 1, a.x1 - 1)]
    corners_b = [(b.z0, b.x0), (b.z0, b.x1 - 1), (b.z1 - 1, b.x0), (b.z1 - 1, b.x1 - 1)]
    return min(
        ((p, q) for p in corners_a for q in corners_b),
        key=lambda pq: (pq[0][0] - pq[1][0]) ** 2 + (pq[0][1] - pq[1][1]) ** 2,
    )


def grid_path(allowed: np.ndarray, start: tuple[int, int], goal: tuple[int, int]) -> list[tuple[int, int]] | None:
    """A* on the 4-connected grid of `allowed` tiles, unit steps (ties broken by tile order: deterministic)."""
    import heapq

    if not (allowed[start] and allowed[goal]):
        return None
    nz, nx = allowed.shape
    cost = {start: 0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(abs(goal[0] - start[0]) + abs(goal[1] - start[1]), 0, start)]
    while queue:
        _, g, here = heapq.heappop(queue)
        if here == goal:
            break
        if g > cost[here]:
            continue
        for dz, dx in ((-1, 0), (0, 1), (1, 0), (0, -1)):
            there = (here[0] + dz, here[1] + dx)
            if not (0 <= there[0] < nz and 0 <= there[1] < nx) or not allowed[there]:
                continue
            if g + 1 < cost.get(there, 1 << 30):
                cost[there] = g + 1
                came[there] = here
                h = abs(goal[0] - there[0]) + abs(goal[1] - there[1])
                heapq.heappush(queue, (g + 1 + h, g + 1, there))
    if goal not in cost:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(came[path[-1]])
    return path[::-1]


def add_hallways(
    rng: np.random.Generator, layout: Layout, storey: int, fraction: float = DELAUNAY_FRACTION
) -> list[Hallway]:
    """Hallways between `storey`'s rooms (reference 1.4): the minimum spanning tree of their centres and a random
    `fraction` of the other Delaunay edges, each an A* path between the rooms' attachment tiles over the building's
    interior (other rooms are not avoided; the exterior wall is: a deliberate difference, the reference searches
    the whole bounding box), added to `layout`."""
    index = [i for i, room in enumerate(layout.rooms) if room.storey == storey]
    if len(index) < 2:
        return []
    centres = np.array([layout.rooms[i].centre for i in index], float)
    tree = spanning_tree(centres)
    rest = sorted(delaunay_edges(centres) - set(tree))
    keep = int(round(fraction * len(rest)))
    chosen = sorted(int(k) for k in rng.choice(len(rest), size=keep, replace=False)) if keep else []
    allowed = interior(layout.footprints[storey])
    made = []
    for a, b in [*tree, *(rest[k] for k in chosen)]:
        ra, rb = layout.rooms[index[a]], layout.rooms[index[b]]
        start, end = attachment(ra, rb)
        tiles = grid_path(allowed, start, end)
        if tiles is None:
            raise ImpossibleLayoutError(f"no hallway between rooms {index[a]} and {index[b]} on storey {storey}")
        made.append(Hallway(storey, (index[a], index[b]), tuple(tiles)))
    layout.hallways.extend(made)
    return made


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


def link_blocked(
    ramps: tuple[Ramp, ...] | list[Ramp],
    ladders: tuple[Ladder, ...] | list[Ladder],
    storey: int,
    shape: tuple[int, int],
) -> np.ndarray:
    """bool (z, x): floor tiles of `storey` a walk keeps off: a ramp's landing and slope (entered only from its
    approach tile, straight up) and a ladder's tile (stepped onto from the tile behind it, to climb)."""
    out = np.zeros(shape, bool)
    for ramp in ramps:
        if ramp.storey == storey:
            for z, x in ramp_tiles(ramp)[1:-1]:
                out[z, x] = True
    for ladder in ladders:
        if ladder.storey == storey:
            out[ladder.z, ladder.x] = True
    return out


def _components(walkable: np.ndarray) -> int:
    """Number of 4-connected components of `walkable`."""
    seen = np.zeros(walkable.shape, bool)
    nz, nx = walkable.shape
    count = 0
    for z0, x0 in zip(*np.nonzero(walkable), strict=True):
        if seen[z0, x0]:
            continue
        count += 1
        stack = [(int(z0), int(x0))]
        seen[z0, x0] = True
        while stack:
            z, x = stack.pop()
            for dz, dx in ((-1, 0), (0, 1), (1, 0), (0, -1)):
                a, b = z + dz, x + dx
                if 0 <= a < nz and 0 <= b < nx and walkable[a, b] and not seen[a, b]:
                    seen[a, b] = True
                    stack.append((a, b))
    return count


def _walkable(layout: Layout, storey: int) -> np.ndarray:
    tiles = layout.storey_tiles(storey)
    return (tiles == Tile.FLOOR) & ~link_blocked(layout.ramps, layout.ladders, storey, layout.shape)


def _reserved(layout: Layout, storey: int) -> np.ndarray:
    """Tiles of `storey` no new link may take: room centres (the nav graph's nodes, spawn and food) and the tiles
    every link on or to this storey walks through."""
    out = np.zeros(layout.shape, bool)
    for room in layout.rooms:
        if room.storey == storey:
            out[room.centre] = True
    for ramp in layout.ramps:
        tiles = ramp_tiles(ramp)
        if ramp.storey == storey:
            for t in tiles[:-1]:
                out[t] = True
        if ramp.storey + 1 == storey:
            for t in tiles[1:]:
                out[t] = True
    for ladder in layout.ladders:
        if ladder.storey in (storey, storey - 1):
            for t in ladder_tiles(ladder):
                out[t] = True
    return out


def _try_link(layout: Layout, storey: int, link: Ramp | Ladder) -> bool:
    """Adds `link` when it keeps both storeys' walkable floors in as many pieces as before; else leaves `layout`."""
    before = [_components(_walkable(layout, s)) for s in (storey, storey + 1)]
    if isinstance(link, Ramp):
        layout.ramps.append(link)
    else:
        layout.ladders.append(link)
    after = [_components(_walkable(layout, s)) for s in (storey, storey + 1)]
    if all(a <= b for a, b in zip(after, before, strict=True)):
        return True
    if isinstance(link, Ramp):
        layout.ramps.pop()
    else:
        layout.ladders.pop()
    return False


def add_ramp(rng: np.random.Generator, layout: Layout, storey: int) -> Ramp | None:
    """A straight ramp from `storey` up to the next (reference 1.5): 1 wide, RAMP_RISE_TILES slope tiles with a
    landing at each end; its approach, bottom landing and slope on room floor of `storey`, its slope and top landing
    on room floor above (the slope tiles are cut from that floor), splitting neither floor. Drawn uniformly among the
    places that fit; None when none does."""
    below, above = layout.room_mask(storey), layout.room_mask(storey + 1)
    below &= layout.storey_tiles(storey) == Tile.FLOOR
    above &= layout.storey_tiles(storey + 1) == Tile.FLOOR
    below &= ~_reserved(layout, storey)
    free_above = above & ~_reserved(layout, storey + 1)
    approach = _walkable(layout, storey)
    nz, nx = layout.shape
    candidates = []
    for side in Side:
        for z in range(nz):
            for x in range(nx):
                ramp = Ramp(storey, z, x, int(side), RAMP_RISE_TILES)
                tiles = ramp_tiles(ramp)
                if not all(0 <= a < nz and 0 <= b < nx for a, b in tiles):
                    continue
                if not (approach[tiles[0]] and all(below[t] for t in tiles[1:-1])):
                    continue
                if not (all(free_above[t] for t in tiles[2:-1]) and above[tiles[-1]]):
                    continue
                candidates.append(ramp)
    for k in rng.permutation(len(candidates)):
        if _try_link(layout, storey, candidates[int(k)]):
            return candidates[int(k)]
    return None


def add_ladder(rng: np.random.Generator, layout: Layout, storey: int) -> Ladder | None:
    """A ladder from `storey` up to the next (reference 1.5): sides tried in random order; its tile and the tile
    behind it room floor on both storeys (both cut from the floor above), the tile ahead room floor above (the
    landing), splitting neither floor. Drawn uniformly among the tiles that fit the first side that has any."""
    tiles_below, tiles_above = layout.storey_tiles(storey), layout.storey_tiles(storey + 1)
    below = layout.room_mask(storey) & (tiles_below == Tile.FLOOR) & ~_reserved(layout, storey)
    above = layout.room_mask(storey + 1) & (tiles_above == Tile.FLOOR)
    free_above = above & ~_reserved(layout, storey + 1)
    nz, nx = layout.shape
    for side in rng.permutation(4):
        candidates = []
        for z in range(nz):
            for x in range(nx):
                ladder = Ladder(storey, z, x, int(side))
                tiles = ladder_tiles(ladder)
                if not all(0 <= a < nz and 0 <= b < nx for a, b in tiles):
                    continue
                if all(below[t] and free_above[t] for t in tiles[:2]) and above[tiles[2]]:
                    candidates.append(ladder)
        for k in rng.permutation(len(candidates)):
            if _try_link(layout, storey, candidates[int(k)]):
                return candidates[int(k)]
    return None


def link_storeys(rng: np.random.Generator, layout: Layout, ramps: bool = True, ladders: bool = True) -> list[int]:
    """Links each storey to the next (reference 1.5's linker): a ramp when allowed and one fits, else a ladder when
    allowed and one fits. Returns the storeys left without a link up."""
    missing = []
    for storey in range(len(layout.footprints) - 1):
        if ramps and add_ramp(rng, layout, storey) is not None:
            continue
        if ladders and add_ladder(rng, layout, storey) is not None:
            continue
        missing.append(storey)
    return missing


# --- the room graph (reference 1.8) ----------------------------------------------------------------------------------


@dataclass
class RoomGraph:
    """A node per room (its index in `Layout.rooms`); edges: hallways (their length plus the centre-to-end
    distances) and links (a ramp's slope length, a ladder's height, plus the centre-to-landing distances)."""

    edges: dict[int, list[tuple[int, float]]]

    def distances(self, source: int) -> dict[int, float]:
        """Dijkstra distances from room `source` to every room it reaches (itself included)."""
        import heapq

        out = {source: 0.0}
        queue = [(0.0, source)]
        while queue:
            d, here = heapq.heappop(queue)
            if d > out[here]:
                continue
            for there, w in self.edges.get(here, []):
                if d + w < out.get(there, math.inf):
                    out[there] = d + w
                    heapq.heappush(queue, (d + w, there))
        return out


def _room_at(layout: Layout, storey: int, tile: tuple[int, int]) -> int | None:
    for i, room in enumerate(layout.rooms):
        if room.storey == storey and room.contains(*tile):
            return i
    return None


def room_graph(layout: Layout) -> RoomGraph:
    edges: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(layout.rooms))}

    def join(a: int | None, b: int | None, ta: tuple[int, int], tb: tuple[int, int], length: float) -> None:
        if a is None or b is None or a == b:
            return
        ca, cb = layout.rooms[a].centre, layout.rooms[b].centre
        w = length + math.dist(ca, ta) + math.dist(cb, tb)
        edges[a].append((b, w))
        edges[b].append((a, w))

    for hallway in layout.hallways:
        a, b = hallway.rooms
        join(a, b, hallway.tiles[0], hallway.tiles[-1], float(len(hallway.tiles) - 1))
    for ramp in layout.ramps:
        tiles = ramp_tiles(ramp)
        bottom, top = tiles[1], tiles[-1]
        slope = math.hypot(ramp.length, STOREY_HEIGHT)
        join(_room_at(layout, ramp.storey, bottom), _room_at(layout, ramp.storey + 1, top), bottom, top, slope)
    for ladder in layout.ladders:
        foot, _, landing = ladder_tiles(ladder)
        join(
            _room_at(layout, ladder.storey, foot),
            _room_at(layout, ladder.storey + 1, landing),
            foot,
            landing,
            STOREY_HEIGHT,
        )
    return RoomGraph(edges)


def touches_outline(layout: Layout, room: Room) -> bool:
    """The room lies against the exterior wall (the outline ring of its storey's footprint)."""
    footprint = layout.footprints[room.storey]
    ring = footprint & ~interior(footprint)
    z0, x0, z1, x1 = max(room.z0 - 1, 0), max(room.x0 - 1, 0), room.z1 + 1, room.x1 + 1
    return bool(ring[z0:z1, x0:x1].any())


def walkable_floor(building: Building, storey: int) -> np.ndarray:
    """bool (z, x): `storey`'s level floor tiles a walk may cross (links' strips and ladder tiles kept off)."""
    s = building.storeys[storey]
    level = (s.tiles == Tile.FLOOR) & (np.abs(s.floor) <= 0.3)
    return level & ~link_blocked(building.ramps, building.ladders, storey, building.shape)


def link_ends(building: Building) -> list[tuple[Ramp | Ladder, tuple[int, int], tuple[int, int]]]:
    """Every link with the tile a walk takes it from (on its storey) and the tile it leaves the body on (above)."""
    out: list[tuple[Ramp | Ladder, tuple[int, int], tuple[int, int]]] = []
    for ramp in building.ramps:
        tiles = ramp_tiles(ramp)
        out.append((ramp, tiles[0], tiles[-1]))
    for ladder in building.ladders:
        foot, behind, landing = ladder_tiles(ladder)
        out.append((ladder, behind, landing))
    return out


def reachable_floor(building: Building, storey: int, tile: tuple[int, int]) -> list[np.ndarray]:
    """bool (z, x) per storey: the tiles a walk from `tile` of `storey` reaches, up links too (flood fill)."""
    walk = [walkable_floor(building, s) for s in range(len(building.storeys))]
    seen = [np.zeros(building.shape, bool) for _ in building.storeys]
    nz, nx = building.shape
    todo = [(storey, tile)] if walk[storey][tile] else []
    if todo:
        seen[storey][tile] = True
    ends = link_ends(building)
    while todo:
        s, (z, x) = todo.pop()
        nexts = [(s, (z + dz, x + dx)) for dz, dx in ((-1, 0), (0, 1), (1, 0), (0, -1))]
        nexts += [(link.storey + 1, top) for link, start, top in ends if link.storey == s and start == (z, x)]
        for t, (a, b) in nexts:
            if 0 <= a < nz and 0 <= b < nx and walk[t][a, b] and not seen[t][a, b]:
                seen[t][a, b] = True
                todo.append((t, (a, b)))
    return seen
