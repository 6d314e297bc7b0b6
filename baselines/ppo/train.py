"""`python -m baselines.ppo.train --task eat [--preset debug|cpu|original] [--field value ...] [--resume CKPT]`

SB3 PPO with the original's network (IMPALA CNN on RGB-D + proprio branch, two 256-unit heads) and hyperparameters,
on batched Godot processes. `--task` is one task or a multi-task protocol (`multi_task_easy`; the original's default,
`multi_task_basic`, is the default here too once all its 16 tasks exist): every new world then draws its task, and
one curriculum shared by all envs keeps a difficulty per task. Writes under `--out`: TensorBoard logs (`tb/`: success,
score and curriculum difficulty over all tasks and per task), checkpoints (`checkpoints/`, with the curriculum state),
`episodes.csv` (every finished training episode, with its task), `learning_curve.png`, `final.zip`, `summary.json`
(with each task's episodes and successes in this run), and, when `--eval-split` is set, an evaluation run of the
final policy through the scoring module (`eval/`).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from baselines.common import device as pick_device
from baselines.common import run_training
from baselines.ppo.config import PPOConfig, parse_config


def make_env(config: PPOConfig) -> Any:
    from avalon.curriculum import Curriculum
    from baselines.ppo.vecenv import AvalonSB3VecEnv

    kwargs: dict[str, Any] = {
        "resolution": config.resolution,
        "time_limit": config.time_limit,
        "action_mode": config.action_mode,
        "num_processes": config.num_processes or min(config.num_envs, os.cpu_count() or 1),
    }
    if config.difficulty == "curriculum":
        # The original kept one curriculum per worker, each moving by the step at its own episodes' ends; ours is
        # shared by all envs, so the step is divided by their number to move as fast per env step.
        kwargs["curriculum"] = Curriculum(step=config.curriculum_step / config.num_envs)
    else:
        kwargs["difficulty"] = float(config.difficulty)
    return AvalonSB3VecEnv(config.task, config.num_envs, **kwargs)


def build_model(config: PPOConfig, env: Any, out: Path) -> Any:
    import torch
    from stable_baselines3 import PPO

    from avalon.constants import ACTION_SIZE, NUM_REAL_ACTIONS
    from avalon.human.controls import KM_ACTION_SIZE, KM_NUM_REAL_ACTIONS
    from baselines.ppo.model import ButtonsPolicy, ImpalaProprioExtractor, ProprioZeroPolicy

    policy_kwargs: dict[str, Any] = {
        "features_extractor_class": ImpalaProprioExtractor,
        "features_extractor_kwargs": {"features_dim": config.features_dim},
        # one hidden ReLU layer of 256 per head, then the output layer (the original's "2-layer MLP" in its code)
        "net_arch": {"pi": [256], "vf": [256]},
        "activation_fn": torch.nn.ReLU,
        "normalize_images": False,
        "log_std_init": 0.0,
    }
    if config.buttons not in ("categorical", "gaussian"):
        raise ValueError(f"buttons must be 'categorical' or 'gaussian', got {config.buttons!r}")
    policy: Any = ProprioZeroPolicy
    if config.buttons == "categorical":
        policy = ButtonsPolicy
        keyboard_mouse = config.action_mode == "keyboard_mouse"
        size, reals = (KM_ACTION_SIZE, KM_NUM_REAL_ACTIONS) if keyboard_mouse else (ACTION_SIZE, NUM_REAL_ACTIONS)
        policy_kwargs["num_buttons"] = size - reals
    return PPO(
        policy,
        env,
        learning_rate=config.learning_rate,
        n_steps=config.n_steps,
        batch_size=config.batch_size,
        n_epochs=config.n_epochs,
        gamma=config.gamma,
        gae_lambda=config.gae_lambda,
        clip_range=config.clip_range,
        ent_coef=config.ent_coef,
        vf_coef=config.vf_coef,
        max_grad_norm=config.max_grad_norm,
        policy_kwargs=policy_kwargs,
        tensorboard_log=str(out / "tb"),
        device=pick_device(config.device),
        seed=config.seed,
        verbose=0,
    )


def make_callback(config: PPOConfig, out: Path, total: int, done: int) -> Any:
    from stable_baselines3.common.callbacks import BaseCallback
    from tqdm import tqdm

    from avalon.tasks.protocols import resolve_tasks

    class Progress(BaseCallback):
        """Progress bar, episode log (CSV + TensorBoard, over all tasks and per task), the curriculum's difficulty per
        task, and periodic checkpoints with the curriculum state. `task_counts` has each task's episodes and
        successes in this run."""

        def _on_training_start(self) -> None:
            self.bar = tqdm(total=total, initial=done, unit="step", desc=f"PPO {config.task}", smoothing=0.05)
            self.csv_file = (out / "episodes.csv").open("a", newline="")
            self.csv = csv.writer(self.csv_file)
            if self.csv_file.tell() == 0:
                self.csv.writerow(["env_steps", "wall_seconds", "success", "score", "task"])
            self.start = time.perf_counter()
            self.next_checkpoint = (self.num_timesteps // config.checkpoint_every + 1) * config.checkpoint_every
            self.tasks = [task.name.lower() for task in resolve_tasks(config.task)]
            self.task_counts = {task: {"episodes": 0, "successes": 0} for task in self.tasks}

        def _on_step(self) -> bool:
            self.bar.update(self.training_env.num_envs)
            for info in self.locals["infos"]:
                if "episode_score" in info:
                    self._log_episode(info["episode_task"], bool(info["episode_success"]), info["episode_score"])
            curriculum = getattr(self.training_env, "curriculum", None)
            if curriculum is not None:
                values = [curriculum.difficulty(task) for task in self.tasks]
                self.logger.record("avalon/curriculum_difficulty", float(np.mean(values)))
                for task, value in zip(self.tasks, values, strict=True):
                    self.logger.record(f"avalon/{task}/curriculum_difficulty", value)
            if self.num_timesteps >= self.next_checkpoint:
                save_checkpoint(self.model, out, self.num_timesteps)
                self.next_checkpoint += config.checkpoint_every
            return True

        def _log_episode(self, task: str, success: bool, score: float) -> None:
            counts = self.task_counts[task]
            counts["episodes"] += 1
            counts["successes"] += int(success)
            for prefix in ("avalon", f"avalon/{task}"):
                self.logger.record_mean(f"{prefix}/success", float(success))
                self.logger.record_mean(f"{prefix}/score", score)
            self.logger.record(f"avalon/{task}/episodes", counts["episodes"])
            elapsed = round(time.perf_counter() - self.start, 1)
            self.csv.writerow([self.num_timesteps, elapsed, int(success), score, task])
            self.csv_file.flush()  # readable while training runs, and kept if it is killed

        def _on_training_end(self) -> None:
            self.bar.close()
            self.csv_file.close()

    return Progress()


def save_checkpoint(model: Any, out: Path, steps: int) -> Path:
    folder = out / "checkpoints"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ppo_{steps}.zip"
    tmp = folder / f".ppo_{steps}.tmp.zip"
    model.save(tmp)
    os.replace(tmp, path)  # never a half-written checkpoint under the real name
    curriculum = model.get_env().curriculum
    if curriculum is not None:
        curriculum.save(folder / f"ppo_{steps}.curriculum.json")
    return path


def plot_learning_curve(out: Path, window: int = 50) -> Path | None:
    rows = list(csv.DictReader((out / "episodes.csv").open()))
    if not rows:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = np.array([int(r["env_steps"]) for r in rows])
    success = np.array([float(r["success"]) for r in rows])
    score = np.array([float(r["score"]) for r in rows])
    k = max(1, min(window, len(rows)))
    kernel = np.ones(k) / k
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for ax, values, label in ((axes[0], success, "success rate"), (axes[1], score, "score")):
        ax.plot(steps[k - 1 :], np.convolve(values, kernel, mode="valid"))
        ax.set_xlabel("env steps")
        ax.set_ylabel(f"{label} (mean of last {k} episodes)")
        ax.grid(alpha=0.3)
    fig.suptitle("PPO training episodes")
    fig.tight_layout()
    path = out / "learning_curve.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def train(config: PPOConfig, resume: str | None = None) -> dict[str, Any]:
    from stable_baselines3 import PPO

    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(dataclasses.asdict(config), indent=1))
    env = make_env(config)
    try:
        if resume:
            model = PPO.load(resume, env=env, device=pick_device(config.device))
            state = Path(resume).with_suffix(".curriculum.json")
            if env.curriculum is not None and state.exists():
                from avalon.curriculum import Curriculum

                env.curriculum.load_state_dict(Curriculum.load(state).state_dict())
        else:
            model = build_model(config, env, out)
        done = int(model.num_timesteps)
        start = time.perf_counter()
        callback = make_callback(config, out, config.total_steps, done)
        model.learn(
            total_timesteps=max(0, config.total_steps - done),
            callback=callback,
            reset_num_timesteps=not resume,
            tb_log_name="ppo",
        )
        wall = time.perf_counter() - start
        final = out / "final.zip"
        model.save(final)
        save_checkpoint(model, out, int(model.num_timesteps))
    finally:
        env.close()
    summary: dict[str, Any] = {
        "env_steps": int(model.num_timesteps),
        "wall_seconds": round(wall, 1),
        "env_steps_per_second": round((model.num_timesteps - done) / max(wall, 1e-9), 1),
        "final": str(final),
        "learning_curve": str(plot_learning_curve(out)),
        "tasks": callback.task_counts,
    }
    if config.eval_split:
        from scoring.runner import RunConfig, evaluate

        os.environ["AVALON_PPO_CHECKPOINT"] = str(final.resolve())
        run = RunConfig("baselines.ppo.agent:from_env", config.eval_split, resolution=config.resolution)
        summary["evaluation"] = str(evaluate(run, out / "eval", workers=config.eval_workers))
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def benchmark(iterations: int = 2) -> dict[str, Any]:
    """Training throughput with the original configuration (16 envs, 96 px, 3200-step batches, 2 epochs): env steps
    per second over `iterations` rollout + update cycles, for `make bench`."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        config = dataclasses.replace(
            PPOConfig(), difficulty="0", eval_split="", out=folder, checkpoint_every=10**12, total_steps=0
        )
        config = dataclasses.replace(config, total_steps=iterations * config.n_steps * config.num_envs)
        summary = train(config)
    return {
        "env_steps_per_second": summary["env_steps_per_second"],
        "env_steps": summary["env_steps"],
        "config": "original (16 envs, 96x96, n_steps 200, 2 epochs)",
    }


def main(argv: list[str] | None = None) -> int:
    config, resume = parse_config(argv)
    return run_training(train, config, resume)


if __name__ == "__main__":
    raise SystemExit(main())
