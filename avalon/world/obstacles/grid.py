"""Grid helpers the obstacle library shares: a read-only view of heightmap points, dilation, vectorised heights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avalon.world.spec import Terrain
from avalon.world.terrain import Heightmap

Point2 = tuple[float, float]
NEIGHBOURS = tuple((dj, di) for dj in (-1, 0, 1) for di in (-1, 0, 1) if dj or di)


@dataclass(frozen=True, eq=False)
class Grid:
    """A read-only view of heightmap points: `heights[j, i]` at (origin_x + i*cell_size, origin_z + j*cell_size)."""

    heights: np.ndarray  # float64 (nz, nx)
    origin_x: float
    origin_z: float
    cell_size: float
    water_height: float

    @staticmethod
    def of(surface: Terrain | Heightmap | Grid) -> Grid:
        if isinstance(surface, Grid):
            return surface
        if isinstance(surface, Terrain):
            x0, _, z0 = surface.origin
            return Grid(surface.heights.astype(np.float64), x0, z0, surface.cell_size, surface.water_height)
        return Grid(
            np.asarray(surface.heights, np.float64),
            surface.origin_x,
            surface.origin_z,
            surface.cell_size,
            surface.water_height,
        )

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.heights.shape[0]), int(self.heights.shape[1])

    def point(self, x: float, z: float) -> tuple[int, int]:
        """(j, i) of the grid point nearest to world (x, z), clamped to the grid."""
        rows, cols = self.heights.shape
        i = min(max(round((x - self.origin_x) / self.cell_size), 0), cols - 1)
        j = min(max(round((z - self.origin_z) / self.cell_size), 0), rows - 1)
        return int(j), int(i)

    def xz(self, j: int, i: int) -> Point2:
        return (float(self.origin_x + i * self.cell_size), float(self.origin_z + j * self.cell_size))

    def grid_xz(self) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = self.shape
        cs = self.cell_size
        return np.meshgrid(self.origin_x + cs * np.arange(cols), self.origin_z + cs * np.arange(rows))


def dilate(mask: np.ndarray, steps: int) -> np.ndarray:
    """`mask` grown by `steps` points (or cells) in the 8-neighbourhood."""
    grown = mask.copy()
    for _ in range(steps):
        padded = np.pad(grown, 1)
        rows, cols = grown.shape
        grown = np.logical_or.reduce(
            [padded[1 + dj : 1 + dj + rows, 1 + di : 1 + di + cols] for dj in (-1, 0, 1) for di in (-1, 0, 1)]
        )
    return grown


def surface_heights(grid: Grid, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """`avalon.world.spec.surface_height` for many points at once (the engine's triangles, clamped to the edges)."""
    h = grid.heights
    rows, cols = h.shape
    u = np.clip((np.asarray(x, np.float64) - grid.origin_x) / grid.cell_size, 0.0, cols - 1.0)
    v = np.clip((np.asarray(z, np.float64) - grid.origin_z) / grid.cell_size, 0.0, rows - 1.0)
    i, j = np.minimum(u.astype(int), cols - 2), np.minimum(v.astype(int), rows - 2)
    fu, fv = u - i, v - j
    h00, h10, h01, h11 = h[j, i], h[j, i + 1], h[j + 1, i], h[j + 1, i + 1]
    lower = h00 + (h10 - h00) * fu + (h01 - h00) * fv
    upper = h11 + (h01 - h11) * (1.0 - fu) + (h10 - h11) * (1.0 - fv)
    return np.where(fu + fv <= 1.0, lower, upper)


def erode(mask: np.ndarray, steps: int) -> np.ndarray:
    """`mask` shrunk by `steps` points in the 8-neighbourhood (the grid's edge counts as outside)."""
    return ~dilate(~np.pad(mask, 1), steps)[1:-1, 1:-1]


def cells_of(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) over the 4 corner points of every cell of a points-shaped array: shape (nz-1, nx-1) each."""
    corners = np.stack([points[:-1, :-1], points[:-1, 1:], points[1:, :-1], points[1:, 1:]])
    return corners.min(axis=0), corners.max(axis=0)
