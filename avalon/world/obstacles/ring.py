"""The ring obstacle: one or two walls closing a ring around the spawn or the goal, crossed where the design is exact.

A ring is a polar field around a centre near the spawn or the goal. Its walls are level lines of that field, so they
close around the centre and the agent cannot walk around them; harmonic edge noise makes them irregular. At one
*traversal point* on a ray from the centre the design holds exactly (wall lengths, the gap of a double wall, the
height); elsewhere the walls only retreat towards their safety circles, so chasms only widen and cliffs only move away
from the spawn and the goal.

Height semantics (what a generator asks for, whichever side the ring is centred on):
- single wall (`far_wall` None): the goal side ends `height` m above the spawn side (CLIMB +h, DESCEND -h, a pit -h);
- double wall: the ground between the walls (the chasm floor, `gap` m wide at the crossing) moves by `height` (JUMP,
  BRIDGE: -depth); both rims keep their terrain.
`wall` is the spawn-side wall and `far_wall` the goal-side one, also when the ring is centred on the goal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from avalon.world.obstacles import harmonics
from avalon.world.obstacles.grid import Grid, cells_of, dilate
from avalon.world.terrain import Heightmap, ImpossibleWorldError

Point2 = tuple[float, float]

SAFETY_MARGIN = 0.5  # m kept between a wall and the spawn or the goal (the original's)
STEP_LENGTH = 0.01  # m: a wall shorter than this is a step (one cell wide on the grid)
MIDDLE_SHARE = 0.4  # of the allowed traversal radii: only the middle band is used (flatter, rounder rings)
FIELD_TRIES = 10  # field draws before giving up; each retry rounds the ring and halves the noise
MIN_FIELD = 0.01  # floor of the squared field, keeps the distortion's square root real near the centre
WATER_WEIGHT_POWER = 8  # traversal candidates far from water are strongly preferred


def critical_distance(spawn_goal: float, minimum: float, desired: float) -> float | None:
    """An obstacle dimension (a gap, say) for a spawn and a goal `spawn_goal` m apart: `desired`, capped at the
    spawn-goal distance less the two safety margins and `minimum` (the original's get_critical_distance). None when
    that cap is below `minimum` (the world is too small for the obstacle; the original only refused a negative cap
    and could return less than the minimum)."""
    room = spawn_goal - 2 * SAFETY_MARGIN - minimum
    if room < 0 or min(desired, room) < minimum:
        return None
    return min(desired, room)


class HeightMode(Enum):
    """How the height is applied. RELATIVE: Z += height * weight, the ring follows the terrain. MIDPOINT: the wall
    and `apron` m of land on each side are first levelled to one endpoint height (the higher one for a lowering,
    the lower one for a raise), so the crossing has exactly the design height with flat aprons on both rims."""

    RELATIVE = "relative"
    MIDPOINT = "midpoint"


@dataclass(frozen=True)
class Wall:
    """One wall of a ring: `length` m of ramp (0: a step), and whether it may be climbed. An unclimbable wall also
    makes a band `RingConfig.unclimbable_band` m wide at its top and foot unclimbable."""

    length: float = 0.0
    climbable: bool = True

    def __post_init__(self) -> None:
        if not (math.isfinite(self.length) and self.length >= 0.0):
            raise ValueError(f"wall length must be a finite number of metres >= 0, got {self.length}")


@dataclass(frozen=True)
class RingConfig:
    """What to build. Distances in metres; see the module docstring for `height`, `wall` and `far_wall`."""

    height: float
    wall: Wall = Wall()
    far_wall: Wall | None = None  # None: a single wall; else a double wall with `gap` between them
    gap: float = 0.0  # m between the walls at the traversal point (double walls only)
    traversal_width: float = 2.0  # m around the traversal point where the design is exact (noise masked out)
    center_on_spawn: float = 0.5  # probability that the ring is centred on the spawn (else on the goal)
    scale_center: bool = True  # push the centre away from the spawn-goal midpoint by U(1, 2) (flatter rings)
    edge_noise: float = 0.5  # in [0, 1]: wiggles of the walls
    circularity: float = 0.5  # in [0, 1]: 1 = round, 0 = strongly oval/lobed
    extra_safety: float = 0.0  # m added to the safety circles around the spawn and the goal
    search_radius: float = 2.0  # m around the mid-band point where the traversal point is drawn (2 + 10 d)
    noise_mask: float = 2.0  # wall noise fades in between 1x and this x the crossing's half-angle (MOVE: 4)
    unclimbable_band: float = 1.5  # m at the top and foot of an unclimbable wall that cannot be climbed either
    mode: HeightMode = HeightMode.RELATIVE
    apron: float = 3.0  # m levelled on each side of the wall in MIDPOINT mode

    def __post_init__(self) -> None:
        for name in ("height", "gap", "traversal_width", "extra_safety", "search_radius", "apron"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"ring {name} must be finite, got {getattr(self, name)}")
        if self.gap < 0 or (self.far_wall is None and self.gap != 0):
            raise ValueError(f"ring gap must be >= 0 and only set for a double wall, got {self.gap}")
        if self.traversal_width <= 0:
            raise ValueError(f"ring traversal_width must be positive, got {self.traversal_width}")
        if not (0.0 <= self.center_on_spawn <= 1.0):
            raise ValueError(f"ring center_on_spawn is a probability in [0, 1], got {self.center_on_spawn}")
        if not (0.0 <= self.edge_noise <= 1.0 and 0.0 <= self.circularity <= 1.0):
            raise ValueError(
                f"ring edge_noise and circularity must be in [0, 1], got {self.edge_noise}, {self.circularity}"
            )
        if self.noise_mask < 1.0:
            raise ValueError(f"ring noise_mask must be >= 1, got {self.noise_mask}")

    @property
    def is_double(self) -> bool:
        return self.far_wall is not None


@dataclass(frozen=True, eq=False)
class Ring:
    """A built ring. Radii are along the traversal ray from `center`; masks have the heightmap's points shape."""

    config: RingConfig
    center: Point2
    centered_on_spawn: bool
    direction: Point2  # unit vector from the centre through the traversal point
    traversal_radius: float
    inner_safety: float  # m: the spawn or goal nearer the centre is inside this circle, clear of every wall
    outer_safety: float  # m: the other one is outside this circle
    inner_wall: Wall  # the wall nearer the centre (`wall` if centred on the spawn, else `far_wall` for doubles)
    outer_wall: Wall | None
    weight: np.ndarray  # float points: 0 on the centre side, 1 beyond a single wall / on a double wall's floor
    spawn_side: np.ndarray  # bool points: land on the spawn's side of every wall (flat of the obstacle)
    goal_side: np.ndarray  # bool points: land on the goal's side
    floor: np.ndarray  # bool points: a double wall's full-weight floor between the walls (empty for singles)
    land: np.ndarray  # bool points above the water when the ring was made

    @property
    def traversal_point(self) -> Point2:
        return self.ray_point(self.traversal_radius)

    @property
    def obstacle(self) -> np.ndarray:
        """Bool points of land on neither side: the walls, their ramps and a chasm floor."""
        return self.land & ~(self.spawn_side | self.goal_side)

    def ray_point(self, radius: float) -> Point2:
        return (self.center[0] + self.direction[0] * radius, self.center[1] + self.direction[1] * radius)

    def crossing_radii(self) -> tuple[float, float]:
        """(inner, outer) radii of the crossing's ends on the traversal ray: the foot of the inner wall and the far
        end of the outer wall (of the single wall's top for a single)."""
        inner = self.traversal_radius - max(self.inner_wall.length, STEP_LENGTH)
        if self.outer_wall is None:
            return inner, self.traversal_radius
        return inner, self.traversal_radius + self.config.gap + max(self.outer_wall.length, STEP_LENGTH)


def _traversal_candidates(
    grid: Grid, land: np.ndarray, center: Point2, toward: Point2, band: tuple[float, float], search: float
) -> tuple[np.ndarray, np.ndarray]:
    x, z = grid.grid_xz()
    radius = np.hypot(x - center[0], z - center[1])
    length = math.hypot(toward[0] - center[0], toward[1] - center[1])
    ux, uz = (toward[0] - center[0]) / length, (toward[1] - center[1]) / length
    mid = 0.5 * (band[0] + band[1])
    mx, mz = center[0] + ux * mid, center[1] + uz * mid
    ok = land & (radius >= band[0]) & (radius <= band[1]) & (np.hypot(x - mx, z - mz) <= search)
    return x[ok], z[ok]


def _water_distance(grid: Grid, land: np.ndarray, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Distance (m) from each (x, z) to the nearest shore point (water next to land); inf without water."""
    water = ~land
    shore = water & dilate(land, 1)
    if not shore.any():
        return np.full(x.shape, np.inf)
    gx, gz = grid.grid_xz()
    sx, sz = gx[shore], gz[shore]
    return np.sqrt(np.min((x[:, None] - sx[None, :]) ** 2 + (z[:, None] - sz[None, :]) ** 2, axis=1))


def _pick_traversal(
    rng: np.random.Generator, grid: Grid, land: np.ndarray, center: Point2, toward: Point2, band: tuple[float, float],
    search: float,
) -> Point2:  # fmt: skip
    x, z = _traversal_candidates(grid, land, center, toward, band, search)
    if x.size == 0:
        raise ImpossibleWorldError(f"no land for the ring's crossing within {search:.1f} m of its mid-band point")
    distance = _water_distance(grid, land, x, z)
    if np.isinf(distance).all():
        weights = np.ones(x.size)
    else:
        weights = (distance / max(float(distance.max()), 1e-9)) ** WATER_WEIGHT_POWER + 1e-12
    n = int(rng.choice(x.size, p=weights / weights.sum()))
    return (float(x[n]), float(z[n]))


class _Field:
    """The distorted polar field z(r, theta): about r, exactly r_t at the traversal point."""

    def __init__(self, table: np.ndarray, r_t: float, theta_t: float) -> None:
        self.table, self.r_t = table, r_t
        self.scale = 1.0
        self.scale = r_t / float(self.value(np.array(r_t), np.array(theta_t)))

    def value(self, r: np.ndarray, theta: np.ndarray) -> np.ndarray:
        rho = r / self.r_t
        return (
            self.scale
            * self.r_t
            * np.sqrt(np.maximum(MIN_FIELD, rho * rho + rho * harmonics.lookup(self.table, theta)))
        )


def _ramp(z: np.ndarray, start: np.ndarray, length: float) -> np.ndarray:
    """0 before `start`, rising linearly to 1 over `length` (a step at `start` if the wall is a step)."""
    if length <= STEP_LENGTH:
        return (z >= start).astype(np.float64)
    return np.clip((z - start) / length, 0.0, 1.0)


def _noise_mask(theta: np.ndarray, theta_t: float, half_angle: float, scale: float) -> np.ndarray:
    """0 within `half_angle` of the crossing, 1 beyond `scale` times it, linear in between."""
    delta = np.abs((theta - theta_t + math.pi) % (2 * math.pi) - math.pi)
    return np.clip((delta - half_angle) / max((scale - 1.0) * half_angle, 1e-9), 0.0, 1.0)


def _unclimbable_cells(weight: np.ndarray, land: np.ndarray, band: int) -> np.ndarray:
    """Cells of a wall's ramp on land (for a step, the one cell the step crosses) and `band` cells (at least one)
    beyond its top and its foot, so the wall cannot be climbed from a ledge or a foothold next to it either."""
    low, high = cells_of(weight)
    ramp = (high > 0.0) & (low < 1.0) & (cells_of(land.astype(np.float64))[1] > 0)
    return dilate(ramp, max(1, band))


def make_ring(rng: np.random.Generator, heightmap: Heightmap, spawn: Point2, goal: Point2, config: RingConfig) -> Ring:
    """Build the ring into `heightmap` (heights and climbability) and return where it is. Raises
    `ImpossibleWorldError` when it cannot fit between the spawn and the goal or no field keeps them clear."""
    grid = Grid.of(heightmap)
    land = grid.heights > grid.water_height
    on_spawn = bool(rng.uniform() < config.center_on_spawn)
    inner, outer = config.wall, config.far_wall
    if outer is not None and not on_spawn:
        inner, outer = outer, inner  # the wall nearer the centre is then the goal-side one
    center0 = spawn if on_spawn else goal
    mid = ((spawn[0] + goal[0]) / 2.0, (spawn[1] + goal[1]) / 2.0)
    push = float(rng.uniform(1.0, 2.0)) if config.scale_center else 1.0
    center = (mid[0] + (center0[0] - mid[0]) * push, mid[1] + (center0[1] - mid[1]) * push)
    near_point, far_point = (spawn, goal) if on_spawn else (goal, spawn)
    r_near, r_far = math.dist(center, near_point), math.dist(center, far_point)
    l_in, l_out = inner.length, (outer.length if outer is not None else 0.0)
    gap = config.gap
    low = r_near + SAFETY_MARGIN + l_in + config.extra_safety
    high = r_far - (SAFETY_MARGIN + l_out + gap + config.extra_safety)
    if high < low:
        raise ImpossibleWorldError(
            f"ring does not fit: traversal radius range [{low:.2f}, {high:.2f}] m is empty "
            f"(spawn-goal {math.dist(spawn, goal):.2f} m, walls {l_in:.2f} + {l_out:.2f} m, gap {gap:.2f} m)"
        )
    trim = 0.5 * (1.0 - MIDDLE_SHARE) * (high - low)
    toward = far_point if math.dist(center, mid) < 1e-9 else mid
    traversal = _pick_traversal(rng, grid, land, center, toward, (low + trim, high - trim), config.search_radius)
    r_t = math.dist(center, traversal)
    direction = ((traversal[0] - center[0]) / r_t, (traversal[1] - center[1]) / r_t)
    theta_t = math.atan2(direction[1], direction[0])
    inner_safety = r_near + SAFETY_MARGIN + config.extra_safety
    outer_safety = r_far - SAFETY_MARGIN - config.extra_safety

    x, z = grid.grid_xz()
    radius = np.hypot(x - center[0], z - center[1])
    theta = np.arctan2(z - center[1], x - center[0])
    circle = np.linspace(0.0, 2 * math.pi, harmonics.TABLE_SIZE, endpoint=False)
    noise, circularity = config.edge_noise, config.circularity
    for _ in range(FIELD_TRIES):
        field = _Field(harmonics.harmonic_table(rng, r_t, noise, circularity), r_t, theta_t)
        z_in_start = float(field.value(np.array(r_t - l_in), np.array(theta_t)))
        z_out_start = float(field.value(np.array(r_t + gap), np.array(theta_t)))
        z_inner_circle = field.value(np.full(circle.shape, inner_safety), circle)
        z_outer_circle = field.value(np.full(circle.shape, outer_safety), circle)
        clear = z_inner_circle.max() < z_in_start and (
            z_outer_circle.min() > z_out_start + l_out if outer is not None else z_outer_circle.min() > r_t
        )
        if clear:
            wall_noise = [harmonics.unit_table(harmonics.harmonic_table(rng, r_t, noise, circularity)) for _ in "io"]
            # Per angle: how far each wall may retreat before reaching its safety circle, masked at the crossing.
            half_in = math.atan((config.traversal_width / 2.0) / max(r_t - l_in, 1e-6))
            half_out = math.atan((config.traversal_width / 2.0) / (r_t + gap + l_out))
            room_in = np.maximum(0.01, z_in_start - z_inner_circle)
            n_in = wall_noise[0] * room_in * _noise_mask(circle, theta_t, half_in, config.noise_mask)
            out_end = z_out_start + l_out if outer is not None else r_t
            room_out = np.maximum(0.01, z_outer_circle - out_end)
            n_out = wall_noise[1] * room_out * _noise_mask(circle, theta_t, half_out, config.noise_mask)
            zf = field.value(radius, theta)
            w_in = _ramp(zf, z_in_start - harmonics.lookup(n_in, theta), r_t - z_in_start if l_in > 0 else 0.0)
            w_out = np.zeros_like(zf)
            if outer is not None:
                w_out = _ramp(zf, z_out_start + harmonics.lookup(n_out, theta), l_out)
            # The near point must be before every wall, the far point beyond every wall.
            (nj, ni), (fj, fi) = grid.point(*near_point), grid.point(*far_point)
            sides_ok = w_in[nj, ni] == 0.0 and w_in[fj, fi] == 1.0
            if outer is not None:
                sides_ok = sides_ok and w_out[nj, ni] == 0.0 and w_out[fj, fi] == 1.0
            if sides_ok:
                break
        circularity, noise = (circularity + 1.0) / 2.0, noise / 2.0
    else:
        raise ImpossibleWorldError(f"no ring field in {FIELD_TRIES} tries keeps the spawn and the goal clear")

    if outer is None:
        weight = np.where(land, w_in, 0.0)
        inside, outside, floor = land & (w_in <= 0.0), land & (w_in >= 1.0), np.zeros(land.shape, bool)
        delta = config.height if on_spawn else -config.height
    else:
        weight = np.where(land, w_in - w_out, 0.0)
        inside, outside = land & (w_in <= 0.0), land & (w_out >= 1.0)
        floor = land & (weight >= 1.0)
        delta = config.height
    ring = Ring(
        config=config,
        center=center,
        centered_on_spawn=on_spawn,
        direction=direction,
        traversal_radius=r_t,
        inner_safety=inner_safety,
        outer_safety=outer_safety,
        inner_wall=inner,
        outer_wall=outer,
        weight=weight,
        spawn_side=inside if on_spawn else outside,
        goal_side=outside if on_spawn else inside,
        floor=floor,
        land=land,
    )
    heights = np.array(heightmap.heights, np.float64)
    if config.mode is HeightMode.MIDPOINT:
        ends = [heightmap.height_at(*ring.ray_point(r)) for r in ring.crossing_radii()]
        level = max(ends) if delta < 0 else min(ends)
        steps = round(config.apron / grid.cell_size) + 1
        levelled = dilate(weight > 0, steps)
        if outer is None:  # only the wall and its aprons, not the whole far side
            levelled &= dilate(land & (weight < 1), steps)
        heights = np.where(levelled & land, level, heights)
    heightmap.heights = heights + delta * weight

    band = max(1, round(config.unclimbable_band / grid.cell_size))
    walls = [(inner, w_in)] + ([(outer, w_out)] if outer is not None else [])
    for wall, wall_weight in walls:
        if not wall.climbable:
            heightmap.unclimbable |= _unclimbable_cells(wall_weight, land, band)
    return ring
