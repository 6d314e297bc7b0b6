"""What every indoor task world shares (reference section 1.9): a building on a flat sand square a little wider than
it, standing on the ground, the spawn's orientation rule, and the world spec around them."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from avalon.tasks import common as c
from avalon.world import terrain as tr
from avalon.world.builders import flat_terrain
from avalon.world.building import Building
from avalon.world.spec import Item, Spawn, Terrain, Vec3, WorldSpec

TERRAIN_MARGIN = 2  # m of flat ground round the building
SPAWN_YAW_TURN = 180.0  # degrees times d, either way
SPAWN_YAW_STEP = 10.0  # degrees
SPAWN_YAW_SIGMA = 5.0
SPAWN_PITCH_UP = 100.0  # degrees times d times U(0, 1), upward only (the original's)
SPAWN_PITCH_LIMIT = 70.0


def side_for_radius(radius: float) -> int:
    """Tiles a side of the square inscribed in a site of `radius` m (reference 1.9: floor(sqrt(2) r))."""
    return int(math.floor(math.sqrt(2.0) * radius))


def place(building: Building) -> Building:
    """`building` moved so its grid is centred on the origin and its ground storey's lowest block rests on the
    terrain at y = 0."""
    nz, nx = building.shape
    ground = building.storeys[0]
    return dataclasses.replace(building, origin=(-nx / 2.0, -ground.bottom, -nz / 2.0))


def terrain_for(building: Building) -> Terrain:
    """A flat sand square TERRAIN_MARGIN m wider than the building on every side (an even number of metres)."""
    nz, nx = building.shape
    size = max(nx, nz) + 2 * TERRAIN_MARGIN
    size += size % 2
    terrain = flat_terrain(size)
    return dataclasses.replace(terrain, cell_colors=np.full(terrain.cell_colors.shape, tr.SAND, np.uint8))


def spawn(rng: np.random.Generator, d: float, feet: Vec3, target: Vec3) -> Spawn:
    """The reference's indoor spawn: yaw toward the target turned by 180 d either way, then drawn among 10 degree
    steps weighted by a Gaussian (sigma 5) round it; pitch toward the target plus 100 d U up, clipped to +-70."""
    yaw = c.yaw_towards((feet[0], feet[2]), (target[0], target[2]))
    yaw += (1.0 if rng.uniform() < 0.5 else -1.0) * SPAWN_YAW_TURN * d
    steps = np.arange(-2, 3) * SPAWN_YAW_STEP + round(yaw / SPAWN_YAW_STEP) * SPAWN_YAW_STEP
    weights = np.exp(-0.5 * ((steps - yaw) / SPAWN_YAW_SIGMA) ** 2)
    yaw = float(steps[int(rng.choice(len(steps), p=weights / weights.sum()))])
    yaw = (yaw + 180.0) % 360.0 - 180.0
    eye = feet[1] + c.HEAD_HEIGHT_MAX
    pitch = math.degrees(math.atan2(target[1] - eye, math.hypot(target[0] - feet[0], target[2] - feet[2])))
    pitch += SPAWN_PITCH_UP * d * rng.uniform()
    return Spawn(feet, yaw, float(np.clip(pitch, -SPAWN_PITCH_LIMIT, SPAWN_PITCH_LIMIT)))


def food_on_floor(building: Building, storey: int, tile: tuple[int, int], kind: str, id: int = 1) -> Item:
    """A `kind` food resting on the floor at the centre of `tile` of `storey`."""
    x, y, z = building.tile_centre(storey, *tile)
    return Item.food(kind, id, (x, y + c.food_rest_height(kind), z))


def world(
    task: str, difficulty: float, version: int, building: Building, items: tuple[Item, ...], start: Spawn
) -> WorldSpec:
    """The indoor world: `building` (already `place`d) on its sand square, with `items` and the spawn."""
    return WorldSpec(
        task=task,
        seed=0,
        difficulty=difficulty,
        generator_version=version,
        terrain=terrain_for(building),
        items=items,
        spawn=start,
        buildings=(building,),
    )
