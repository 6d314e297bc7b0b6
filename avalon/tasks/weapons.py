"""Weapons, animals and the random-point rule shared by the animal tasks (THROW, HUNT, FIGHT, AVOID, CARRY).

As the original (`W/tasks/hunt.py:select_weapons`, `W/tasks/avoid.py:select_predator_types`, the random weapon and
predator point of `W/worlds/world.py`), in the words of original_animals.md section 4; the code is ours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from avalon.constants import FOOD_OFFSET_FROM_TRUNK
from avalon.difficulty import Knob, select_categorical
from avalon.entities import FOOD_BY_NAME, KIND_BY_NAME, PREDATOR_KINDS
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.grid import erode
from avalon.world.spec import Item, Trees

Point2 = tuple[float, float]

WEAPON_KINDS = ("rock", "large_rock", "stick")  # large_stick is never spawned by a generator (as the original)
# The weapon budget: the sum of the weapons' values. Rocks are worth half a stick, so a budget buys twice as many.
WEAPON_VALUE = {"rock": 0.5, "large_rock": 0.5, "stick": 1.0}
WEAPON_BUDGET = Knob(easy=5.49, hard=1.51)  # int(clip(N(lerp, sigma))): 5 (p .84) or 4 at d = 0, 1 (p .84) or 2 at 1
WEAPON_BUDGET_SIGMA = 0.5
LARGE_RATE = Knob(easy=0.8, hard=0.2)  # P(a rock is a large rock)
ROCK_PROBABILITY = 0.5  # P(a weapon worth a whole unit of budget is a rock rather than a stick)
TOOL_DROP = 0.05  # m above the highest ground under a weapon, so it settles instead of starting buried
LEVEL_BLEND = 0.25  # m over which the ground levelled under a weapon blends into the land round it
WEAPON_SPACING = 2.5  # m between weapons laid by an obstacle, when there is room (the original's)
OVERLAP_MARGIN = 0.25  # m between weapons' horizontal radii at least, while there is room
SPAWN_CLEAR = 0.9  # m between the spawn point and a weapon's centre (the body's radius and a rock's half size)
SPAWN_STEP, SPAWN_STEPS = 0.25, 16  # the spawn steps back until clear of the weapons (at most 4 m)

PREDATOR_COUNT = Knob(easy=0.55, hard=5.45)  # round(clip(N(lerp, sigma))): 1 at d = 0 (p .97), 5 at d = 1 (p .97)
PREDATOR_COUNT_SIGMA = 0.5

# Animals placed at a point (not by a solution) face -Z, the original's identity basis: the world's spawn-goal angle is
# uniform, so their heading relative to the agent is too.
ANIMAL_YAW = 0.0

POINT_SIGMA = 5.0  # m, the random-point rule's spread round the wanted distance (the original's surviving sigma)

TREE_KEEP = 2.5  # m round a fruit tree's trunk without animals
TRUNK_MARGIN = 0.5  # m between an animal's body (its horizontal radius) and the trunk or the food hanging from it
# m round the trunk that a hanging food takes up: its offset from the trunk plus its radius
HANGING_FOOD_REACH = FOOD_OFFSET_FROM_TRUNK + FOOD_BY_NAME["apple"].physics.horizontal_radius


def tree_keep(body_radius: float, keep: float = TREE_KEEP) -> float:
    """m from a fruit tree's trunk that an animal of this horizontal radius stands at least: `keep`, and far enough
    that its body misses the food hanging from the tree by TRUNK_MARGIN. A body placed through the hanging food
    knocks it off the tree at the first step (a bee's threw an apple into the sea)."""
    return max(keep, body_radius + TRUNK_MARGIN + HANGING_FOOD_REACH)


def select_weapons(
    rng: np.random.Generator, d: float, rock_required: bool, rock_probability: float = ROCK_PROBABILITY
) -> list[str]:
    """Weapon kinds for a budget V = int(clip(N(5.49 -> 1.51, 0.5))) in 1..5: a required rock first (costing 0.5),
    then while budget is left a rock (always when less than 1 is left, else with `rock_probability`) or a stick,
    each rock turned into a large rock with P = 0.8 -> 0.2. The draw for "large" is made for sticks too (they stay
    sticks), as the original's loop."""
    budget = float(int(WEAPON_BUDGET.normal(rng, d, WEAPON_BUDGET_SIGMA)))
    kinds: list[str] = []
    if rock_required:
        kinds.append("rock")
        budget -= WEAPON_VALUE["rock"]
    large_rate = LARGE_RATE.lerp(d)
    while budget > 0:
        kind = "rock" if budget < 1.0 or rng.uniform() < rock_probability else "stick"
        if rng.uniform() < large_rate and kind == "rock":
            kind = "large_rock"
        kinds.append(kind)
        budget -= WEAPON_VALUE[kind]
    return kinds


def select_predator_types(rng: np.random.Generator, d: float) -> tuple[list[str], float]:
    """(predator kinds, the rewritten d): the hardest kind is a categorical draw over PREDATOR_KINDS (easy to hard)
    that rewrites d; the count round(clip(N(0.55 -> 5.45, 0.5))) uses the new d; the others are categorical draws
    (without rewriting d again) over the kinds up to the hardest. The hardest comes first."""
    hardest, d = select_categorical(rng, PREDATOR_KINDS, d)
    count = round(PREDATOR_COUNT.normal(rng, d, PREDATOR_COUNT_SIGMA))
    prefix = PREDATOR_KINDS[: PREDATOR_KINDS.index(hardest) + 1]
    kinds = [hardest] + [select_categorical(rng, prefix, d)[0] for _ in range(count - 1)]
    return kinds, d


def half_height(kind: str) -> float:
    """m from an animal's (or any kind's) centre down to the ground it stands on: its body box's half height."""
    return KIND_BY_NAME[kind].physics.rest_height


def clearance(kind: str) -> float:
    """m round an animal's or a weapon's centre kept free of decorative trees: its horizontal radius and a metre."""
    return KIND_BY_NAME[kind].physics.horizontal_radius + 1.0


def ground_under(heightmap: tr.Heightmap, point: Point2, radius: float) -> float:
    """The highest ground within `radius` m of `point` (the centre and eight points round it)."""
    x, z = point
    samples = [(x, z)] + [
        (x + radius * math.cos(k * math.pi / 4), z + radius * math.sin(k * math.pi / 4)) for k in range(8)
    ]
    return max(heightmap.height_at(*p) for p in samples)


def animal_item(heightmap: tr.Heightmap, kind: str, id: int, point: Point2, yaw: float) -> Item:
    """An animal standing on the ground at `point`: its centre the body's half height above the highest ground under
    its box (the original's THROW put prey at terrain + 0.5 m, partly in the ground: reference bug 5)."""
    radius = KIND_BY_NAME[kind].physics.horizontal_radius
    return Item.of(kind, id, (point[0], ground_under(heightmap, point, radius) + half_height(kind), point[1]), yaw)


def level_radius(kind: str, cell_size: float) -> float:
    """m round a weapon standing on a grid point within which the ground must be flat under it: the grid points of
    every cell its footprint touches (the surface between points is interpolated from them)."""
    return math.ceil(KIND_BY_NAME[kind].physics.horizontal_radius / cell_size) * cell_size * math.sqrt(2.0)


def check_off_the_brink(heightmap: tr.Heightmap, points: Sequence[Point2], side: np.ndarray, margin: float) -> None:
    """Every weapon point lies `margin` m or more inside `side` (bool points, the obstacle's side it lies on): where
    the library finds no room within the jitter it leaves an item at its solved spot, which on a narrow rim is the
    brink, and a rock there rolls off (measured in the engine: 11 m down a platform's wall at d = 1)."""
    grid = ob.Grid.of(heightmap)
    inner = erode(side, max(1, math.ceil(margin / heightmap.cell_size)))
    for point in points:
        if not inner[grid.point(*point)]:
            raise ob.ImpossibleWorldError(f"a weapon at ({point[0]:.1f}, {point[1]:.1f}) lies at the brink")


def level_under(heightmap: tr.Heightmap, kind: str, point: Point2, inside: np.ndarray) -> None:
    """Level the ground under a weapon about to be put at `point` (a grid point), blending out over LEVEL_BLEND m,
    so it lies still instead of rolling off a slope (measured in the engine: an unlevelled rock on a rim at d = 1
    rolled 12 m down the wall); the original flattens round its solution items too. Only points of `inside` (bool,
    points: the obstacle's side the weapon lies on) change, so a weapon near the rim never reshapes the wall. Each
    disc is levelled at its own centre's height, one after another (a shared height would cut steps into a slope
    under a row of rocks)."""
    before = heightmap.heights
    tr.flatten(heightmap, point, level_radius(kind, heightmap.cell_size), blend=LEVEL_BLEND)
    heightmap.heights = np.where(inside, heightmap.heights, before)


def weapon_item(heightmap: tr.Heightmap, kind: str, id: int, point: Point2, yaw: float) -> Item:
    """A weapon lying at `point`, TOOL_DROP above the highest ground under it."""
    physics = KIND_BY_NAME[kind].physics
    y = ground_under(heightmap, point, physics.horizontal_radius) + physics.rest_height + TOOL_DROP
    return Item.of(kind, id, (point[0], y, point[1]), yaw)


def random_point(
    rng: np.random.Generator,
    heightmap: tr.Heightmap,
    anchor: Point2,
    radius: float,
    allowed: np.ndarray,
    taken: Sequence[tuple[Point2, float]] = (),
    sigma: float = POINT_SIGMA,
) -> Point2:
    """A grid point of `allowed` (bool, points shape: the caller's safe land) drawn with weight pdf N(distance to
    `anchor`; `radius`, `sigma`), at least the given distance from every (point, distance) in `taken` when any
    such point is left. Raises `ImpossibleWorldError` when `allowed` is empty."""
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    choice = allowed.copy()
    for (px, pz), apart in taken:
        choice &= np.hypot(x - px, z - pz) >= apart
    if not choice.any():
        choice = allowed
    if not choice.any():
        raise ob.ImpossibleWorldError("no safe land for a weapon or an animal")
    js, is_ = np.nonzero(choice)
    distance = np.hypot(x[js, is_] - anchor[0], z[js, is_] - anchor[1])
    weights = np.exp(-0.5 * ((distance - radius) / sigma) ** 2) + 1e-12
    n = int(rng.choice(js.size, p=weights / weights.sum()))
    return (float(x[js[n], is_[n]]), float(z[js[n], is_[n]]))


def scatter(
    rng: np.random.Generator,
    heightmap: tr.Heightmap,
    kinds: Sequence[str],
    anchor: Point2,
    spread: float,
    allowed: np.ndarray,
    spacing: float = 0.0,
    strict: bool = False,
) -> list[Point2]:
    """Points for weapons or animals of `kinds`, in order, round `anchor` (an obstacle's solution end): grid points
    of `allowed` drawn with weight pdf N(distance to the anchor; 0, `spread`), `spacing` m apart when there is room,
    and never overlapping (their horizontal radii plus OVERLAP_MARGIN) while any such point is left (the random-point
    rule on the candidate points only, which is a few times faster than on the whole grid); with `strict`, an
    ImpossibleWorldError rather than an overlap. The library's jitter (`place_items`) instead leaves an item at its
    solved spot when it finds no room and lets items overlap."""
    grid = ob.Grid.of(heightmap)
    x, z = grid.grid_xz()
    cx, cz = x[allowed], z[allowed]
    if cx.size == 0:
        raise ob.ImpossibleWorldError(f"no room for {', '.join(kinds)}")
    weights = np.exp(-0.5 * (np.hypot(cx - anchor[0], cz - anchor[1]) / spread) ** 2) + 1e-12
    points: list[tuple[Point2, float]] = []
    for kind in kinds:
        radius = KIND_BY_NAME[kind].physics.horizontal_radius
        choice = None
        least = [radius + other + OVERLAP_MARGIN for _, other in points]
        for tier in ([max(spacing, gap) for gap in least], least):
            apart = np.ones(cx.size, bool)
            for ((px, pz), _), gap_m in zip(points, tier, strict=True):
                apart &= np.hypot(cx - px, cz - pz) >= gap_m
            if apart.any():
                choice = apart
                break
        if choice is None:
            if strict:
                raise ob.ImpossibleWorldError(f"no room for a {kind} clear of the {len(points)} placed before it")
            choice = np.ones(cx.size, bool)
        p = np.where(choice, weights, 0.0)
        n = int(rng.choice(cx.size, p=p / p.sum()))
        points.append(((float(cx[n]), float(cz[n])), radius))
    return [p for p, _ in points]


def safe_land(heightmap: tr.Heightmap, reach: np.ndarray, margin: float = 1.0) -> np.ndarray:
    """Bool points where a weapon or an animal may be put: reachable land (`reach`, points) whose cells are all
    climbable and no steeper than the body walks, `margin` m from the water."""
    grid = ob.Grid.of(heightmap)
    cs = heightmap.cell_size
    land = heightmap.heights > grid.water_height
    bad_cell = heightmap.unclimbable | (heightmap.cell_slope() > 1.0)
    bad = np.zeros(heightmap.heights.shape, bool)
    bad[:-1, :-1] |= bad_cell
    bad[:-1, 1:] |= bad_cell
    bad[1:, :-1] |= bad_cell
    bad[1:, 1:] |= bad_cell
    return reach & erode(land, max(1, round(margin / cs))) & ~bad


def spawn_among(heightmap: tr.Heightmap, points: Sequence[Point2], away: float, side: np.ndarray) -> Point2:
    """The mean of `points` (weapons laid by an obstacle), stepped in direction `away` (rad) until no point is within
    SPAWN_CLEAR m, on `side` (bool points: the obstacle's side the weapons lie on). The original spawns at the mean."""
    mean = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    grid = ob.Grid.of(heightmap)
    for k in range(SPAWN_STEPS + 1):
        point = (mean[0] + math.cos(away) * SPAWN_STEP * k, mean[1] + math.sin(away) * SPAWN_STEP * k)
        if all(math.dist(point, p) >= SPAWN_CLEAR for p in points) and side[grid.point(*point)]:
            return point
    raise ob.ImpossibleWorldError("no clear spawn point beside the weapons")


def trees_off(heightmap: tr.Heightmap, trees: Trees, mask: np.ndarray) -> Trees:
    """`trees` without those standing on a point of `mask` (bool, points shape): no tree on a pit's wall, where
    it would be a ladder out, nor in a ridge's corridor."""
    if len(trees) == 0:
        return trees
    grid = ob.Grid.of(heightmap)
    keep = np.array([not mask[grid.point(float(p[0]), float(p[2]))] for p in trees.positions], bool)
    return trees if keep.all() else Trees(trees.positions[keep], trees.heights[keep], trees.kinds[keep])
