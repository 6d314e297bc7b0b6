"""Where the privileged oracle (`avalon.oracle`) can walk: the footprints of altars and blocks, where to stand to
reach a food beside them, and A* paths over the heightmap that the body can walk (the search itself is the obstacle
library's, `avalon.world.obstacles.astar`, which generators use too)."""

from __future__ import annotations

import math

import numpy as np

from avalon.constants import BODY_RADIUS
from avalon.world.obstacles.planning import MAX_RISE, Grid, astar, cliff_penalty
from avalon.world.spec import WorldSpec

CLIFF = 1.0  # m per metre of spacing: a point with a neighbour this much lower is on a cliff edge, kept away from
TRUNK_CLEARANCE = 1.0  # m around a tree's trunk point that paths avoid
STAND_MARGIN = 0.03  # m kept between the body and an altar or block
BOX_CLEARANCE = 0.75  # m between the body and an altar or block for the grid points a path may use

Box = tuple[float, float, float, float, float]  # centre x, centre z, half width, half depth, yaw (rad)


def static_boxes(world: WorldSpec) -> list[Box]:
    """The footprints of the altars and blocks the body cannot walk through."""
    boxes: list[Box] = []
    for item in world.items:
        size = item.fields.get("size")
        if item.is_static and isinstance(size, tuple):  # a static box sized by `size` (altar, block)
            x, _, z = item.position
            boxes.append((x, z, size[0] / 2.0, size[2] / 2.0, math.radians(item.yaw)))
    return boxes


def inside_box(box: Box, x: float, z: float, margin: float) -> bool:
    cx, cz, half_x, half_z, yaw = box
    dx, dz = x - cx, z - cz
    # Into the box frame (turned by `yaw` about +Y).
    u = math.cos(yaw) * dx - math.sin(yaw) * dz
    v = math.sin(yaw) * dx + math.cos(yaw) * dz
    return abs(u) < half_x + margin and abs(v) < half_z + margin


def stand_point(boxes: list[Box], food: np.ndarray, body: np.ndarray) -> np.ndarray:
    """Where the body should stand to reach `food`: the food itself unless it lies on or by an altar or block, else
    the closest point around it clear of them (the nearer to the body of equally close ones)."""
    margin = BODY_RADIUS + STAND_MARGIN
    if not any(inside_box(b, food[0], food[2], margin) for b in boxes):
        return food
    best: tuple[float, float, np.ndarray] | None = None
    for k in range(24):
        angle = 2.0 * math.pi * k / 24
        direction = np.array([math.cos(angle), 0.0, math.sin(angle)])
        for r in np.arange(0.2, 3.0, 0.05):
            point = food + r * direction
            if not any(inside_box(b, point[0], point[2], margin) for b in boxes):
                key = (round(float(r), 2), math.hypot(point[0] - body[0], point[2] - body[2]), point)
                if best is None or key[:2] < best[:2]:
                    best = key
                break
    return food if best is None else best[2]


def blocked_points(world: WorldSpec, grid: Grid | None = None) -> np.ndarray:
    """The heightmap points `plan_path` never walks through (bool, points shape): water, within TRUNK_CLEARANCE of
    a tree's trunk, and the footprints of altars and blocks with the body's clearance."""
    t = world.terrain
    grid = Grid.of(t) if grid is None else grid
    rows, cols = grid.shape
    cs = grid.cell_size
    blocked = grid.heights <= t.water_height + 0.1
    trunk = math.ceil(TRUNK_CLEARANCE / cs)
    for x, _, z in world.trees.positions:
        j, i = grid.point(float(x), float(z))
        blocked[max(0, j - trunk) : j + trunk + 1, max(0, i - trunk) : i + trunk + 1] = True
    for box in static_boxes(world):
        # Wide enough that a diagonal step between two free points cannot cut the box's corner either.
        margin = BODY_RADIUS + BOX_CLEARANCE
        reach = math.ceil((max(box[2], box[3]) * math.sqrt(2.0) + margin) / cs)
        cj, ci = grid.point(box[0], box[1])
        for j in range(max(0, cj - reach), min(rows, cj + reach + 1)):
            for i in range(max(0, ci - reach), min(cols, ci + reach + 1)):
                if inside_box(box, *grid.xz(j, i), margin):
                    blocked[j, i] = True
    return blocked


def plan_path(
    world: WorldSpec,
    start: np.ndarray,
    goal: np.ndarray,
    penalty: np.ndarray | None = None,
    max_rise: float = MAX_RISE,
) -> list[tuple[float, float]] | None:
    """A* (`avalon.world.obstacles.astar`) over the heightmap points from `start` to `goal` (world x, z), on land,
    up slopes the body can walk (`max_rise` m per metre), around tree trunks, altars and blocks and away from cliff
    edges, paying `penalty` (m, points shape) on top where given. None when no such path exists."""
    grid = Grid.of(world.terrain)
    blocked = blocked_points(world, grid)
    penalty = cliff_penalty(grid, CLIFF) + (0.0 if penalty is None else penalty)
    return astar(
        grid,
        (float(start[0]), float(start[2])),
        (float(goal[0]), float(goal[2])),
        blocked=blocked,
        penalty=penalty,
        max_rise=max_rise,
    )
