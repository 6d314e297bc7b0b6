"""Where the privileged oracle (`avalon.oracle`) can walk: the footprints of altars and blocks, where to stand to
reach a food beside them, and A* paths over the heightmap that the body can walk."""

from __future__ import annotations

import heapq
import math

import numpy as np

from avalon.constants import BODY_RADIUS
from avalon.world.spec import WorldSpec

MAX_RISE = 0.8  # m per metre: steeper grid edges are not walked (the body's floor limit is 45 degrees)
CLIFF = 1.0  # m: a point with a neighbour this much lower is on a cliff edge, which the path keeps away from
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


def plan_path(world: WorldSpec, start: np.ndarray, goal: np.ndarray) -> list[tuple[float, float]] | None:
    """A* over the heightmap points from `start` to `goal` (world x, z), on land, up slopes the body can walk,
    around tree trunks, altars and blocks and away from cliff edges. None when no such path exists."""
    t = world.terrain
    h = t.heights.astype(np.float64)
    rows, cols = h.shape
    x0, _, z0 = t.origin
    blocked = h <= t.water_height + 0.1
    for x, _, z in world.trees.positions:
        i, j = round(x - x0), round(z - z0)
        blocked[max(0, j - 1) : j + 2, max(0, i - 1) : i + 2] = True
    for box in static_boxes(world):
        # Wide enough that a diagonal step between two free points cannot cut the box's corner either.
        margin = BODY_RADIUS + BOX_CLEARANCE
        reach = math.ceil(max(box[2], box[3]) * math.sqrt(2.0) + margin)
        ci, cj = round(box[0] - x0), round(box[1] - z0)
        for j in range(max(0, cj - reach), min(rows, cj + reach + 1)):
            for i in range(max(0, ci - reach), min(cols, ci + reach + 1)):
                if inside_box(box, i + x0, j + z0, margin):
                    blocked[j, i] = True
    padded = np.pad(h, 1, mode="edge")
    shifts = [(dj, di) for dj in (-1, 0, 1) for di in (-1, 0, 1)]
    lowest = np.min([padded[1 + dj : 1 + dj + rows, 1 + di : 1 + di + cols] for dj, di in shifts], axis=0)
    edge = (h - lowest) > CLIFF
    penalty = np.zeros_like(h)
    ring = edge
    for cost in (6.0, 3.0, 1.0):  # on a cliff edge, one point from it, two points from it
        penalty = np.maximum(penalty, np.where(ring, cost, 0.0))
        grown = ring.copy()
        for dj, di in shifts:
            grown |= np.roll(np.roll(ring, dj, 0), di, 1)
        ring = grown

    def cell(p: np.ndarray) -> tuple[int, int]:
        return (int(np.clip(round(p[2] - z0), 0, rows - 1)), int(np.clip(round(p[0] - x0), 0, cols - 1)))

    begin, end = cell(start), cell(goal)
    blocked[begin] = blocked[end] = False
    best = {begin: 0.0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(0.0, begin)]
    steps = [(dj, di, math.hypot(dj, di)) for dj in (-1, 0, 1) for di in (-1, 0, 1) if dj or di]
    while queue:
        _, here = heapq.heappop(queue)
        if here == end:
            path = [here]
            while path[-1] in came:
                path.append(came[path[-1]])
            return [(float(i + x0), float(j + z0)) for j, i in reversed(path)]
        j, i = here
        for dj, di, length in steps:
            there = (j + dj, i + di)
            if not (0 <= there[0] < rows and 0 <= there[1] < cols) or blocked[there]:
                continue
            if abs(h[there] - h[here]) > MAX_RISE * length:
                continue
            # Cutting a cell diagonally runs along a triangle edge: both triangles beside it must be walkable.
            if dj and di and max(abs(h[j + dj, i] - h[here]), abs(h[j, i + di] - h[here])) > MAX_RISE:
                continue
            cost = best[here] + length + penalty[there]
            if cost < best.get(there, math.inf):
                best[there] = cost
                came[there] = here
                heapq.heappush(queue, (cost + math.hypot(end[0] - there[0], end[1] - there[1]), there))
    return None
