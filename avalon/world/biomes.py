"""Continent terrain, biomes and the flora densities of big outdoor worlds (EXPLORE now; SURVIVE and the
compositional tasks later), after the original's `build_outdoor_world_map` (CONTINENT type) and its biome table.

- `continent`: a square world whose land is a few broad mountains on fractal noise, sunk into the sea towards the
  edges by a circular fade, rescaled so its highest point is `height_ratio` x the side above the water.
- `biome_map`: a biome per cell from altitude (a stand-in for temperature) and moisture. The original looks these up
  in three 20 x 20 Whittaker matrices selected by slope; we keep its biomes and their flora but pick them by simple
  altitude and moisture bands (`BIOME_BANDS`), which gives the same kinds of places: warm wet lowland forest, dry
  lowland scrub, temperate forest and grassland higher up, bare rock (the original's bare biome) on the peaks and
  on steep slopes.
- `place_flora`: the trees of each biome at the original's base densities (per m^2, `FLORA`) times a foliage
  modifier, weighted cell by cell by smooth noise, so forests come in patches. The original's minor flora (bushes,
  flowers, mushrooms) is not generated: it has no collision, its training worlds never generate it and its
  evaluation worlds hide it, so no agent ever saw it.

Tree species map onto our three tree kinds: palm -> PALM, fir -> FIR, acacia and the maples -> BROADLEAF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from avalon.world import terrain as tr
from avalon.world.spec import Color, TreeKind, Trees

# --- continent terrain -------------------------------------------------------------------------------------------
# Radii over the half side (the original's circular edge fade, p = 0.75): mountains sink to the lowlands between
# MOUNTAINS_END, the lowlands into the sea between SHORE, so coasts are beaches rather than cliffs.
MOUNTAINS_END = (0.45, 0.8)
SHORE = (0.82, 0.95)
COAST_NOISE = 0.06  # of the half side, the coast's wobble
COAST_FEATURE = 0.1  # of the side
LAND_BASE = 1.0  # m above the water where the fade is complete: the lowlands
MOUNTAIN_SHARPNESS = 1.6  # hills ** this: broad lowlands, narrower peaks
FEATURE_FRACTION = 0.25  # of the side: the largest noise features (a 512 m world has hills about 128 m across)
SMALLEST_FEATURE = 12.0  # m: no octave finer than this (finer ones only roughen the walking)
MOUNDS = (1, 3)  # the original's "mountain" mounds: this many, inclusive
MOUND_RADIUS = (0.12, 0.25)  # of the side

# --- biomes -------------------------------------------------------------------------------------------------------
# Palette indices after terrain.PALETTE's six (seabed, sand, grass, forest floor, rock, unclimbable), which keep
# their meaning so `terrain.SAND` etc. still name the same colours.
(
    TROPICAL_RAIN,
    TROPICAL_SEASONAL,
    TEMPERATE_RAIN,
    TEMPERATE_DECIDUOUS,
    GRASSLAND,
    TEMPERATE_DESERT,
    SUBTROPICAL_DESERT,
) = range(len(tr.PALETTE), len(tr.PALETTE) + 7)
PALETTE: tuple[Color, ...] = (
    *tr.PALETTE,
    (0.20, 0.50, 0.22, 1.0),  # tropical rain forest
    (0.50, 0.60, 0.25, 1.0),  # tropical seasonal forest
    (0.18, 0.42, 0.30, 1.0),  # temperate rain forest
    (0.33, 0.52, 0.24, 1.0),  # temperate deciduous forest
    (0.60, 0.70, 0.36, 1.0),  # grassland
    (0.72, 0.68, 0.48, 1.0),  # temperate desert
    (0.80, 0.66, 0.44, 1.0),  # subtropical desert
)
BIOME_NAMES = {
    TROPICAL_RAIN: "tropical rain forest",
    TROPICAL_SEASONAL: "tropical seasonal forest",
    TEMPERATE_RAIN: "temperate rain forest",
    TEMPERATE_DECIDUOUS: "temperate deciduous forest",
    GRASSLAND: "grassland",
    TEMPERATE_DESERT: "temperate desert",
    SUBTROPICAL_DESERT: "subtropical desert",
}
# (altitude fraction below which, [(moisture above which, biome), ...] wettest first); altitude fraction is the
# height above the water over the world's highest point.
BIOME_BANDS: tuple[tuple[float, tuple[tuple[float, int], ...]], ...] = (
    (0.25, ((0.6, TROPICAL_RAIN), (0.35, TROPICAL_SEASONAL), (-1.0, SUBTROPICAL_DESERT))),
    (0.55, ((0.6, TEMPERATE_RAIN), (0.35, TEMPERATE_DECIDUOUS), (-1.0, GRASSLAND))),
    (0.85, ((0.5, TEMPERATE_DECIDUOUS), (-1.0, TEMPERATE_DESERT))),
    (math.inf, ((-1.0, tr.ROCK),)),  # bare peaks
)
MOISTURE_FEATURE = 0.2  # of the side


@dataclass(frozen=True)
class Flora:
    """One tree resource of a biome: the original's base density (trees per m^2, before the foliage modifier) and
    whether its weight noise is coarse (0.005 /m, features about 200 m) rather than fine (0.05 /m, about 20 m)."""

    kind: int
    density: float
    coarse: bool = False


# The original's tree resources per biome (its biome.py; maples are three species of .0006 / .00055 / .0004 each,
# summed here since they are one kind for us). About 30 % of resources use the coarse noise there; here the
# sparse ones do, so thin trees spread over whole regions and dense ones form groves.
FLORA: dict[int, tuple[Flora, ...]] = {
    TROPICAL_RAIN: (Flora(TreeKind.PALM, 0.004),),
    TROPICAL_SEASONAL: (Flora(TreeKind.BROADLEAF, 0.003),),  # acacia
    TEMPERATE_RAIN: (Flora(TreeKind.BROADLEAF, 0.004),),  # acacia
    TEMPERATE_DECIDUOUS: (Flora(TreeKind.FIR, 0.006),),
    GRASSLAND: (Flora(TreeKind.FIR, 0.0004, coarse=True), Flora(TreeKind.BROADLEAF, 0.0018, coarse=True)),
    TEMPERATE_DESERT: (Flora(TreeKind.FIR, 0.0002, coarse=True), Flora(TreeKind.BROADLEAF, 0.00165, coarse=True)),
    SUBTROPICAL_DESERT: (Flora(TreeKind.BROADLEAF, 0.0012, coarse=True),),
}
FINE_NOISE_FEATURE = 20.0  # m
COARSE_NOISE_FEATURE = 200.0  # m
TREE_HEIGHT = (4.0, 8.0)  # m, uniform (the other tasks' decorative trees)


def continent(rng: np.random.Generator, side: int, height_ratio: float, cell_size: float = 1.0) -> tr.Heightmap:
    """A `side` x `side` m continent centred on the origin (points `cell_size` m apart): land LAND_BASE m above the
    water plus mountains whose highest point is `height_ratio` x `side` m above the water, falling to the sea floor
    towards the edges (the sea reaches the four borders)."""
    if side < 8 or not math.isclose(round(side / cell_size) * cell_size, side):
        raise ValueError(f"a continent of {side} m is not a whole number of {cell_size} m cells (8 m at least)")
    n = round(side / cell_size) + 1
    heightmap = tr.Heightmap(
        np.zeros((n, n)), -side / 2.0, -side / 2.0, np.zeros((n - 1, n - 1), bool), cell_size=cell_size
    )
    x, z = heightmap.grid_xz()
    per_m = 1.0 / cell_size
    base = FEATURE_FRACTION * side
    octaves = max(1, 1 + int(math.log2(max(base / SMALLEST_FEATURE, 1.0))))
    hills = 0.5 + 0.5 * tr.fractal_noise(rng, n, n, base_cell=base * per_m, octaves=octaves)
    for _ in range(int(rng.integers(MOUNDS[0], MOUNDS[1] + 1))):
        cx, cz = rng.uniform(-0.3, 0.3, size=2) * side
        radius = rng.uniform(*MOUND_RADIUS) * side
        hills += 0.6 * np.exp(-((x - cx) ** 2 + (z - cz) ** 2) / (2.0 * radius**2))
    # Distance from the centre over the half side, with a noisy coast.
    r = np.hypot(x, z) / (side / 2.0) + COAST_NOISE * tr.value_noise(rng, n, n, COAST_FEATURE * side * per_m)
    inland = 1.0 - tr._smoothstep((r - MOUNTAINS_END[0]) / (MOUNTAINS_END[1] - MOUNTAINS_END[0]))
    shore = 1.0 - tr._smoothstep((r - SHORE[0]) / (SHORE[1] - SHORE[0]))
    hills = np.clip(hills - hills.min(), 0.0, None) * inland
    mountains = (hills / max(float(hills.max()), 1e-9)) ** MOUNTAIN_SHARPNESS
    peak = max(height_ratio * side, LAND_BASE + 0.5)
    heightmap.heights = tr.SEA_FLOOR + (LAND_BASE - tr.SEA_FLOOR) * shore + (peak - LAND_BASE) * mountains
    heightmap.heights[[0, -1], :] = tr.SEA_FLOOR
    heightmap.heights[:, [0, -1]] = tr.SEA_FLOOR
    return heightmap


def moisture(rng: np.random.Generator, heightmap: tr.Heightmap) -> np.ndarray:
    """Moisture in [0, 1] per point: smooth noise with features about MOISTURE_FEATURE of the side."""
    nz, nx = heightmap.shape
    side = (nx - 1) * heightmap.cell_size
    cell = max(MOISTURE_FEATURE * side, 8.0) / heightmap.cell_size
    return np.clip(0.5 + 0.5 * tr.fractal_noise(rng, nz, nx, base_cell=cell, octaves=3) * 1.6, 0.0, 1.0)


def biome_map(heightmap: tr.Heightmap, wetness: np.ndarray) -> np.ndarray:
    """The palette index of each cell: a biome of `BIOME_BANDS` by altitude fraction and moisture, with sand by the
    water, seabed under it and bare rock where the slope is steeper than terrain.ROCK_SLOPE."""
    mean = heightmap.cell_mean()
    altitude = mean - heightmap.water_height
    fraction = altitude / max(float(altitude.max()), 1e-6)
    wet = wetness[:-1, :-1]
    colors = np.zeros(mean.shape, np.uint8)
    assigned = np.zeros(mean.shape, bool)
    for top, by_moisture in BIOME_BANDS:
        band = ~assigned & (fraction < top)
        for threshold, biome in by_moisture:
            here = band & (wet > threshold)
            colors[here] = biome
            band &= ~here
        assigned |= fraction < top
    colors[heightmap.cell_slope() > tr.ROCK_SLOPE] = tr.ROCK
    colors[altitude < tr.BEACH_HEIGHT] = tr.SAND
    colors[altitude < -0.3] = tr.SEABED
    colors[heightmap.unclimbable] = tr.UNCLIMBABLE
    return colors


def place_flora(
    rng: np.random.Generator,
    heightmap: tr.Heightmap,
    biomes: np.ndarray,
    modifier: float,
    keep_clear: list[tuple[tuple[float, float], float]],
    max_trees: int,
) -> tuple[Trees, int]:
    """Trees per biome and resource: round(sum over its cells of weight x cell area x density x `modifier`), where a
    cell's weight is smooth noise in [0, 1] (zero on slopes over terrain.TREE_MAX_SLOPE, below TREE_MIN_ALTITUDE
    and within `keep_clear` discs), each tree in a cell drawn by weight. Returns the trees and how many the
    original's densities asked for; past `max_trees` they are thinned at random to that many."""
    nz, nx = heightmap.shape
    cs = heightmap.cell_size
    h = heightmap.heights
    ground = np.minimum.reduce([h[:-1, :-1], h[:-1, 1:], h[1:, :-1], h[1:, 1:]])  # trunks stand on the lowest corner
    usable = (heightmap.cell_slope() <= tr.TREE_MAX_SLOPE) & (ground >= heightmap.water_height + tr.TREE_MIN_ALTITUDE)
    usable &= ~heightmap.unclimbable
    cx = heightmap.origin_x + cs * (np.arange(nx - 1) + 0.5)
    cz = heightmap.origin_z + cs * (np.arange(nz - 1) + 0.5)
    for (px, pz), radius in keep_clear:
        usable &= np.hypot(cx[None, :] - px, cz[:, None] - pz) > radius
    noises = {
        coarse: 0.5
        + 0.5 * tr.value_noise(rng, nz - 1, nx - 1, (COARSE_NOISE_FEATURE if coarse else FINE_NOISE_FEATURE) / cs)
        for coarse in (False, True)
    }
    cells: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    for biome, resources in FLORA.items():
        mask = usable & (biomes == biome)
        if not mask.any():
            continue
        for flora in resources:
            weight = np.where(mask, noises[flora.coarse], 0.0).ravel()
            total = float(weight.sum())
            count = round(total * cs * cs * flora.density * modifier)
            if count == 0:
                continue
            cells.append(rng.choice(weight.size, size=count, p=weight / total))
            kinds.append(np.full(count, flora.kind, np.uint8))
    if not cells:
        return Trees(), 0
    cell = np.concatenate(cells)
    kind = np.concatenate(kinds)
    asked = len(cell)
    if asked > max_trees:
        keep = np.sort(rng.choice(asked, size=max_trees, replace=False))
        cell, kind = cell[keep], kind[keep]
    j, i = np.divmod(cell, nx - 1)
    x = heightmap.origin_x + cs * (i + rng.uniform(0.1, 0.9, size=len(cell)))
    z = heightmap.origin_z + cs * (j + rng.uniform(0.1, 0.9, size=len(cell)))
    heights = rng.uniform(*TREE_HEIGHT, size=len(cell))
    return Trees(np.stack([x, ground[j, i], z], axis=1), heights, kind), asked
