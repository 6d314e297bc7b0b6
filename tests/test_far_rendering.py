"""Far rendering (docs/protocol.md "Far rendering"), by the real Godot under Xvfb: distance fog fades far land into
the sky's colour, so a 512 m world does not end in a hard edge at the far plane, while the depth channel, near
geometry and the existing tasks' worlds are drawn exactly as without fog (Godot started with AVALON_NO_FOG set)."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterator

import numpy as np
import pytest

from avalon.bench_worlds import far_rendering, far_world
from avalon.constants import AGENT_HEIGHT, CAMERA_FAR, CAMERA_FOV, DEPTH_MAX_M, FOG_BEGIN, JUMP_HEIGHT
from avalon.env import AvalonEnv
from avalon.tasks import Task, generate_world, implemented_tasks
from avalon.world.builders import big_island, flat_world
from avalon.world.spec import Spawn, WorldSpec, surface_height
from avalon.world.validate import check_world

RESOLUTION = 64
HALF = math.tan(math.radians(CAMERA_FOV / 2.0))  # the image is square: the same across
# env/sky.gd's gradient
ZENITH = np.array([0.35, 0.55, 0.85])
HORIZON = np.array([0.75, 0.85, 0.95])
GROUND = np.array([0.45, 0.45, 0.42])


def sky_colour(up: np.ndarray) -> np.ndarray:
    """env/sky.gd's colour, 0-255, for view rays whose normalised world y is `up`."""
    up = up[..., None]
    above = HORIZON + (ZENITH - HORIZON) * up
    below = HORIZON + (GROUND - HORIZON) * np.minimum(1.0, -4.0 * up)
    return 255.0 * np.where(up > 0.0, above, below)


def view_rays(pitch_deg: float) -> np.ndarray:
    """World directions (x, y, z) of the rays through every pixel centre (rows top to bottom) of a camera looking
    along -Z, pitched `pitch_deg` up, without roll; scaled so that their component along the view axis is 1, so
    a ray's parameter at a point is that point's depth."""
    centres = (np.arange(RESOLUTION) + 0.5) / RESOLUTION * 2.0 - 1.0
    x, y = np.meshgrid(centres * HALF, -centres * HALF)  # row 0 is the top
    pitch = math.radians(pitch_deg)
    forward = np.array([0.0, math.sin(pitch), -math.cos(pitch)])
    up = np.array([0.0, math.cos(pitch), math.sin(pitch)])
    return x[..., None] * np.array([1.0, 0.0, 0.0]) + y[..., None] * up + forward


def smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


@pytest.fixture(scope="module")
def fog_env() -> Iterator[AvalonEnv]:
    with AvalonEnv("eat", resolution=RESOLUTION, debug=True) as env:
        yield env


@pytest.fixture(scope="module")
def clear_env() -> Iterator[AvalonEnv]:
    """An env whose Godot draws without fog: it reads AVALON_NO_FOG when it starts, at the first reset."""
    previous = os.environ.get("AVALON_NO_FOG")
    os.environ["AVALON_NO_FOG"] = "1"
    env = AvalonEnv("eat", resolution=RESOLUTION, debug=True)
    try:
        env.reset(seed=0, options={"world": flat_world()})
    finally:
        if previous is None:
            del os.environ["AVALON_NO_FOG"]
        else:
            os.environ["AVALON_NO_FOG"] = previous
    try:
        yield env
    finally:
        env.close()


def frames(fog_env: AvalonEnv, clear_env: AvalonEnv, world: WorldSpec) -> tuple[np.ndarray, np.ndarray, dict]:
    """The first frame of `world` (rgbd as ints) with fog and without, and the debug info."""
    fogged, info = fog_env.reset(seed=0, options={"world": world})
    clear, clear_info = clear_env.reset(seed=0, options={"world": world})
    assert np.array_equal(info["debug"]["head_position"], clear_info["debug"]["head_position"])
    return fogged["rgbd"].astype(int), clear["rgbd"].astype(int), info["debug"]


@pytest.mark.godot
@pytest.mark.render
def test_a_512_m_plain_fades_into_the_sky_as_the_fog_model_says(fog_env: AvalonEnv, clear_env: AvalonEnv) -> None:
    """A flat square twice the far plane across (512 m), seen from about 30 m up near one edge, looking across it 5
    degrees down: every pixel is either sky or ground whose distance follows from its ray, so each pixel's colour is
    known. Without fog the ground runs to the far plane in its own green and stops in a hard edge against the sky;
    with fog each ground pixel is its green mixed with the sky's colour in its direction by
    smoothstep(FOG_BEGIN, CAMERA_FAR, distance), so the farthest ground is the sky's colour and the edge is gone.
    The depth channel is the same to the bit."""
    pitch = -5.0
    rays = view_rays(pitch)
    # The eye's height puts the centres of one row of pixels on the ground at 98.5 % of the far plane.
    edge_row = RESOLUTION // 2 + 1
    eye_height = 0.985 * CAMERA_FAR * -rays[edge_row, 0, 1]
    side = 2 * math.ceil(CAMERA_FAR)
    spawn = Spawn((0.0, eye_height - AGENT_HEIGHT, 0.39 * side), yaw=0.0, pitch=pitch)
    fogged, clear, debug = frames(fog_env, clear_env, flat_world(side, spawn=spawn))
    assert abs(debug["head_pitch"] - pitch) < 0.01 and abs(debug["head_roll"]) < 0.01, debug
    assert np.array_equal(fogged[..., 3], clear[..., 3]), "fog changed the depth channel"
    near = clear[..., 3] < 255  # within DEPTH_MAX_M (the ground below and the hands): drawn exactly as without fog
    assert near.any() and np.array_equal(fogged[near, :3], clear[near, :3])

    eye = np.asarray(debug["head_position"], dtype=np.float64)
    assert abs(eye[1] - eye_height) < 0.01, eye
    lengths = np.linalg.norm(rays, axis=2)
    sky = sky_colour(rays[..., 1] / lengths)
    with np.errstate(divide="ignore"):
        depth = np.where(rays[..., 1] < 0.0, eye[1] / -rays[..., 1], np.inf)  # where each ray meets the ground
    hit = eye + depth[..., None] * rays
    on_plain = (np.abs(hit[..., 0]) < side / 2) & (np.abs(hit[..., 2]) < side / 2)
    ground = (depth <= CAMERA_FAR) & on_plain
    # Pixels whose sample point is within 1 % of the far plane or 1 m of the plain's edge could go either way.
    unsure = (np.abs(depth - CAMERA_FAR) < 0.01 * CAMERA_FAR) | (
        (np.abs(np.abs(hit[..., 0]) - side / 2) < 1.0) | (np.abs(np.abs(hit[..., 2]) - side / 2) < 1.0)
    )
    sure = ~unsure & ~near
    grass = clear[RESOLUTION - 1, RESOLUTION // 2, :3]  # the flat grass colour, right below
    fog = smoothstep(FOG_BEGIN, CAMERA_FAR, depth * lengths)[..., None]
    expected_clear = np.where(ground[..., None], grass, sky)
    expected_fogged = np.where(ground[..., None], grass * (1.0 - fog) + sky * fog, sky)
    assert np.abs(clear[sure, :3] - expected_clear[sure]).max() <= 2
    assert np.abs(fogged[sure, :3] - expected_fogged[sure]).max() <= 3
    # The ground reaches the far plane across the view, and the fog has work to do there.
    farthest = ground & sure & (depth > 0.95 * CAMERA_FAR)
    assert farthest[edge_row].sum() >= RESOLUTION - 2
    assert np.abs(clear[farthest, :3] - sky[farthest]).max(axis=1).min() > 60  # without fog: a hard edge
    assert np.abs(fogged[farthest, :3] - sky[farthest]).max() <= 3  # with fog: the sky's colour
    assert ((fog[..., 0] > 0.1) & (fog[..., 0] < 0.9) & ground & sure).sum() >= RESOLUTION // 2  # a band, not a step


@pytest.mark.godot
@pytest.mark.render
def test_fog_only_draws_the_far_land_of_a_512_m_island_towards_the_sky(
    fog_env: AvalonEnv, clear_env: AvalonEnv
) -> None:
    """The 512 m island with its trees and water, from 40 m above a corner looking across it: the depth channel and
    everything within its reach are as without fog, far land is fogged, and no pixel moves away from the sky's
    colour."""
    island = big_island(512, 1.0)
    terrain = island.terrain
    x = z = -150.0
    ground = surface_height(np.asarray(terrain.heights), terrain.origin[0], terrain.origin[2], x, z, terrain.cell_size)
    world = dataclasses.replace(island, spawn=Spawn((x, ground + 40.0, z), yaw=-135.0, pitch=-10.0))
    fogged, clear, _ = frames(fog_env, clear_env, world)
    assert np.array_equal(fogged[..., 3], clear[..., 3]), "fog changed the depth channel"
    near = clear[..., 3] < 255
    assert near.sum() > RESOLUTION and np.array_equal(fogged[near, :3], clear[near, :3])
    rays = view_rays(-10.0)
    sky = sky_colour(rays[..., 1] / np.linalg.norm(rays, axis=2))
    to_sky_clear = np.abs(clear[..., :3] - sky).max(axis=2)
    to_sky_fogged = np.abs(fogged[..., :3] - sky).max(axis=2)
    assert (to_sky_fogged <= to_sky_clear + 2).all()
    assert (to_sky_fogged < to_sky_clear - 30).sum() >= RESOLUTION  # far land, fogged


@pytest.mark.godot
@pytest.mark.render
def test_fog_leaves_the_tasks_worlds_as_they_were(fog_env: AvalonEnv, clear_env: AvalonEnv) -> None:
    """Fog begins beyond where the tasks' worlds (at most 100 m across) have anything to draw: their frames are the
    same with and without it, bit for bit, in the widest world (MOVE) and the tallest (DESCEND), from their spawn
    and from their highest ground looking at the farthest corner."""
    for task in (Task.MOVE, Task.DESCEND):
        world = dataclasses.replace(generate_world(task, 0, 1.0), task="debug")  # any spawn will do
        fogged, clear, _ = frames(fog_env, clear_env, world)
        assert np.array_equal(fogged, clear), task
        terrain = world.terrain
        heights = np.asarray(terrain.heights)
        j, i = np.unravel_index(np.argmax(heights), heights.shape)
        top = np.array([terrain.origin[0] + i * terrain.cell_size, terrain.origin[2] + j * terrain.cell_size])
        corners = [
            np.array([terrain.origin[0], terrain.origin[2]]) + np.array(c) * terrain.cell_size
            for c in [(0, 0), (heights.shape[1] - 1, 0), (0, heights.shape[0] - 1), np.array(heights.shape[::-1]) - 1]
        ]
        far = max(corners, key=lambda c: float(np.linalg.norm(c - top)))
        dx, dz = far - top
        drop = float(heights.max()) + AGENT_HEIGHT - terrain.water_height
        yaw = math.degrees(math.atan2(-dx, -dz))
        pitch = -math.degrees(math.atan2(drop, math.hypot(dx, dz)))
        view = Spawn((float(top[0]), float(heights.max()), float(top[1])), yaw=yaw, pitch=pitch)
        fogged, clear, _ = frames(fog_env, clear_env, dataclasses.replace(world, spawn=view))
        assert np.array_equal(fogged, clear), f"{task.name} from its top"


# Tasks whose worlds are meant to be bigger than the far plane: fog is for them (EXPLORE: up to 512 m).
BIG_WORLD_TASKS = {Task.EXPLORE}


@pytest.mark.parametrize("task", sorted(set(implemented_tasks()) - BIG_WORLD_TASKS), ids=lambda t: t.name.lower())
def test_every_task_world_lies_within_the_fog_free_distance(task: Task) -> None:
    """No two points of a task's world, up to a jump above a standing eye on its highest ground, are FOG_BEGIN apart,
    so no world of the tasks with small worlds is ever fogged (the terrain's box: its extent in x and z, and from the
    water's or the lowest ground's height to that eye)."""
    for difficulty in (0.0, 0.5, 1.0):
        for seed in range(3):
            terrain = generate_world(task, seed, difficulty).terrain
            heights = np.asarray(terrain.heights)
            side_z, side_x = (np.array(heights.shape) - 1) * terrain.cell_size
            rise = heights.max() + AGENT_HEIGHT + JUMP_HEIGHT - min(heights.min(), terrain.water_height)
            diagonal = math.sqrt(side_x**2 + side_z**2 + rise**2)
            assert diagonal < FOG_BEGIN, f"{task.name} d={difficulty} seed {seed}: {diagonal:.0f} m across"


def test_fog_begins_beyond_the_depth_channel_and_ends_at_the_far_plane() -> None:
    """Every pixel that the depth channel resolves (depth < DEPTH_MAX_M) is nearer than FOG_BEGIN, even in the
    image's corners, where a point is farther than its depth."""
    corner = math.sqrt(2.0) * HALF
    assert DEPTH_MAX_M * math.sqrt(1.0 + corner**2) < FOG_BEGIN < CAMERA_FAR


@pytest.mark.godot
@pytest.mark.render
def test_the_fog_measurement_times_godot_with_and_without_fog() -> None:
    outside = os.environ.get("AVALON_NO_FOG")
    far = far_rendering(runs=("eat_look",), steps=5, warmup=2, repeats=1, resolution=32)
    assert set(far) == {"eat_look"} and set(far["eat_look"]) == {"fog", "no_fog"}
    for figures in far["eat_look"].values():
        assert figures["steps_per_second"] > 0.0 and len(figures["all_steps_per_second"]) == 1
        assert figures["godot_cpu_ms_per_step"] >= 0.0
    assert os.environ.get("AVALON_NO_FOG") == outside  # set only while a Godot without fog starts


def test_the_fog_measurement_worlds_and_bad_requests() -> None:
    island = far_world("island")
    check_world(island)
    assert len(island.foods()) == 1 and island.terrain.heights.shape == (513, 513)
    with pytest.raises(ValueError, match="unknown far-rendering run"):
        far_rendering(runs=("island_swim",))
    with pytest.raises(ValueError, match="need steps >= 1"):
        far_rendering(steps=0)
    with pytest.raises(ValueError, match="unknown far-rendering world"):
        far_world("atlantis")
