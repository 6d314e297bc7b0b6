"""What the agent sees, rendered by the real Godot under Xvfb: the depth channel against docs/protocol.md, and food
in the RGB image."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from avalon.constants import DEPTH_MAX_M
from avalon.env import AvalonEnv
from avalon.tasks import Task, generate_world
from avalon.world.builders import wall_in_front

pytestmark = [pytest.mark.godot, pytest.mark.render]

RESOLUTION = 64


def encode(z: float) -> int:
    return round(255 * np.sqrt(min(z, DEPTH_MAX_M) / DEPTH_MAX_M))


def decode(a: np.ndarray) -> np.ndarray:
    return DEPTH_MAX_M * (a.astype(np.float64) / 255.0) ** 2


@pytest.fixture(scope="module")
def env():
    with AvalonEnv("eat", resolution=RESOLUTION, debug=True) as env:
        yield env


@pytest.mark.parametrize("distance", [1.5, 5.0, 12.0])
def test_depth_of_a_wall_straight_ahead_matches_the_encoding(env: AvalonEnv, distance: float) -> None:
    observation, info = env.reset(seed=0, options={"world": wall_in_front(distance)})
    head_z = float(info["debug"]["head_position"][2])
    expected = head_z + distance  # the camera looks along -Z; depth is measured along that axis
    centre = observation["rgbd"][RESOLUTION // 2 - 2 : RESOLUTION // 2 + 2, RESOLUTION // 2 - 2 : RESOLUTION // 2 + 2]
    alpha = centre[..., 3]
    assert np.all(np.abs(alpha.astype(int) - encode(expected)) <= 1), (alpha, encode(expected))
    assert np.all(np.abs(decode(alpha) - expected) <= 0.05 * expected + 0.05)
    # A flat wall seen head-on is at one depth across its face, not one distance: the z-buffer, not a ray length.
    row = observation["rgbd"][RESOLUTION // 2, RESOLUTION // 2 - 4 : RESOLUTION // 2 + 4, 3].astype(int)
    assert row.max() - row.min() <= 1


def test_depth_is_a_separate_channel_from_colour(env: AvalonEnv) -> None:
    near, _ = env.reset(seed=0, options={"world": wall_in_front(1.5)})
    far, _ = env.reset(seed=0, options={"world": wall_in_front(12.0)})
    c = slice(RESOLUTION // 2 - 2, RESOLUTION // 2 + 2)
    assert int(near["rgbd"][c, c, 3].mean()) < int(far["rgbd"][c, c, 3].mean()) - 50
    # The wall's colour does not change with distance (flat shading, no fog), so RGB is not carrying depth.
    colour_change = near["rgbd"][c, c, :3].mean(axis=(0, 1)) - far["rgbd"][c, c, :3].mean(axis=(0, 1))
    assert np.abs(colour_change).max() < 40


def test_food_straight_ahead_at_difficulty_0_appears_in_rgb(env: AvalonEnv) -> None:
    for seed in range(3):
        world = generate_world(Task.EAT, seed, 0.0)
        # A debug world: an EAT world without food would be refused (it would end at once).
        foods = world.foods()
        without_food = dataclasses.replace(world, task="debug", items=tuple(i for i in world.items if i not in foods))
        with_food_obs, _ = env.reset(seed=seed, options={"world": world})
        empty_obs, _ = env.reset(seed=seed, options={"world": without_food})
        diff = np.abs(with_food_obs["rgbd"][..., :3].astype(int) - empty_obs["rgbd"][..., :3].astype(int)).sum(axis=2)
        rows, cols = np.nonzero(diff > 30)
        assert len(rows) >= 4, f"seed {seed}: the food is not visible"
        # Straight ahead: in the middle third of the image, both ways.
        assert abs(cols.mean() - RESOLUTION / 2) < RESOLUTION / 6, f"seed {seed}: food at column {cols.mean():.0f}"
        assert abs(rows.mean() - RESOLUTION / 2) < RESOLUTION / 6, f"seed {seed}: food at row {rows.mean():.0f}"


def test_a_half_metre_terrain_cliff_is_drawn_where_its_points_are(env: AvalonEnv) -> None:
    """Terrain meshes honour the cell size: a 4 m cliff whose face is the one 0.5 m cell between z = -5 and -5.5
    shows at that depth (1 m spacing would put it at 10-11 m), with the smooth ground before it drawn in merged
    blocks and nothing missing below the horizon."""
    from avalon.world.builders import flat_terrain, flat_world

    flat = flat_terrain(20, cell_size=0.5)
    heights = np.array(flat.heights)
    z = flat.origin[2] + 0.5 * np.arange(flat.points_z)
    heights[z <= -5.5, :] = 4.0
    world = dataclasses.replace(flat_world(), terrain=dataclasses.replace(flat, heights=heights))
    observation, info = env.reset(seed=0, options={"world": world})
    head = info["debug"]["head_position"]
    # the face rises 4 m over 0.5 m: it crosses the camera's height (head y) at z = -5 - 0.5 * y / 4
    expected = float(head[2]) + 5.0 + 0.5 * float(head[1]) / 4.0
    c = slice(RESOLUTION // 2 - 1, RESOLUTION // 2 + 1)
    assert np.all(np.abs(decode(observation["rgbd"][c, c, 3]) - expected) <= 0.05 * expected + 0.1)
    assert observation["rgbd"][RESOLUTION // 2 :, :, 3].min() > 0  # geometry under every pixel below the horizon
