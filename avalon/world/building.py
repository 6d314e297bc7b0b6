"""Buildings as a part of the `WorldSpec` (docs/buildings.md): a tile grid per storey, not hundreds of items.

A building is a grid of 1 m tiles (arrays indexed [z, x], as the terrain) shared by all its storeys. Each storey
says, per tile, what stands there (`Tile`), how high its floor is and whether that floor block is climbable, and
whether a ceiling slab covers it. Ladders and ramps link a storey to the one above. Doors are items standing in the
doorways (docs/doors.md).

The vertical layout follows the reference (original_buildings.md section 1.1): a storey's floor top is its `level`
(relative to the building's `origin`); its clear height is `inner_height` (3 m by default); a 1 m ceiling slab lies
above that, and the next storey's 1 m floor slab above the ceiling, so storeys are 5 m apart by default. Floors,
walls and ceilings are 1 m thick. Raised floors (islands, pillars) and chasms (negative floors) are per-tile floor
offsets; walls and floors reach down to the storey's lowest floor minus 1 m.

`building_boxes(building)` turns the grid into few boxes (greedy rectangles per layer), which is what the wire carries
to Godot and what the engine builds: one collision body for the solid parts, one for the climbable ones (ladder slabs
and floor blocks flagged climbable; never walls), invisible window colliders, and one vertex-coloured mesh.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from avalon.world.spec import Vec3, _frozen_array, f32, vec3

STOREY_INNER_HEIGHT = 3.0  # m, floor top to ceiling bottom (reference section 1.1)
SLAB = 1.0  # m, thickness of floors, ceilings and walls
WINDOW_BOTTOM = 0.75  # m above the floor top (reference 1.7: 1.5 wide x 2 tall, centred at 0.55 x 5 m)
WINDOW_TOP = 2.75
DOORWAY_HEIGHT = 3.0  # m: hallways and doorways are the full inner height (reference 1.4)
LADDER_THICKNESS = 0.1  # m, the climbable slab (reference 1.5)
LADDER_RUNG_SPACING = 0.4  # m
RAMP_THICKNESS = 0.1  # m
MAX_TILES = 256  # per axis
MAX_STOREYS = 8


class Tile(IntEnum):
    OUTSIDE = 0  # not part of this storey: nothing is built
    FLOOR = 1  # a floor to walk on (room, hallway, doorway), under the storey's ceiling where `ceiling` says so
    WALL = 2  # a 1 m wall from the storey's bottom through its ceiling
    WINDOW = 3  # a wall with a see-through, impassable opening WINDOW_BOTTOM..WINDOW_TOP above the floor level
    VOID = 4  # inside the footprint but open to the storey below (a ladder's or a ramp's hole in the floor)


class Side(IntEnum):
    """Directions on the grid: the side of a tile a ladder leans on, the way a ramp rises."""

    NORTH = 0  # -z
    EAST = 1  # +x
    SOUTH = 2  # +z
    WEST = 3  # -x


SIDE_STEP = {Side.NORTH: (-1, 0), Side.EAST: (0, 1), Side.SOUTH: (1, 0), Side.WEST: (0, -1)}  # (dz, dx)


class BoxKind(IntEnum):
    SOLID = 0  # collides, drawn, not climbable (walls, floors, ceilings, ramps)
    CLIMBABLE = 1  # collides, drawn, climbable (ladder slabs, flagged floor blocks)
    GLASS = 2  # collides, not drawn (window openings: see-through, impassable)
    TRIM = 3  # drawn only (ladder rails and rungs)


class Look(IntEnum):
    """Colour slots of the building palette (`LOOK_COLORS`, the reference's colours, section 1.8)."""

    WALL = 0
    FLOOR = 1
    CEILING = 2
    LADDER = 3


LOOK_COLORS = (
    (0.665, 0.565, 0.287, 1.0),
    (0.888, 0.784, 0.503, 1.0),
    (0.888, 0.784, 0.503, 1.0),
    (0.224, 0.196, 0.141, 1.0),
)


@dataclass(frozen=True, eq=False)
class Storey:
    """One storey: per-tile arrays, all of the building's (z, x) shape."""

    level: float  # m, floor top of a 0-offset floor tile, relative to the building origin's y
    tiles: np.ndarray  # uint8 Tile
    floor: np.ndarray  # float32 m, floor top offset from `level` on FLOOR tiles (0 normal, > 0 raised, < 0 chasm)
    climbable: np.ndarray  # uint8, 1 = the floor block of this tile is climbable (JUMP's launch rows)
    ceiling: np.ndarray  # uint8, 1 = a ceiling slab covers this FLOOR tile (0 = open above: a link's hole, the sky)
    inner_height: float = STOREY_INNER_HEIGHT  # m, floor top (level) to ceiling bottom

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", f32(self.level))
        object.__setattr__(self, "inner_height", f32(self.inner_height))
        object.__setattr__(self, "tiles", _frozen_array(self.tiles, np.uint8))
        for name, dtype in (("floor", np.float32), ("climbable", np.uint8), ("ceiling", np.uint8)):
            object.__setattr__(self, name, _frozen_array(getattr(self, name), dtype))

    @staticmethod
    def of(tiles: np.ndarray, level: float = 0.0, inner_height: float = STOREY_INNER_HEIGHT) -> Storey:
        """A storey of `tiles` with flat floors, no climbable tile and a ceiling over every FLOOR tile."""
        tiles = np.asarray(tiles, np.uint8)
        return Storey(
            level=level,
            tiles=tiles,
            floor=np.zeros(tiles.shape, np.float32),
            climbable=np.zeros(tiles.shape, np.uint8),
            ceiling=(tiles == Tile.FLOOR).astype(np.uint8),
            inner_height=inner_height,
        )

    @property
    def bottom(self) -> float:
        """Lowest y (building frame) of this storey's blocks: 1 m under its deepest floor."""
        floors = self.floor[self.tiles == Tile.FLOOR]
        deepest = min(0.0, float(floors.min())) if floors.size else 0.0
        return self.level + deepest - SLAB

    @property
    def ceiling_bottom(self) -> float:
        return self.level + self.inner_height

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Storey):
            return NotImplemented
        return (
            self.level == other.level
            and self.inner_height == other.inner_height
            and all(
                np.array_equal(getattr(self, n), getattr(other, n)) for n in ("tiles", "floor", "climbable", "ceiling")
            )
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Ladder:
    """A ladder from storey `storey`'s floor to the next storey's: a climbable slab in tile (z, x), leaning on the
    tile's `side` edge (the edge of the hole in the floor above)."""

    storey: int
    z: int
    x: int
    side: int  # Side


@dataclass(frozen=True)
class Ramp:
    """A 1 m wide ramp from storey `storey`'s floor up to the next storey's: tile (z, x) is its bottom landing, and
    the slope covers the next `length` tiles toward `rises` (the upper storey's floor is cut there)."""

    storey: int
    z: int
    x: int
    rises: int  # Side
    length: int


@dataclass(frozen=True, eq=False)
class Building:
    """A building: `origin` is the world position of the grid's (z = 0, x = 0) corner at level 0 (the ground
    storey's floor top); tile (z, x) covers x in [origin.x + x, origin.x + x + 1), z likewise."""

    origin: Vec3
    storeys: tuple[Storey, ...]
    ladders: tuple[Ladder, ...] = ()
    ramps: tuple[Ramp, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "origin", vec3(self.origin))
        object.__setattr__(self, "storeys", tuple(self.storeys))
        object.__setattr__(self, "ladders", tuple(self.ladders))
        object.__setattr__(self, "ramps", tuple(self.ramps))

    @property
    def shape(self) -> tuple[int, int]:
        """(tiles along z, tiles along x)."""
        first = self.storeys[0].tiles.shape if self.storeys else (0, 0)
        return (int(first[0]), int(first[1]))

    def tile_of(self, x: float, z: float) -> tuple[int, int] | None:
        """(z, x) of the tile under world (x, z), or None outside the grid."""
        tx = math.floor(x - self.origin[0])
        tz = math.floor(z - self.origin[2])
        nz, nx = self.shape
        return (tz, tx) if 0 <= tx < nx and 0 <= tz < nz else None

    def tile_centre(self, storey: int, z: int, x: int) -> Vec3:
        """World position of tile (z, x)'s floor top centre on `storey`."""
        s = self.storeys[storey]
        y = self.origin[1] + s.level + float(s.floor[z, x])
        return (self.origin[0] + x + 0.5, y, self.origin[2] + z + 0.5)

    def floor_height(self, storey: int, x: float, z: float) -> float | None:
        """World y of `storey`'s floor top at world (x, z), or None where that storey has no floor."""
        tile = self.tile_of(x, z)
        if tile is None:
            return None
        s = self.storeys[storey]
        if s.tiles[tile] != Tile.FLOOR:
            return None
        return self.origin[1] + s.level + float(s.floor[tile])

    def footprint(self) -> np.ndarray:
        """bool (z, x): tiles any storey builds on."""
        out = np.zeros(self.shape, bool)
        for s in self.storeys:
            out |= s.tiles != Tile.OUTSIDE
        return out

    def bounds(self) -> tuple[float, float, float, float]:
        """(min_x, max_x, min_z, max_z) of the grid in world coordinates."""
        nz, nx = self.shape
        return (self.origin[0], self.origin[0] + nx, self.origin[2], self.origin[2] + nz)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Building):
            return NotImplemented
        return (
            self.origin == other.origin
            and self.storeys == other.storeys
            and self.ladders == other.ladders
            and self.ramps == other.ramps
        )

    __hash__ = None  # type: ignore[assignment]


# --- geometry --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Boxes:
    """Boxes in world coordinates: centre, size, a turn about the world x axis then about y (degrees: ramps only),
    kind (`BoxKind`) and look (`Look`)."""

    centres: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.float32))
    sizes: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.float32))
    angles: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float32))  # (pitch about x, yaw about y)
    kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))
    looks: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))

    def __len__(self) -> int:
        return int(self.kinds.shape[0])

    def of_kind(self, kind: BoxKind) -> Boxes:
        keep = self.kinds == kind
        return Boxes(self.centres[keep], self.sizes[keep], self.angles[keep], self.kinds[keep], self.looks[keep])


def greedy_rectangles(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Cover the True tiles of `mask` by disjoint rectangles (z0, x0, z1, x1), half-open: scan row-major, extend
    right, then down while the whole row fits (reference section 1.3)."""
    todo = np.array(mask, bool)
    nz, nx = todo.shape
    out = []
    for z in range(nz):
        x = 0
        while x < nx:
            if not todo[z, x]:
                x += 1
                continue
            x1 = x
            while x1 < nx and todo[z, x1]:
                x1 += 1
            z1 = z + 1
            while z1 < nz and todo[z1, x:x1].all():
                z1 += 1
            todo[z:z1, x:x1] = False
            out.append((z, x, z1, x1))
            x = x1
    return out


class _BoxList:
    def __init__(self, origin: Vec3) -> None:
        self.origin = origin
        self.rows: list[tuple[float, ...]] = []

    def add(
        self,
        centre: tuple[float, float, float],
        size: tuple[float, float, float],
        kind: int,
        look: int,
        pitch: float = 0.0,
        yaw: float = 0.0,
    ) -> None:
        if min(size) <= 0:
            return
        ox, oy, oz = self.origin
        self.rows.append((centre[0] + ox, centre[1] + oy, centre[2] + oz, *size, pitch, yaw, kind, look))

    def add_layer(self, keys: np.ndarray, boxes_of_key: dict) -> None:
        """Greedy rectangles of tiles sharing a key; `boxes_of_key[key]` = [(y0, y1, kind, look), ...]."""
        for key, spans in boxes_of_key.items():
            for z0, x0, z1, x1 in greedy_rectangles(keys == key):
                for y0, y1, kind, look in spans:
                    self.add(((x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2), (x1 - x0, y1 - y0, z1 - z0), kind, look)

    def done(self) -> Boxes:
        if not self.rows:
            return Boxes()
        a = np.array(self.rows, np.float64)
        return Boxes(
            centres=_frozen_array(a[:, 0:3], np.float32),
            sizes=_frozen_array(a[:, 3:6], np.float32),
            angles=_frozen_array(a[:, 6:8], np.float32),
            kinds=_frozen_array(a[:, 8], np.uint8),
            looks=_frozen_array(a[:, 9], np.uint8),
        )


def _storey_boxes(out: _BoxList, s: Storey) -> None:
    bottom, top = s.bottom, s.ceiling_bottom + SLAB
    level = s.level
    # Every tile gets a small integer key per layer; a key stands for a list of spans (y0, y1, kind, look).
    floor_keys = np.zeros(s.tiles.shape, np.int32)
    spans: dict[int, list] = {}
    is_floor = s.tiles == Tile.FLOOR
    combos: dict[tuple[float, int], int] = {}
    for z, x in zip(*np.nonzero(is_floor), strict=True):
        combo = (float(s.floor[z, x]), int(s.climbable[z, x]))
        if combo not in combos:
            combos[combo] = len(combos) + 1
            offset, climbable = combo
            kind = BoxKind.CLIMBABLE if climbable else BoxKind.SOLID
            spans[combos[combo]] = [(bottom, level + offset, kind, Look.FLOOR)]
        floor_keys[z, x] = combos[combo]
    out.add_layer(floor_keys, spans)
    walls = np.zeros(s.tiles.shape, np.int32)
    walls[s.tiles == Tile.WALL] = 1
    walls[s.tiles == Tile.WINDOW] = 2
    window_top = min(level + WINDOW_TOP, s.ceiling_bottom)
    out.add_layer(
        walls,
        {
            1: [(bottom, top, BoxKind.SOLID, Look.WALL)],
            2: [
                (bottom, level + WINDOW_BOTTOM, BoxKind.SOLID, Look.WALL),
                (level + WINDOW_BOTTOM, window_top, BoxKind.GLASS, Look.WALL),
                (window_top, top, BoxKind.SOLID, Look.WALL),
            ],
        },
    )
    # A link's hole (VOID) keeps the ceiling above it: the storey above the hole is still roofed.
    ceiling = ((is_floor | (s.tiles == Tile.VOID)) & (s.ceiling != 0)).astype(np.int32)
    out.add_layer(ceiling, {1: [(s.ceiling_bottom, top, BoxKind.SOLID, Look.CEILING)]})


def _ladder_boxes(out: _BoxList, b: Building, ladder: Ladder) -> None:
    lower, upper = b.storeys[ladder.storey], b.storeys[ladder.storey + 1]
    y0, y1 = lower.level + float(lower.floor[ladder.z, ladder.x]), upper.level
    dz, dx = SIDE_STEP[Side(ladder.side)]
    cx, cz = ladder.x + 0.5 + dx * (0.5 - LADDER_THICKNESS / 2), ladder.z + 0.5 + dz * (0.5 - LADDER_THICKNESS / 2)
    along_x = dz != 0  # the slab spans the tile along x when it leans on a north or south edge
    size = (1.0, y1 - y0, LADDER_THICKNESS) if along_x else (LADDER_THICKNESS, y1 - y0, 1.0)
    out.add((cx, (y0 + y1) / 2, cz), size, BoxKind.CLIMBABLE, Look.LADDER)
    # Rails and rungs in front of the slab (drawn only).
    fx, fz = cx - dx * LADDER_THICKNESS, cz - dz * LADDER_THICKNESS
    for offset in (-0.45, 0.45):
        rx, rz = (fx + offset, fz) if along_x else (fx, fz + offset)
        out.add((rx, (y0 + y1) / 2, rz), (0.1, y1 - y0, 0.1), BoxKind.TRIM, Look.LADDER)
    rungs = int((y1 - y0) / LADDER_RUNG_SPACING)
    for n in range(1, rungs + 1):
        y = y0 + n * LADDER_RUNG_SPACING
        if y >= y1:
            break
        size = (0.9, 0.1, 0.1) if along_x else (0.1, 0.1, 0.9)
        out.add((fx, y, fz), size, BoxKind.TRIM, Look.LADDER)


def _ramp_boxes(out: _BoxList, b: Building, ramp: Ramp) -> None:
    lower, upper = b.storeys[ramp.storey], b.storeys[ramp.storey + 1]
    y0, y1 = lower.level + float(lower.floor[ramp.z, ramp.x]), upper.level
    dz, dx = SIDE_STEP[Side(ramp.rises)]
    # Start: the edge of tile (z, x) on the `rises` side; end: `length` tiles further on.
    sx, sz = ramp.x + 0.5 + dx * 0.5, ramp.z + 0.5 + dz * 0.5
    ex, ez = sx + dx * ramp.length, sz + dz * ramp.length
    run, rise = float(ramp.length), y1 - y0
    slope = math.hypot(run, rise)
    pitch = math.degrees(math.atan2(rise, run))
    yaw = {Side.NORTH: 0.0, Side.WEST: 90.0, Side.SOUTH: 180.0, Side.EAST: -90.0}[Side(ramp.rises)]
    # A box along local -z (yaw 0 faces -z), tilted up by `pitch`; its top face passes through the two edges.
    # The top face's normal leans back, away from the rise: the centre is half a thickness below the slope's middle.
    back, up = math.sin(math.radians(pitch)), math.cos(math.radians(pitch))
    cx = (sx + ex) / 2 + dx * back * RAMP_THICKNESS / 2
    cz = (sz + ez) / 2 + dz * back * RAMP_THICKNESS / 2
    cy = (y0 + y1) / 2 - up * RAMP_THICKNESS / 2
    out.add((cx, cy, cz), (1.0, RAMP_THICKNESS, slope), BoxKind.SOLID, Look.FLOOR, pitch=pitch, yaw=yaw)


def building_boxes(building: Building) -> Boxes:
    """The building as few boxes (greedy rectangles per storey layer), in world coordinates."""
    out = _BoxList(building.origin)
    for storey in building.storeys:
        _storey_boxes(out, storey)
    for ladder in building.ladders:
        _ladder_boxes(out, building, ladder)
    for ramp in building.ramps:
        _ramp_boxes(out, building, ramp)
    return out.done()
