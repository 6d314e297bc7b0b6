"""Where a body can go on a heightmap: A* paths, reachable points, and lines of sight (pure numpy).

Generators use these to check a world before returning it (is the goal reachable only by the designed solution?
visible from the spawn?); the privileged oracle (`avalon.navigation`) plans its walks with `astar`. Everything works
on the grid points of a `Terrain` or a working `Heightmap` at whatever `cell_size` they have: distances, rises and
radii are metres, never points.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

import numpy as np

from avalon.world.obstacles.grid import NEIGHBOURS, Grid, dilate, surface_heights
from avalon.world.spec import Terrain
from avalon.world.terrain import Heightmap

MAX_RISE = 0.8  # m per metre: steeper grid edges are not walked (the body's floor limit is 45 degrees)
JUMP_RISE = 1.2  # m a jump can gain (apex about 1.5 m, minus the margin to land on an edge)
JUMP_DISTANCE = 2.1  # m a jump can carry over a gap: the original's effective jump distance (MAX_EFFECTIVE_JUMP_DIST)

Point2 = tuple[float, float]


def cliff_penalty(grid: Grid, cliff: float = 1.0, costs: Sequence[float] = (6.0, 3.0, 1.0)) -> np.ndarray:
    """Extra cost (per point) for walking near a drop: `costs[k]` within k metres of a point whose neighbour is
    more than `cliff` m lower per metre of spacing. Keeps planned paths off crumbling edges."""
    h = grid.heights
    rows, cols = h.shape
    padded = np.pad(h, 1, mode="edge")
    lowest = np.min([padded[1 + dj : 1 + dj + rows, 1 + di : 1 + di + cols] for dj, di in NEIGHBOURS], axis=0)
    ring = (h - lowest) > cliff * grid.cell_size
    penalty = np.zeros_like(h)
    per_metre = max(1, round(1.0 / grid.cell_size))
    for cost in costs:
        penalty = np.maximum(penalty, np.where(ring, cost, 0.0))
        ring = dilate(ring, per_metre)
    return penalty


def astar(
    surface: Terrain | Heightmap | Grid,
    start: Point2,
    goal: Point2,
    *,
    blocked: np.ndarray | None = None,
    penalty: np.ndarray | None = None,
    max_rise: float = MAX_RISE,
) -> list[Point2] | None:
    """Shortest walk over the grid points from `start` to `goal` (world x, z), 8-connected, never up or down a grid
    edge steeper than `max_rise` m per metre (a diagonal needs both triangles beside it walkable), never through
    `blocked` points (bool, points shape; water is the caller's to block), paying `penalty` (m, points shape) per
    point entered. Returns the world (x, z) of each point on the way, start and goal points included, or None."""
    grid = Grid.of(surface)
    h = grid.heights
    rows, cols = h.shape
    cs = grid.cell_size
    blocked = np.zeros(h.shape, bool) if blocked is None else blocked.copy()
    extra = np.zeros(h.shape) if penalty is None else penalty
    begin, end = grid.point(*start), grid.point(*goal)
    blocked[begin] = blocked[end] = False
    rise = max_rise * cs
    best = {begin: 0.0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(0.0, begin)]
    steps = [(dj, di, math.hypot(dj, di)) for dj, di in NEIGHBOURS]
    while queue:
        _, here = heapq.heappop(queue)
        if here == end:
            path = [here]
            while path[-1] in came:
                path.append(came[path[-1]])
            return [grid.xz(j, i) for j, i in reversed(path)]
        j, i = here
        for dj, di, length in steps:
            there = (j + dj, i + di)
            if not (0 <= there[0] < rows and 0 <= there[1] < cols) or blocked[there]:
                continue
            if abs(h[there] - h[here]) > rise * length:
                continue
            # Cutting a cell diagonally runs along a triangle edge: both triangles beside it must be walkable.
            if dj and di and max(abs(h[j + dj, i] - h[here]), abs(h[j, i + di] - h[here])) > rise:
                continue
            cost = best[here] + length * cs + extra[there]
            if cost < best.get(there, math.inf):
                best[there] = cost
                came[there] = here
                heapq.heappush(queue, (cost + cs * math.hypot(end[0] - there[0], end[1] - there[1]), there))
    return None


def _offsets(cell_size: float, jump_distance: float) -> list[tuple[int, int, bool]]:
    """(dj, di, is_step) of every grid offset a step (the 8 neighbours) or a jump (up to `jump_distance` m) takes."""
    out = [(dj, di, True) for dj, di in NEIGHBOURS]
    reach = int(jump_distance / cell_size)
    for dj in range(-reach, reach + 1):
        for di in range(-reach, reach + 1):
            if (dj or di) and cell_size * math.hypot(dj, di) <= jump_distance:
                out.append((dj, di, False))
    return out


def reachable(
    surface: Terrain | Heightmap | Grid,
    start: Point2,
    *,
    max_rise: float = MAX_RISE,
    max_drop: float = math.inf,
    jump_distance: float = 0.0,
    jump_rise: float = JUMP_RISE,
    blocked: np.ndarray | None = None,
    land_only: bool = True,
    climbable: np.ndarray | None = None,
) -> np.ndarray:
    """Bool mask (points shape) of the grid points a body can reach from `start`: by steps to the 8 neighbours that
    rise at most `max_rise` m per metre, by falls of at most `max_drop` m to a neighbour (fall damage is the caller's
    concern: pass a finite drop to avoid it), and, with `jump_distance` > 0, by jumps to any point within that many
    metres that is at most `jump_rise` m higher (or at most `max_drop` lower). With `climbable` (bool, cells shape,
    e.g. `~heightmap.unclimbable`), a step between two points whose four cells are all climbable may rise any height
    (climbing). Points in `blocked` and, with `land_only`, points at or under the water are never entered."""
    grid = Grid.of(surface)
    h = grid.heights
    rows, cols = h.shape
    closed = np.zeros(h.shape, bool) if blocked is None else blocked.copy()
    if land_only:
        closed |= h <= grid.water_height
    offsets = _offsets(grid.cell_size, jump_distance)
    pad = max(max(abs(dj), abs(di)) for dj, di, _ in offsets)
    # Padding with closed points makes every neighbour index valid, so a wave is a few whole-array operations.
    width = cols + 2 * pad
    flat_h = np.pad(h, pad).reshape(-1)
    flat_closed = np.pad(closed, pad, constant_values=True).reshape(-1)
    shift = np.array([dj * width + di for dj, di, _ in offsets])
    up = np.array([max_rise * grid.cell_size * math.hypot(dj, di) if step else jump_rise for dj, di, step in offsets])
    step = np.array([is_step for _, _, is_step in offsets])
    flat_climb = np.zeros(flat_h.shape, bool)
    if climbable is not None:
        if climbable.shape != (rows - 1, cols - 1):
            raise ValueError(f"climbable must have the cells' shape {(rows - 1, cols - 1)}, got {climbable.shape}")
        every = np.ones(h.shape, bool)  # a point is climbable when every cell touching it is (edges: those it has)
        every[:-1, :-1] &= climbable
        every[:-1, 1:] &= climbable
        every[1:, :-1] &= climbable
        every[1:, 1:] &= climbable
        flat_climb = np.pad(every, pad).reshape(-1)
    seen = flat_closed.copy()  # never entered: closed points count as seen
    j0, i0 = grid.point(*start)
    first = (j0 + pad) * width + i0 + pad
    seen[first] = True
    frontier = np.array([first])
    while frontier.size:
        neighbour = frontier[:, None] + shift[None, :]
        rise = flat_h[neighbour] - flat_h[frontier][:, None]
        ok = (rise <= up[None, :]) & (rise >= -max_drop)
        if climbable is not None:
            ok |= step[None, :] & flat_climb[neighbour] & flat_climb[frontier][:, None]
        ok &= ~seen[neighbour]
        fresh = np.zeros(seen.shape, bool)  # marks deduplicate faster than sorting the candidates
        fresh[neighbour[ok]] = True
        frontier = np.flatnonzero(fresh)
        seen |= fresh
    inside = seen.reshape(rows + 2 * pad, width)[pad : pad + rows, pad : pad + cols]
    return inside & ~closed | _start_mask(h.shape, (j0, i0))


def _start_mask(shape: tuple[int, ...], point: tuple[int, int]) -> np.ndarray:
    mask = np.zeros(shape, bool)
    mask[point] = True
    return mask


def is_reachable(
    surface: Terrain | Heightmap | Grid,
    start: Point2,
    goal: Point2,
    *,
    max_rise: float = MAX_RISE,
    max_drop: float = math.inf,
    jump_distance: float = 0.0,
    jump_rise: float = JUMP_RISE,
    blocked: np.ndarray | None = None,
    land_only: bool = True,
    climbable: np.ndarray | None = None,
) -> bool:
    """True if the grid point nearest `goal` is in `reachable(...)` from `start` (same arguments)."""
    grid = Grid.of(surface)
    mask = reachable(
        grid,
        start,
        max_rise=max_rise,
        max_drop=max_drop,
        jump_distance=jump_distance,
        jump_rise=jump_rise,
        blocked=blocked,
        land_only=land_only,
        climbable=climbable,
    )
    return bool(mask[grid.point(*goal)])


def is_visible(
    surface: Terrain | Heightmap | Grid, eye: tuple[float, float, float], target: tuple[float, float, float]
) -> bool:
    """True if the straight segment from `eye` to `target` (world x, y, z; e.g. a standing agent's eyes and a food)
    stays above the terrain surface, sampled every quarter cell. Only the terrain blocks the view: trees and items
    are the caller's concern."""
    grid = Grid.of(surface)
    ex, ey, ez = eye
    tx, ty, tz = target
    count = max(3, int(math.hypot(tx - ex, tz - ez) / (0.25 * grid.cell_size)) + 2)
    t = np.linspace(0.0, 1.0, count)[1:-1]
    ground = surface_heights(grid, ex + (tx - ex) * t, ez + (tz - ez) * t)
    return bool(np.all(ground <= ey + (ty - ey) * t))
