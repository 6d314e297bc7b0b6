"""Helpers shared by the task generators: layout, the generic terrain/difficulty coupling, spawn pose, fruit trees.

As the original: spawn orientation, terrain coupling, and the common pattern of outdoor basic tasks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from avalon.constants import FOOD_HEIGHT_ON_TREE, FOOD_OFFSET_FROM_TRUNK, HEAD_HEIGHT_MAX
from avalon.difficulty import Knob, lerp
from avalon.entities import FOOD_BY_NAME
from avalon.world import terrain as tr
from avalon.world.obstacles import Ring, Solution
from avalon.world.spec import Item, Spawn, Terrain, Trees, Vec3
from avalon.world.terrain import ImpossibleWorldError as ImpossibleWorldError  # re-export: the library raises it

Point2 = tuple[float, float]

# Generic coupling of terrain to difficulty (as the original).
TREE_DENSITY = Knob(easy=0.8, hard=3.0)  # trees per 100 m^2 of land, random-lerped
FLATTEN_RADIUS = Knob(easy=5.0, hard=1.0)  # m, flat plateau around spawn and goal
MIN_FLAT_RADIUS = 2.0  # m; the cells under the agent's body and a trunk stay exactly flat
RELIEF = Knob(easy=1.0, hard=6.0)  # m, hill height range
PLATONIC_PROBABILITY = ((0.0, 0.2, 0.6, 1.0), (1.0, 0.9, 0.4, 0.2))  # (difficulty, P(smooth single-mound island))
SPAWN_YAW_NOISE = 180.0  # deg, yaw = yaw_to_goal + U(-1, 1) * this * d
SPAWN_PITCH_NOISE = 60.0  # deg, pitch = clip(pitch_to_goal + d * U(-1, 1) * this, -70, 70)
SPAWN_PITCH_LIMIT = 70.0

ISLAND_MARGIN = tr.SHORE_WIDTH + 4.0  # m from the heightmap edge to anything that must stand on solid land
MIN_WORLD_SIZE = 30
MAX_WORLD_SIZE = 100

# Fruit trees: the food hangs FOOD_OFFSET_FROM_TRUNK (1.25 m) from the trunk on the side the agent comes from,
# FOOD_HEIGHT_ON_TREE (2 m) up (its centre level with a standing agent's head), under the canopy's edge.
FRUIT_TREE_HEIGHT = 3.5  # m; the canopy (1.6 m wide each side of the trunk) starts at 2.6 m


@dataclass(frozen=True)
class Constraint:
    """Where a caller wants a task's obstacle (`obstacle(rng, difficulty, constraint)` of the task modules, which CARRY
    and the compositional tasks call): on `heightmap`, which the obstacle changes in place, between `start` (the side
    the agent comes from) and `end` (the side it must reach). The caller keeps the land round both points and the
    island high enough for what the obstacle cuts (a chasm's floor, a drop). The original's compositional worlds also
    confine an obstacle to a path mask; that arrives with them."""

    heightmap: tr.Heightmap
    start: Point2
    end: Point2


@dataclass(frozen=True)
class Obstacle:
    """What a task's obstacle built: the ring, its designed crossing (`solution`: start side -> end side), the
    designed way over it (`route`, a polyline from the start side to the end side) and the entities it needs, placed
    (ids are the caller's to assign, so each is given as (kind, position, yaw in degrees, kind-specific fields)))."""

    ring: Ring
    solution: Solution
    route: tuple[Point2, ...]
    entities: tuple[tuple[str, Vec3, float, dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class Layout:
    """A world frame: heightmap size and the shift that moves task-relative coordinates into world coordinates."""

    size_x: int
    size_z: int
    shift: Point2

    def place(self, point: Point2) -> Point2:
        return (point[0] + self.shift[0], point[1] + self.shift[1])


def frame_points(discs: Sequence[tuple[Point2, float]], min_size: int = MIN_WORLD_SIZE) -> Layout:
    """Smallest even-sized island (>= min_size) holding every (point, radius) disc at least ISLAND_MARGIN m from
    its edge, centred on the origin."""
    xs = [p[0] - r for p, r in discs] + [p[0] + r for p, r in discs]
    zs = [p[1] - r for p, r in discs] + [p[1] + r for p, r in discs]
    sizes = []
    for lo, hi in ((min(xs), max(xs)), (min(zs), max(zs))):
        size = max(min_size, 2 * math.ceil((hi - lo + 2 * ISLAND_MARGIN) / 2))
        if size > MAX_WORLD_SIZE:
            raise ImpossibleWorldError(f"world would be {size} m wide, more than {MAX_WORLD_SIZE} m")
        sizes.append(size)
    shift = (-(min(xs) + max(xs)) / 2.0, -(min(zs) + max(zs)) / 2.0)
    return Layout(sizes[0], sizes[1], shift)


def make_island(
    rng: np.random.Generator,
    d: float,
    layout: Layout,
    base_height: float = 1.5,
    relief_scale: float = 1.0,
    unclimbable_shore: bool = False,
    cell_size: float = 1.0,
) -> tr.Heightmap:
    """Island with the generic difficulty coupling: rougher, hillier and less often smooth as d grows."""
    platonic = bool(rng.uniform() < np.interp(d, *PLATONIC_PROBABILITY))
    relief = RELIEF.random_lerp(rng, d) * relief_scale
    return tr.island(
        rng,
        layout.size_x,
        layout.size_z,
        relief=relief,
        roughness=d,
        platonic=platonic,
        base_height=base_height,
        unclimbable_shore=unclimbable_shore,
        cell_size=cell_size,
    )


def moisture_map(rng: np.random.Generator, heightmap: tr.Heightmap) -> np.ndarray:
    nz, nx = heightmap.shape
    return tr.fractal_noise(rng, nz, nx, base_cell=14.0 / heightmap.cell_size, octaves=3)


def decorate(
    rng: np.random.Generator,
    d: float,
    heightmap: tr.Heightmap,
    keep_clear: Sequence[tuple[Point2, float]],
    clear_lines: Sequence[tuple[Point2, Point2, float]] = (),
    clear_rings: Sequence[tuple[Point2, float, float]] = (),
) -> tuple[Terrain, Trees]:
    """Colour the terrain and scatter decorative trees (denser at higher difficulty) away from the given areas."""
    moisture = moisture_map(rng, heightmap)
    trees = tr.place_trees(rng, heightmap, TREE_DENSITY.random_lerp(rng, d), keep_clear, clear_lines, moisture)
    if clear_rings and len(trees):
        keep = np.ones(len(trees), bool)
        for (cx, cz), r_min, r_max in clear_rings:
            r = np.hypot(trees.positions[:, 0] - cx, trees.positions[:, 2] - cz)
            keep &= (r < r_min) | (r > r_max)
        trees = Trees(trees.positions[keep], trees.heights[keep], trees.kinds[keep])
    return heightmap.to_terrain(moisture), trees


def yaw_towards(source: Point2, target: Point2) -> float:
    """Yaw (deg) that looks from `source` to `target` in the x-z plane (0 looks along -Z, positive turns left)."""
    return math.degrees(math.atan2(-(target[0] - source[0]), -(target[1] - source[1])))


def spawn_facing(rng: np.random.Generator, d: float, feet: Vec3, target: Vec3) -> Spawn:
    """Spawn at `feet` looking at `target` at d=0; yaw and pitch noise grow with d."""
    eye_y = feet[1] + HEAD_HEIGHT_MAX
    yaw = yaw_towards((feet[0], feet[2]), (target[0], target[2])) + rng.uniform(-1.0, 1.0) * SPAWN_YAW_NOISE * d
    yaw = (yaw + 180.0) % 360.0 - 180.0
    horizontal = math.hypot(target[0] - feet[0], target[2] - feet[2])
    pitch_to_goal = math.degrees(math.atan2(target[1] - eye_y, horizontal))
    pitch = pitch_to_goal + d * rng.uniform(-1.0, 1.0) * SPAWN_PITCH_NOISE
    return Spawn(feet, yaw, float(np.clip(pitch, -SPAWN_PITCH_LIMIT, SPAWN_PITCH_LIMIT)))


def direction(angle: float) -> Point2:
    return (math.cos(angle), math.sin(angle))


def offset(point: Point2, angle: float, distance: float) -> Point2:
    return (point[0] + math.cos(angle) * distance, point[1] + math.sin(angle) * distance)


def hanging_food(
    rng: np.random.Generator,
    kind: str,
    food_id: int,
    ground: float,
    trunk: Point2,
    toward: float,
    spread: float = 0.0,
    opened: bool = True,
) -> Item:
    """A food attached to the fruit tree whose trunk stands at `trunk`, FOOD_OFFSET_FROM_TRUNK m from its axis in
    direction `toward` (+ `spread` radians), FOOD_HEIGHT_ON_TREE above the ground, turned at random."""
    x, z = offset(trunk, toward + spread, FOOD_OFFSET_FROM_TRUNK)
    position = (x, ground + FOOD_HEIGHT_ON_TREE, z)
    return Item.food(kind, food_id, position, rng.uniform(-180.0, 180.0), attached=True, opened=opened)


def food_rest_height(kind: str) -> float:
    """m from a resting food's centre down to its support."""
    return FOOD_BY_NAME[kind].rest_height


def scatter_in_disc(
    rng: np.random.Generator, center: Point2, radius: float, count: int, separation: float
) -> list[Point2]:
    """`count` points in the disc, each at least `separation` apart when possible (the first one at the centre)."""
    points: list[Point2] = [center]
    attempts = 0
    while len(points) < count:
        angle, r = rng.uniform(0, 2 * math.pi), radius * math.sqrt(rng.uniform())
        candidate = offset(center, angle, r)
        attempts += 1
        if attempts > 200 or all(math.hypot(candidate[0] - p[0], candidate[1] - p[1]) >= separation for p in points):
            points.append(candidate)
    return points


def lerp_int(a: int, b: int, d: float) -> int:
    return round(lerp(a, b, d))


def snap_to_grid(heightmap: tr.Heightmap, point: Point2) -> Point2:
    """The heightmap point nearest `point`: something standing there has only the cells touching that point under
    it, so a flat disc of radius cell_size * sqrt(2) round it levels every one of them."""
    cs = heightmap.cell_size
    return (
        heightmap.origin_x + round((point[0] - heightmap.origin_x) / cs) * cs,
        heightmap.origin_z + round((point[1] - heightmap.origin_z) / cs) * cs,
    )
