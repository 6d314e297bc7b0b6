"""A ring's designed solution: where to stand on each side, the paths between, and items laid out solved.

`solve(ring, heightmap)` puts one endpoint on each side of the crossing, on the traversal ray, pushed back from the
brink. `add_path` shapes the ground between them (a height ramp, climbable or flattened strips, with 0-2 waypoints);
`place_items` lays out a solved arrangement of items (local offsets; the caller decides what the items are) beside
one endpoint and displaces them by a jitter distance that grows with difficulty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from avalon.world.obstacles.grid import Grid, erode
from avalon.world.obstacles.ring import Ring
from avalon.world.terrain import Heightmap, ImpossibleWorldError

Point2 = tuple[float, float]
Vec3 = tuple[float, float, float]

BRINK_STEPS = 40
PATH_TRIES = 10  # per allowed region: first land only, then also water near the ends
WATER_NEAR_ENDS = 20.0  # m: the second round of path tries may cross water this close to an end
UNCLIMBABLE_EDGE = 2.5  # m beside a climbable path made unclimbable (obstacle ground only), when asked


class Side(Enum):
    SPAWN = "spawn"
    GOAL = "goal"


class Flatten(Enum):
    """The height a flattened path levels its sides to: the mean, the lower or the higher endpoint height."""

    MID = "mid"
    MIN = "min"
    MAX = "max"


@dataclass(frozen=True, eq=False)
class Solution:
    """Endpoints of the designed crossing on each side, on the traversal ray, pushed back from the brink."""

    ring: Ring
    spawn_end: Point2
    goal_end: Point2

    @property
    def heading(self) -> float:
        """Angle (rad, atan2(dz, dx)) from the spawn end towards the goal end."""
        return math.atan2(self.goal_end[1] - self.spawn_end[1], self.goal_end[0] - self.spawn_end[0])

    def end(self, side: Side) -> Point2:
        return self.spawn_end if side is Side.SPAWN else self.goal_end

    def mask(self, side: Side) -> np.ndarray:
        return self.ring.spawn_side if side is Side.SPAWN else self.ring.goal_side


def _push(grid: Grid, start: Point2, away_from: Point2, mask: np.ndarray, brink: float, what: str) -> Point2:
    """Step `start` away from `away_from` in BRINK_STEPS equal steps up to `brink` m; the last step inside `mask`."""
    length = math.dist(start, away_from)
    if length < 1e-9:
        raise ImpossibleWorldError(f"the {what} endpoint coincides with the other one")
    ux, uz = (start[0] - away_from[0]) / length, (start[1] - away_from[1]) / length
    best: Point2 | None = None
    for k in range(1, BRINK_STEPS + 1):
        point = (start[0] + ux * brink * k / BRINK_STEPS, start[1] + uz * brink * k / BRINK_STEPS)
        if mask[grid.point(*point)]:
            best = point
    if best is None:
        raise ImpossibleWorldError(f"the {what} endpoint never reaches flat land on its side within {brink} m")
    return best


def solve(ring: Ring, heightmap: Heightmap, brink: float = 1.0) -> Solution:
    """Endpoints on the traversal ray at the crossing's ends, each pushed up to `brink` m away from the other while
    it stays on its own side's land (JUMP 1, CLIMB 1.5, STACK 2). Raises `ImpossibleWorldError` if an endpoint
    never lands on its side."""
    grid = Grid.of(heightmap)
    inner_r, outer_r = ring.crossing_radii()
    inner, outer = ring.ray_point(inner_r), ring.ray_point(outer_r)
    spawn0, goal0 = (inner, outer) if ring.centered_on_spawn else (outer, inner)
    spawn_end = _push(grid, spawn0, goal0, ring.spawn_side, brink, "spawn-side")
    goal_end = _push(grid, goal0, spawn0, ring.goal_side, brink, "goal-side")
    return Solution(ring, spawn_end, goal_end)


@dataclass(frozen=True)
class PathConfig:
    """How a path shapes the ground. `width` m wide, `waypoints` 0-2 (0: straight)."""

    width: float
    waypoints: int = 0
    height_ramp: bool = False  # heights along the path ramp linearly between the endpoint heights
    climbable: bool = False  # the path's cells become climbable
    unclimbable_edges: bool = False  # and UNCLIMBABLE_EDGE m beside it on the obstacle does not
    flatten: Flatten | None = None  # straight paths: level the sides' land within `width` of the path
    flatten_floor: bool = False  # straight paths: level a double wall's floor under the path to its midpoint
    run_up: float = 0.0  # m the flattening reaches beyond each end (a run-up before a jump)
    land_only: bool = False  # the world is impossible if any path point is at or under the water
    straight_fallback: bool = True  # if no waypoint layout fits, use a straight path (else impossible)

    def __post_init__(self) -> None:
        if not (self.width > 0 and math.isfinite(self.width)):
            raise ValueError(f"path width must be a positive number of metres, got {self.width}")
        if self.waypoints not in (0, 1, 2):
            raise ValueError(f"a path has 0, 1 or 2 waypoints, got {self.waypoints}")
        if self.run_up < 0:
            raise ValueError(f"path run_up must be >= 0, got {self.run_up}")


@dataclass(frozen=True, eq=False)
class Path:
    points: tuple[Point2, ...]  # polyline from start to end, waypoints between
    width: float
    mask: np.ndarray  # bool points the path covers (within width/2, strictly between its ends)

    @property
    def length(self) -> float:
        return float(sum(math.dist(a, b) for a, b in zip(self.points[:-1], self.points[1:], strict=True)))


def _polyline_distance(x: np.ndarray, z: np.ndarray, points: Sequence[Point2]) -> tuple[np.ndarray, np.ndarray]:
    """Distance of every (x, z) to the polyline, and the arc-length fraction in [0, 1] of the closest point."""
    lengths = [math.dist(a, b) for a, b in zip(points[:-1], points[1:], strict=True)]
    total = max(sum(lengths), 1e-12)
    best = np.full(x.shape, np.inf)
    fraction = np.zeros(x.shape)
    walked = 0.0
    for (a, b), length in zip(zip(points[:-1], points[1:], strict=True), lengths, strict=True):
        dx, dz = b[0] - a[0], b[1] - a[1]
        t = np.clip(((x - a[0]) * dx + (z - a[1]) * dz) / max(length * length, 1e-12), 0.0, 1.0)
        distance = np.hypot(x - (a[0] + t * dx), z - (a[1] + t * dz))
        closer = distance < best
        best = np.where(closer, distance, best)
        fraction = np.where(closer, (walked + t * length) / total, fraction)
        walked += length
    return best, fraction


def _segments_inside(grid: Grid, points: Sequence[Point2], allowed: np.ndarray) -> bool:
    for a, b in zip(points[:-1], points[1:], strict=True):
        count = max(2, int(math.dist(a, b) / (0.5 * grid.cell_size)) + 2)
        for t in np.linspace(0.0, 1.0, count):
            if not allowed[grid.point(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)]:
                return False
    return True


def _waypoints(rng: np.random.Generator, start: Point2, end: Point2, count: int) -> list[Point2]:
    distance = math.dist(start, end)
    if count == 1:  # where circles of radius L/2 around both ends meet
        half = float(rng.uniform(distance, 3 * distance)) / 2.0
        mid = ((start[0] + end[0]) / 2.0, (start[1] + end[1]) / 2.0)
        side = math.sqrt(max(half * half - distance * distance / 4.0, 0.0)) * (1 if rng.uniform() < 0.5 else -1)
        ux, uz = (end[0] - start[0]) / distance, (end[1] - start[1]) / distance
        return [(mid[0] - uz * side, mid[1] + ux * side)]
    total = float(rng.uniform(distance, distance + 1.2 * distance * rng.uniform()))
    out = []
    for anchor in (start, end):
        radius, angle = total * float(rng.uniform(0.1, 0.45)), float(rng.uniform(0, 2 * math.pi))
        out.append((anchor[0] + radius * math.cos(angle), anchor[1] + radius * math.sin(angle)))
    return out


def _layout(
    rng: np.random.Generator, grid: Grid, start: Point2, end: Point2, config: PathConfig, allowed: np.ndarray
) -> list[Point2]:
    if config.waypoints == 0:
        return [start, end]
    distance = math.dist(start, end)
    x, z = grid.grid_xz()
    near_ends = (np.hypot(x - start[0], z - start[1]) <= WATER_NEAR_ENDS) | (
        np.hypot(x - end[0], z - end[1]) <= WATER_NEAR_ENDS
    )
    for region in (allowed, allowed | near_ends):
        for _ in range(PATH_TRIES):
            points = [start, *_waypoints(rng, start, end, config.waypoints), end]
            length = sum(math.dist(a, b) for a, b in zip(points[:-1], points[1:], strict=True))
            if distance < length < 3 * distance and _segments_inside(grid, points, region):
                return points
    if config.straight_fallback:
        return [start, end]
    raise ImpossibleWorldError(f"no {config.waypoints}-waypoint path fits between {start} and {end}")


def add_path(
    rng: np.random.Generator,
    heightmap: Heightmap,
    solution: Solution,
    config: PathConfig,
    start: Point2 | None = None,
    end: Point2 | None = None,
) -> Path:
    """Shape a path from `start` to `end` (default: the solution's spawn end to its goal end) into `heightmap`."""
    grid = Grid.of(heightmap)
    ring = solution.ring
    start = solution.spawn_end if start is None else start
    end = solution.goal_end if end is None else end
    allowed = ring.land
    points = _layout(rng, grid, start, end, config, allowed)
    x, z = grid.grid_xz()
    distance, fraction = _polyline_distance(x, z, points)
    between = (fraction > 0.0) & (fraction < 1.0)
    mask = (distance <= config.width / 2.0) & between
    h_start, h_end = heightmap.height_at(*start), heightmap.height_at(*end)
    heights = np.array(heightmap.heights, np.float64)
    if config.land_only and (heights[mask] <= grid.water_height).any():
        raise ImpossibleWorldError("a land-only path crosses water")
    if config.height_ramp:
        heights = np.where(mask & allowed, h_start + (h_end - h_start) * fraction, heights)
    if len(points) == 2 and (config.flatten is not None or config.flatten_floor):
        heights = _flatten_along(heights, x, z, start, end, config, ring, (h_start, h_end))
    heightmap.heights = heights
    cell_mask = _cells_any(mask)
    if config.climbable:
        heightmap.unclimbable &= ~cell_mask
        if config.unclimbable_edges:
            beside = (distance > config.width / 2.0) & (distance <= config.width / 2.0 + UNCLIMBABLE_EDGE)
            heightmap.unclimbable |= _cells_any(beside & ring.obstacle) & ~cell_mask
    return Path(tuple(points), config.width, mask)


def _cells_any(points: np.ndarray) -> np.ndarray:
    """Cells whose two diagonal corners (either diagonal) are both in the points mask: a path one cell wide on the
    grid still marks its cells, and a point mask never spills a cell beyond its own edge."""
    return (points[:-1, :-1] & points[1:, 1:]) | (points[:-1, 1:] & points[1:, :-1])


def _flatten_along(
    heights: np.ndarray,
    x: np.ndarray,
    z: np.ndarray,
    start: Point2,
    end: Point2,
    config: PathConfig,
    ring: Ring,
    ends: tuple[float, float],
) -> np.ndarray:
    length = math.dist(start, end)
    ux, uz = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    a = (start[0] - ux * config.run_up, start[1] - uz * config.run_up)
    b = (end[0] + ux * config.run_up, end[1] + uz * config.run_up)
    delta, _ = _polyline_distance(x, z, [a, b])
    width = config.width
    weight = np.clip(2.0 * (width - delta) / width, 0.0, 1.0)  # flat within width/2, untouched beyond width
    if config.flatten is not None:
        target = {Flatten.MID: sum(ends) / 2.0, Flatten.MIN: min(ends), Flatten.MAX: max(ends)}[config.flatten]
        sides = ring.spawn_side | ring.goal_side
        heights = np.where(sides, heights * (1.0 - weight) + target * weight, heights)
    if config.flatten_floor and ring.floor.any():
        mid = ((start[0] + end[0]) / 2.0, (start[1] + end[1]) / 2.0)
        grid_mid = (int(np.argmin(np.abs(z[:, 0] - mid[1]))), int(np.argmin(np.abs(x[0] - mid[0]))))
        target = float(heights[grid_mid])
        heights = np.where(ring.floor, heights * (1.0 - weight) + target * weight, heights)
    return heights


def place_items(
    rng: np.random.Generator,
    heightmap: Heightmap,
    solution: Solution,
    side: Side,
    offsets: Sequence[Vec3],
    radius: float | Sequence[float] = 0.5,
    jitter: float = 0.0,
) -> list[Vec3]:
    """World positions of items laid out solved beside the `side` endpoint, then displaced by up to `jitter` m.

    `offsets` are local: x towards the other side of the obstacle, y up from the ground (including the item's half
    height), z lateral (local +z is the world direction (-sin, cos) for a heading (cos, sin) in (x, z)). With
    `jitter` > 0 each item, in order, moves to a grid point within `jitter` m of its solved spot, on its side's land
    eroded by its radius plus a cell, clear of items already placed at the same local height; if none is clear it
    may touch them; if the side has no room within `jitter` m it stays solved. Every item keeps its height above the
    ground (stacked items keep theirs and drop). The item kinds are the caller's.
    """
    radii = [float(radius)] * len(offsets) if isinstance(radius, (int, float)) else [float(r) for r in radius]
    if len(radii) != len(offsets):
        raise ValueError(f"{len(offsets)} item offsets but {len(radii)} radii")
    grid = Grid.of(heightmap)
    anchor = solution.end(side)
    heading = solution.heading if side is Side.SPAWN else solution.heading + math.pi
    cx, cz = math.cos(heading), math.sin(heading)
    solved: list[Vec3] = []
    for lx, ly, lz in offsets:
        x = anchor[0] + lx * cx - lz * cz
        z = anchor[1] + lx * cz + lz * cx
        solved.append((x, heightmap.height_at(x, z) + ly, z))
    if jitter <= 0.0:
        return solved
    gx, gz = grid.grid_xz()
    mask = solution.mask(side)
    placed: list[tuple[Vec3, float, float]] = []  # position, radius, local height
    out: list[Vec3] = []
    rooms: dict[int, np.ndarray] = {}  # the side eroded by so many points, shared by items of the same radius
    for (sx, sy, sz), r, (_, ly, _) in zip(solved, radii, offsets, strict=True):
        steps = math.ceil(r / grid.cell_size) + 1
        if steps not in rooms:
            rooms[steps] = erode(mask, steps)
        room = rooms[steps]
        near = room & (np.hypot(gx - sx, gz - sz) <= jitter)
        clear = near.copy()
        for (px, _, pz), pr, ply in placed:
            if abs(ply - ly) < 1e-6:
                clear &= np.hypot(gx - px, gz - pz) >= r + pr + grid.cell_size
        choice = clear if clear.any() else near
        if choice.any():
            js, is_ = np.nonzero(choice)
            n = int(rng.integers(js.size))
            nx, nz = float(gx[js[n], is_[n]]), float(gz[js[n], is_[n]])
            position = (nx, sy + heightmap.height_at(nx, nz) - heightmap.height_at(sx, sz), nz)
        else:
            position = (sx, sy, sz)
        placed.append((position, r, ly))
        out.append(position)
    return out
