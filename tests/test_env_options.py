"""Observation and render options for the wider ecosystem: image-only observations that SB3's CnnPolicy takes as
they are, and render() at a chosen size, which gymnasium's RecordVideo turns into a watchable video."""

from __future__ import annotations

from pathlib import Path

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from PIL import Image

import avalon
from avalon.env import AvalonEnv

pytestmark = pytest.mark.godot


@pytest.mark.parametrize(("mode", "channels"), [("rgb", 3), ("rgbd", 4)])
def test_image_only_observations(mode: str, channels: int) -> None:
    env = gymnasium.make("avalon/Eat-v0", observation_mode=mode, resolution=32, time_limit=10)
    try:
        assert env.observation_space == gymnasium.spaces.Box(0, 255, (32, 32, channels), np.uint8)
        check_env(env.unwrapped, skip_render_check=True)
        observation, _ = env.reset(seed=0)
        assert observation.shape == (32, 32, channels) and observation.dtype == np.uint8 and observation.std() > 0
    finally:
        env.close()
    vec = avalon.make_vec("eat", 2, observation_mode=mode, resolution=32, time_limit=10, num_processes=1)
    try:
        observation, _ = vec.reset(seed=0)
        assert observation.shape == (2, 32, 32, channels) and vec.observation_space.contains(observation)
        observation, *_ = vec.step(vec.action_space.sample())
        assert observation.shape == (2, 32, 32, channels)
    finally:
        vec.close()


def test_bad_options_are_named() -> None:
    with pytest.raises(ValueError, match="observation_mode must be one of"):
        AvalonEnv("eat", observation_mode="pixels")
    with pytest.raises(ValueError, match="render_resolution needs render_mode='rgb_array'"):
        AvalonEnv("eat", render_resolution=256)
    with pytest.raises(ValueError, match="cannot be used with headless"):
        AvalonEnv("eat", render_mode="rgb_array", render_resolution=256, headless=True)


def test_sb3_cnn_policy_trains_on_the_rgb_observation(tmp_path: Path) -> None:
    from stable_baselines3 import PPO

    env = gymnasium.make("avalon/Eat-v0", observation_mode="rgb", resolution=64, time_limit=40)
    try:
        model = PPO("CnnPolicy", env, n_steps=64, batch_size=32, n_epochs=1, seed=0, device="cpu")
        model.learn(total_timesteps=128)
        assert model.num_timesteps >= 128
        action, _ = model.predict(env.reset(seed=1)[0], deterministic=True)
        assert env.action_space.contains(action)
    finally:
        env.close()


def test_render_at_a_chosen_size_and_record_video(tmp_path: Path) -> None:
    from gymnasium.wrappers import RecordVideo
    from moviepy import VideoFileClip

    env = gymnasium.make("avalon/Eat-v0", render_mode="rgb_array", render_resolution=256, resolution=64, time_limit=25)
    recorded = RecordVideo(env, str(tmp_path), episode_trigger=lambda episode: True, disable_logger=True)
    try:
        observation, _ = recorded.reset(seed=0)
        frame = env.render()
        assert frame.shape == (256, 256, 3) and frame.dtype == np.uint8
        # The same view as the observation, drawn at 4x the size.
        small = np.asarray(Image.fromarray(frame).resize((64, 64), Image.BILINEAR)).astype(int)
        assert np.abs(small - observation["rgbd"][..., :3].astype(int)).mean() < 12
        done = False
        while not done:
            _, _, terminated, truncated, _ = recorded.step(recorded.action_space.sample())
            done = terminated or truncated
    finally:
        recorded.close()
    (video,) = tmp_path.glob("*.mp4")
    with VideoFileClip(str(video)) as clip:
        assert tuple(clip.size) == (256, 256) and clip.duration > 1.5
        middle = clip.get_frame(clip.duration / 2)
    assert middle.std() > 10, "a picture, not a blank frame"
