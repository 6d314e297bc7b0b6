"""Top-down picture of a `WorldSpec` (for the demo and for eyeballing generators).

Terrain cells in their palette colours shaded by height, water as blue, unclimbable cells dark, trees as green
discs, the altar and blocks as grey squares, fruit trees as brown discs, food as bright dots with a dark outline,
rocks and sticks as grey/brown marks (large rocks larger), boulders and stones as grey squares, logs as brown bars,
buildings' ground storeys cut away (floors, walls,
windows, ladders, ramps) with doors as thick lines and locks as yellow dots, animals as triangles pointing where they
face (prey green, predators red, both outlined in black), and the spawn as a white arrow pointing where the agent
looks. North (-Z) is up.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from avalon.entities import DOOR_KINDS, LOCK_KINDS
from avalon.world.building import SIDE_STEP, Building, Side, Tile
from avalon.world.spec import Item, WorldSpec

WATER = np.array([40, 90, 160], np.float64)
FOOD_COLORS: dict[str, tuple[int, int, int]] = {
    "apple": (220, 30, 30),
    "banana": (250, 220, 40),
    "cherry": (170, 0, 40),
    "honeycomb": (240, 170, 20),
    "mulberry": (90, 20, 90),
    "fig": (130, 60, 120),
    "orange": (255, 140, 0),
    "avocado": (60, 110, 30),
    "coconut": (110, 70, 40),
    "carrot": (250, 110, 20),
}
TREE_COLORS = ((30, 100, 40), (20, 80, 50), (60, 140, 60))  # broadleaf, fir, palm
PREY_COLOR = (60, 230, 60)
PREDATOR_COLOR = (235, 30, 30)
BUILDING_FLOOR = (200, 180, 120)
BUILDING_CLIMBABLE = (150, 190, 110)
BUILDING_WALL = (110, 90, 50)
BUILDING_WINDOW = (140, 190, 230)
BUILDING_LADDER = (60, 45, 25)
DOOR_COLORS = {"hinge_door": (150, 60, 20), "sliding_door": (90, 40, 120)}
LOCK_COLOR = (250, 210, 0)
ANIMAL_MIN_SIZE = 1.2  # m: an animal's triangle is at least this long, so a mouse shows on an 8 px/m map


MARKED_BELOW = 4.0  # px per metre: coarser maps (worlds over 256 m) draw the spawn and the food larger


def render_topdown(spec: WorldSpec, path: str | Path | None = None, pixels_per_meter: int = 8) -> Image.Image:
    """Draw `spec` from above; save it as PNG to `path` when given. North (-Z) is at the top."""
    terrain = spec.terrain
    palette = np.array(terrain.palette, np.float64)[:, :3] * 255.0
    rgb = palette[terrain.cell_colors]
    mean = terrain.heights.astype(np.float64)
    mean = 0.25 * (mean[:-1, :-1] + mean[:-1, 1:] + mean[1:, :-1] + mean[1:, 1:])
    land = mean > terrain.water_height
    if land.any():
        low, high = float(mean[land].min()), float(mean[land].max())
        shade = 0.75 + 0.45 * (mean - low) / max(high - low, 1e-6)
        rgb = rgb * np.clip(shade, 0.6, 1.2)[..., None]
    depth = np.clip(terrain.water_height - mean, 0.0, 4.0)[..., None] / 4.0
    rgb = np.where(land[..., None], rgb, WATER * (1.0 - 0.4 * depth) + rgb * 0.15)
    image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    s: float = pixels_per_meter
    # One pixel per cell so far: scale to `s` pixels per metre whatever the cell size (cells stay crisp squares).
    cell_pixels = max(1, round(s * terrain.cell_size))
    image = image.resize((image.width * cell_pixels, image.height * cell_pixels), Image.Resampling.NEAREST)
    s = cell_pixels / terrain.cell_size
    draw = ImageDraw.Draw(image)
    x0, _, z0 = terrain.origin

    def px(x: float, z: float) -> tuple[float, float]:
        return ((x - x0) * s, (z - z0) * s)

    def disc(
        x: float, z: float, radius_m: float, fill: tuple[int, int, int], outline: tuple[int, int, int] | None = None
    ) -> None:
        cx, cz = px(x, z)
        r = max(radius_m * s, 2.0)
        draw.ellipse((cx - r, cz - r, cx + r, cz + r), fill=fill, outline=outline)

    for building in spec.buildings:
        _draw_building(draw, building, px, s)
    for (x, _, z), height, kind in zip(spec.trees.positions, spec.trees.heights, spec.trees.kinds, strict=True):
        disc(float(x), float(z), 0.25 * float(height), TREE_COLORS[int(kind) % 3], (10, 40, 10))
    for item in sorted(spec.items, key=lambda i: (not i.is_static, i.is_food)):
        _draw_item(draw, item, px, disc, s)
        if (
            item.is_food and item.entity.animal is None and s < MARKED_BELOW
        ):  # big worlds: a ring that finds the food at a glance
            cx, cz = px(item.position[0], item.position[2])
            for r, color in ((9, (255, 255, 255)), (7, (200, 0, 0))):
                draw.ellipse((cx - r, cz - r, cx + r, cz + r), outline=color, width=2)
    _draw_spawn(draw, spec, px, s)
    if path is not None:
        image.save(path)
    return image


def _draw_building(draw: ImageDraw.ImageDraw, building: Building, px, s: float) -> None:  # type: ignore[no-untyped-def]
    """The ground storey cut away at the walls' mid-height: floors shaded by their height (chasms dark, islands
    light), walls dark, windows blue; every storey's ladders as rungs and ramps as lines ending where they rise."""
    storey = building.storeys[0]
    ox, _, oz = building.origin
    for (z, x), tile in np.ndenumerate(storey.tiles):
        if tile == Tile.OUTSIDE:
            continue
        if tile == Tile.FLOOR:
            lift = float(np.clip(storey.floor[z, x] / 4.0, -0.6, 0.4))
            color = tuple(int(np.clip(c * (1.0 + lift), 0, 255)) for c in BUILDING_FLOOR)
            if storey.climbable[z, x]:
                color = BUILDING_CLIMBABLE
        else:
            color = {Tile.WALL: BUILDING_WALL, Tile.WINDOW: BUILDING_WINDOW}.get(Tile(int(tile)), (20, 20, 20))
        draw.rectangle((*px(ox + x, oz + z), *px(ox + x + 1, oz + z + 1)), fill=color)
    for ladder in building.ladders:
        x, z = ox + ladder.x, oz + ladder.z
        for k in range(1, 4):
            draw.line((*px(x + 0.2, z + k / 4), *px(x + 0.8, z + k / 4)), fill=BUILDING_LADDER, width=2)
        draw.rectangle((*px(x + 0.15, z + 0.05), *px(x + 0.85, z + 0.95)), outline=BUILDING_LADDER, width=2)
    for ramp in building.ramps:
        dz, dx = SIDE_STEP[Side(ramp.rises)]
        start = (ox + ramp.x + 0.5 + dx, oz + ramp.z + 0.5 + dz)
        end = (start[0] + dx * (ramp.length - 1), start[1] + dz * (ramp.length - 1))
        draw.line((*px(*start), *px(*end)), fill=BUILDING_LADDER, width=max(2, int(s // 4)))
        draw.ellipse((*px(end[0] - 0.25, end[1] - 0.25), *px(end[0] + 0.25, end[1] + 0.25)), fill=BUILDING_LADDER)


def _draw_door(draw: ImageDraw.ImageDraw, item: Item, px, s: float) -> None:  # type: ignore[no-untyped-def]
    """A door as a thick line across its doorway on the approach face, a lock as a dot on its approach side."""
    x, _, z = item.position
    yaw = math.radians(item.yaw)
    ax, az = math.cos(yaw), -math.sin(yaw)  # the door's local +x
    if item.kind in DOOR_KINDS:
        color = DOOR_COLORS.get(item.kind, (140, 70, 30))
        draw.line(
            (*px(x - ax * 0.5, z - az * 0.5), *px(x + ax * 0.5, z + az * 0.5)), fill=color, width=max(3, int(s // 3))
        )
    else:
        bx, bz = math.sin(yaw), math.cos(yaw)  # local +z: the approach side
        k = LOCK_KINDS.index(item.kind) if item.kind in LOCK_KINDS else 0
        cx, cz = px(x + bx * 0.35 + ax * (k - 1.5) * 0.25, z + bz * 0.35 + az * (k - 1.5) * 0.25)
        r = max(2.0, 0.12 * s)
        draw.ellipse((cx - r, cz - r, cx + r, cz + r), fill=LOCK_COLOR, outline=(0, 0, 0))


def _draw_item(draw: ImageDraw.ImageDraw, item: Item, px, disc, s: float) -> None:  # type: ignore[no-untyped-def]
    x, _, z = item.position
    if item.kind in DOOR_KINDS or item.kind in LOCK_KINDS:
        _draw_door(draw, item, px, s)
    elif item.is_static and isinstance(item.fields.get("size"), tuple):  # a static box (altar, block)
        w, _, depth = item["size"]
        (ax, az), (bx, bz) = px(x - w / 2, z - depth / 2), px(x + w / 2, z + depth / 2)
        draw.rectangle((ax, az, bx, bz), fill=(150, 150, 160), outline=(40, 40, 40))
    elif item.kind in ("boulder", "stone"):  # cubes `size` m a side, turned by yaw
        half = item["size"] / 2
        yaw = math.radians(item.yaw)
        corners = [(-half, -half), (half, -half), (half, half), (-half, half)]
        points = [
            px(x + u * math.cos(yaw) + v * math.sin(yaw), z - u * math.sin(yaw) + v * math.cos(yaw)) for u, v in corners
        ]
        fill = (115, 110, 105) if item.kind == "boulder" else (175, 175, 180)
        draw.polygon(points, fill=fill, outline=(30, 30, 30))
    elif item.kind == "log":  # lies along its local x, turned by yaw
        dx, dz = (
            math.cos(math.radians(item.yaw)) * item["length"] / 2,
            -math.sin(math.radians(item.yaw)) * item["length"] / 2,
        )
        draw.line((*px(x - dx, z - dz), *px(x + dx, z + dz)), fill=(110, 70, 35), width=max(3, int(0.7 * s)))
    elif item.kind == "fruit_tree":
        disc(x, z, 0.8, (90, 60, 30), (30, 20, 10))
    elif item.entity.animal is not None:
        _draw_animal(draw, item, px)
    elif item.kind == "rock":
        disc(x, z, 0.3, (120, 120, 120), (30, 30, 30))
    elif item.kind == "large_rock":
        disc(x, z, 0.55, (105, 105, 105), (20, 20, 20))
    elif item.kind in ("stick", "large_stick"):
        length = item["length"] if "length" in item.fields else item.entity.physics.extents[2] * 2
        # lies along its local Z axis (Godot 3's capsule axis), turned by yaw about +Y
        dx, dz = math.sin(math.radians(item.yaw)) * length / 2, math.cos(math.radians(item.yaw)) * length / 2
        draw.line((*px(x - dx, z - dz), *px(x + dx, z + dz)), fill=(120, 80, 30), width=max(2, int(s // 3)))
    elif item.is_food:
        disc(x, z, 0.3, FOOD_COLORS.get(item.kind, (255, 0, 255)), (0, 0, 0))


def _draw_animal(draw: ImageDraw.ImageDraw, item: Item, px) -> None:  # type: ignore[no-untyped-def]
    """A triangle the length of the body (at least ANIMAL_MIN_SIZE), its tip where the animal faces (local -Z)."""
    x, _, z = item.position
    half_x, _, half_z = item.entity.physics.extents
    length = max(2.0 * half_z, ANIMAL_MIN_SIZE)
    width = max(2.0 * half_x, 0.7 * ANIMAL_MIN_SIZE)
    yaw = math.radians(item.yaw)
    fx, fz = -math.sin(yaw), -math.cos(yaw)  # forward in x-z
    lx, lz = -fz, fx
    tip = px(x + fx * length / 2, z + fz * length / 2)
    left = px(x - fx * length / 2 + lx * width / 2, z - fz * length / 2 + lz * width / 2)
    right = px(x - fx * length / 2 - lx * width / 2, z - fz * length / 2 - lz * width / 2)
    color = PREDATOR_COLOR if item.entity.animal_info.predator else PREY_COLOR
    draw.polygon([tip, left, right], fill=color, outline=(0, 0, 0))


def _draw_spawn(draw: ImageDraw.ImageDraw, spec: WorldSpec, px, s: float) -> None:  # type: ignore[no-untyped-def]
    x, _, z = spec.spawn.position
    yaw = math.radians(spec.spawn.yaw)
    k = 1.0 if s >= MARKED_BELOW else 3.0 * MARKED_BELOW / s  # maps of big worlds: an arrow about 18 px long
    fx, fz = -math.sin(yaw) * k, -math.cos(yaw) * k  # forward in x-z
    lx, lz = -fz, fx
    tip = px(x + fx * 1.5, z + fz * 1.5)
    left = px(x - fx * 0.6 + lx * 0.7, z - fz * 0.6 + lz * 0.7)
    right = px(x - fx * 0.6 - lx * 0.7, z - fz * 0.6 - lz * 0.7)
    draw.polygon([tip, left, px(x, z), right], fill=(255, 255, 255), outline=(0, 0, 0))
