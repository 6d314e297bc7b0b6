"""Buildings in the real engine, through the codec and the env (docs/buildings.md): a window is seen through (the
sky beyond it, far away) where a wall tile beside it shows the wall, near; walls stop the body. The rule scenarios
(godot_project/tests/rules/building_scenarios.gd) check walls, windows, ladders and ramps on hand-made boxes."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator

import numpy as np
import pytest

from avalon.constants import ACTION_NAMES
from avalon.env import AvalonEnv
from avalon.world.builders import door_in_front
from avalon.world.building import Tile
from avalon.world.spec import Spawn

pytestmark = pytest.mark.godot

HEAD_Z = ACTION_NAMES.index("head_z")
HEAD_YAW = ACTION_NAMES.index("head_yaw")


@pytest.fixture(scope="module")
def env() -> Iterator[AvalonEnv]:
    with AvalonEnv(resolution=64, debug=True) as made:
        yield made


def _looking(world, target: tuple[float, float, float]):  # type: ignore[no-untyped-def]
    """`world` with the spawn looking from where it stands at the world point `target`."""
    x, y, z = world.spawn.position
    dx, dy, dz = target[0] - x, target[1] - (y + 2.0), target[2] - z
    yaw = math.degrees(math.atan2(-dx, -dz))
    pitch = math.degrees(math.atan2(dy, math.hypot(dx, dz)))
    return dataclasses.replace(world, spawn=Spawn(world.spawn.position, yaw, pitch))


def test_a_window_is_seen_through_and_a_wall_is_not(env: AvalonEnv) -> None:
    world = door_in_front()
    (building,) = world.buildings
    tiles = building.storeys[0].tiles
    window, wall = int(np.flatnonzero(tiles[:, 0] == Tile.WINDOW)[0]), 1  # the west wall: a window, a wall tile
    seen = {}
    for name, row in (("window", window), ("wall", wall)):
        x, y, z = building.tile_centre(0, row, 0)
        assert tiles[row, 0] == (Tile.WINDOW if name == "window" else Tile.WALL)
        observation, _ = env.reset(seed=0, options={"world": _looking(world, (x, y + 1.75, z))})
        seen[name] = observation["rgbd"][28:36, 28:36].reshape(-1, 4).astype(float).mean(axis=0)
    window_rgb, wall_rgb = seen["window"][:3], seen["wall"][:3]
    assert seen["window"][3] > seen["wall"][3] + 100, (
        f"depth through the window {seen['window'][3]:.0f}, wall {seen['wall'][3]:.0f}"
    )
    assert window_rgb[2] > window_rgb[0], f"the sky beyond the window is blue: {window_rgb.round()}"
    assert wall_rgb[0] > wall_rgb[2] + 30, f"the wall is the walls' ochre: {wall_rgb.round()}"


def test_walls_stop_the_body(env: AvalonEnv) -> None:
    world = door_in_front()
    (building,) = world.buildings
    x, _, z = world.spawn.position
    west_face = building.origin[0] + 1.0  # the inner face of the 1 m west wall
    _, info = env.reset(seed=0, options={"world": _looking(world, (west_face - 5.0, 3.0, z))})
    action = np.zeros(env.action_space.shape, np.float32)
    action[HEAD_Z] = -1.0  # forward, into the wall
    for _ in range(20):
        _, _, _, _, info = env.step(action)
    body = info["debug"]["body_position"]
    assert west_face < body[0] < west_face + 0.3, f"stopped at the wall: body x {body[0]:.2f}, face at {west_face:.2f}"
    assert body[0] < x - 2.0, "after walking up to it"
