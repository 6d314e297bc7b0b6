"""Single-room indoor worlds (reference original_buildings.md 1.10: JUMP, PUSH and STACK indoors): one storey of a
rectangle footprint, its outline ring the exterior wall (with the reference's windows), the rest one room whose
tiles the task shapes: per-tile floor offsets (chasms below 0, islands and pillars above), climbable floor blocks
(JUMP's launch rows), interior walls (PUSH's partition) and the storey's clear height.

`Room.of(width, length)` starts a flat room; the task edits its arrays (`floor`, `climbable`, `tiles`) through the
helpers, then `Room.building()` freezes it, placed on the ground (avalon.tasks.indoor.place).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avalon.tasks import indoor
from avalon.world.building import STOREY_INNER_HEIGHT, Building, Storey, Tile
from avalon.world.layout import Layout, rectangle_footprints
from avalon.world.layout import Room as LayoutRoom

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
        return indoor.place(Building((0.0, 0.0, 0.0), (storey,)))


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
