"""What every indoor task world shares (reference section 1.9): a building on a flat sand square a little wider than
it, standing on the ground, the spawn's orientation rule, and the world spec around them.

Single-room worlds (JUMP, PUSH and STACK indoors): `Room.of(width, length)` starts a flat room of a rectangle
footprint (its outline ring the exterior wall, with the reference's windows); the task edits its arrays (`floor`
offsets: chasms below 0, islands and pillars above; `climbable` floor blocks; `tiles`: interior walls) and the clear
height, then `Room.building()` freezes it, placed on the ground.

Tasks with an indoor variant pick it with `generate_variant` (the indoor draw `indoor_draw` leaves the outdoor stream
untouched).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from avalon.tasks import common as c
from avalon.world import terrain as tr
from avalon.world.builders import flat_terrain
from avalon.world.building import STOREY_INNER_HEIGHT, Building, Storey, Tile
from avalon.world.layout import Layout, rectangle_footprints
from avalon.world.layout import Room as LayoutRoom
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


Tile2 = tuple[int, int]  # (z, x)


@dataclass
class Room:
    """A single-room storey being shaped: tiles (z, x) of the whole grid; the room is `inside` (the footprint less
    its outline ring)."""

    tiles: np.ndarray  # uint8 Tile
    floor: np.ndarray  # float32 m
    climbable: np.ndarray  # uint8
    inside: LayoutRoom
    inner_height: float = STOREY_INNER_HEIGHT

    @staticmethod
    def of(width: int, length: int, windows: bool = True) -> Room:
        """A flat room `width` tiles along x and `length` along z (walls included: the floor is 2 less each way)."""
        footprints = rectangle_footprints(width, length, 1)
        inside = LayoutRoom(0, 1, 1, length - 1, width - 1)
        tiles = Layout(footprints, rooms=[inside], windows=windows).tiles(0)
        return Room(tiles, np.zeros(tiles.shape, np.float32), np.zeros(tiles.shape, np.uint8), inside)

    @property
    def shape(self) -> Tile2:
        return (int(self.tiles.shape[0]), int(self.tiles.shape[1]))

    def floor_tiles(self) -> list[Tile2]:
        """Every FLOOR tile, row-major."""
        zs, xs = np.nonzero(self.tiles == Tile.FLOOR)
        return [(int(z), int(x)) for z, x in zip(zs, xs, strict=True)]

    def level_tiles(self, level: float = 0.0) -> list[Tile2]:
        """FLOOR tiles whose floor is at `level`, row-major."""
        return [t for t in self.floor_tiles() if abs(float(self.floor[t]) - level) < 1e-6]

    def edge_tiles(self) -> list[Tile2]:
        """FLOOR tiles next to the outline wall (the room's edge ring), row-major."""
        r = self.inside
        return [(z, x) for z, x in self.floor_tiles() if z in (r.z0, r.z1 - 1) or x in (r.x0, r.x1 - 1)]

    def raise_block(self, z0: int, x0: int, z1: int, x1: int, height: float) -> None:
        """Floor tiles [z0, z1) x [x0, x1) set `height` m above (below, if negative) the level."""
        block = self.tiles[z0:z1, x0:x1] == Tile.FLOOR
        self.floor[z0:z1, x0:x1][block] = height

    def building(self) -> Building:
        storey = Storey(
            level=0.0,
            tiles=self.tiles,
            floor=self.floor,
            climbable=self.climbable * (self.tiles == Tile.FLOOR),
            ceiling=(self.tiles == Tile.FLOOR).astype(np.uint8),
            inner_height=self.inner_height,
        )
        return place(Building((0.0, 0.0, 0.0), (storey,)))


def tile_distances(tiles: list[Tile2], to: list[Tile2]) -> np.ndarray:
    """Euclidean distance (tiles) from each of `tiles` to the nearest of `to`."""
    a = np.asarray(tiles, np.float64).reshape(-1, 2)
    b = np.asarray(to, np.float64).reshape(-1, 2)
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)).min(axis=1)


def distance_rule(rng: np.random.Generator, d: float, distances: np.ndarray) -> int:
    """The reference's "distance rule": an index drawn with weights the Gaussian density N(d x max distance,
    sqrt(std of the distances)) at each distance (uniform when they are all equal)."""
    distances = np.asarray(distances, np.float64)
    sigma = float(np.sqrt(np.std(distances)))
    if sigma <= 0.0:
        return int(rng.integers(len(distances)))
    weights = np.exp(-0.5 * ((distances - d * float(distances.max())) / sigma) ** 2)
    if not np.isfinite(weights).all() or weights.sum() <= 0.0:
        weights = np.ones(len(distances))
    return int(rng.choice(len(distances), p=weights / weights.sum()))


def indoor_draw(rng: np.random.Generator, p: float) -> bool:
    """Whether a task's world is indoor (probability `p`): drawn from the first child of `rng`'s seed sequence, so the
    parent stream (the outdoor world) is untouched and every attempt of `generate_world` on the same seed draws the same
    (spawning a new child per attempt would give each retry of a failed outdoor world another chance to go indoor)."""
    seq = rng.bit_generator.seed_seq
    if not isinstance(seq, np.random.SeedSequence):
        raise TypeError("indoor_draw needs a generator seeded from a SeedSequence")
    child = np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, 0), pool_size=seq.pool_size)
    return bool(np.random.default_rng(child).uniform() < p)


def generate_variant(
    rng: np.random.Generator,
    difficulty: float,
    variant: str | None,
    indoors: Callable[[np.random.Generator, float], WorldSpec],
    outdoors: Callable[[np.random.Generator, float], WorldSpec],
    p: float,
) -> WorldSpec:
    """A task's world with an indoor variant: `variant` ("indoor" or "outdoor") when forced, else indoors with
    probability `p` (`indoor_draw`)."""
    if variant is None:
        variant = "indoor" if indoor_draw(rng, p) else "outdoor"
    return (indoors if variant == "indoor" else outdoors)(rng, difficulty)
