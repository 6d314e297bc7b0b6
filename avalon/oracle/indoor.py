"""Walking inside buildings (docs/buildings.md): shortest paths over a storey's floor tiles, for `Motor.planner`.

A path goes from tile centre to tile centre over FLOOR tiles of one storey whose floors are level with each other
(doorways included: the door skill, avalon.oracle.doors, opens what stands in them), diagonal steps only where both
tiles beside them are floor too, then shortened to the turns a straight walk cannot skip. Outside any building, or
across storeys, it falls back to the terrain planner (`avalon.navigation.plan_path`).
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from avalon.navigation import plan_path
from avalon.world.building import Building, Tile
from avalon.world.spec import WorldSpec

STEP_TOLERANCE = 0.3  # m of floor height difference a walk treats as level
SIGHT_SAMPLES = 8  # samples per metre of a straight walk checked for floor


def locate(world: WorldSpec, point: np.ndarray) -> tuple[Building, int, tuple[int, int]] | None:
    """(building, storey, (z, x)) of the floor tile under world `point` (x, y, z): the storey whose floor there is
    the highest at most 1 m above the point; None outside every building."""
    for building in world.buildings:
        tile = building.tile_of(float(point[0]), float(point[2]))
        if tile is None:
            continue
        best = None
        for k, storey in enumerate(building.storeys):
            if storey.tiles[tile] != Tile.FLOOR:
                continue
            top = building.origin[1] + storey.level + float(storey.floor[tile])
            if top <= float(point[1]) + 1.0 and (best is None or top > best[0]):
                best = (top, k)
        if best is not None:
            return building, best[1], tile
    return None


def _walkable(building: Building, storey: int, level: float) -> np.ndarray:
    s = building.storeys[storey]
    return (s.tiles == Tile.FLOOR) & (np.abs(s.floor - level) <= STEP_TOLERANCE)


def tile_path(walkable: np.ndarray, start: tuple[int, int], goal: tuple[int, int]) -> list[tuple[int, int]] | None:
    """Dijkstra over `walkable` tiles, 8-connected (a diagonal only between two walkable sides)."""
    nz, nx = walkable.shape
    if not (walkable[start] and walkable[goal]):
        return None
    cost = {start: 0.0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(0.0, start)]
    while queue:
        c, here = heapq.heappop(queue)
        if here == goal:
            break
        if c > cost[here]:
            continue
        z, x = here
        for dz in (-1, 0, 1):
            for dx in (-1, 0, 1):
                if not (dz or dx):
                    continue
                nz_, nx_ = z + dz, x + dx
                if not (0 <= nz_ < nz and 0 <= nx_ < nx) or not walkable[nz_, nx_]:
                    continue
                if dz and dx and not (walkable[z + dz, x] and walkable[z, x + dx]):
                    continue
                step = math.sqrt(2.0) if dz and dx else 1.0
                if c + step < cost.get((nz_, nx_), math.inf):
                    cost[(nz_, nx_)] = c + step
                    came[(nz_, nx_)] = here
                    heapq.heappush(queue, (c + step, (nz_, nx_)))
    if goal not in cost:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(came[path[-1]])
    return path[::-1]


def _clear(walkable: np.ndarray, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """A straight walk from tile-space point a to b (x, z in tiles) stays on walkable tiles, 0.3 m from their edges
    where they meet unwalkable ones."""
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    n = max(2, int(length * SIGHT_SAMPLES))
    for k in range(n + 1):
        t = k / n
        x, z = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        for ox in (-0.3, 0.3):
            for oz in (-0.3, 0.3):
                ix, iz = math.floor(x + ox), math.floor(z + oz)
                if not (0 <= iz < walkable.shape[0] and 0 <= ix < walkable.shape[1]) or not walkable[iz, ix]:
                    return False
    return True


def indoor_path(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
    """Waypoints (world x, z) from `start` to `goal` over one storey's floor; the terrain planner's path when
    either is outside a building or they are on different storeys; None when the floor does not join them."""
    here, there = locate(world, start), locate(world, goal)
    if here is None or there is None or here[0] is not there[0] or here[1] != there[1]:
        if here is None and there is None:
            return plan_path(world, start, goal)
        return None
    building, storey, tile = here
    level = float(building.storeys[storey].floor[tile])
    walkable = _walkable(building, storey, level)
    tiles = tile_path(walkable, tile, there[2])
    if tiles is None:
        return None
    ox, oz = building.origin[0], building.origin[2]
    points = [(float(start[0]) - ox, float(start[2]) - oz)]
    points += [(x + 0.5, z + 0.5) for z, x in tiles[1:-1]]
    points.append((float(goal[0]) - ox, float(goal[2]) - oz))
    # Keep only the turns: from each kept point, the farthest point in a clear straight line.
    kept = [points[0]]
    k = 0
    while k < len(points) - 1:
        far = k + 1
        for j in range(len(points) - 1, k, -1):
            if _clear(walkable, points[k], points[j]):
                far = j
                break
        kept.append(points[far])
        k = far
    return [(x + ox, z + oz) for x, z in kept]
