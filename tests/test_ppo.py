"""PPO end to end with the real engine and real gradient steps (the `debug` preset), then resumed from its
checkpoint; plus the pieces that do not need Godot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from baselines.common import preprocess_proprio, preprocess_rgbd, squash_action
from baselines.ppo.config import parse_config


def test_action_squash_spans_the_whole_range() -> None:
    raw = np.array([-10.0, -4.0, -1.0, 0.0, 1.0, 4.0, 10.0] * 3, dtype=np.float32)
    squashed = squash_action(raw)
    assert squashed.max() > 0.99 and squashed.min() < -0.99  # the original topped out at tanh(1) = 0.76
    assert np.all(np.abs(squashed) <= 1.0) and squashed[3] == 0.0


def test_observation_preprocessing() -> None:
    rgbd = np.arange(2 * 8 * 8 * 4, dtype=np.uint32).reshape(2, 8, 8, 4).astype(np.uint8)
    assert preprocess_rgbd(rgbd).shape == (2, 4, 8, 8) and preprocess_rgbd(rgbd)[1, 3, 2, 5] == rgbd[1, 2, 5, 3]
    proprio = np.full(51, 50.0, dtype=np.float32)
    proprio[-1] = 3000.0
    out = preprocess_proprio(proprio)
    assert out.min() >= -1 and out.max() <= 1 and out[-1] == pytest.approx(0.3)


def test_config_presets_and_overrides() -> None:
    config, resume = parse_config(["--preset", "debug", "--total-steps", "512", "--difficulty", "0.3"])
    assert config.total_steps == 512 and config.difficulty == "0.3" and config.resolution == 32 and resume is None


@pytest.mark.godot
def test_debug_preset_trains_checkpoints_and_resumes(tmp_path: Path) -> None:
    from baselines.ppo.train import train

    out = tmp_path / "ppo"
    config, _ = parse_config(["--preset", "debug", "--out", str(out)])
    first = train(config)
    checkpoints = sorted((out / "checkpoints").glob("ppo_*.zip"), key=lambda p: int(p.stem.split("_")[1]))
    assert first["env_steps"] >= 256 and checkpoints and (out / "tb").exists()
    assert (out / "checkpoints" / f"{checkpoints[-1].stem}.curriculum.json").exists()  # debug trains on the curriculum
    before = json.loads((out / "summary.json").read_text())["env_steps"]

    config, resume = parse_config(
        ["--preset", "debug", "--out", str(out), "--total-steps", "512", "--resume", str(checkpoints[-1])]
    )
    second = train(config, resume)
    assert second["env_steps"] >= 512 > before


@pytest.mark.godot
def test_keyboard_mouse_policy_trains_and_evaluates(tmp_path: Path) -> None:
    """The cpu-km interface end to end at debug size: an 11-value policy, then the held-out check against random."""
    from baselines.ppo.agent import PPOAgent, held_out
    from baselines.ppo.train import train
    from scoring.agents import RandomAgent

    out = tmp_path / "ppo_km"
    argv = ["--preset", "debug", "--out", str(out), "--action-mode", "keyboard_mouse", "--time-limit", "20"]
    config, _ = parse_config([*argv, "--difficulty", "0"])
    train(config)
    agent = PPOAgent(str(out / "final.zip"))
    assert agent.action_mode == "keyboard_mouse" and agent.model.action_space.shape == (11,)
    for policy in (agent, RandomAgent(action_mode="keyboard_mouse")):
        result = held_out(policy, "eat", 0.0, range(10**9, 10**9 + 2), 32, 20, "keyboard_mouse")
        assert result["episodes"] == 2 and 0.0 <= result["success_rate"] <= 1.0


def test_sb3_adapter_resets_in_the_same_step(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On the fake engine (food eaten on frame 5, episode over 20 steps later): SB3 gets the reset observation with
    done=True and the last one in `terminal_observation`."""
    import sys

    from baselines.ppo.vecenv import AvalonSB3VecEnv

    fake = Path(__file__).with_name("fake_godot.py")
    launcher = tmp_path / "fake-godot"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{fake}" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setenv("AVALON_GODOT", str(launcher))
    env = AvalonSB3VecEnv("eat", 3, num_processes=2, resolution=16, headless=True)
    try:
        obs = env.reset()
        assert obs["rgbd"].shape == (3, 4, 16, 16) and obs["proprio"].shape == (3, 51)
        steps = 0
        while steps < 100:
            env.step_async(np.zeros((3, 21), np.float32))
            obs, rewards, dones, infos = env.step_wait()
            steps += 1
            if dones.any():
                break
        assert dones.all() and steps == 25
        for info in infos:
            assert info["episode_success"] and info["terminal_observation"]["rgbd"].shape == (4, 16, 16)
            assert not info["TimeLimit.truncated"]
        # The returned observation starts the next episode: all its frames remain.
        assert np.all(obs["proprio"][:, -1] > infos[0]["terminal_observation"]["proprio"][-1])
    finally:
        env.close()


def test_button_head_is_a_categorical_per_button() -> None:
    import torch

    from baselines.ppo.model import GaussianButtonsDistribution

    dist = GaussianButtonsDistribution(18, 3)
    action_net, log_std = dist.proba_distribution_net(8, log_std_init=0.0)
    assert log_std.shape == (18,) and action_net.out_features == 21
    params = torch.zeros(4, 21)
    params[:, 18] = 30.0  # left grasp: certainly pressed (the logit is clamped to 20)
    params[:, 19] = -30.0  # right grasp: certainly not
    dist.proba_distribution(params, log_std)
    sample = dist.sample()
    assert sample.shape == (4, 21) and set(sample[:, 18:].unique().tolist()) <= {-1.0, 1.0}
    assert (sample[:, 18] == 1.0).all() and (sample[:, 19] == -1.0).all()
    mode = dist.mode()
    assert (mode[:, :18] == 0.0).all() and (mode[:, 18] == 1.0).all() and (mode[:, 19] == -1.0).all()
    log_prob = dist.log_prob(sample)
    gaussian_only = torch.distributions.Normal(0.0, 1.0).log_prob(sample[:, :18]).sum(dim=1)
    button_2 = torch.distributions.Bernoulli(logits=torch.zeros(4)).log_prob((sample[:, 20] > 0).float())
    assert torch.allclose(log_prob, gaussian_only + button_2, atol=1e-5)  # buttons 0 and 1 are certain
    assert torch.allclose(dist.entropy(), torch.full((4,), 18 * 1.4189385 + 0.6931472), atol=1e-4)
