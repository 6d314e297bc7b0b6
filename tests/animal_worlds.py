"""Shared helpers of the animal tasks' tests (THROW, HUNT, FIGHT, AVOID): their worlds, generated the way
`generate_world` does (same RNG, retries and `check_world`) from modules that are not registered yet, and what the
tests measure on them."""

from __future__ import annotations

import functools
import math
from types import ModuleType

from avalon.entities import KIND_BY_NAME
from avalon.tasks import generate_with_module
from avalon.tasks.weapons import WEAPON_KINDS, WEAPON_VALUE
from avalon.world.spec import Item, WorldSpec

GROUND_TOLERANCE = 0.06  # m: an animal's feet may float this much above the highest ground under its box


@functools.lru_cache(maxsize=1024)
def world(module: ModuleType, seed: int, difficulty: float, variant: str | None = None) -> WorldSpec:
    return generate_with_module(module, module.TASK_NAME, seed, difficulty, variant)


def animals(spec: WorldSpec) -> list[Item]:
    return [item for item in spec.items if item.entity.animal is not None]


def prey(spec: WorldSpec) -> list[Item]:
    return [item for item in animals(spec) if not item.entity.animal_info.predator]


def predators(spec: WorldSpec) -> list[Item]:
    return [item for item in animals(spec) if item.entity.animal_info.predator]


def weapons(spec: WorldSpec) -> list[Item]:
    return [item for item in spec.items if item.kind in WEAPON_KINDS]


def weapon_value(spec: WorldSpec) -> float:
    return sum(WEAPON_VALUE[item.kind] for item in weapons(spec))


def xz(item_or_spawn: Item | WorldSpec) -> tuple[float, float]:
    position = item_or_spawn.spawn.position if isinstance(item_or_spawn, WorldSpec) else item_or_spawn.position
    return (float(position[0]), float(position[2]))


def ground(spec: WorldSpec, point: tuple[float, float]) -> float:
    return float(spec.terrain.height_at(*point))


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.dist(a, b)


def stands_on_ground(spec: WorldSpec, animal: Item) -> bool:
    """The animal's box bottom is on the highest ground under it (not in it, not floating more than a few cm)."""
    physics = KIND_BY_NAME[animal.kind].physics
    x, y, z = animal.position
    r = physics.horizontal_radius
    samples = [(x, z)] + [(x + r * math.cos(k * math.pi / 4), z + r * math.sin(k * math.pi / 4)) for k in range(8)]
    highest = max(spec.terrain.height_at(*p) for p in samples)
    bottom = y - physics.rest_height
    return highest - 1e-4 <= bottom <= highest + GROUND_TOLERANCE


def misses_the_apple(spec: WorldSpec, animal: Item) -> bool:
    """The animal's body (its horizontal radius) is 0.5 m or more clear of the apple's: a body placed through the
    hanging apple knocks it off the tree at the first step."""
    apple = next(i for i in spec.items if i.kind == "apple")
    clear = animal.entity.physics.horizontal_radius + apple.entity.physics.horizontal_radius + 0.5
    return distance(xz(animal), xz(apple)) >= clear
