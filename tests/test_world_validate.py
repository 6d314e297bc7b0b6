"""`check_world` rejects broken worlds with messages that say what to fix."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from avalon.world.builders import flat_terrain, flat_world
from avalon.world.spec import Item, Spawn, Terrain, Trees
from avalon.world.validate import InvalidWorldError, check_world

APPLE = Item.food("apple", 1, (0.0, 0.12, -2.0))


def test_flat_world_with_food_is_valid() -> None:
    check_world(flat_world(items=[APPLE], task="eat"))


def _terrain(**changes: object) -> Terrain:
    return dataclasses.replace(flat_terrain(10), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("world", "message"),
    [
        (flat_world(items=[APPLE, Item.rock(1, (1.0, 0.25, 0.0))]), "reuses id 1"),
        (flat_world(items=[Item.rock(0, (1.0, 0.25, 0.0))]), "ids must be >= 1"),
        (flat_world(items=[Item.rock(1, (50.0, 0.25, 0.0))]), "outside the terrain"),
        (flat_world(items=[Item.rock(1, (1.0, -2.0, 0.0))]), "below the ground"),
        (flat_world(items=[Item.rock(1, (1.0, 0.25, 0.0), size=-1.0)]), "positive size"),
        (flat_world(task="eat"), "has no food"),
        (flat_world(items=[Item.food("apple", 1, (0.0, 1.8, 0.0), attached=True)]), "no fruit_tree trunk"),
        (flat_world(items=[Item.food("honeycomb", 1, (0.0, 0.2, 0.0))]), "only grows on trees"),
        (flat_world(items=[Item.food("apple", 1, (0.0, 0.2, 0.0), opened=False)]), "not openable"),
        (flat_world(items=[Item.food("apple", 1, (0.0, 0.0, 0.0), buried=True)]), "only these foods can be buried"),
        (flat_world(spawn=Spawn((30.0, 0.0, 0.0))), "spawn at x=30.00"),
        (flat_world(spawn=Spawn((0.0, -1.0, 0.0))), "below the ground"),
        (dataclasses.replace(flat_world(), terrain=_terrain(water_height=1.0)), "not above the water"),
        (dataclasses.replace(flat_world(), terrain=_terrain(climbable=np.full((10, 10), 2))), "only 0"),
        (dataclasses.replace(flat_world(), terrain=_terrain(cell_colors=np.zeros((3, 3)))), "has shape"),
        (dataclasses.replace(flat_world(), terrain=_terrain(cell_colors=np.full((10, 10), 99))), "uses index 99"),
        (
            dataclasses.replace(flat_world(), terrain=_terrain(heights=np.full((11, 11), np.nan))),
            "must be finite",
        ),
        (
            dataclasses.replace(flat_world(), trees=Trees(np.array([[99.0, 0.0, 0.0]]), np.ones(1), np.zeros(1))),
            "outside the terrain",
        ),
        (
            dataclasses.replace(
                flat_world(), trees=Trees(np.array([[1.0, 0.0, 0.0], [-9.0, 0.0, 9.0]]), [3.0, 101.0], np.zeros(2))
            ),
            "at most 100 m, got max 101",
        ),
        (
            dataclasses.replace(
                flat_world(), trees=Trees(np.array([[1.0, 0.0, 0.0], [-9.0, 0.0, 10.5]]), np.ones(2), np.zeros(2))
            ),
            "tree 1 at x=-9.00, z=10.50 lies outside",
        ),
        (dataclasses.replace(flat_world(), difficulty=2.0), "difficulty must be in"),
        (dataclasses.replace(flat_world(), terrain=_terrain(cell_size=0.05)), "cell_size 0.05 m is outside"),
    ],
)
def test_broken_worlds_are_rejected(world: object, message: str) -> None:
    with pytest.raises(InvalidWorldError, match=message):
        check_world(world)  # type: ignore[arg-type]
