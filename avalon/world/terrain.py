"""Heightmap islands for task generators (points `cell_size` m apart: 1 m for EAT and MOVE, 0.5 m for obstacle tasks;
docs/world_format.md).

A generator builds a `Heightmap` (mutable working copy), shapes it (`flatten`, `ensure_walkable_path`,
`cut_ring_chasm`), then freezes it with `to_terrain()`, which colours every cell from a small flat palette.
Coordinates are world metres: the island is centred on x = z = 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from avalon.world.spec import Color, Terrain, TreeKind, Trees, cell_of, surface_height

WATER_HEIGHT = 0.0
SEA_FLOOR = -3.0  # m, height the island falls off to beyond the shore
SHORE_WIDTH = 6.0  # m over which the island edge falls to the sea floor
BEACH_HEIGHT = 0.8  # m above water coloured as sand
ROCK_SLOPE = 1.0  # rise per metre above which a cell is bare rock (45 degrees)
TREE_MAX_SLOPE = 0.6
TREE_MIN_ALTITUDE = 1.0  # m above water
# Generators of big worlds round their heights to this step (`quantize_heights`): float32 multiples of a power of two
# leave the low mantissa bits zero, so the packed RESET of builders.big_island(512) (avalon.sim.protocol.pack_world,
# zstd level 1) shrank from 917 KB to 486 KB. The ground then lies within half a step (2 mm) of the shaped surface, a
# twentieth of the 4 cm collision margin of Godot's Bullet shapes. The existing tasks do not use it: their worlds, and
# so the evaluation set's identity (hashes of encode_world), stay byte for byte as they were.
HEIGHT_STEP = 1.0 / 256.0  # m

# Palette indices; colours are flat low-poly tones (RGBA in [0, 1]).
SEABED, SAND, GRASS, FOREST, ROCK, UNCLIMBABLE = range(6)
PALETTE: tuple[Color, ...] = (
    (0.55, 0.50, 0.38, 1.0),  # seabed
    (0.86, 0.80, 0.58, 1.0),  # sand
    (0.45, 0.66, 0.30, 1.0),  # grass
    (0.27, 0.47, 0.22, 1.0),  # forest floor
    (0.52, 0.50, 0.47, 1.0),  # rock
    (0.22, 0.22, 0.24, 1.0),  # unclimbable (chasm walls, cliffs made by obstacles)
)

Point2 = tuple[float, float]


class ImpossibleWorldError(RuntimeError):
    """The random draws led to a world that cannot be built (an obstacle does not fit, a path finds no room);
    `avalon.tasks.generate_world` retries with the continued stream. Raised by generators and the obstacle library."""


def _smoothstep(t: np.ndarray) -> np.ndarray:
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def value_noise(rng: np.random.Generator, nz: int, nx: int, cell: float) -> np.ndarray:
    """Smooth noise in [-1, 1] on an (nz, nx) grid: a random lattice every `cell` points, smoothstep-interpolated."""
    lz, lx = int(nz / cell) + 2, int(nx / cell) + 2
    lattice = rng.uniform(-1.0, 1.0, size=(lz, lx))
    u, v = np.arange(nx) / cell, np.arange(nz) / cell
    i0, j0 = u.astype(int), v.astype(int)
    fu, fv = _smoothstep(u - i0)[None, :], _smoothstep(v - j0)[:, None]
    a, b = lattice[np.ix_(j0, i0)], lattice[np.ix_(j0, i0 + 1)]
    c, d = lattice[np.ix_(j0 + 1, i0)], lattice[np.ix_(j0 + 1, i0 + 1)]
    return (a * (1 - fu) + b * fu) * (1 - fv) + (c * (1 - fu) + d * fu) * fv


def fractal_noise(rng: np.random.Generator, nz: int, nx: int, base_cell: float, octaves: int) -> np.ndarray:
    """Sum of `octaves` value-noise layers, each half the cell size and half the amplitude; roughly in [-1, 1]."""
    total, amplitude, norm, cell = np.zeros((nz, nx)), 1.0, 0.0, base_cell
    for _ in range(octaves):
        total += amplitude * value_noise(rng, nz, nx, max(cell, 1.5))
        norm += amplitude
        amplitude *= 0.5
        cell *= 0.5
    return total / norm


@dataclass
class Heightmap:
    """Mutable heightmap under construction. `heights[j, i]` is at x = origin_x + i * cell_size,
    z = origin_z + j * cell_size; cell (j, i) covers [x_i, x_i + cell_size) x [z_j, z_j + cell_size)."""

    heights: np.ndarray  # float64 (nz, nx)
    origin_x: float
    origin_z: float
    unclimbable: np.ndarray  # bool (nz - 1, nx - 1)
    water_height: float = WATER_HEIGHT
    cell_size: float = 1.0  # m between neighbouring points

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.heights.shape[0]), int(self.heights.shape[1])

    def grid_xz(self) -> tuple[np.ndarray, np.ndarray]:
        """World x and z of every point, each shaped (nz, nx)."""
        nz, nx = self.shape
        cs = self.cell_size
        return np.meshgrid(self.origin_x + cs * np.arange(nx), self.origin_z + cs * np.arange(nz))

    def height_at(self, x: float, z: float) -> float:
        return surface_height(self.heights, self.origin_x, self.origin_z, x, z, self.cell_size)

    def cell_index(self, x: float, z: float) -> tuple[int, int]:
        """(j, i) of the cell containing (x, z), clamped; the convention of `avalon.world.spec.cell_of`."""
        return cell_of(self.origin_x, self.origin_z, self.cell_size, self.shape, x, z)

    def contains(self, x: float, z: float, margin: float = 0.0) -> bool:
        nz, nx = self.shape
        cs = self.cell_size
        return (
            self.origin_x + margin <= x <= self.origin_x + (nx - 1) * cs - margin
            and self.origin_z + margin <= z <= self.origin_z + (nz - 1) * cs - margin
        )

    def cell_slope(self) -> np.ndarray:
        """Largest height difference between the corners of each cell per metre of cell side, shape (nz-1, nx-1)."""
        h = self.heights
        corners = np.stack([h[:-1, :-1], h[:-1, 1:], h[1:, :-1], h[1:, 1:]])
        return (corners.max(axis=0) - corners.min(axis=0)) / self.cell_size

    def cell_mean(self) -> np.ndarray:
        h = self.heights
        return 0.25 * (h[:-1, :-1] + h[:-1, 1:] + h[1:, :-1] + h[1:, 1:])

    def to_terrain(self, moisture: np.ndarray | None = None) -> Terrain:
        """Freeze into a `Terrain`, colouring cells by height, slope, climbability and moisture (> 0.3 = forest)."""
        mean, slope = self.cell_mean(), self.cell_slope()
        colors = np.full(mean.shape, GRASS, np.uint8)
        if moisture is not None:
            colors[moisture[:-1, :-1] > 0.3] = FOREST
        colors[slope > ROCK_SLOPE] = ROCK
        colors[mean < self.water_height + BEACH_HEIGHT] = SAND
        colors[mean < self.water_height - 0.3] = SEABED
        colors[self.unclimbable] = UNCLIMBABLE
        return Terrain(
            heights=self.heights.astype(np.float32),
            cell_colors=colors,
            climbable=(~self.unclimbable).astype(np.uint8),
            palette=PALETTE,
            origin=(self.origin_x, 0.0, self.origin_z),
            water_height=self.water_height,
            cell_size=self.cell_size,
        )


def island(
    rng: np.random.Generator,
    size_x: int,
    size_z: int,
    *,
    relief: float,
    roughness: float,
    platonic: bool = False,
    base_height: float = 1.5,
    unclimbable_shore: bool = False,
    cell_size: float = 1.0,
) -> Heightmap:
    """A `size_x` x `size_z` m island centred on the origin, falling below water at the edges, with points
    `cell_size` m apart (the sizes must be whole multiples of it).

    `relief` is the height range of the hills (m), `roughness` in [0, 1] adds octaves and shrinks features, and a
    `platonic` island is one smooth mound. Land inside the shore sits at `base_height` + hills. With
    `unclimbable_shore` the steep cliffs where a raised island drops into the sea cannot be climbed.
    """
    cells_x, cells_z = round(size_x / cell_size), round(size_z / cell_size)
    if not (math.isclose(cells_x * cell_size, size_x) and math.isclose(cells_z * cell_size, size_z)):
        raise ValueError(f"island of {size_x} x {size_z} m is not a whole number of {cell_size} m cells")
    nx, nz = cells_x + 1, cells_z + 1
    heightmap = Heightmap(
        np.zeros((nz, nx)), -size_x / 2.0, -size_z / 2.0, np.zeros((nz - 1, nx - 1), bool), cell_size=cell_size
    )
    per_m = 1.0 / cell_size  # noise lattices are given in points; their features keep their size in metres
    x, z = heightmap.grid_xz()
    half_x, half_z = size_x / 2.0, size_z / 2.0
    if platonic:
        cx, cz = rng.uniform(-0.25, 0.25) * half_x, rng.uniform(-0.25, 0.25) * half_z
        spread = 0.45 * min(half_x, half_z)
        mound = np.exp(-((x - cx) ** 2 + (z - cz) ** 2) / (2 * spread**2))
        hills = mound + 0.1 * value_noise(rng, nz, nx, 12.0 * per_m)
    else:
        octaves = 2 + round(3 * roughness)
        hills = 0.5 + 0.5 * fractal_noise(
            rng, nz, nx, base_cell=max(8.0, 24.0 - 12.0 * roughness) * per_m, octaves=octaves
        )
    land = base_height + relief * hills
    # Rounded-square falloff: distance to the edge, with a noisy shoreline.
    edge = np.minimum(half_x - np.abs(x), half_z - np.abs(z)) + 1.5 * value_noise(rng, nz, nx, 6.0 * per_m)
    falloff = _smoothstep((edge - 1.0) / SHORE_WIDTH)
    heights = SEA_FLOOR + (land - SEA_FLOOR) * falloff
    heights[[0, -1], :] = SEA_FLOOR
    heights[:, [0, -1]] = SEA_FLOOR
    heightmap.heights = heights
    if unclimbable_shore:
        shore = falloff[:-1, :-1] < 0.999
        heightmap.unclimbable |= shore & (heightmap.cell_slope() > ROCK_SLOPE)
    return heightmap


def quantize_heights(heightmap: Heightmap, step: float = HEIGHT_STEP) -> None:
    """Round every height to a multiple of `step` m, in place. `step` must be a power of two, so each multiple is
    exact in float32 (below 2^24 steps: 65 km at 1/256 m). Call it once the terrain is shaped and before anything
    is placed on it (trees, items, the spawn), so they stand on the ground the world will have."""
    if not (step > 0 and math.log2(step).is_integer()):
        raise ValueError(f"the height step must be a power of two (exact in float32), got {step} m")
    heightmap.heights = np.round(heightmap.heights / step) * step


def flatten(
    heightmap: Heightmap, center: Point2, radius: float, blend: float = 3.0, target: float | None = None
) -> float:
    """Make the terrain exactly flat within `radius` of `center` (at `target`, default the current height there),
    blending smoothly back to the original over `blend` metres. Returns the plateau height."""
    height = heightmap.height_at(*center) if target is None else target
    x, z = heightmap.grid_xz()
    distance = np.hypot(x - center[0], z - center[1])
    weight = 1.0 - _smoothstep((distance - radius) / max(blend, 1e-6))
    heightmap.heights = heightmap.heights * (1.0 - weight) + height * weight
    return height


def flatten_many(heightmap: Heightmap, discs: Sequence[tuple[Point2, float]], blend: float = 3.0) -> list[float]:
    """Flatten several (centre, radius) discs at once, exactly flat inside each. Discs close enough for their blend
    zones to meet share one height (that of the first of them), so no plateau disturbs another. Returns each disc's
    plateau height."""
    targets: list[float] = []
    for n, (center, radius) in enumerate(discs):
        target = heightmap.height_at(*center)
        for (other, other_radius), other_target in zip(discs[:n], targets, strict=True):
            if math.dist(center, other) < radius + other_radius + 2 * blend:
                target = other_target
                break
        targets.append(target)
    x, z = heightmap.grid_xz()
    weight, level = np.zeros(heightmap.shape), np.zeros(heightmap.shape)
    for (center, radius), target in zip(discs, targets, strict=True):
        w = 1.0 - _smoothstep((np.hypot(x - center[0], z - center[1]) - radius) / max(blend, 1e-6))
        stronger = w > weight
        weight, level = np.where(stronger, w, weight), np.where(stronger, target, level)
    heightmap.heights = heightmap.heights * (1.0 - weight) + level * weight
    return targets


def _distance_to_segment(x: np.ndarray, z: np.ndarray, a: Point2, b: Point2) -> tuple[np.ndarray, np.ndarray]:
    """Distance of every (x, z) to the segment a-b, and the clamped parameter t in [0, 1] of the closest point."""
    dx, dz = b[0] - a[0], b[1] - a[1]
    length2 = max(dx * dx + dz * dz, 1e-12)
    t = np.clip(((x - a[0]) * dx + (z - a[1]) * dz) / length2, 0.0, 1.0)
    return np.hypot(x - (a[0] + t * dx), z - (a[1] + t * dz)), t


def path_is_walkable(
    heightmap: Heightmap, a: Point2, b: Point2, max_slope: float = 0.7, min_altitude: float = 0.4
) -> bool:
    """True if the straight line a-b stays above water + `min_altitude` and never rises faster than `max_slope`."""
    steps = max(2, int(math.hypot(b[0] - a[0], b[1] - a[1]) / 0.5) + 1)
    profile = np.array(
        [heightmap.height_at(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for t in np.linspace(0, 1, steps)]
    )
    spacing = math.hypot(b[0] - a[0], b[1] - a[1]) / (steps - 1)
    if profile.min() < heightmap.water_height + min_altitude:
        return False
    return bool(spacing == 0 or np.abs(np.diff(profile)).max() / spacing <= max_slope)


def ensure_walkable_path(heightmap: Heightmap, a: Point2, b: Point2, width: float = 3.0, blend: float = 3.0) -> None:
    """If the line a-b is not walkable, blend a corridor `width` m wide into a straight ramp between its end heights."""
    if path_is_walkable(heightmap, a, b):
        return
    floor = heightmap.water_height + 1.0
    ha, hb = max(heightmap.height_at(*a), floor), max(heightmap.height_at(*b), floor)
    x, z = heightmap.grid_xz()
    distance, t = _distance_to_segment(x, z, a, b)
    weight = 1.0 - _smoothstep((distance - width / 2.0) / blend)
    heightmap.heights = heightmap.heights * (1.0 - weight) + (ha + (hb - ha) * t) * weight


@dataclass(frozen=True)
class RingChasm:
    """A closed chasm ring around `center`, crossed only by one walkway (a polyline `walkway_width` m wide)."""

    center: Point2
    inner_radius: float
    gap: float
    depth: float
    walkway: tuple[Point2, ...]
    walkway_width: float


def walkway_polyline(
    rng: np.random.Generator, center: Point2, angle: float, inner_radius: float, gap: float, turns: int
) -> tuple[Point2, ...]:
    """Walkway from 1 m inside the ring to 1 m outside it along direction `angle` (radians, in the x-z plane), with
    `turns` intermediate vertices pushed sideways alternately left and right (a zig-zag)."""
    ux, uz = math.cos(angle), math.sin(angle)
    vx, vz = -uz, ux
    start, end = inner_radius - 1.0, inner_radius + gap + 1.0
    points: list[Point2] = []
    for k in range(turns + 2):
        r = start + (end - start) * k / (turns + 1)
        side = 0.0 if k in (0, turns + 1) else (1 if k % 2 else -1) * rng.uniform(0.5, 1.0) * 0.35 * max(gap, 2.0)
        points.append((center[0] + ux * r + vx * side, center[1] + uz * r + vz * side))
    return tuple(points)


WALKWAY_GRID_MARGIN = 1.0  # m kept beyond the walkway's half-width, see cut_ring_chasm


def cut_ring_chasm(heightmap: Heightmap, ring: RingChasm) -> None:
    """Lower every point in the ring band by `depth`, except those within walkway_width/2 + 1 m of the walkway, so its
    flat top is at least `walkway_width` wide whatever its direction on the grid (a cut point tilts every triangle
    that touches it, up to a cell diagonal away); cells touching the cut become unclimbable."""
    x, z = heightmap.grid_xz()
    radius = np.hypot(x - ring.center[0], z - ring.center[1])
    band = (radius >= ring.inner_radius) & (radius <= ring.inner_radius + ring.gap)
    near_walkway = np.full(band.shape, np.inf)
    for a, b in zip(ring.walkway[:-1], ring.walkway[1:], strict=True):
        near_walkway = np.minimum(near_walkway, _distance_to_segment(x, z, a, b)[0])
    cut = band & (near_walkway > ring.walkway_width / 2.0 + WALKWAY_GRID_MARGIN)
    heightmap.heights = np.where(cut, heightmap.heights - ring.depth, heightmap.heights)
    cell_cut = cut[:-1, :-1] | cut[:-1, 1:] | cut[1:, :-1] | cut[1:, 1:]
    heightmap.unclimbable |= cell_cut


def place_trees(
    rng: np.random.Generator,
    heightmap: Heightmap,
    density: float,
    keep_clear: Sequence[tuple[Point2, float]] = (),
    clear_lines: Sequence[tuple[Point2, Point2, float]] = (),
    moisture: np.ndarray | None = None,
) -> Trees:
    """Decorative trees, `density` per 100 m^2 of dry, gentle land, none within the given radii of `keep_clear`
    points, within the given half-widths of `clear_lines` segments, or on unclimbable cells."""
    nz, nx = heightmap.shape
    cs = heightmap.cell_size
    count = rng.poisson(density * (nx - 1) * (nz - 1) * cs * cs / 100.0)
    x = heightmap.origin_x + cs * rng.uniform(1.0, nx - 2.0, size=count)
    z = heightmap.origin_z + cs * rng.uniform(1.0, nz - 2.0, size=count)
    cell_i = ((x - heightmap.origin_x) / cs).astype(int)
    cell_j = ((z - heightmap.origin_z) / cs).astype(int)
    slope = heightmap.cell_slope()[cell_j, cell_i]
    h = heightmap.heights
    corners = np.stack([h[cell_j, cell_i], h[cell_j, cell_i + 1], h[cell_j + 1, cell_i], h[cell_j + 1, cell_i + 1]])
    ground = corners.min(axis=0) if count else np.zeros(0)  # trunk base at the cell's lowest corner: never floats
    ok = (slope <= TREE_MAX_SLOPE) & (ground >= heightmap.water_height + TREE_MIN_ALTITUDE)
    ok &= ~heightmap.unclimbable[cell_j, cell_i]
    if moisture is not None:  # thinner outside forests
        ok &= (moisture[cell_j, cell_i] > 0.3) | (rng.uniform(size=count) < 0.35)
    for (px, pz), radius in keep_clear:
        ok &= np.hypot(x - px, z - pz) > radius
    for a, b, half_width in clear_lines:
        ok &= _distance_to_segment(x, z, a, b)[0] > half_width
    x, z, ground = x[ok], z[ok], ground[ok]
    altitude = ground - heightmap.water_height
    kinds = np.where(altitude < 2.0, TreeKind.PALM, TreeKind.BROADLEAF)
    kinds = np.where((altitude > 6.0) | (rng.uniform(size=len(x)) < 0.25), TreeKind.FIR, kinds)
    heights = rng.uniform(4.0, 8.0, size=len(x))
    return Trees(np.stack([x, ground, z], axis=1), heights, kinds.astype(np.uint8))
