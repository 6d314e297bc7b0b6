"""`check_world(spec)`: a list of small named checks with actionable messages (SB3's env_checker is the model).

Each `_check_*` function raises `InvalidWorldError` naming what is wrong and where. Generators run every world
through `check_world` before returning it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from avalon.constants import MAX_TERRAIN_CELL_SIZE, MIN_TERRAIN_CELL_SIZE, DoorMechanics, Latching
from avalon.entities import DOOR_KINDS, KIND_BY_NAME, LOCK_KINDS, MASS, PALETTE, SIZE
from avalon.world.building import MAX_STOREYS, MAX_TILES, SIDE_STEP, SLAB, Ladder, Ramp, Side, Tile
from avalon.world.spec import Item, TreeKind, WorldSpec

ATTACHED_FOOD_MAX_TREE_DISTANCE = 1.5  # m, horizontal distance from attached food to the nearest fruit tree trunk
GROUND_TOLERANCE = 0.05  # m an item or the spawn may sit below the terrain surface (interpolation differences)
INT32_MAX = 2**31 - 1
# Limits that keep a world within what Godot builds safely (docs/world_format.md, "Limits"); Godot checks them too.
MAX_TERRAIN_POINTS = 4096  # per axis
MAX_COORDINATE = 100_000.0  # m, |x|, |z| and |height| of anything
MAX_ITEMS = 4096
MAX_TREES = 100_000
MAX_ITEM_SIZE = 100.0  # m, sizes, lengths and heights of items
MAX_ITEM_MASS = 10_000.0  # kg, per-item masses (a boulder is at most 2,400)
MAX_BUILDINGS = 64  # Godot's world_spec.gd refuses more too
MIN_INNER_HEIGHT = 2.0  # m a storey's floor to its ceiling: the body is 2 m tall
MAX_HEIGHT_ABOVE_TERRAIN = 1000.0  # m an item or the spawn may start above the highest terrain point


class InvalidWorldError(ValueError):
    """A WorldSpec breaks a rule of docs/world_format.md or of solvable worlds; the message says which."""


def _fail(message: str) -> None:
    raise InvalidWorldError(message)


def _check_metadata(spec: WorldSpec) -> None:
    if not spec.task or not isinstance(spec.task, str):
        _fail(f"task must be a non-empty string, got {spec.task!r}")
    if not (0.0 <= spec.difficulty <= 1.0):
        _fail(f"difficulty must be in [0, 1], got {spec.difficulty}")
    if spec.seed < 0:
        _fail(f"seed must be non-negative, got {spec.seed}")
    if not (1 <= spec.generator_version <= INT32_MAX):
        _fail(f"generator_version must be a positive 32-bit int, got {spec.generator_version}")


def _check_terrain_sizes(spec: WorldSpec) -> None:
    t = spec.terrain
    if t.points_x < 2 or t.points_z < 2:
        _fail(f"terrain needs at least 2x2 points, got {t.points_x}x{t.points_z}")
    if t.points_x > MAX_TERRAIN_POINTS or t.points_z > MAX_TERRAIN_POINTS:
        _fail(f"terrain of {t.points_x}x{t.points_z} points; at most {MAX_TERRAIN_POINTS} per axis")
    if not (MIN_TERRAIN_CELL_SIZE <= t.cell_size <= MAX_TERRAIN_CELL_SIZE):
        _fail(
            f"terrain.cell_size {t.cell_size:g} m is outside [{MIN_TERRAIN_CELL_SIZE:g}, {MAX_TERRAIN_CELL_SIZE:g}] "
            "(metres between heightmap points)"
        )
    cells = (t.points_z - 1, t.points_x - 1)
    for name in ("cell_colors", "climbable"):
        shape = getattr(t, name).shape
        if shape != cells:
            _fail(f"terrain.{name} has shape {shape}, expected (points_z-1, points_x-1) = {cells}")
    if not t.palette:
        _fail("terrain.palette is empty; cell_colors index into it")
    if t.cell_colors.size and int(t.cell_colors.max()) >= len(t.palette):
        _fail(f"terrain.cell_colors uses index {int(t.cell_colors.max())} but the palette has {len(t.palette)} colours")
    if t.climbable.size and int(t.climbable.max()) > 1:
        _fail("terrain.climbable must hold only 0 (not climbable) and 1 (climbable)")


def _check_terrain_finite(spec: WorldSpec) -> None:
    t = spec.terrain
    if not np.isfinite(t.heights).all():
        j, i = np.argwhere(~np.isfinite(t.heights))[0]
        _fail(f"terrain height at point (i={i}, j={j}) is {t.heights[j, i]}; all heights must be finite")
    if not all(math.isfinite(v) for v in (*t.origin, t.water_height)):
        _fail(f"terrain origin {t.origin} and water_height {t.water_height} must be finite")
    far = max(abs(v) for v in (float(t.heights.min()), float(t.heights.max()), t.water_height, *t.bounds))
    if far > MAX_COORDINATE:
        _fail(f"terrain reaches {far:g} m from the origin; its coordinates must stay within {MAX_COORDINATE:g} m")
    for n, color in enumerate(t.palette):
        if len(color) != 4 or not all(0.0 <= c <= 1.0 for c in color):
            _fail(f"palette[{n}] = {color} must be 4 floats (RGBA) in [0, 1]")


def _check_trees(spec: WorldSpec) -> None:
    trees = spec.trees
    if not (len(trees.positions) == len(trees.heights) == len(trees.kinds)):
        _fail(f"trees arrays differ in length: {len(trees.positions)}, {len(trees.heights)}, {len(trees.kinds)}")
    if len(trees) == 0:
        return
    if not (np.isfinite(trees.positions).all() and np.isfinite(trees.heights).all()):
        _fail("tree positions and heights must be finite")
    if float(trees.heights.min()) <= 0:
        _fail(f"tree heights must be positive, got min {float(trees.heights.min())}")
    if float(trees.heights.max()) > MAX_ITEM_SIZE:
        _fail(f"tree heights must be at most {MAX_ITEM_SIZE:g} m, got max {float(trees.heights.max())}")
    if int(trees.kinds.max()) > TreeKind.PALM:
        _fail(f"tree kind {int(trees.kinds.max())} unknown (0 broadleaf, 1 fir, 2 palm)")
    # Terrain.contains for every tree at once (a loop over thousands of trees cost milliseconds per reset).
    min_x, max_x, min_z, max_z = spec.terrain.bounds
    x = trees.positions[:, 0].astype(np.float64)
    z = trees.positions[:, 2].astype(np.float64)
    outside = np.flatnonzero(~((min_x <= x) & (x <= max_x) & (min_z <= z) & (z <= max_z)))
    if outside.size:
        n = int(outside[0])
        _fail(f"tree {n} at x={x[n]:.2f}, z={z[n]:.2f} lies outside the terrain bounds {spec.terrain.bounds}")


def _check_counts(spec: WorldSpec) -> None:
    if len(spec.items) > MAX_ITEMS:
        _fail(f"{len(spec.items)} items; at most {MAX_ITEMS}")
    if len(spec.trees) > MAX_TREES:
        _fail(f"{len(spec.trees)} trees; at most {MAX_TREES}")


def _check_item_ids(spec: WorldSpec) -> None:
    seen: set[int] = set()
    for n, item in enumerate(spec.items):
        if not (1 <= item.id <= INT32_MAX):
            _fail(f"items[{n}] ({item.kind}) has id {item.id}; ids must be >= 1 and fit in 32 bits")
        if item.id in seen:
            _fail(f"items[{n}] ({item.kind}) reuses id {item.id}; ids must be unique")
        seen.add(item.id)


def _check_item_fields(spec: WorldSpec) -> None:
    for n, item in enumerate(spec.items):
        row = KIND_BY_NAME.get(item.kind)
        if row is None:
            _fail(f"items[{n}] has unknown kind {item.kind!r}; known: {', '.join(KIND_BY_NAME)}")
            return
        values = [*item.position, item.yaw]
        for value in item.fields.values():
            values.extend(value if isinstance(value, tuple) else [value])
        if not all(math.isfinite(float(v)) for v in values):
            _fail(f"items[{n}] ({item.kind}, id {item.id}) has a non-finite number: {item}")
        for spec_field in row.fields:  # the table says which fields are sizes and which palette indices
            value = item.fields[spec_field.name]
            name = spec_field.name
            if spec_field.limit == SIZE:
                sizes = value if isinstance(value, tuple) else (value,)
                if min(sizes) <= 0:
                    _fail(f"items[{n}] ({item.kind}, id {item.id}) needs a positive {name}, got {value}")
                if max(sizes) > MAX_ITEM_SIZE:
                    _fail(f"items[{n}] ({item.kind}, id {item.id}) {name} {value} exceeds {MAX_ITEM_SIZE:g} m")
            elif spec_field.limit == MASS and not (0 < value <= MAX_ITEM_MASS):
                _fail(f"items[{n}] ({item.kind}, id {item.id}) {name} {value} is not in (0, {MAX_ITEM_MASS:g}] kg")
            elif spec_field.limit == PALETTE and not (0 <= value < len(spec.terrain.palette)):
                _fail(
                    f"items[{n}] {item.kind} {name} {value} is not a palette index "
                    f"(palette has {len(spec.terrain.palette)})"
                )


def _check_food_rules(spec: WorldSpec) -> None:
    trees = [tree.position for tree in spec.items_of_kind("fruit_tree")]
    for item in spec.foods():
        info = item.entity.food
        if info is None:  # spec.foods() holds foods only
            continue
        where = f"food {item.kind} (id {item.id})"
        attached, buried = item["attached"], item["buried"]
        if attached and not info.on_tree:
            _fail(f"{where} is attached to a tree but {item.kind} never grows on trees")
        if not attached and not info.on_ground and not buried:
            _fail(f"{where} lies on the ground but {item.kind} only grows on trees; set attached=True")
        if buried and not info.can_be_buried:
            buriable = ", ".join(k.name for k in KIND_BY_NAME.values() if k.food and k.food.can_be_buried)
            _fail(f"{where} is buried; only these foods can be buried: {buriable}")
        if not item["opened"] and info.open_speed <= 0:
            _fail(f"{where} is unopened but {item.kind} is not openable; set opened=True")
        if attached:
            x, _, z = item.position
            nearest = min((math.hypot(x - tx, z - tz) for tx, _, tz in trees), default=math.inf)
            if nearest > ATTACHED_FOOD_MAX_TREE_DISTANCE:
                _fail(f"{where} is attached but no fruit_tree trunk is within {ATTACHED_FOOD_MAX_TREE_DISTANCE} m")


def _lock_slot(item: Item) -> str:
    """What a lock occupies on its door: one button, one rotating bar, one top and one bottom sliding bar at most."""
    if item.kind == "sliding_bar_lock":
        return "top sliding bar" if item["top"] else "bottom sliding bar"
    return item.kind.removesuffix("_lock").replace("_", " ")


def _check_doors(spec: WorldSpec) -> None:
    """Doors' choices are known values; each lock names an earlier door that may carry it (docs/doors.md)."""
    doors: dict[int, Item] = {}
    slots: dict[int, set[str]] = {}
    for n, item in enumerate(spec.items):
        where = f"items[{n}] ({item.kind}, id {item.id})"
        if item.kind in DOOR_KINDS:
            if item["latching"] not in {int(v) for v in Latching}:
                _fail(f"{where}: latching {item['latching']} is not one of {[f'{v.value} {v.name}' for v in Latching]}")
            if item.kind == "hinge_door" and item["mechanics"] not in {int(v) for v in DoorMechanics}:
                mechanics = [f"{v.value} {v.name}" for v in DoorMechanics]
                _fail(f"{where}: mechanics {item['mechanics']} is not one of {mechanics}")
            doors[item.id] = item
            slots[item.id] = set()
        elif item.kind in LOCK_KINDS:
            door = doors.get(item["door"])
            if door is None:
                other = next((o for o in spec.items if o.id == item["door"]), None)
                what = "there is no such item" if other is None else f"item {other.id} is a {other.kind} there"
                _fail(f"{where}: its door {item['door']} must be a hinge or sliding door before it; {what}")
                return
            slot = _lock_slot(item)
            if slot in slots[door.id]:
                _fail(f"{where}: door {door.id} already has a {slot}")
            slots[door.id].add(slot)
            pullable = door.kind == "hinge_door" and door["mechanics"] != DoorMechanics.PUSH
            if item.kind == "sliding_bar_lock" and pullable:
                _fail(f"{where}: sliding bars are never on a hinge door that can be pulled (door {door.id}); use push")
            if door["latching"] == Latching.NONE:
                _fail(f"{where}: door {door.id} has a lock, so it must latch (latching ONCE or AUTO, not NONE)")


def _check_buildings(spec: WorldSpec) -> None:
    """Buildings' grids agree in shape, hold known tiles, stack their storeys without overlap and link them by
    ladders and ramps that stand on a floor below a hole (docs/buildings.md)."""
    if len(spec.buildings) > MAX_BUILDINGS:
        _fail(f"{len(spec.buildings)} buildings; at most {MAX_BUILDINGS}")
    for n, b in enumerate(spec.buildings):
        where = f"buildings[{n}]"
        if not 1 <= len(b.storeys) <= MAX_STOREYS:
            _fail(f"{where} has {len(b.storeys)} storeys; it needs 1 to {MAX_STOREYS}")
        nz, nx = b.shape
        if not (1 <= nx <= MAX_TILES and 1 <= nz <= MAX_TILES):
            _fail(f"{where} is {nx} x {nz} tiles; each side must be 1 to {MAX_TILES}")
        if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in b.origin):
            _fail(f"{where}: origin {b.origin} must be finite and within {MAX_COORDINATE:g} m")
        for k, s in enumerate(b.storeys):
            at = f"{where}.storeys[{k}]"
            for name in ("tiles", "floor", "climbable", "ceiling"):
                if getattr(s, name).shape != (nz, nx):
                    _fail(f"{at}.{name} has shape {getattr(s, name).shape}; the building's grid is {(nz, nx)}")
            if int(s.tiles.max(initial=0)) > max(Tile):
                _fail(f"{at}.tiles holds {int(s.tiles.max())}; known tiles are {[f'{t.value} {t.name}' for t in Tile]}")
            if not np.isfinite(s.floor).all() or float(np.abs(s.floor).max(initial=0)) > MAX_ITEM_SIZE:
                _fail(f"{at}.floor offsets must be finite and within {MAX_ITEM_SIZE:g} m")
            if not (MIN_INNER_HEIGHT <= s.inner_height <= MAX_ITEM_SIZE) or not math.isfinite(s.level):
                _fail(f"{at}: inner_height {s.inner_height:g} m must be in [{MIN_INNER_HEIGHT:g}, {MAX_ITEM_SIZE:g}]")
            if ((s.climbable != 0) & (s.tiles != Tile.FLOOR)).any():
                _fail(f"{at}.climbable flags a tile that is no FLOOR; only floor blocks can be climbable")
            if k and s.bottom < b.storeys[k - 1].ceiling_bottom + SLAB - 1e-4:
                below = b.storeys[k - 1]
                _fail(
                    f"{at} reaches down to {s.bottom:g} m, into the ceiling of the storey below (top at "
                    f"{below.ceiling_bottom + SLAB:g} m); raise its level"
                )
        links: tuple[Ladder | Ramp, ...] = (*b.ladders, *b.ramps)
        for link in links:
            what = f"{where}: {link}"
            if not 0 <= link.storey < len(b.storeys) - 1:
                _fail(f"{what} links storey {link.storey}, which has no storey above it")
            if not (0 <= link.z < nz and 0 <= link.x < nx):
                _fail(f"{what} stands outside the {nx} x {nz} grid")
            if b.storeys[link.storey].tiles[link.z, link.x] != Tile.FLOOR:
                _fail(f"{what} must stand on a FLOOR tile of storey {link.storey}")
        for ladder in b.ladders:
            if b.storeys[ladder.storey + 1].tiles[ladder.z, ladder.x] != Tile.VOID:
                _fail(f"{where}: {ladder} needs a VOID tile (its hole) above it on storey {ladder.storey + 1}")
        for ramp in b.ramps:
            dz, dx = SIDE_STEP[Side(ramp.rises)]
            z1, x1 = ramp.z + dz * ramp.length, ramp.x + dx * ramp.length
            if ramp.length < 1 or not (0 <= z1 < nz and 0 <= x1 < nx):
                _fail(f"{where}: {ramp} must rise over at least 1 tile and end inside the grid")


def _check_items_in_bounds(spec: WorldSpec) -> None:
    t = spec.terrain
    for n, item in enumerate(spec.items):
        x, y, z = item.position
        if not t.contains(x, z):
            _fail(f"items[{n}] ({item.kind}, id {item.id}) at x={x:.2f}, z={z:.2f} is outside the terrain {t.bounds}")
        # a buried food sits in the ground; a static box's position is its centre, which may be below the ground
        sunk = item.fields.get("buried", False) or (item.is_static and "size" in item.fields)
        if not sunk and y < t.height_at(x, z) - GROUND_TOLERANCE:
            _fail(f"items[{n}] ({item.kind}, id {item.id}) at y={y:.2f} is below the ground ({t.height_at(x, z):.2f})")
        if y > float(t.heights.max()) + MAX_HEIGHT_ABOVE_TERRAIN:
            _fail(
                f"items[{n}] ({item.kind}, id {item.id}) at y={y:.2f} is more than {MAX_HEIGHT_ABOVE_TERRAIN:g} m "
                "above the terrain"
            )


def _check_has_food(spec: WorldSpec) -> None:
    if spec.task != "debug" and not spec.foods():
        _fail(f"{spec.task} world has no food; every task ends when the food is gone, so it would end at once")


def _check_spawn(spec: WorldSpec) -> None:
    t, s = spec.terrain, spec.spawn
    x, y, z = s.position
    if not all(math.isfinite(v) for v in (x, y, z, s.yaw, s.pitch)):
        _fail(f"spawn {s} must be finite")
    if not t.contains(x, z, margin=0.5):
        _fail(f"spawn at x={x:.2f}, z={z:.2f} must lie at least 0.5 m inside the terrain {t.bounds}")
    ground = t.height_at(x, z)
    if ground <= t.water_height:
        _fail(f"spawn ground height {ground:.2f} is not above the water ({t.water_height:.2f}); spawn on land")
    if y < ground - GROUND_TOLERANCE:
        _fail(f"spawn feet y={y:.2f} are below the ground ({ground:.2f})")
    if y > float(t.heights.max()) + MAX_HEIGHT_ABOVE_TERRAIN:
        _fail(f"spawn feet y={y:.2f} are over {MAX_HEIGHT_ABOVE_TERRAIN:g} m above the terrain")
    if not -90.0 <= s.pitch <= 90.0:
        _fail(f"spawn pitch {s.pitch} must be in [-90, 90] degrees")


CHECKS: tuple[Callable[[WorldSpec], None], ...] = (
    _check_metadata,
    _check_terrain_sizes,
    _check_terrain_finite,
    _check_trees,
    _check_counts,
    _check_item_ids,
    _check_item_fields,
    _check_food_rules,
    _check_doors,
    _check_buildings,
    _check_items_in_bounds,
    _check_has_food,
    _check_spawn,
)


def check_world(spec: WorldSpec) -> None:
    """Run every check in order; raise `InvalidWorldError` at the first problem."""
    for check in CHECKS:
        check(spec)
