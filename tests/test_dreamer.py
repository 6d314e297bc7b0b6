"""Dreamer: shapes and losses of the pieces on synthetic data (fast, no engine), then the `debug` preset end to end
with the real engine (real env steps, real gradient steps, checkpoint written, reloaded and resumed) and the
imagination strip."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from baselines.dreamer.agent import Dreamer, Policy, lambda_returns, load_checkpoint
from baselines.dreamer.config import PRESETS, DreamerConfig, parse_config
from baselines.dreamer.networks import RSSM, ConvDecoder, ConvEncoder, conv_sizes, gaussian_kl
from baselines.dreamer.replay import Replay

torch.set_num_threads(1)


def tiny_config(**changes: object) -> DreamerConfig:
    config = dataclasses.replace(DreamerConfig(), **PRESETS["debug"])  # type: ignore[arg-type]
    return dataclasses.replace(config, **changes)  # type: ignore[arg-type]


def synthetic_batch(config: DreamerConfig, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    b, t, r = config.batch_size, config.batch_length, config.resolution
    is_first = np.zeros((b, t), dtype=bool)
    is_first[:, 3] = True
    return {
        "rgbd": rng.integers(0, 256, (b, t, 4, r, r), dtype=np.uint8),
        "proprio": rng.uniform(-1, 1, (b, t, 51)).astype(np.float32),
        "action": rng.uniform(-1, 1, (b, t, 21)).astype(np.float32),
        "reward": rng.normal(0, 0.5, (b, t)).astype(np.float32),
        "is_first": is_first,
        "is_terminal": np.roll(is_first, -1, axis=1),
    }


def test_conv_encoder_and_decoder_round_trip_every_resolution() -> None:
    assert conv_sizes(96) == [96, 48, 24, 12, 6, 3]  # five conv layers at 96 px, as the original
    for resolution in (32, 48, 64, 96):
        encoder, decoder = ConvEncoder(resolution, 4), ConvDecoder(20, resolution, 4)
        images = torch.randint(0, 256, (2, 3, 4, resolution, resolution), dtype=torch.uint8)
        assert encoder(images).shape == (2, 3, encoder.out_size)
        assert decoder(torch.zeros(2, 3, 20)).shape == (2, 3, 4, resolution, resolution)


def test_rssm_shapes_and_reset_on_is_first() -> None:
    rssm = RSSM(deter=16, stoch=4, hidden=8, action_size=21, embed=10, min_std=0.1)
    embed, action = torch.randn(3, 5, 10), torch.randn(3, 5, 21)
    is_first = torch.zeros(3, 5, dtype=torch.bool)
    post, prior = rssm.observe(embed, action, is_first)
    assert post["deter"].shape == (3, 5, 16) and prior["stoch"].shape == (3, 5, 4) and (post["std"] >= 0.1).all()
    assert RSSM.feat(post).shape == (3, 5, 20)
    # a reset forgets the past: the same observation after different histories gives the same prior
    state = rssm.initial(2, "cpu")
    state = {key: value + torch.randn_like(value) for key, value in state.items()}
    reset = torch.ones(2, dtype=torch.bool)
    _, prior_a = rssm.obs_step(state, torch.randn(2, 21), embed[:2, 0], reset)
    _, prior_b = rssm.obs_step(rssm.initial(2, "cpu"), torch.zeros(2, 21), embed[:2, 0], reset)
    assert torch.allclose(prior_a["deter"], prior_b["deter"])


def test_gaussian_kl_matches_torch() -> None:
    m1, s1, m2, s2 = torch.randn(4, 6), torch.rand(4, 6) + 0.1, torch.randn(4, 6), torch.rand(4, 6) + 0.1
    expected = torch.distributions.kl_divergence(
        torch.distributions.Normal(m1, s1), torch.distributions.Normal(m2, s2)
    ).sum(-1)
    assert torch.allclose(gaussian_kl(m1, s1, m2, s2), expected, atol=1e-5)
    assert torch.allclose(gaussian_kl(m1, s1, m1, s1), torch.zeros(4), atol=1e-6)


def test_lambda_returns_by_hand() -> None:
    rewards = torch.tensor([[1.0], [0.0]])
    values = torch.tensor([[0.5], [2.0], [4.0]])
    discounts = torch.tensor([[0.9], [0.9]])
    returns = lambda_returns(rewards, values, discounts, 0.5)
    r1 = 0.0 + 0.9 * (0.5 * 4.0 + 0.5 * 4.0)  # R_1 = r_2 + d ((1 - l) v_2 + l R_2), R_2 = v_2
    r0 = 1.0 + 0.9 * (0.5 * 2.0 + 0.5 * r1)
    assert torch.allclose(returns[:, 0], torch.tensor([r0, r1]))


def test_replay_windows_stay_contiguous_across_the_wrap(tmp_path: Path) -> None:
    replay = Replay(capacity=20, num_envs=2, resolution=32)  # 10 steps per stream
    for t in range(13):  # wraps: slots hold steps 3..12, the oldest at the write position
        step = {
            "rgbd": np.full((2, 4, 32, 32), t, np.uint8),
            "proprio": np.zeros((2, 51), np.float32),
            "action": np.zeros((2, 21), np.float32),
            "reward": np.array([t, 100 + t], np.float32),
            "is_first": np.array([t == 0, t == 0]),
            "is_terminal": np.zeros(2, dtype=bool),
        }
        replay.add(step)
    assert len(replay) == 20 and replay.can_sample(10) and not replay.can_sample(11)
    batch = replay.sample(64, 4, np.random.default_rng(0))
    assert batch["rgbd"].shape == (64, 4, 4, 32, 32) and batch["reward"].shape == (64, 4)
    steps = batch["reward"] % 100
    assert (np.diff(steps, axis=1) == 1).all() and steps.min() >= 3  # consecutive, never across the write position

    on_disk = Replay(capacity=20, num_envs=2, resolution=32, directory=tmp_path / "replay")
    on_disk.add(step)
    on_disk.save()
    reopened = Replay(capacity=20, num_envs=2, resolution=32, directory=tmp_path / "replay")
    assert len(reopened) == 2 and reopened.arrays["reward"][1, 0] == 112


def test_update_runs_and_world_model_fits_a_fixed_batch() -> None:
    config = tiny_config(model_lr=3e-3)
    dreamer = Dreamer(config)
    batch = synthetic_batch(config)
    actor_before = [p.clone() for p in dreamer.actor.parameters()]
    first = dreamer.update(batch)
    for _ in range(30):
        last = dreamer.update(batch)
    assert all(np.isfinite(v) for v in last.values())
    assert last["wm/loss"] < 0.8 * first["wm/loss"]
    assert dreamer.updates == 31
    assert any(not torch.equal(a, b) for a, b in zip(actor_before, dreamer.actor.parameters(), strict=True))
    critic, target = next(dreamer.critic.parameters()), next(dreamer.target_critic.parameters())
    assert not torch.equal(critic, target)  # 31 % target_every (2) != 0: the critic moved on since the last copy
    dreamer.update(batch)
    assert torch.equal(critic, target)


def test_dynamics_actor_gradient_leaves_the_world_model_alone() -> None:
    config = tiny_config(actor_grad="dynamics")
    dreamer = Dreamer(config)
    data = dreamer.to_torch(synthetic_batch(config))
    _, post, _ = dreamer.world_model_loss(data)
    dreamer.wm.zero_grad(set_to_none=True)
    actor_loss, _, _ = dreamer.actor_critic_loss(post, data["is_terminal"])
    actor_loss.backward()
    assert all(p.grad is None for p in dreamer.wm.parameters())
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in dreamer.actor.parameters())


def test_policy_actions_are_in_range() -> None:
    config = tiny_config()
    policy = Policy(Dreamer(config), 3)
    rgbd = np.zeros((3, 4, 32, 32), np.uint8)
    action = policy.act(rgbd, np.zeros((3, 51), np.float32), np.ones(3, dtype=bool))
    assert action.shape == (3, 21) and np.abs(action).max() <= 1.0


def test_checkpoint_round_trip_and_scoring_agent(tmp_path: Path) -> None:
    from baselines.dreamer.agent import DreamerAgent
    from baselines.dreamer.train import latest_checkpoint, save_checkpoint

    config = tiny_config()
    dreamer = Dreamer(config)
    dreamer.update(synthetic_batch(config))
    for steps in (100, 200, 300, 400):  # only the last three are kept
        path = save_checkpoint(tmp_path, dreamer, {"env_steps": steps, "episodes": 0}, None)
    assert latest_checkpoint(tmp_path) == path and len(list((tmp_path / "checkpoints").iterdir())) == 3
    loaded, saved = load_checkpoint(path)
    assert loaded.updates == 1 and saved["counters"]["env_steps"] == 400 and loaded.config == config
    for a, b in zip(loaded.wm.parameters(), dreamer.wm.parameters(), strict=True):
        assert torch.equal(a, b)
    assert loaded.model_opt.state_dict()["state"]  # the optimizers' moments came back too

    agent = DreamerAgent(path)
    agent.reset(7)
    observation = {"rgbd": np.zeros((32, 32, 4), np.uint8), "proprio": np.zeros(51, np.float32)}
    first = agent.act(observation)
    assert first.shape == (21,) and np.abs(first).max() <= 1.0 and not agent.first
    agent.reset(7)
    assert np.array_equal(agent.act(observation), first)  # reset(seed) makes an episode reproducible


def test_config_presets_overrides_and_booleans() -> None:
    config, resume, overrides = parse_config(["--preset", "debug", "--total-steps", "900", "--eval-random", "true"])
    assert config.total_steps == 900 and config.resolution == 32 and config.eval_random and resume is None
    assert overrides == {"total_steps": 900, "eval_random": True}
    assert parse_config(["--lambda", "0.9"])[0].lambda_ == 0.9
    default = DreamerConfig()  # the original's Dreamer hyperparameters
    assert (default.deter, default.hidden, default.stoch, default.cnn_depth, default.horizon) == (800, 600, 32, 24, 15)
    assert (default.batch_size, default.batch_length, default.kl_scale, default.actor_lr) == (116, 30, 30.0, 1e-5)


@pytest.mark.godot
def test_debug_preset_end_to_end_checkpoint_reload_resume(tmp_path: Path) -> None:
    from baselines.dreamer.imagine import main as imagine_main
    from baselines.dreamer.train import main as train_main

    out = tmp_path / "dreamer"
    begin = time.perf_counter()
    assert train_main(["--preset", "debug", "--replay-storage", "disk", "--out", str(out)]) == 0
    first = json.loads((out / "summary.json").read_text())
    assert first["env_steps"] == 600 and first["gradient_steps"] == 10  # (600 - 200 prefill) / 40
    assert first["episodes"] >= 2  # both envs hit the 260-step limit and autoreset
    assert first["evaluation"]["episodes"] == 2 and 0.0 <= first["evaluation"]["success_rate"] <= 1.0
    assert (out / "tb").is_dir() and (out / "replay" / "replay.json").exists()
    assert (out / "episodes.csv").read_text().count("\n") >= 3
    checkpoint = out / "checkpoints" / "dreamer_600.pt"
    assert checkpoint.exists() and not list((out / "checkpoints").glob(".*tmp"))

    dreamer, saved = load_checkpoint(checkpoint)
    assert dreamer.updates == 10 and saved["counters"]["env_steps"] == 600
    assert saved["curriculum"] is not None  # debug trains on the curriculum
    fresh = Dreamer(dreamer.config)
    assert not torch.equal(next(fresh.wm.parameters()), next(dreamer.wm.parameters()))

    args = ["--resume", str(checkpoint), "--total-steps", "800", "--eval-episodes", "0", "--out", str(out)]
    assert train_main(args) == 0  # the disk replay is reopened: learning resumes at once
    second = json.loads((out / "summary.json").read_text())
    assert second["env_steps"] == 800 and second["gradient_steps"] == 15 and "evaluation" not in second
    assert load_checkpoint(out / "checkpoints" / "dreamer_800.pt")[0].updates == 15

    picture = tmp_path / "imagination.png"
    assert imagine_main([str(checkpoint), "--out", str(picture), "--context", "3", "--horizon", "5"]) == 0
    assert picture.stat().st_size > 1000
    assert time.perf_counter() - begin < 180
