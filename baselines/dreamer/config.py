"""Dreamer configuration: the original's hyperparameters (docs/baselines.md) by default, a `debug` preset
for smoke runs and a `cpu` preset for the small evidence run of docs/baselines.md."""

from __future__ import annotations

from dataclasses import dataclass, fields

from avalon.tasks import implemented_tasks
from baselines.common import (
    UserError,
    check_choice,
    check_range,
    check_training_difficulty,
    device,
    parse_preset_config,
)


@dataclass
class DreamerConfig:
    # -- environment ------------------------------------------------------------------------------------------------
    task: str = "eat"  # the task to train on
    difficulty: str = "curriculum"  # a float in [0, 1] as text, or "curriculum"
    curriculum_step: float = 6e-4  # the original Dreamer's task-difficulty update
    resolution: int = 96  # observation width and height in pixels
    time_limit: str = "training"  # "evaluation", "training" or a number of frames
    num_envs: int = 16  # environments stepped together
    num_processes: int = 0  # 0: one Godot process per CPU core (at most num_envs)
    total_steps: int = 50_000_000  # env steps, summed over envs
    # -- replay -----------------------------------------------------------------------------------------------------
    replay_capacity: int = 1_000_000  # env steps kept (split evenly over the envs' streams)
    replay_storage: str = "memory"  # "memory", or "disk": memory-mapped arrays under <out>/replay, kept on resume
    prefill: int = 5_000  # env steps of random actions before the first gradient step
    batch_size: int = 116  # sequences per gradient step
    batch_length: int = 30  # the original's "fragment"
    env_steps_per_update: int = 64  # one gradient step per this many env steps (the original ran both asynchronously)
    # -- world model: continuous (Gaussian) latents, as the original ------------------------------------------------
    deter: int = 800  # GRU state
    stoch: int = 32  # Gaussian latent dimensions
    hidden: int = 600  # RSSM hidden layers
    cnn_depth: int = 24  # channels of the first conv layer, doubled per layer
    mlp_units: int = 400  # proprio encoder/decoder and heads
    mlp_layers: int = 4  # reward / continue / actor / critic hidden layers
    min_std: float = 0.1  # latent std floor
    kl_scale: float = 30.0  # KL loss weight
    kl_balance: float = 0.8  # weight of the prior-training term (KL with the posterior stopped)
    free_nats: float = 0.0  # KL below this many nats is not penalized
    reward_scale: float = 10.0  # reward loss weight
    continue_scale: float = 1.0  # continue (episode not over) loss weight
    use_continue: bool = True  # discount imagined returns by the continue head (the original had pcont off)
    model_lr: float = 1e-4  # world-model Adam learning rate
    # -- actor-critic in imagination ----------------------------------------------------------------------------------
    horizon: int = 15  # imagination steps per actor-critic update
    gamma: float = 0.99  # discount
    lambda_: float = 0.95  # lambda of the lambda-returns (flag --lambda)
    actor_lr: float = 1e-5  # actor Adam learning rate
    critic_lr: float = 1e-4  # critic Adam learning rate
    actor_grad: str = "reinforce"  # "reinforce" (the original's) or "dynamics" (backprop through the world model)
    entropy_scale: float = 2e-3  # actor entropy bonus weight
    return_norm: bool = True  # DreamerV3: divide advantages by max(1, EMA of the 5-95 % return range)
    target_every: int = 100  # gradient steps between hard copies of the critic into the target critic
    freeze_actor_steps: int = 500  # gradient steps before the actor starts learning (the world model warms up)
    adam_eps: float = 1e-5  # Adam epsilon (all optimizers)
    weight_decay: float = 1e-6  # AdamW weight decay (all optimizers)
    grad_clip: float = 100.0  # gradient norm clip (all optimizers)
    # -- run --------------------------------------------------------------------------------------------------------
    seed: int = 0  # seeds the worlds, the networks and the sampling
    device: str = "auto"  # "auto" (CUDA when present), "cpu", "cuda" or "cuda:N"
    threads: int = 0  # torch CPU threads (0: torch's default)
    log_every: int = 1_000  # env steps between TensorBoard / metrics.jsonl writes of the training losses
    checkpoint_every: int = 500_000  # env steps between checkpoints
    eval_episodes: int = 51  # the original tested 51 episodes per task; 0 skips the final evaluation
    eval_difficulty: float = 0.5  # the original's built-in test worlds went up to difficulty 0.5
    eval_time_limit: str = "evaluation"  # time limit of the final evaluation episodes
    eval_envs: int = 4  # environments of the final evaluation
    eval_sample: bool = True  # the original evaluated Dreamer with sampled ("explore") actions
    eval_random: bool = True  # also run the random policy on the same worlds, for comparison
    out: str = "out/dreamer"  # output folder: checkpoints, TensorBoard logs, metrics, final evaluation


PRESETS: dict[str, dict[str, object]] = {
    "original": {},
    # Seconds, not hours: a few hundred real env steps and a handful of real gradient steps on tiny networks.
    # EAT training episodes at difficulty 0 last 260 steps, so each of the 2 envs finishes one (and autoresets).
    "debug": {
        "resolution": 32,
        "num_envs": 2,
        "num_processes": 1,
        "total_steps": 600,
        "replay_capacity": 2_000,
        "prefill": 200,
        "batch_size": 4,
        "batch_length": 8,
        "env_steps_per_update": 40,
        "deter": 32,
        "stoch": 8,
        "hidden": 32,
        "cnn_depth": 4,
        "mlp_units": 32,
        "mlp_layers": 1,
        "kl_scale": 1.0,
        "horizon": 5,
        "target_every": 2,
        "freeze_actor_steps": 0,
        "threads": 1,
        "log_every": 100,
        "checkpoint_every": 300,
        "eval_episodes": 2,
        "eval_difficulty": 0.0,
        "eval_time_limit": "training",
        "eval_envs": 2,
        "eval_random": False,
        "out": "out/dreamer_debug",
    },
    # The CPU evidence run of docs/baselines.md: EAT at difficulty 0, 48 px, a small model (2.1 M world-model
    # parameters), one torch thread; ~1 s per gradient step on the shared 2-core machine, ~25 minutes in all.
    "cpu": {
        "difficulty": "0",
        "resolution": 48,
        "num_envs": 8,
        "total_steps": 20_000,
        "replay_capacity": 100_000,
        "prefill": 2_000,
        "batch_size": 16,
        "batch_length": 32,
        "env_steps_per_update": 16,
        "deter": 256,
        "stoch": 32,
        "hidden": 256,
        "cnn_depth": 16,
        "mlp_units": 256,
        "mlp_layers": 2,
        "kl_scale": 1.0,
        "free_nats": 1.0,
        "reward_scale": 1.0,
        "model_lr": 3e-4,
        "actor_lr": 8e-5,
        "critic_lr": 8e-5,
        "entropy_scale": 3e-4,
        "target_every": 50,
        "freeze_actor_steps": 100,
        "threads": 1,
        "log_every": 1_000,
        "checkpoint_every": 5_000,
        "eval_episodes": 20,
        "eval_difficulty": 0.0,
        "eval_time_limit": "training",
        "eval_envs": 4,
        "out": "out/dreamer_cpu",
    },
}


def parse_config(argv: list[str] | None = None) -> tuple[DreamerConfig, str | None, dict[str, object]]:
    """`--preset NAME` then any field as `--field value`; returns (config, resume checkpoint or None, the fields
    given explicitly: on resume they override the checkpoint's own config)."""
    return parse_preset_config(
        DreamerConfig,
        PRESETS,
        argv,
        "Train Dreamer (PyTorch) on an Avalon task. docs/baselines.md has the presets' runs and results.",
        "a checkpoint (.pt) of this run to continue from",
        CHOICES,
        check_config,
        prog="python -m baselines.dreamer.train",
    )


def config_from_dict(values: dict[str, object]) -> DreamerConfig:
    """A saved config (e.g. a checkpoint's): unknown keys are dropped, missing ones take the defaults."""
    known = {f.name for f in fields(DreamerConfig)}
    return DreamerConfig(**{k: v for k, v in values.items() if k in known})  # type: ignore[arg-type]


CHOICES: dict[str, tuple[str, ...]] = {
    "task": tuple(task.name.lower() for task in implemented_tasks()),
    "replay_storage": ("memory", "disk"),
    "actor_grad": ("reinforce", "dynamics"),
}


def check_config(config: DreamerConfig) -> DreamerConfig:
    """Every value a run needs, checked before anything starts (UserError / ValueError name the flag)."""
    from avalon.env import check_options, check_time_limit

    for name, allowed in CHOICES.items():
        check_choice(name, getattr(config, name), allowed)
    check_training_difficulty(config.difficulty)
    check_options("vr", config.time_limit, config.resolution)
    check_time_limit(config.eval_time_limit)
    positive = (
        "num_envs total_steps replay_capacity batch_size batch_length env_steps_per_update deter stoch hidden cnn_depth"
        " mlp_units mlp_layers horizon target_every log_every checkpoint_every eval_envs"
    )
    for name in positive.split():
        check_range(name, getattr(config, name), 1)
    for name in ("prefill", "freeze_actor_steps", "threads", "eval_episodes", "free_nats", "entropy_scale"):
        check_range(name, getattr(config, name), 0)
    for name in ("kl_scale", "reward_scale", "continue_scale", "adam_eps", "weight_decay"):
        check_range(name, getattr(config, name), 0)
    for name in ("model_lr", "actor_lr", "critic_lr", "grad_clip", "min_std"):
        check_range(name, getattr(config, name), 1e-12)
    check_range("num_processes", config.num_processes, 0, config.num_envs)
    for name in ("gamma", "lambda_", "kl_balance", "eval_difficulty"):
        check_range(name, getattr(config, name), 0, 1)
    if config.replay_capacity // config.num_envs < config.batch_length:
        raise UserError("--replay-capacity / --num-envs must hold at least one --batch-length sequence")
    device(config.device)
    return config
