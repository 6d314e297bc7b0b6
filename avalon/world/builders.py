"""Hand-built worlds for tests and debugging (e.g. Godot tests: "camera 5 m in front of a wall block")."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

import numpy as np

from avalon.world import terrain as tr
from avalon.world.building import Side
from avalon.world.spec import Item, Spawn, Terrain, Trees, WorldSpec

FLAT_WATER_HEIGHT = -5.0  # m; the flat ground is at 0, well above it


def flat_terrain(
    size: int = 20, height: float = 0.0, water_height: float = FLAT_WATER_HEIGHT, cell_size: float = 1.0
) -> Terrain:
    """A `size` x `size` m flat grass square at `height`, centred on the origin, all climbable, with points
    `cell_size` m apart (`size` must be a whole number of cells)."""
    if size < 1:
        raise ValueError(f"size must be at least 1 m, got {size}")
    cells = round(size / cell_size)
    if not math.isclose(cells * cell_size, size):
        raise ValueError(f"size {size} m is not a whole number of {cell_size} m cells")
    return Terrain(
        heights=np.full((cells + 1, cells + 1), height, np.float32),
        cell_colors=np.full((cells, cells), tr.GRASS, np.uint8),
        climbable=np.ones((cells, cells), np.uint8),
        palette=tr.PALETTE,
        origin=(-size / 2.0, 0.0, -size / 2.0),
        water_height=water_height,
        cell_size=cell_size,
    )


def flat_world(
    size: int = 20,
    items: Iterable[Item] = (),
    spawn: Spawn | None = None,
    task: str = "debug",
    trees: Trees | None = None,
    seed: int = 0,
) -> WorldSpec:
    """A flat world at height 0 (water at -5 m) with the given items; the spawn defaults to the centre, looking -Z."""
    return WorldSpec(
        task=task,
        seed=seed,
        difficulty=0.0,
        generator_version=1,
        terrain=flat_terrain(size),
        trees=trees if trees is not None else Trees(),
        items=tuple(items),
        spawn=spawn if spawn is not None else Spawn((0.0, 0.0, 0.0)),
    )


def wall_in_front(distance: float = 5.0, size: int | None = None) -> WorldSpec:
    """Spawn at the origin looking along -Z at a 4 x 3 m `block` wall whose near face is `distance` m away; the
    flat ground (`size` m square, by default the smallest even size that holds the wall) reaches past it."""
    if size is None:
        size = max(20, 2 * math.ceil(distance + 2.0))
    wall = Item.block(1, (0.0, 1.5, -distance - 0.25), (4.0, 3.0, 0.5), color=tr.ROCK)
    return flat_world(size, items=[wall])


def cliff_in_front(
    height: float = 4.0, distance: int = 1, climbable: bool = True, size: int = 20, task: str = "eat"
) -> WorldSpec:
    """Spawn at the origin looking along -Z at a cliff: the ground rises from 0 to `height` over the cell row
    between z = -`distance` and z = -`distance` - 1 (as steep as the heightmap allows) and stays there; every cell is
    climbable or not. An apple lies on the plateau 2 m beyond the top, so an `eat` play succeeds by climbing."""
    if not height > 0.0:
        raise ValueError(f"height must be positive, got {height}")
    if not 1 <= distance <= size // 2 - 4:
        raise ValueError(f"distance must be 1 to {size // 2 - 4} m (the plateau needs room), got {distance}")
    terrain = flat_terrain(size)
    heights = terrain.heights.copy()
    z = terrain.origin[2] + np.arange(size + 1)
    heights[z <= -distance - 1, :] = height
    raised = np.maximum.reduce([heights[:-1, :-1], heights[1:, :-1], heights[:-1, 1:], heights[1:, 1:]]) > 0.0
    cliff = Terrain(
        heights=heights,
        cell_colors=np.where(raised, tr.ROCK if climbable else tr.UNCLIMBABLE, tr.GRASS).astype(np.uint8),
        climbable=np.full((size, size), 1 if climbable else 0, np.uint8),
        palette=terrain.palette,
        origin=terrain.origin,
        water_height=terrain.water_height,
    )
    apple = Item.food("apple", 1, (0.0, height + 0.5, -distance - 3.0))
    return dataclasses.replace(flat_world(size, items=[apple], task=task), terrain=cliff)


STONE_TO_CARRY = 1  # item ids of `stones_in_front`
STONE_BASE = 2


def stones_in_front(near: float = 1.5, far: float = 4.5, size: int = 20, task: str = "eat") -> WorldSpec:
    """Spawn at the origin looking along -Z at two stones on flat ground: one to pick up with its centre `near` m
    ahead, and one to stack it on, `far` m ahead. An apple lies behind the spawn (so an `eat` play has food)."""
    if not 1.0 <= near < far - 1.5 <= size / 2 - 2.0:
        raise ValueError(f"need 1 <= near < far - 1.5 <= {size / 2 - 2.0} m, got near {near}, far {far}")
    stones = [Item.of("stone", STONE_TO_CARRY, (0.0, 0.5, -near)), Item.of("stone", STONE_BASE, (0.0, 0.5, -far))]
    apple = Item.food("apple", 3, (0.0, 0.5, 3.0))
    return flat_world(size, items=[*stones, apple], task=task)


def chasm_in_front(
    gap: float = 3.0, depth: float = 3.0, near: float = 6.0, size: int = 30, items: Iterable[Item] = ()
) -> WorldSpec:
    """Spawn at the origin looking along -Z over flat ground `depth` m high, cut by a chasm `gap` m wide (rim to rim)
    whose near rim is `near` m ahead and whose floor is at 0; the grid is 0.5 m, so the walls drop over one cell."""
    cell = 0.5
    if not (gap > 0 and depth > 0 and near > 0 and near + gap + 2.0 <= size / 2):
        raise ValueError(f"need positive gap, depth and near, and near + gap + 2 <= {size / 2} m")
    terrain = flat_terrain(size, cell_size=cell)
    z = terrain.origin[2] + cell * np.arange(terrain.heights.shape[0])
    heights = np.full(terrain.heights.shape, depth, np.float32)
    heights[(z < -near) & (z > -near - gap), :] = 0.0
    chasm = Terrain(
        heights=heights,
        cell_colors=terrain.cell_colors,
        climbable=np.zeros_like(terrain.climbable),
        palette=terrain.palette,
        origin=terrain.origin,
        water_height=terrain.water_height,
        cell_size=cell,
    )
    return dataclasses.replace(flat_world(size, items=items), terrain=chasm, spawn=Spawn((0.0, depth, 0.0)))


def big_island(side: int = 512, tree_density: float = 1.0, seed: int = 0, cell_size: float = 1.0) -> WorldSpec:
    """A `side` x `side` m hilly island with decorative trees, `tree_density` per 100 m^2 of dry, gentle land (the
    tasks draw 0.8-3; the original's EXPLORE at d = 1 has about 0.4-1.4), the spawn on the ground at its centre: the
    large-world fixture of the world-building benchmark and profile (no task generator makes worlds this big yet).
    Its heights are quantised (`terrain.quantize_heights`), as a big-world generator's should be, so it packs for the
    RESET command within 1 MB."""
    rng = np.random.default_rng(seed)
    heightmap = tr.island(rng, side, side, relief=6.0, roughness=0.5, cell_size=cell_size)
    tr.flatten(heightmap, (0.0, 0.0), 3.0)
    tr.quantize_heights(heightmap)
    moisture = tr.fractal_noise(rng, *heightmap.shape, base_cell=14.0 / cell_size, octaves=3)
    trees = tr.place_trees(rng, heightmap, tree_density, keep_clear=[((0.0, 0.0), 3.0)], moisture=moisture)
    spawn = Spawn((0.0, float(heightmap.height_at(0.0, 0.0)), 0.0))
    return WorldSpec(
        task="debug",
        seed=seed,
        difficulty=0.0,
        generator_version=2,  # 2: quantised heights
        terrain=heightmap.to_terrain(moisture),
        trees=trees,
        items=(),
        spawn=spawn,
    )


def animal_field(count: int = 30, size: int = 80, seed: int = 0) -> WorldSpec:
    """A flat `size` m square with `count` animals, the 17 species in turn, on a jittered grid round the spawn (all
    within the freeze distance, so every one moves) and an apple 3 m ahead: `make bench`'s stress world."""
    from avalon.entities import ANIMALS

    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    rng = np.random.default_rng(seed)
    items = [Item.food("apple", 1, (0.0, 0.5, -3.0))]
    side = math.ceil(math.sqrt(count))
    spacing = min(7.0, (size - 12.0) / max(1, side))
    for k in range(count):
        row = ANIMALS[k % len(ANIMALS)]
        i, j = divmod(k, side)
        x = (i - (side - 1) / 2.0) * spacing + float(rng.uniform(-1.0, 1.0))
        z = (j - (side - 1) / 2.0) * spacing + float(rng.uniform(-1.0, 1.0))
        if math.hypot(x, z) < 4.0:  # keep the spawn clear
            x += 6.0
        y = row.physics.extents[1] + (4.0 if row.animal_info.domain == "air" else 0.0)
        items.append(Item.of(row.name, 2 + k, (x, y, z), float(rng.uniform(-180.0, 180.0))))
    return flat_world(size, items=items, seed=seed)


def door_in_front(
    kind: str = "hinge_door", locks: Iterable[tuple[str, dict]] = (), distance: float = 2.5, **door_fields: object
) -> WorldSpec:
    """A sealed building of two rooms (5 x 4 tiles each, one wall between them): the spawn in the first, `distance`
    m (at most 3.5) from the doorway's face and looking at it, a `kind` door in it (the table's defaults for the
    fields not given) with `locks` ((lock kind, its fields) pairs), and an apple on the floor 3.5 m beyond the
    doorway."""
    from avalon.world.layout import Doorway, Layout, Room, rectangle_footprints

    rooms = [Room(0, 1, 1, 5, 6), Room(0, 6, 1, 10, 6)]
    doorway = Doorway(0, 5, 3, (0, 1), int(Side.SOUTH))
    building = Layout(rectangle_footprints(7, 11, 1), rooms=rooms, doorways=[doorway]).building((-3.5, 1.0, -5.5))
    position, yaw = doorway.door_pose(building)
    door = Item.of(kind, 10, position, yaw, **door_fields)
    items = [door, *(Item.lock(lock, 11 + n, door, **fields) for n, (lock, fields) in enumerate(locks))]
    x, y, z = building.tile_centre(0, 8, 3)
    items.append(Item.food("apple", 1, (x, y + 0.5, z)))
    x, y, z = position
    feet = (x, y, z - distance)  # the door faces the first room, at lower z
    return WorldSpec("debug", 0, 0.0, flat_terrain(16), Spawn(feet, 180.0, 0.0), tuple(items), buildings=(building,))
