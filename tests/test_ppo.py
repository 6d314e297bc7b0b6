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


def test_task_takes_a_protocol_and_defaults_to_multi_task_basic_once_it_exists() -> None:
    from avalon.tasks.protocols import available_protocols

    config, _ = parse_config(["--task", "multi_task_easy"])
    assert config.task == "multi_task_easy"
    basic = "multi_task_basic" in available_protocols()
    assert parse_config([])[0].task == ("multi_task_basic" if basic else "eat")
    assert parse_config(["--preset", "cpu"])[0].task == "eat"  # the CPU evidence runs are EAT's
    if not basic:
        with pytest.raises(SystemExit):
            parse_config(["--task", "multi_task_basic"])


@pytest.mark.godot
def test_debug_preset_trains_on_multi_task_easy(tmp_path: Path) -> None:
    """Both tasks' episodes are logged (CSV, summary) and move their own curriculum values."""
    import csv

    from avalon.curriculum import Curriculum
    from baselines.ppo.train import train

    out = tmp_path / "ppo_multi"
    config, _ = parse_config(
        ["--preset", "debug", "--out", str(out), "--task", "multi_task_easy", "--time-limit", "20"]
    )
    summary = train(config)
    rows = list(csv.DictReader((out / "episodes.csv").open()))
    played = {task: sum(row["task"] == task for row in rows) for task in ("eat", "move")}
    assert summary["env_steps"] >= 256 and min(played.values()) > 0 and len(rows) == sum(played.values())
    assert {task: counts["episodes"] for task, counts in summary["tasks"].items()} == played
    states = (out / "checkpoints").glob("ppo_*.curriculum.json")
    state = Curriculum.load(max(states, key=lambda path: int(path.name.split("_")[1].split(".")[0])))
    assert {task: state.episodes(task) for task in played} == played


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


def test_action_head_is_the_originals() -> None:
    """Gaussian reals with a state-dependent std (softplus(raw + softplus^-1(1)) + 0.01) and a two-way categorical
    per button (as the original's code)."""
    import torch

    from baselines.ppo.model import STD_MIN, GaussianButtonsDistribution

    dist = GaussianButtonsDistribution(18, 3)
    action_net, log_std = dist.proba_distribution_net(8, log_std_init=0.0)
    assert action_net.out_features == 2 * 18 + 3 and not log_std.requires_grad
    params = torch.zeros(4, 39)
    params[:, 36] = 30.0  # left grasp: certainly pressed (the logit is clamped to 20)
    params[:, 37] = -30.0  # right grasp: certainly not
    dist.proba_distribution(params, log_std)
    std = dist.distribution.stddev
    assert torch.allclose(std, torch.full((4, 18), 1.0 + STD_MIN))  # 1 at initialisation (raw output 0)
    sample = dist.sample()
    assert sample.shape == (4, 21) and set(sample[:, 18:].unique().tolist()) <= {-1.0, 1.0}
    assert (sample[:, 18] == 1.0).all() and (sample[:, 19] == -1.0).all()
    mode = dist.mode()
    assert (mode[:, :18] == 0.0).all() and (mode[:, 18] == 1.0).all() and (mode[:, 19] == -1.0).all()
    log_prob = dist.log_prob(sample)
    gaussian_only = torch.distributions.Normal(0.0, 1.0 + STD_MIN).log_prob(sample[:, :18]).sum(dim=1)
    button_2 = torch.distributions.Bernoulli(logits=torch.zeros(4)).log_prob((sample[:, 20] > 0).float())
    assert torch.allclose(log_prob, gaussian_only + button_2, atol=1e-5)  # buttons 0 and 1 are certain
    # The std follows the state: a very negative raw output gives the minimum, a large one a large std.
    params[0, 18:36], params[1, 18:36] = -50.0, 5.0
    dist.proba_distribution(params, log_std)
    std = dist.distribution.stddev
    assert torch.allclose(std[0], torch.full((18,), STD_MIN)) and (std[1] > 5.0).all()


def test_network_is_the_originals() -> None:
    """One hidden ReLU layer of 256 per head, the proprio branch zero after SB3's initialisation (so the first policy
    ignores proprio), the image code and proprio code summed with no activation after."""
    import torch
    from gymnasium import spaces

    from baselines.ppo.model import ButtonsPolicy, ImpalaProprioExtractor

    obs_space = spaces.Dict(
        {"rgbd": spaces.Box(0, 255, (4, 32, 32), np.uint8), "proprio": spaces.Box(-1, 1, (51,), np.float32)}
    )
    policy = ButtonsPolicy(
        obs_space,
        spaces.Box(-np.inf, np.inf, (21,), np.float32),
        lambda _: 1e-4,
        net_arch={"pi": [256], "vf": [256]},
        activation_fn=torch.nn.ReLU,
        features_extractor_class=ImpalaProprioExtractor,
        features_extractor_kwargs={"features_dim": 64},
        normalize_images=False,
    )
    extractor = policy.features_extractor
    assert isinstance(extractor, ImpalaProprioExtractor)
    assert torch.count_nonzero(extractor.proprio_fc.weight) == 0
    layers = list(policy.mlp_extractor.policy_net)
    assert [type(m) for m in layers] == [torch.nn.Linear, torch.nn.ReLU] and layers[0].out_features == 256
    assert [type(m) for m in policy.mlp_extractor.value_net] == [torch.nn.Linear, torch.nn.ReLU]
    obs = {"rgbd": torch.zeros(2, 4, 32, 32), "proprio": torch.zeros(2, 51)}
    with torch.no_grad():
        torch.nn.init.constant_(extractor.proprio_fc.weight, -1.0)
        code = extractor(obs)
        obs["proprio"] = torch.ones(2, 51)
        assert (extractor(obs) < code).all()  # a negative sum is kept: no ReLU after the sum
