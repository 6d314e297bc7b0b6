"""PPO configuration: the original's hyperparameters (reference 15) by default, a `debug` preset for smoke runs."""

from __future__ import annotations

from dataclasses import dataclass

from baselines.common import parse_preset_config


@dataclass
class PPOConfig:
    task: str = "eat"
    difficulty: str = "curriculum"  # a float in [0, 1] as text, or "curriculum"
    curriculum_step: float = 3e-4  # the original PPO's task-difficulty update
    total_steps: int = 50_000_000
    num_envs: int = 16
    num_processes: int = 0  # 0: one Godot process per CPU core
    resolution: int = 96
    time_limit: str = "training"  # "evaluation", "training" or a number of frames
    action_mode: str = "vr"  # or "keyboard_mouse": the human client's 11-value action (avalon.human.controls)
    n_steps: int = 200  # rollout length per env: batch = n_steps * num_envs = 3200
    batch_size: int = 3200  # one minibatch per epoch, as the original
    n_epochs: int = 2
    learning_rate: float = 2.5e-4
    gamma: float = 0.99
    gae_lambda: float = 0.83
    clip_range: float = 0.03
    ent_coef: float = 1.5e-4
    vf_coef: float = 1.0
    max_grad_norm: float = 0.5
    features_dim: int = 256
    buttons: str = "categorical"  # the original's two-way categorical per button, or "gaussian" (one more real)
    seed: int = 0
    device: str = "auto"
    checkpoint_every: int = 500_000  # env steps
    eval_split: str = "minival"  # scoring split evaluated at the end ("" to skip)
    eval_workers: int = 1
    out: str = "out/ppo"


# The CPU evidence runs of docs/baselines.md: EAT at difficulty 0, 48 px, smaller updates than the original.
_CPU: dict[str, object] = {
    "difficulty": "0",
    "total_steps": 200_000,
    "num_envs": 8,
    "resolution": 48,
    "n_steps": 128,
    "batch_size": 256,
    "n_epochs": 2,
    "learning_rate": 3e-4,
    "clip_range": 0.2,
    "ent_coef": 1e-3,
    "checkpoint_every": 50_000,
    "out": "out/ppo_cpu",
}

PRESETS: dict[str, dict[str, object]] = {
    "original": {},
    # Seconds, not hours: a few real rollouts and gradient steps at a small resolution.
    "debug": {
        "total_steps": 256,
        "num_envs": 2,
        "num_processes": 1,
        "resolution": 32,
        "n_steps": 64,
        "batch_size": 64,
        "n_epochs": 1,
        "features_dim": 64,
        "checkpoint_every": 128,
        "eval_split": "",
        "out": "out/ppo_debug",
    },
    "cpu": _CPU,
    # The CPU evidence run that learned (docs/baselines.md): the `cpu` run acting through the human client's
    # keyboard-and-mouse action (grab reaches where the agent looks, F eats), 5-second episodes.
    "cpu-km": {
        **_CPU,
        "total_steps": 150_000,
        "time_limit": "50",
        "action_mode": "keyboard_mouse",
        "buttons": "gaussian",
        "eval_split": "",
        "out": "out/ppo_cpu_km",
    },
}


def parse_config(argv: list[str] | None = None) -> tuple[PPOConfig, str | None]:
    """`--preset NAME` then any field as `--field value`; returns (config, resume checkpoint or None)."""
    config, resume, _ = parse_preset_config(
        PPOConfig, PRESETS, argv, "Train PPO on Avalon.", "checkpoint (.zip) to continue from"
    )
    return config, resume
