"""How a building's rooms and storeys are joined (reference original_buildings.md 1.4, 1.5, 1.8), on a `Layout` of
avalon/world/layout.py: hallways (a spanning tree of the rooms plus Delaunay edges, each an A* path through the
interior), ramps and ladders between storeys that never split a floor, the room graph with its distances, and the
floor a walk reaches from a tile, up the links.

Pure numpy, deterministic for a given `np.random.Generator`. Tiles are 1 m, arrays indexed [z, x].
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass

import numpy as np

from avalon.world.building import Building, Ladder, Ramp, Side, Tile
from avalon.world.layout import (
    STOREY_HEIGHT,
    Hallway,
    ImpossibleLayoutError,
    Layout,
    Room,
    interior,
    ladder_tiles,
    ramp_tiles,
)

DELAUNAY_FRACTION = 0.18  # of the Delaunay edges beyond the spanning tree that become hallways (EXPLORE: 1)
RAMP_RISE_TILES = 5  # slope tiles of a ramp: 45 degrees over a 5 m rise (reference 1.5)


def spanning_tree(points: np.ndarray) -> list[tuple[int, int]]:
    """Edges (i < j) of the minimum spanning tree of the complete graph of `points` by distance (Prim)."""
    n = len(points)
    if n < 2:
        return []
    distance = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    inside = np.zeros(n, bool)
    inside[0] = True
    best = distance[0].copy()
    parent = np.zeros(n, int)
    edges = []
    for _ in range(n - 1):
        j = int(np.argmin(np.where(inside, np.inf, best)))
        edges.append((min(j, int(parent[j])), max(j, int(parent[j]))))
        inside[j] = True
        closer = ~inside & (distance[j] < best)
        best[closer] = distance[j][closer]
        parent[closer] = j
    return edges


def delaunay_edges(points: np.ndarray) -> set[tuple[int, int]]:
    """Edges (i < j) of the Delaunay triangulation of 2-D `points` (Bowyer-Watson; ties between co-circular points
    broken by a tiny fixed skew; all collinear: consecutive points along the line)."""
    n = len(points)
    if n < 2:
        return set()
    p = np.asarray(points, float)
    skew = np.stack([np.arange(n) * 1.0e-7, np.arange(n) ** 2 * 1.3e-7], axis=1)
    p = p + skew
    lo, hi = p.min(axis=0), p.max(axis=0)
    span, mid = float(max(hi - lo)) + 1.0, (lo + hi) / 2.0
    big = np.array([mid + (-20.0 * span, -20.0 * span), mid + (20.0 * span, -20.0 * span), mid + (0.0, 20.0 * span)])
    vertices = np.concatenate([p, big])
    triangles: list[tuple[int, int, int]] = [(n, n + 1, n + 2)]

    def circumcircle(t: tuple[int, int, int]) -> tuple[float, float, float]:
        (ax, ay), (bx, by), (cx, cy) = vertices[list(t)]
        d = 2.0 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
        if abs(d) < 1e-12:
            return 0.0, 0.0, math.inf
        a2, b2, c2 = ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy
        ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d
        uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d
        return ux, uy, (ax - ux) ** 2 + (ay - uy) ** 2

    circles = {triangles[0]: circumcircle(triangles[0])}
    for i in range(n):
        x, y = vertices[i]
        bad = [t for t in triangles if (x - circles[t][0]) ** 2 + (y - circles[t][1]) ** 2 < circles[t][2]]
        count: dict[tuple[int, int], int] = {}
        for t in bad:
            for e in ((t[0], t[1]), (t[1], t[2]), (t[2], t[0])):
                key = (min(e), max(e))
                count[key] = count.get(key, 0) + 1
        triangles = [t for t in triangles if t not in bad]
        for (a, b), k in count.items():
            if k == 1:
                t = (a, b, i)
                triangles.append(t)
                circles[t] = circumcircle(t)
    edges: set[tuple[int, int]] = set()
    for t in triangles:
        for a, b in ((t[0], t[1]), (t[1], t[2]), (t[2], t[0])):
            if a < n and b < n:
                edges.add((min(a, b), max(a, b)))
    if not edges and n >= 2:  # all collinear: neighbours along the line
        order = np.lexsort((points[:, 1], points[:, 0]))
        edges = {(min(int(a), int(b)), max(int(a), int(b))) for a, b in itertools.pairwise(order)}
    return edges


def attachment(a: Room, b: Room) -> tuple[tuple[int, int], tuple[int, int]]:
    """The tiles of rooms a and b a hallway joins (reference 1.4): on their facing edges at the floor of the middle of
    their overlap along x (or z), else their nearest corners."""
    lo, hi = max(a.x0, b.x0), min(a.x1, b.x1)
    if hi > lo:
        x = (lo + hi - 1) // 2
        if a.z1 <= b.z0:
            return (a.z1 - 1, x), (b.z0, x)
        if b.z1 <= a.z0:
            return (a.z0, x), (b.z1 - 1, x)
    lo, hi = max(a.z0, b.z0), min(a.z1, b.z1)
    if hi > lo:
        z = (lo + hi - 1) // 2
        if a.x1 <= b.x0:
            return (z, a.x1 - 1), (z, b.x0)
        if b.x1 <= a.x0:
            return (z, a.x0), (z, b.x1 - 1)
    corners_a = [(a.z0, a.x0), (a.z0, a.x1 - 1), (a.z1 - 1, a.x0), (a.z1 - 1, a.x1 - 1)]
    corners_b = [(b.z0, b.x0), (b.z0, b.x1 - 1), (b.z1 - 1, b.x0), (b.z1 - 1, b.x1 - 1)]
    return min(
        ((p, q) for p in corners_a for q in corners_b),
        key=lambda pq: (pq[0][0] - pq[1][0]) ** 2 + (pq[0][1] - pq[1][1]) ** 2,
    )


def grid_path(allowed: np.ndarray, start: tuple[int, int], goal: tuple[int, int]) -> list[tuple[int, int]] | None:
    """A* on the 4-connected grid of `allowed` tiles, unit steps (ties broken by tile order: deterministic)."""

    if not (allowed[start] and allowed[goal]):
        return None
    nz, nx = allowed.shape
    cost = {start: 0}
    came: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(abs(goal[0] - start[0]) + abs(goal[1] - start[1]), 0, start)]
    while queue:
        _, g, here = heapq.heappop(queue)
        if here == goal:
            break
        if g > cost[here]:
            continue
        for dz, dx in ((-1, 0), (0, 1), (1, 0), (0, -1)):
            there = (here[0] + dz, here[1] + dx)
            if not (0 <= there[0] < nz and 0 <= there[1] < nx) or not allowed[there]:
                continue
            if g + 1 < cost.get(there, 1 << 30):
                cost[there] = g + 1
                came[there] = here
                h = abs(goal[0] - there[0]) + abs(goal[1] - there[1])
                heapq.heappush(queue, (g + 1 + h, g + 1, there))
    if goal not in cost:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(came[path[-1]])
    return path[::-1]


def add_hallways(
    rng: np.random.Generator, layout: Layout, storey: int, fraction: float = DELAUNAY_FRACTION
) -> list[Hallway]:
    """Hallways between `storey`'s rooms (reference 1.4): the minimum spanning tree of their centres and a random
    `fraction` of the other Delaunay edges, each an A* path between the rooms' attachment tiles over the building's
    interior (other rooms are not avoided; the exterior wall is: a deliberate difference, the reference searches
    the whole bounding box), added to `layout`."""
    index = [i for i, room in enumerate(layout.rooms) if room.storey == storey]
    if len(index) < 2:
        return []
    centres = np.array([layout.rooms[i].centre for i in index], float)
    tree = spanning_tree(centres)
    rest = sorted(delaunay_edges(centres) - set(tree))
    keep = int(round(fraction * len(rest)))
    chosen = sorted(int(k) for k in rng.choice(len(rest), size=keep, replace=False)) if keep else []
    allowed = interior(layout.footprints[storey])
    made = []
    for a, b in [*tree, *(rest[k] for k in chosen)]:
        ra, rb = layout.rooms[index[a]], layout.rooms[index[b]]
        start, end = attachment(ra, rb)
        tiles = grid_path(allowed, start, end)
        if tiles is None:
            raise ImpossibleLayoutError(f"no hallway between rooms {index[a]} and {index[b]} on storey {storey}")
        made.append(Hallway(storey, (index[a], index[b]), tuple(tiles)))
    layout.hallways.extend(made)
    return made


def link_blocked(
    ramps: tuple[Ramp, ...] | list[Ramp],
    ladders: tuple[Ladder, ...] | list[Ladder],
    storey: int,
    shape: tuple[int, int],
) -> np.ndarray:
    """bool (z, x): floor tiles of `storey` a walk keeps off: a ramp's landing and slope (entered only from its
    approach tile, straight up) and a ladder's tile (stepped onto from the tile behind it, to climb)."""
    out = np.zeros(shape, bool)
    for ramp in ramps:
        if ramp.storey == storey:
            for z, x in ramp_tiles(ramp)[1:-1]:
                out[z, x] = True
    for ladder in ladders:
        if ladder.storey == storey:
            out[ladder.z, ladder.x] = True
    return out


def _components(walkable: np.ndarray) -> int:
    """Number of 4-connected components of `walkable`."""
    seen = np.zeros(walkable.shape, bool)
    nz, nx = walkable.shape
    count = 0
    for z0, x0 in zip(*np.nonzero(walkable), strict=True):
        if seen[z0, x0]:
            continue
        count += 1
        stack = [(int(z0), int(x0))]
        seen[z0, x0] = True
        while stack:
            z, x = stack.pop()
            for dz, dx in ((-1, 0), (0, 1), (1, 0), (0, -1)):
                a, b = z + dz, x + dx
                if 0 <= a < nz and 0 <= b < nx and walkable[a, b] and not seen[a, b]:
                    seen[a, b] = True
                    stack.append((a, b))
    return count


def _walkable(layout: Layout, storey: int) -> np.ndarray:
    tiles = layout.storey_tiles(storey)
    return (tiles == Tile.FLOOR) & ~link_blocked(layout.ramps, layout.ladders, storey, layout.shape)


def _reserved(layout: Layout, storey: int) -> np.ndarray:
    """Tiles of `storey` no new link may take: room centres (the nav graph's nodes, spawn and food) and the tiles
    every link on or to this storey walks through."""
    out = np.zeros(layout.shape, bool)
    for room in layout.rooms:
        if room.storey == storey:
            out[room.centre] = True
    for ramp in layout.ramps:
        tiles = ramp_tiles(ramp)
        if ramp.storey == storey:
            for t in tiles[:-1]:
                out[t] = True
        if ramp.storey + 1 == storey:
            for t in tiles[1:]:
                out[t] = True
    for ladder in layout.ladders:
        if ladder.storey in (storey, storey - 1):
            for t in ladder_tiles(ladder):
                out[t] = True
    return out


def _try_link(layout: Layout, storey: int, link: Ramp | Ladder) -> bool:
    """Adds `link` when it keeps both storeys' walkable floors in as many pieces as before; else leaves `layout`."""
    before = [_components(_walkable(layout, s)) for s in (storey, storey + 1)]
    if isinstance(link, Ramp):
        layout.ramps.append(link)
    else:
        layout.ladders.append(link)
    after = [_components(_walkable(layout, s)) for s in (storey, storey + 1)]
    if all(a <= b for a, b in zip(after, before, strict=True)):
        return True
    if isinstance(link, Ramp):
        layout.ramps.pop()
    else:
        layout.ladders.pop()
    return False


def add_ramp(rng: np.random.Generator, layout: Layout, storey: int) -> Ramp | None:
    """A straight ramp from `storey` up to the next (reference 1.5): 1 wide, RAMP_RISE_TILES slope tiles with a
    landing at each end; its approach, bottom landing and slope on room floor of `storey`, its slope and top landing
    on room floor above (the slope tiles are cut from that floor), splitting neither floor. Drawn uniformly among the
    places that fit; None when none does."""
    below, above = layout.room_mask(storey), layout.room_mask(storey + 1)
    below &= layout.storey_tiles(storey) == Tile.FLOOR
    above &= layout.storey_tiles(storey + 1) == Tile.FLOOR
    below &= ~_reserved(layout, storey)
    free_above = above & ~_reserved(layout, storey + 1)
    approach = _walkable(layout, storey)
    nz, nx = layout.shape
    candidates = []
    for side in Side:
        for z in range(nz):
            for x in range(nx):
                ramp = Ramp(storey, z, x, int(side), RAMP_RISE_TILES)
                tiles = ramp_tiles(ramp)
                if not all(0 <= a < nz and 0 <= b < nx for a, b in tiles):
                    continue
                if not (approach[tiles[0]] and all(below[t] for t in tiles[1:-1])):
                    continue
                if not (all(free_above[t] for t in tiles[2:-1]) and above[tiles[-1]]):
                    continue
                candidates.append(ramp)
    for k in rng.permutation(len(candidates)):
        if _try_link(layout, storey, candidates[int(k)]):
            return candidates[int(k)]
    return None


def add_ladder(rng: np.random.Generator, layout: Layout, storey: int) -> Ladder | None:
    """A ladder from `storey` up to the next (reference 1.5): sides tried in random order; its tile and the tile
    behind it room floor on both storeys (both cut from the floor above), the tile ahead room floor above (the
    landing), splitting neither floor. Drawn uniformly among the tiles that fit the first side that has any."""
    tiles_below, tiles_above = layout.storey_tiles(storey), layout.storey_tiles(storey + 1)
    below = layout.room_mask(storey) & (tiles_below == Tile.FLOOR) & ~_reserved(layout, storey)
    above = layout.room_mask(storey + 1) & (tiles_above == Tile.FLOOR)
    free_above = above & ~_reserved(layout, storey + 1)
    nz, nx = layout.shape
    for side in rng.permutation(4):
        candidates = []
        for z in range(nz):
            for x in range(nx):
                ladder = Ladder(storey, z, x, int(side))
                tiles = ladder_tiles(ladder)
                if not all(0 <= a < nz and 0 <= b < nx for a, b in tiles):
                    continue
                if all(below[t] and free_above[t] for t in tiles[:2]) and above[tiles[2]]:
                    candidates.append(ladder)
        for k in rng.permutation(len(candidates)):
            if _try_link(layout, storey, candidates[int(k)]):
                return candidates[int(k)]
    return None


def link_storeys(rng: np.random.Generator, layout: Layout, ramps: bool = True, ladders: bool = True) -> list[int]:
    """Links each storey to the next (reference 1.5's linker): a ramp when allowed and one fits, else a ladder when
    allowed and one fits. Returns the storeys left without a link up."""
    missing = []
    for storey in range(len(layout.footprints) - 1):
        if ramps and add_ramp(rng, layout, storey) is not None:
            continue
        if ladders and add_ladder(rng, layout, storey) is not None:
            continue
        missing.append(storey)
    return missing


# --- the room graph (reference 1.8) ----------------------------------------------------------------------------------


@dataclass
class RoomGraph:
    """A node per room (its index in `Layout.rooms`); edges: hallways (their length plus the centre-to-end
    distances) and links (a ramp's slope length, a ladder's height, plus the centre-to-landing distances)."""

    edges: dict[int, list[tuple[int, float]]]

    def distances(self, source: int) -> dict[int, float]:
        """Dijkstra distances from room `source` to every room it reaches (itself included)."""

        out = {source: 0.0}
        queue = [(0.0, source)]
        while queue:
            d, here = heapq.heappop(queue)
            if d > out[here]:
                continue
            for there, w in self.edges.get(here, []):
                if d + w < out.get(there, math.inf):
                    out[there] = d + w
                    heapq.heappush(queue, (d + w, there))
        return out


def _room_at(layout: Layout, storey: int, tile: tuple[int, int]) -> int | None:
    for i, room in enumerate(layout.rooms):
        if room.storey == storey and room.contains(*tile):
            return i
    return None


def room_graph(layout: Layout) -> RoomGraph:
    edges: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(layout.rooms))}

    def join(a: int | None, b: int | None, ta: tuple[int, int], tb: tuple[int, int], length: float) -> None:
        if a is None or b is None or a == b:
            return
        ca, cb = layout.rooms[a].centre, layout.rooms[b].centre
        w = length + math.dist(ca, ta) + math.dist(cb, tb)
        edges[a].append((b, w))
        edges[b].append((a, w))

    for hallway in layout.hallways:
        a, b = hallway.rooms
        join(a, b, hallway.tiles[0], hallway.tiles[-1], float(len(hallway.tiles) - 1))
    for ramp in layout.ramps:
        tiles = ramp_tiles(ramp)
        bottom, top = tiles[1], tiles[-1]
        slope = math.hypot(ramp.length, STOREY_HEIGHT)
        join(_room_at(layout, ramp.storey, bottom), _room_at(layout, ramp.storey + 1, top), bottom, top, slope)
    for ladder in layout.ladders:
        foot, _, landing = ladder_tiles(ladder)
        join(
            _room_at(layout, ladder.storey, foot),
            _room_at(layout, ladder.storey + 1, landing),
            foot,
            landing,
            STOREY_HEIGHT,
        )
    return RoomGraph(edges)


def touches_outline(layout: Layout, room: Room) -> bool:
    """The room lies against the exterior wall (the outline ring of its storey's footprint)."""
    footprint = layout.footprints[room.storey]
    ring = footprint & ~interior(footprint)
    z0, x0, z1, x1 = max(room.z0 - 1, 0), max(room.x0 - 1, 0), room.z1 + 1, room.x1 + 1
    return bool(ring[z0:z1, x0:x1].any())


def walkable_floor(building: Building, storey: int) -> np.ndarray:
    """bool (z, x): `storey`'s level floor tiles a walk may cross (links' strips and ladder tiles kept off)."""
    s = building.storeys[storey]
    level = (s.tiles == Tile.FLOOR) & (np.abs(s.floor) <= 0.3)
    return level & ~link_blocked(building.ramps, building.ladders, storey, building.shape)


def link_ends(building: Building) -> list[tuple[Ramp | Ladder, tuple[int, int], tuple[int, int]]]:
    """Every link with the tile a walk takes it from (on its storey) and the tile it leaves the body on (above)."""
    out: list[tuple[Ramp | Ladder, tuple[int, int], tuple[int, int]]] = []
    for ramp in building.ramps:
        tiles = ramp_tiles(ramp)
        out.append((ramp, tiles[0], tiles[-1]))
    for ladder in building.ladders:
        foot, behind, landing = ladder_tiles(ladder)
        out.append((ladder, behind, landing))
    return out


def reachable_floor(building: Building, storey: int, tile: tuple[int, int]) -> list[np.ndarray]:
    """bool (z, x) per storey: the tiles a walk from `tile` of `storey` reaches, up links too (flood fill)."""
    walk = [walkable_floor(building, s) for s in range(len(building.storeys))]
    seen = [np.zeros(building.shape, bool) for _ in building.storeys]
    nz, nx = building.shape
    todo = [(storey, tile)] if walk[storey][tile] else []
    if todo:
        seen[storey][tile] = True
    ends = link_ends(building)
    while todo:
        s, (z, x) = todo.pop()
        nexts = [(s, (z + dz, x + dx)) for dz, dx in ((-1, 0), (0, 1), (1, 0), (0, -1))]
        nexts += [(link.storey + 1, top) for link, start, top in ends if link.storey == s and start == (z, x)]
        for t, (a, b) in nexts:
            if 0 <= a < nz and 0 <= b < nx and walk[t][a, b] and not seen[t][a, b]:
                seen[t][a, b] = True
                todo.append((t, (a, b)))
    return seen
