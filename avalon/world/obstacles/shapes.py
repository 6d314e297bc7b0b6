"""Two more terrain obstacles: the hill (SCRAMBLE's cone) and the pit (a single wall round the goal, goal low)."""

from __future__ import annotations

import math

import numpy as np

from avalon.world.obstacles.grid import Grid
from avalon.world.obstacles.ring import Ring, RingConfig, Wall, make_ring
from avalon.world.terrain import Heightmap, ImpossibleWorldError, flatten

Point2 = tuple[float, float]

HILL_RISE = 0.8  # m of goal height per metre of spawn-goal distance (the original's SCRAMBLE)
HILL_LIFT = 0.1  # m the goal ends above the spawn even when they are close
HILL_TOP_SHARE = 0.2  # of the spawn-goal distance: radius of the flat top (the original's)
HILL_TOP_RADIUS = 2.0  # m, at most


def raise_hill(
    heightmap: Heightmap, spawn: Point2, goal: Point2, rise: float = HILL_RISE, lift: float = HILL_LIFT
) -> float:
    """Lift the goal to `lift + rise * R` m above the spawn's ground (R = spawn-goal distance) by scaling heights
    above the water under a cone around the goal: Z <- Z (1 - w + w s), so the spawn's ground keeps its height and
    the slopes stay those of the terrain, stretched. The goal's top is flat within r = min(0.2 R, 2) m: the ground
    there is levelled first (blending back over another r m, the original's radius 2 min(0.2 R, 2) read with its
    flattening rule: flat within half the radius, untouched beyond it), and the cone's weight is 1 on it,
    w = clip((R - distance) / (R - r), 0, 1). (Levelling the top after scaling, at the raised height, would leave a
    cliff round it: at R = 10 a 3 m drop within a metre, steeper than the body can walk.) Returns the goal's ground
    height. Raises `ImpossibleWorldError` if the goal is not above the water (nothing to scale)."""
    grid = Grid.of(heightmap)
    reach = math.dist(spawn, goal)
    if reach <= 0:
        raise ImpossibleWorldError("a hill needs the goal away from the spawn")
    water = grid.water_height
    target = heightmap.height_at(*spawn) + lift + rise * reach
    top = min(HILL_TOP_SHARE * reach, HILL_TOP_RADIUS)
    flatten(heightmap, goal, top, blend=top)
    goal_ground = heightmap.height_at(*goal) - water
    if goal_ground <= 0:
        raise ImpossibleWorldError(f"the hill's goal ground is {goal_ground:.2f} m, not above the water")
    scale = (target - water) / goal_ground
    x, z = grid.grid_xz()
    w = np.clip((reach - np.hypot(x - goal[0], z - goal[1])) / (reach - top), 0.0, 1.0)
    land = np.asarray(heightmap.heights) > water
    heights = np.asarray(heightmap.heights, np.float64)
    heightmap.heights = np.where(land, water + (heights - water) * (1.0 - w + w * scale), heights)
    return target


def make_pit(
    rng: np.random.Generator,
    heightmap: Heightmap,
    spawn: Point2,
    goal: Point2,
    depth: float,
    wall: Wall | None = None,
    **options: object,
) -> Ring:
    """A single wall always centred on the goal (no centre push), the goal's side `depth` m lower (THROW, HUNT).
    `options` are further `RingConfig` fields (traversal_width, edge_noise, ...)."""
    if depth <= 0:
        raise ValueError(f"pit depth must be positive, got {depth}")
    config = RingConfig(
        height=-depth,
        wall=wall if wall is not None else Wall(),
        center_on_spawn=0.0,
        scale_center=False,
        **options,  # type: ignore[arg-type]
    )
    return make_ring(rng, heightmap, spawn, goal, config)
