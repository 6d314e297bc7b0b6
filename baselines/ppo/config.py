"""PPO configuration: the original's hyperparameters (docs/baselines.md) by default, a `debug` preset for smoke runs."""

from __future__ import annotations

from dataclasses import dataclass

from avalon.tasks import implemented_tasks
from avalon.tasks.protocols import available_protocols
from baselines.common import check_range, check_training_difficulty, device, parse_preset_config

# The original's default, the 16 basic tasks drawn per world, once every one of them has a world generator.
DEFAULT_TASK = "multi_task_basic" if "multi_task_basic" in available_protocols() else "eat"


@dataclass
class PPOConfig:
    task: str = DEFAULT_TASK  # a task or a protocol (a task drawn per world); multi_task_basic once usable, else eat
    difficulty: str = "curriculum"  # a float in [0, 1] as text, or "curriculum"
    curriculum_step: float = 3e-4  # the original PPO's task-difficulty update
    total_steps: int = 50_000_000  # env steps, summed over envs
    num_envs: int = 16  # environments stepped together
    num_processes: int = 0  # Godot processes the envs are spread over; 0: one per CPU core
    resolution: int = 96  # observation width and height in pixels
    time_limit: str = "training"  # "evaluation", "training" or a number of frames
    action_mode: str = "vr"  # "vr": the original's 21 values; "keyboard_mouse": the human client's 11 values
    n_steps: int = 200  # rollout length per env: batch = n_steps * num_envs = 3200
    batch_size: int = 3200  # minibatch size (the original: one minibatch per epoch)
    n_epochs: int = 2  # passes over each rollout
    learning_rate: float = 2.5e-4  # Adam learning rate
    gamma: float = 0.99  # discount
    gae_lambda: float = 0.83  # GAE lambda
    clip_range: float = 0.03  # PPO ratio clip
    ent_coef: float = 1.5e-4  # entropy bonus weight
    vf_coef: float = 1.0  # value loss weight
    max_grad_norm: float = 0.5  # gradient norm clip
    features_dim: int = 256  # width of the image encoder's output
    buttons: str = "categorical"  # the original's two-way categorical per button, or "gaussian" (one more real)
    seed: int = 0  # seeds the worlds, the networks and the sampling
    device: str = "auto"  # "auto" (CUDA when present), "cpu", "cuda" or "cuda:N"
    checkpoint_every: int = 500_000  # env steps between checkpoints
    eval_split: str = "minival"  # scoring split evaluated at the end ("" to skip)
    eval_workers: int = 1  # Godot processes for the final evaluation
    out: str = "out/ppo"  # output folder: checkpoints, TensorBoard logs, metrics, final evaluation


CHOICES: dict[str, tuple[str, ...]] = {
    "task": tuple(task.name.lower() for task in implemented_tasks()) + available_protocols(),
    "action_mode": ("vr", "keyboard_mouse"),
    "buttons": ("categorical", "gaussian"),
    "eval_split": ("minival", "test", ""),
}


def check_config(config: PPOConfig) -> None:
    """Every value a run needs, checked before anything starts (UserError / ValueError name the flag)."""
    from avalon.env import check_options

    check_training_difficulty(config.difficulty)
    check_options(config.action_mode, config.time_limit, config.resolution)
    for name in ("total_steps", "num_envs", "n_steps", "n_epochs", "features_dim", "checkpoint_every", "eval_workers"):
        check_range(name, getattr(config, name), 1)
    check_range("num_processes", config.num_processes, 0, config.num_envs)
    check_range("batch_size", config.batch_size, 2, config.n_steps * config.num_envs)
    check_range("curriculum_step", config.curriculum_step, 0, 1)
    for name in ("learning_rate", "clip_range", "max_grad_norm"):
        check_range(name, getattr(config, name), 1e-12)
    for name in ("gamma", "gae_lambda"):
        check_range(name, getattr(config, name), 0, 1)
    for name in ("ent_coef", "vf_coef"):
        check_range(name, getattr(config, name), 0)
    device(config.device)


# The CPU evidence runs of docs/baselines.md: EAT at difficulty 0, 48 px, smaller updates than the original.
_CPU: dict[str, object] = {
    "task": "eat",
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
        PPOConfig,
        PRESETS,
        argv,
        "Train PPO (stable-baselines3) on an Avalon task. docs/baselines.md has the presets' runs and results.",
        "a checkpoint (.zip) of this run to continue from",
        CHOICES,
        check_config,
        prog="python -m baselines.ppo.train",
    )
    return config, resume
