"""`WorldSpec`: everything Godot needs to build one world (docs/world_format.md), as frozen dataclasses.

Floats are rounded to float32 on construction, so a spec survives an encode/decode round trip unchanged and
`a == b` compares what goes on the wire. Arrays are stored read-only.

Placement conventions the generators follow (and Godot can rely on):
- food `position` is the centre of its collision shape (the physics of its row in avalon.entities: sphere, box or
  capsule, all foods 1 kg); food on the ground or an altar rests exactly on it (y = surface + the shape's half
  height, 0.5 m for the r 0.5 foods as the original's item offset, on terrain that is exactly flat around it); a
  buried carrot has its centre at ground height.
- attached food hangs FOOD_OFFSET_FROM_TRUNK (1.25 m) from the axis of a `fruit_tree` trunk, on the side the agent
  comes from, FOOD_HEIGHT_ON_TREE (2 m) above the ground at the trunk (level with a standing agent's head); the stem
  joint is at the food's centre. Fruit trees are 3.5 m high, their canopy 1.6 m wide on each side from 2.6 m up.
- rocks and sticks are dropped from 5 cm above the highest ground under them and settle; a stick lies horizontally
  along its local Z axis (Godot 3's capsule axis), turned by `yaw`.
- `altar` and `block` positions are box centres; `fruit_tree` and decorative tree positions are trunk bases
  (decorative trunks start at the lowest corner of their cell, so they never float).
- the spawn and every food stand on exactly flat terrain, so either triangulation of a heightmap cell gives the same
  height there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from avalon.constants import DoorMechanics, Latching
from avalon.entities import (
    BOOL,
    FOOD_BY_NAME,
    FOOD_KINDS,
    INT,
    REAL,
    ROCK_SIZE,
    STICK_LENGTH,
    Capability,
    EntityKind,
    Family,
    FieldSpec,
)
from avalon.entities import kind as entity_kind

if TYPE_CHECKING:
    from avalon.world.building import Building

Vec3 = tuple[float, float, float]
Color = tuple[float, float, float, float]


class TreeKind:
    BROADLEAF = 0
    FIR = 1
    PALM = 2


def f32(value: float) -> float:
    """`value` rounded to the nearest float32 (what the wire carries)."""
    return float(np.float32(value))


def vec3(value: Iterable[float]) -> Vec3:
    x, y, z = (f32(v) for v in value)
    return (x, y, z)


def _frozen_array(value: Any, dtype: type, shape: tuple[int, ...] | None = None) -> np.ndarray:
    array: np.ndarray = np.array(value, dtype=dtype)  # always a private copy
    if shape is not None:
        array = array.reshape(shape)
    array.setflags(write=False)
    return array


def surface_height(
    heights: np.ndarray, origin_x: float, origin_z: float, x: float, z: float, cell_size: float = 1.0
) -> float:
    """Height at world (x, z) on the heightmap's triangles, as the engine builds them (each cell split along the
    diagonal from (i+1, j) to (i, j+1)), clamped to the edges. Points are `cell_size` m apart. Items placed with it
    touch the collision surface."""
    nz, nx = heights.shape
    u = min(max((x - origin_x) / cell_size, 0.0), nx - 1.0)
    v = min(max((z - origin_z) / cell_size, 0.0), nz - 1.0)
    i, j = min(int(u), nx - 2), min(int(v), nz - 2)
    fu, fv = u - i, v - j
    h00, h10, h01 = float(heights[j, i]), float(heights[j, i + 1]), float(heights[j + 1, i])
    if fu + fv <= 1.0:
        return h00 + (h10 - h00) * fu + (h01 - h00) * fv
    h11 = float(heights[j + 1, i + 1])
    return h11 + (h01 - h11) * (1.0 - fu) + (h10 - h11) * (1.0 - fv)


def cell_of(
    origin_x: float, origin_z: float, cell_size: float, shape: tuple[int, int], x: float, z: float
) -> tuple[int, int]:
    """(j, i) of the cell containing world (x, z) on a grid of `shape` = (points_z, points_x) points, clamped to the
    grid. The one convention Python and Godot share: cell (j, i) covers [origin + i*cs, origin + (i+1)*cs) in x and
    the same in z (the original indexed its climb map by nearest point in Python and by floor in Godot, bug B3)."""
    i = int(np.clip(math.floor((x - origin_x) / cell_size), 0, shape[1] - 2))
    j = int(np.clip(math.floor((z - origin_z) / cell_size), 0, shape[0] - 2))
    return j, i


@dataclass(frozen=True, eq=False)
class Terrain:
    """Heightmap with points `cell_size` m apart (1 m for EAT and MOVE, 0.5 m for terrain-obstacle tasks, so a wall
    or a path edge lands within 0.5 m of its design). Arrays are indexed [j, i] = [z, x] (row-major by z, as on the
    wire); point (j, i) is at x = origin.x + i * cell_size, z = origin.z + j * cell_size."""

    heights: np.ndarray  # float32 (points_z, points_x)
    cell_colors: np.ndarray  # uint8 (points_z - 1, points_x - 1), indices into palette
    climbable: np.ndarray  # uint8 (points_z - 1, points_x - 1), 1 = climbable
    palette: tuple[Color, ...]
    origin: Vec3 = (0.0, 0.0, 0.0)
    water_height: float = 0.0
    cell_size: float = 1.0  # m between neighbouring points

    def __post_init__(self) -> None:
        if not (isinstance(self.cell_size, (int, float)) and math.isfinite(self.cell_size) and self.cell_size > 0):
            raise ValueError(f"terrain cell_size must be a positive finite number of metres, got {self.cell_size!r}")
        heights = _frozen_array(self.heights, np.float32)
        if heights.ndim != 2:
            raise ValueError(f"terrain heights must be 2-D (points_z, points_x), got shape {heights.shape}")
        object.__setattr__(self, "heights", heights)
        object.__setattr__(self, "cell_colors", _frozen_array(self.cell_colors, np.uint8))
        object.__setattr__(self, "climbable", _frozen_array(self.climbable, np.uint8))
        object.__setattr__(self, "palette", tuple(tuple(f32(c) for c in color) for color in self.palette))
        object.__setattr__(self, "origin", vec3(self.origin))
        object.__setattr__(self, "water_height", f32(self.water_height))
        object.__setattr__(self, "cell_size", f32(self.cell_size))

    @property
    def points_x(self) -> int:
        return int(self.heights.shape[1])

    @property
    def points_z(self) -> int:
        return int(self.heights.shape[0])

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min_x, max_x, min_z, max_z) of the heightmap in world coordinates."""
        x0, _, z0 = self.origin
        cs = self.cell_size
        return (x0, x0 + (self.points_x - 1) * cs, z0, z0 + (self.points_z - 1) * cs)

    def contains(self, x: float, z: float, margin: float = 0.0) -> bool:
        min_x, max_x, min_z, max_z = self.bounds
        return min_x + margin <= x <= max_x - margin and min_z + margin <= z <= max_z - margin

    def height_at(self, x: float, z: float) -> float:
        """Height of the terrain surface at world (x, z), clamped to the heightmap edges (see `surface_height`)."""
        return surface_height(self.heights, self.origin[0], self.origin[2], x, z, self.cell_size)

    def cell_index(self, x: float, z: float) -> tuple[int, int]:
        """(j, i) of the cell containing world (x, z), clamped to the grid (see `cell_of`)."""
        return cell_of(self.origin[0], self.origin[2], self.cell_size, self.heights.shape, x, z)

    def is_climbable(self, x: float, z: float) -> bool:
        """Climbability of the cell containing (x, z) (the same cell Godot's world.gd `is_climbable` reads)."""
        return bool(self.climbable[self.cell_index(x, z)])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Terrain):
            return NotImplemented
        return (
            np.array_equal(self.heights, other.heights)
            and np.array_equal(self.cell_colors, other.cell_colors)
            and np.array_equal(self.climbable, other.climbable)
            and self.palette == other.palette
            and self.origin == other.origin
            and self.water_height == other.water_height
            and self.cell_size == other.cell_size
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, eq=False)
class Trees:
    """Decorative, climbable trees (trunk collision only)."""

    positions: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.float32))  # float32 (n, 3), trunk base
    heights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # float32 (n,), total height
    kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))  # uint8 (n,), TreeKind

    def __post_init__(self) -> None:
        object.__setattr__(self, "positions", _frozen_array(self.positions, np.float32).reshape(-1, 3))
        object.__setattr__(self, "heights", _frozen_array(self.heights, np.float32).reshape(-1))
        object.__setattr__(self, "kinds", _frozen_array(self.kinds, np.uint8).reshape(-1))

    def __len__(self) -> int:
        return int(self.heights.shape[0])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Trees):
            return NotImplemented
        return (
            np.array_equal(self.positions, other.positions)
            and np.array_equal(self.heights, other.heights)
            and np.array_equal(self.kinds, other.kinds)
        )

    __hash__ = None  # type: ignore[assignment]


class ItemFields(Mapping[str, Any]):
    """An item's kind-specific fields (immutable, hashable, in the kind's field order)."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, Any]] = ()) -> None:
        self._items = tuple(items)

    def __getitem__(self, name: str) -> Any:
        for key, value in self._items:
            if key == name:
                return value
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._items) == dict(other)

    def __repr__(self) -> str:
        return repr(dict(self._items))


def _field_value(field: FieldSpec, value: Any, where: str) -> Any:
    """`value` as the wire carries it (float32 reals), or a ValueError naming the field and what it needs."""
    if field.wire == BOOL:
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{where}: field {field.name!r} must be a bool, got {value!r}")
        return bool(value)
    if field.wire == INT:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{where}: field {field.name!r} must be an int, got {value!r}")
        return int(value)
    if field.wire == REAL:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{where}: field {field.name!r} must be a real number, got {value!r}")
        return f32(float(value))
    try:
        vector = tuple(value)
        if len(vector) != 3:
            raise ValueError
        return vec3(vector)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: field {field.name!r} must be 3 real numbers (x, y, z), got {value!r}") from None


@dataclass(frozen=True)
class Item:
    """One entity: its kind (a row of `avalon.entities`), id, pose and the kind's fields.

    `fields` must hold exactly the fields of the kind's schema (`EntityKind.fields`), each of its wire type.
    The constructors (`Item.food`, `Item.rock`, ...) fill in the table's defaults.
    """

    kind: str
    id: int
    position: Vec3
    yaw: float = 0.0
    fields: Mapping[str, Any] = field(default_factory=ItemFields)

    def __post_init__(self) -> None:
        row = entity_kind(self.kind)
        where = f"item {self.id} ({self.kind})"
        object.__setattr__(self, "position", vec3(self.position))
        object.__setattr__(self, "yaw", f32(self.yaw))
        given = dict(self.fields)
        for name in given:
            if name not in row.field_by_name:
                allowed = ", ".join(repr(f.name) for f in row.fields) or "none"
                raise ValueError(f"{where} cannot have field {name!r} (fields of {self.kind}: {allowed})")
        values = []
        for spec_field in row.fields:
            if spec_field.name not in given:
                raise ValueError(f"{where} needs field {spec_field.name!r} ({spec_field.wire})")
            values.append((spec_field.name, _field_value(spec_field, given[spec_field.name], where)))
        object.__setattr__(self, "fields", ItemFields(values))

    def __getitem__(self, name: str) -> Any:
        """A kind-specific field, e.g. `item["attached"]` (KeyError naming the kind's fields otherwise)."""
        try:
            return self.fields[name]
        except KeyError:
            raise KeyError(f"{self.kind} has no field {name!r}; its fields: {', '.join(self.fields)}") from None

    @property
    def entity(self) -> EntityKind:
        """The kind's row of the entity table."""
        return entity_kind(self.kind)

    def can(self, capability: Capability) -> bool:
        return capability in self.entity.capabilities

    @property
    def is_food(self) -> bool:
        """Edible (the table gives every edible kind, and only those, a food row)."""
        return self.can(Capability.EDIBLE)

    @property
    def is_tool(self) -> bool:
        return self.entity.family == Family.TOOL

    @property
    def is_static(self) -> bool:
        return self.entity.family == Family.STATIC

    @staticmethod
    def of(kind: str, id: int, position: Iterable[float], yaw: float = 0.0, **fields: Any) -> Item:
        """An item of any kind: the table's defaults for the fields not given."""
        row = entity_kind(kind)
        values = {f.name: f.default for f in row.fields if f.default is not None}
        values.update(fields)
        return Item(kind, id, vec3(position), yaw, values)

    @staticmethod
    def food(
        kind: str,
        id: int,
        position: Iterable[float],
        yaw: float = 0.0,
        *,
        attached: bool = False,
        opened: bool = True,
        buried: bool = False,
    ) -> Item:
        if kind not in FOOD_BY_NAME:
            raise ValueError(f"unknown food {kind!r}; known foods: {', '.join(FOOD_KINDS)}")
        return Item.of(kind, id, position, yaw, attached=attached, opened=opened, buried=buried)

    @staticmethod
    def rock(id: int, position: Iterable[float], yaw: float = 0.0, *, size: float = ROCK_SIZE) -> Item:
        return Item.of("rock", id, position, yaw, size=size)

    @staticmethod
    def stick(id: int, position: Iterable[float], yaw: float = 0.0, *, length: float = STICK_LENGTH) -> Item:
        return Item.of("stick", id, position, yaw, length=length)

    @staticmethod
    def altar(id: int, position: Iterable[float], size: Iterable[float], yaw: float = 0.0) -> Item:
        return Item.of("altar", id, position, yaw, size=tuple(size))

    @staticmethod
    def fruit_tree(id: int, position: Iterable[float], height: float, yaw: float = 0.0) -> Item:
        return Item.of("fruit_tree", id, position, yaw, height=height)

    @staticmethod
    def block(id: int, position: Iterable[float], size: Iterable[float], color: int = 0, yaw: float = 0.0) -> Item:
        return Item.of("block", id, position, yaw, size=tuple(size), color=color)

    @staticmethod
    def hinge_door(
        id: int,
        position: Iterable[float],
        yaw: float = 0.0,
        *,
        mechanics: int = DoorMechanics.BOTH,
        hinge_right: bool = False,
        latching: int = Latching.NONE,
    ) -> Item:
        """A hinge door in a 1 x 3 m doorway: `position` its bottom centre in the wall face, +z (yaw) the approach."""
        return Item.of(
            "hinge_door", id, position, yaw, mechanics=int(mechanics), hinge_right=hinge_right, latching=int(latching)
        )

    @staticmethod
    def sliding_door(
        id: int, position: Iterable[float], yaw: float = 0.0, *, slide_right: bool = True, latching: int = Latching.NONE
    ) -> Item:
        return Item.of("sliding_door", id, position, yaw, slide_right=slide_right, latching=int(latching))

    @staticmethod
    def lock(kind: str, id: int, door: Item, **fields: Any) -> Item:
        """A lock of `kind` on `door` (an Item): it takes the door's pose, which the engine replaces by its own."""
        return Item.of(kind, id, door.position, door.yaw, door=door.id, **fields)


@dataclass(frozen=True)
class Spawn:
    """Agent start pose: feet position, yaw (deg, 0 looks along -Z, positive turns left), pitch (deg, up > 0)."""

    position: Vec3
    yaw: float = 0.0
    pitch: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "position", vec3(self.position))
        object.__setattr__(self, "yaw", f32(self.yaw))
        object.__setattr__(self, "pitch", f32(self.pitch))


@dataclass(frozen=True)
class WorldSpec:
    task: str
    seed: int
    difficulty: float
    terrain: Terrain
    spawn: Spawn
    items: tuple[Item, ...] = ()
    trees: Trees = field(default_factory=Trees)
    generator_version: int = 1
    buildings: tuple[Building, ...] = ()  # avalon.world.building

    def __post_init__(self) -> None:
        object.__setattr__(self, "difficulty", f32(self.difficulty))
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "buildings", tuple(self.buildings))

    def foods(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_food)

    def tools(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_tool)

    def items_of_kind(self, kind: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.kind == kind)

    def item(self, id: int) -> Item:
        for item in self.items:
            if item.id == id:
                return item
        raise KeyError(f"no item with id {id} (ids: {[i.id for i in self.items]})")
