"""OPEN: the module follows the task contract; worlds are deterministic and valid; the rooms lie on a chain with a
door in each doorway between consecutive rooms; the spawn is in the first room and the apple in the last; the
building and the number of rooms grow with d (the reference's measured means); door mechanics, locks and latching
follow the decomposed difficulty (the reference's frequencies at d = 0 and 1); the oracle's plan opens a door on a
floor above y = 0 (the engine: tests/test_oracle.py plays OPEN worlds too)."""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest

from avalon.constants import DoorMechanics, EntityFlag, Latching
from avalon.entities import DOOR_KINDS, LOCK_KINDS
from avalon.env import AvalonEnv
from avalon.oracle.indoor import indoor_path, locate
from avalon.tasks import check_task_module, generate_world
from avalon.tasks import open as module
from avalon.world.building import Tile
from avalon.world.codec import encode_world
from avalon.world.spec import WorldSpec

SEEDS = range(50)


def _doors(spec: WorldSpec) -> list:
    return [item for item in spec.items if item.kind in DOOR_KINDS]


def test_the_module_follows_the_task_contract() -> None:
    assert check_task_module("open", module) == []


def test_the_same_seed_and_difficulty_give_the_same_bytes() -> None:
    first = encode_world(generate_world("open", 1, 0.5))
    assert encode_world(generate_world("open", 1, 0.5)) == first
    assert encode_world(generate_world("open", 2, 0.5)) != first


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_a_chain_of_rooms_with_a_door_in_each_doorway(difficulty: float) -> None:
    for seed in range(15):
        spec = generate_world("open", seed, difficulty)
        (building,) = spec.buildings
        assert len(building.storeys) == 2 and not building.ladders and not building.ramps  # the upper one unlinked
        tiles = building.storeys[0].tiles
        outline = np.zeros(tiles.shape, bool)
        outline[[0, -1], :] = outline[:, [0, -1]] = True
        assert (tiles[outline] != Tile.FLOOR).all(), "sealed: no doorway in the exterior wall"
        spawn, apple = np.array(spec.spawn.position), np.array(spec.foods()[0].position)
        for door in _doors(spec):
            # The door stands on a carved wall tile: floor, with walls on both sides of it along the wall.
            x, _, z = door.position
            yaw = np.radians(door.yaw)
            behind = (x - np.sin(yaw) * 0.5, z - np.cos(yaw) * 0.5)  # into the doorway (away from the approach side)
            tile = building.tile_of(*behind)
            assert tile is not None and tiles[tile] == Tile.FLOOR
        # With the doors' tiles closed, the apple cannot be reached from the spawn; open, it can.
        path = indoor_path(spec, spawn, apple)
        assert path is not None and len(path) >= 2
        closed = dataclasses.replace(building, storeys=(_closed(building.storeys[0], spec), building.storeys[1]))
        assert indoor_path(dataclasses.replace(spec, buildings=(closed,)), spawn, apple) is None
        assert locate(spec, spawn) is not None and locate(spec, apple) is not None


def _closed(storey, spec: WorldSpec):  # type: ignore[no-untyped-def]
    tiles = storey.tiles.copy()
    (building,) = spec.buildings
    for door in _doors(spec):
        x, _, z = door.position
        yaw = np.radians(door.yaw)
        tile = building.tile_of(x - np.sin(yaw) * 0.5, z - np.cos(yaw) * 0.5)
        tiles[tile] = Tile.WALL
    return dataclasses.replace(storey, tiles=tiles)


def test_the_building_and_its_rooms_grow_with_difficulty() -> None:
    """The reference measured (40 seeds) 2 rooms at d = 0, 3.3 at 0.5 and 4.8 at 1 (at least 3); sides 9 -> 21."""
    rooms = {d: [len(_doors(generate_world("open", s, d))) + 1 for s in SEEDS] for d in (0.0, 0.5, 1.0)}
    assert set(rooms[0.0]) == {2}
    assert 3.0 <= np.mean(rooms[0.5]) <= 3.8
    assert 4.3 <= np.mean(rooms[1.0]) <= 5.0 and min(rooms[1.0]) >= 3
    sides = {d: generate_world("open", 0, d).buildings[0].shape for d in (0.0, 1.0)}
    assert sides == {0.0: (9, 9), 1.0: (21, 21)}


def test_door_choices_follow_the_decomposed_difficulty() -> None:
    """At d = 0: push-and-pull hinge doors, mostly without locks (the reference: 82 %; a button otherwise), almost
    never latched unless locked. At d = 1: mostly sliding doors, locks on all, latched again on every release."""
    easy = [door_params for s in range(200) for door_params in [module.door_params(np.random.default_rng(s), 0.0)]]
    assert all(mechanics == DoorMechanics.BOTH for mechanics, _, _ in easy)
    unlocked = sum(not locks for _, locks, _ in easy) / len(easy)
    assert 0.72 <= unlocked <= 0.92
    assert all(locks in ((), ("button",)) for _, locks, _ in easy)
    assert all(latching != Latching.NONE for _, locks, latching in easy if locks), "a locked door always latches"
    free = [latching for _, locks, latching in easy if not locks]
    assert free.count(Latching.NONE) >= 0.95 * len(free)  # the reference: latching 82 % none, as many as unlocked
    hard = [module.door_params(np.random.default_rng(s), 1.0) for s in range(200)]
    assert sum(mechanics == module.SLIDING for mechanics, _, _ in hard) / len(hard) >= 0.7
    assert all(locks for _, locks, _ in hard)
    assert sum(latching == Latching.AUTO for _, _, latching in hard) / len(hard) >= 0.9


def test_every_lock_kind_and_sliding_bars_only_where_allowed() -> None:
    kinds = collections.Counter()
    for seed in SEEDS:
        spec = generate_world("open", seed, 0.75)
        doors = {door.id: door for door in _doors(spec)}
        for item in spec.items:
            if item.kind in LOCK_KINDS:
                kinds[item.kind] += 1
                door = doors[item["door"]]
                if item.kind == "sliding_bar_lock" and door.kind == "hinge_door":
                    assert door["mechanics"] == DoorMechanics.PUSH
    assert set(kinds) == set(LOCK_KINDS), kinds


@pytest.fixture(scope="module")
def env() -> Iterator[AvalonEnv]:
    with AvalonEnv(task="open", debug=True, headless=True) as made:
        yield made


@pytest.mark.godot
def test_the_plan_works_a_button_and_a_bottom_bar_on_a_raised_floor(env: AvalonEnv) -> None:
    """The building's floor is 1 m above the terrain: the door skill crouches relative to the doorway's floor (it
    once crouched for the world's y = 0 and never reached a button)."""
    from avalon.oracle import Oracle
    from avalon.world.builders import door_in_front

    world = door_in_front(
        mechanics=DoorMechanics.PUSH,
        latching=Latching.ONCE,
        locks=[("button_lock", {}), ("sliding_bar_lock", {"top": False})],
    )
    world = dataclasses.replace(world, task="open")
    assert world.buildings[0].origin[1] == 1.0
    oracle = Oracle()
    _, info = env.reset(seed=0, options={"world": world})
    for _ in range(600):
        _, _, terminated, truncated, info = env.step(oracle.act(info))
        if terminated or truncated:
            break
    assert info["success"], "the apple beyond the door was eaten"
    door = next(e for e in info["debug"]["entities"] if e["id"] == 10)
    assert door["flags"] & EntityFlag.OPEN
