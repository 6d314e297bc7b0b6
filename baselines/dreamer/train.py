"""`python -m baselines.dreamer.train --task eat [--preset debug|cpu|original] [--field value ...] [--resume CKPT]`

Collects real env steps with the current policy (random actions until `prefill` steps are stored), and every
`env_steps_per_update` env steps takes one gradient step on a replay batch: world model, then critic and actor in
imagination. Writes under `--out`: `config.json`, TensorBoard logs (`tb/`), `metrics.jsonl` (averaged training
losses every `log_every` env steps), `episodes.csv` (every finished training episode), `checkpoints/dreamer_<steps>.pt`
(model, optimizers, config, counters, curriculum; the last three kept), `replay/` (with `--replay-storage disk`) and
`summary.json`, with the evaluation of the final policy (and of the random policy on the same worlds).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

from avalon.constants import ACTION_SIZE
from baselines.common import device as pick_device
from baselines.common import preprocess_proprio, preprocess_rgbd, run_training, squash_action
from baselines.dreamer.agent import Dreamer, Policy, load_checkpoint
from baselines.dreamer.config import DreamerConfig, config_from_dict, parse_config
from baselines.dreamer.replay import Replay

EVAL_SEED = 10**9  # evaluation worlds use seeds from here on; training worlds draw theirs at random below 2**31 - 1
KEEP_CHECKPOINTS = 3


def make_env(
    config: DreamerConfig,
    num_envs: int | None = None,
    difficulty: float | None = None,
    time_limit: str | None = None,
    curriculum: Any = None,
) -> Any:
    """The training vector env (or, with `difficulty`, a fixed-difficulty one, e.g. for evaluation)."""
    import avalon

    n = num_envs or config.num_envs
    kwargs: dict[str, Any] = {
        "resolution": config.resolution,
        "time_limit": time_limit or config.time_limit,
        "num_processes": min(n, config.num_processes or os.cpu_count() or 1),
    }
    if difficulty is not None:
        kwargs["difficulty"] = difficulty
    elif config.difficulty == "curriculum":
        kwargs["curriculum"] = curriculum
    else:
        kwargs["difficulty"] = float(config.difficulty)
    return avalon.make_vec(config.task, num_envs=n, **kwargs)


def random_actions(rng: np.random.Generator, n: int) -> np.ndarray:
    """Prefill actions: squashed standard normals (the policy's own action distribution at initialisation)."""
    return squash_action(rng.normal(0.0, 1.0, (n, ACTION_SIZE)))


def use_device(name: str) -> str:
    """`baselines.common.device`, and on CUDA TF32 matmuls and cuDNN autotuning (the conv shapes never change)."""
    device = pick_device(name)
    if device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    return device


# -- checkpoints -------------------------------------------------------------------------------------------------


def save_checkpoint(
    out: Path, dreamer: Dreamer, counters: dict[str, Any], curriculum: Any, replay: Replay | None = None
) -> Path:
    folder = out / "checkpoints"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"dreamer_{counters['env_steps']}.pt"
    tmp = folder / f".{path.name}.tmp"
    checkpoint = {
        "config": dataclasses.asdict(dreamer.config),
        "dreamer": dreamer.state_dict(),
        "counters": dict(counters),
        "curriculum": curriculum.state_dict() if curriculum is not None else None,
        "torch_rng": torch.get_rng_state(),
    }
    torch.save(checkpoint, tmp)
    os.replace(tmp, path)  # never a half-written checkpoint under the real name
    if replay is not None:
        replay.save()
    old = sorted(folder.glob("dreamer_*.pt"), key=lambda p: int(p.stem.split("_")[1]))
    for stale in old[:-KEEP_CHECKPOINTS]:
        stale.unlink()
    return path


def latest_checkpoint(out: str | Path) -> Path | None:
    found = sorted(Path(out, "checkpoints").glob("dreamer_*.pt"), key=lambda p: int(p.stem.split("_")[1]))
    return found[-1] if found else None


# -- evaluation --------------------------------------------------------------------------------------------------


def evaluate(dreamer: Dreamer | None, config: DreamerConfig, episodes: int | None = None) -> dict[str, Any]:
    """Success rate and mean score over `episodes` worlds (seeds EVAL_SEED + k, difficulty `eval_difficulty`), of
    the Dreamer policy, or with `dreamer=None` of the reference random policy (scoring.agents.RandomAgent)."""
    from scoring.agents import RandomAgent

    episodes = config.eval_episodes if episodes is None else episodes
    n = max(1, min(config.eval_envs, episodes))
    env = make_env(config, n, difficulty=config.eval_difficulty, time_limit=config.eval_time_limit)
    successes: list[float] = []
    scores: list[float] = []
    steps = 0
    try:
        for first in range(0, episodes, n):
            seeds = [EVAL_SEED + first + i for i in range(n)]  # past `episodes`: run but not counted
            obs, _ = env.reset(seed=seeds)
            policy = Policy(dreamer, n) if dreamer is not None else None
            randoms = [RandomAgent(seed) for seed in seeds]
            done = np.zeros(n, dtype=bool)
            is_first = np.ones(n, dtype=bool)
            while not done.all():
                if policy is not None:
                    rgbd, proprio = preprocess_rgbd(obs["rgbd"]), preprocess_proprio(obs["proprio"])
                    action = policy.act(rgbd, proprio, is_first, sample=config.eval_sample)
                else:
                    action = np.stack([agent.act({k: v[i] for k, v in obs.items()}) for i, agent in enumerate(randoms)])
                obs, _, terminated, truncated, infos = env.step(action)
                steps += int((~done).sum())
                is_first[:] = False
                for i in np.flatnonzero((terminated | truncated) & ~done):
                    done[i] = True
                    if first + i < episodes:
                        successes.append(float(infos["success"][i]))
                        scores.append(float(infos["score"][i]))
    finally:
        env.close()
    return {
        "policy": "dreamer" if dreamer is not None else "random",
        "episodes": len(scores),
        "success_rate": float(np.mean(successes)),
        "mean_score": float(np.mean(scores)),
        "scores": [round(s, 4) for s in scores],
        "env_steps": steps,
        "difficulty": config.eval_difficulty,
        "time_limit": config.eval_time_limit,
    }


# -- training ----------------------------------------------------------------------------------------------------


class Log:
    """Running means between writes to TensorBoard, metrics.jsonl and the progress bar."""

    def __init__(self, out: Path) -> None:
        from torch.utils.tensorboard import SummaryWriter

        self.writer = SummaryWriter(str(out / "tb"))
        self.jsonl = (out / "metrics.jsonl").open("a")
        self.csv_file = (out / "episodes.csv").open("a", newline="")
        self.csv = csv.writer(self.csv_file)
        if self.csv_file.tell() == 0:
            self.csv.writerow(["env_steps", "wall_seconds", "success", "score", "return", "length", "difficulty"])
        self.sums: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.last: dict[str, float] = {}

    def add(self, metrics: dict[str, float]) -> None:
        for key, value in metrics.items():
            self.sums[key] += value
            self.counts[key] += 1

    def episode(self, env_steps: int, wall: float, row: dict[str, float]) -> None:
        self.csv.writerow([env_steps, round(wall, 1), *(round(row[k], 5) for k in row)])
        self.add({f"episode/{key}": value for key, value in row.items()})

    def write(self, env_steps: int, extra: dict[str, float]) -> dict[str, float]:
        means = {key: self.sums[key] / self.counts[key] for key in self.sums}
        means.update(extra)
        for key, value in means.items():
            self.writer.add_scalar(key, value, env_steps)
        self.jsonl.write(json.dumps({"env_steps": env_steps, **{k: round(v, 6) for k, v in means.items()}}) + "\n")
        self.jsonl.flush()
        self.csv_file.flush()
        self.writer.flush()
        self.sums.clear()
        self.counts.clear()
        self.last.update(means)
        return means

    def close(self) -> None:
        self.writer.close()
        self.jsonl.close()
        self.csv_file.close()


def train(config: DreamerConfig, resume: str | None = None, progress: bool = True) -> dict[str, Any]:
    from tqdm import tqdm

    from avalon.curriculum import Curriculum

    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(dataclasses.asdict(config), indent=1))
    if config.threads:
        torch.set_num_threads(config.threads)
    device = use_device(config.device)
    torch.manual_seed(config.seed)
    counters: dict[str, Any] = {"env_steps": 0, "episodes": 0, "update_credit": 0.0, "wall_seconds": 0.0}
    # One curriculum shared by all envs: the original's per-worker step divided by the number of envs, so it moves
    # as fast per env step (see baselines/ppo/train.py).
    shared_step = config.curriculum_step / config.num_envs
    curriculum = Curriculum(step=shared_step) if config.difficulty == "curriculum" else None
    if resume:
        dreamer, checkpoint = load_checkpoint(resume, device)
        dreamer.config = config  # run-level settings (total steps, logging, evaluation) from this invocation
        counters.update(checkpoint["counters"])
        if curriculum is not None and checkpoint["curriculum"] is not None:
            curriculum.load_state_dict(checkpoint["curriculum"])
        torch.set_rng_state(checkpoint["torch_rng"].cpu())  # map_location may have moved it to the GPU
    else:
        dreamer = Dreamer(config, device)
    # a resumed run draws fresh worlds and prefill noise: seeding by the step count keeps it reproducible
    rng = np.random.default_rng([config.seed, counters["env_steps"]])
    replay = Replay(
        config.replay_capacity,
        config.num_envs,
        config.resolution,
        out / "replay" if config.replay_storage == "disk" else None,
    )
    n = config.num_envs
    env = make_env(config, curriculum=curriculum)
    log = Log(out)
    bar = tqdm(
        total=config.total_steps, initial=counters["env_steps"], unit="step", desc=f"Dreamer {config.task}",
        disable=not progress, smoothing=0.05,
    )  # fmt: skip
    start = time.perf_counter()
    start_steps, start_updates = counters["env_steps"], dreamer.updates
    wall_before = float(counters["wall_seconds"])
    first_losses: dict[str, float] = {}
    next_log = (counters["env_steps"] // config.log_every + 1) * config.log_every
    next_checkpoint = (counters["env_steps"] // config.checkpoint_every + 1) * config.checkpoint_every
    checkpoint_path: Path | None = None
    try:
        obs, _ = env.reset(seed=int(rng.integers(0, 2**31 - n)))
        policy = Policy(dreamer, n)
        is_first = np.ones(n, dtype=bool)
        prev_action = np.zeros((n, ACTION_SIZE), np.float32)
        reward = np.zeros(n, np.float32)
        is_terminal = np.zeros(n, dtype=bool)
        ended_last = np.zeros(n, dtype=bool)
        episode_return, episode_length = np.zeros(n), np.zeros(n, dtype=int)
        while counters["env_steps"] < config.total_steps:
            rgbd, proprio = preprocess_rgbd(obs["rgbd"]), preprocess_proprio(obs["proprio"])
            replay.add(
                {
                    "rgbd": rgbd, "proprio": proprio, "action": prev_action, "reward": reward,
                    "is_first": is_first, "is_terminal": is_terminal,
                }
            )  # fmt: skip
            prefilling = dreamer.updates == 0 and len(replay) < config.prefill
            # the policy keeps its recurrent state even while prefilling, so it is in step when it takes over
            action = policy.act(rgbd, proprio, is_first)
            if prefilling:
                action = random_actions(rng, n)
                policy.prev_action = torch.as_tensor(action, device=dreamer.device)
            obs, env_reward, terminated, truncated, infos = env.step(action)
            counters["env_steps"] += n
            bar.update(n)
            # NEXT_STEP autoreset: an env that ended last step ignored its action and now returns a reset observation
            is_first = ended_last
            reward = np.where(is_first, 0.0, env_reward).astype(np.float32)
            prev_action = np.where(is_first[:, None], 0.0, action).astype(np.float32)
            is_terminal = terminated & ~is_first
            episode_return += reward
            episode_length += ~is_first
            ended_last = terminated | truncated
            wall = wall_before + time.perf_counter() - start
            for i in np.flatnonzero(ended_last):
                counters["episodes"] += 1
                row = {
                    "success": float(infos["success"][i]),
                    "score": float(infos["score"][i]),
                    "return": float(episode_return[i]),
                    "length": float(episode_length[i]),
                    "difficulty": float(infos["difficulty"][i]),
                }
                log.episode(counters["env_steps"], wall, row)
                episode_return[i], episode_length[i] = 0.0, 0
            # (after a resume with an in-memory replay, the policy refills `prefill` steps before learning again)
            if not prefilling and len(replay) >= config.prefill and replay.can_sample(config.batch_length):
                counters["update_credit"] += n / config.env_steps_per_update
                while counters["update_credit"] >= 1.0:
                    metrics = dreamer.update(replay.sample(config.batch_size, config.batch_length, rng))
                    counters["update_credit"] -= 1.0
                    log.add(metrics)
                    if not first_losses:
                        first_losses = {k: v for k, v in metrics.items() if k.startswith("wm/")}
            if counters["env_steps"] >= next_log:
                next_log += config.log_every
                elapsed = max(time.perf_counter() - start, 1e-9)
                extra = {
                    "speed/env_steps_per_second": (counters["env_steps"] - start_steps) / elapsed,
                    "speed/updates_per_second": (dreamer.updates - start_updates) / elapsed,
                    "speed/updates": float(dreamer.updates),
                    "replay/steps": float(len(replay)),
                }
                if curriculum is not None:
                    extra["curriculum/difficulty"] = curriculum.difficulty(config.task)
                means = log.write(counters["env_steps"], extra)
                bar.set_postfix(
                    {k.split("/")[-1]: f"{means[k]:.3g}" for k in ("wm/loss", "episode/success") if k in means}
                )
            if counters["env_steps"] >= next_checkpoint:
                next_checkpoint += config.checkpoint_every
                counters["wall_seconds"] = wall_before + time.perf_counter() - start
                checkpoint_path = save_checkpoint(out, dreamer, counters, curriculum, replay)
        counters["wall_seconds"] = wall_before + time.perf_counter() - start
        checkpoint_path = save_checkpoint(out, dreamer, counters, curriculum, replay)
    except KeyboardInterrupt:
        counters["wall_seconds"] = wall_before + time.perf_counter() - start
        print(f"\ninterrupted: saved {save_checkpoint(out, dreamer, counters, curriculum, replay)}")
        raise
    finally:
        bar.close()
        env.close()
        log.close()
    elapsed = max(time.perf_counter() - start, 1e-9)
    summary: dict[str, Any] = {
        "env_steps": counters["env_steps"],
        "gradient_steps": dreamer.updates,
        "episodes": counters["episodes"],
        "wall_seconds": round(counters["wall_seconds"], 1),
        "env_steps_per_second": round((counters["env_steps"] - start_steps) / elapsed, 1),
        "gradient_steps_per_second": round((dreamer.updates - start_updates) / elapsed, 3),
        "device": str(dreamer.device),
        "checkpoint": str(checkpoint_path),
        "first_world_model_losses": first_losses,
        "last_world_model_losses": {k: v for k, v in log.last.items() if k.startswith("wm/")},
    }
    if curriculum is not None:
        summary["curriculum_difficulty"] = curriculum.difficulty(config.task)
    if config.eval_episodes > 0:
        summary["evaluation"] = evaluate(dreamer, config)
        if config.eval_random:
            summary["evaluation_random"] = evaluate(None, config)
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


# -- benchmark ---------------------------------------------------------------------------------------------------


def benchmark(seconds: float = 60.0, device: str = "auto", batch_size: int | None = None) -> dict[str, Any]:
    """Training throughput of the default-size (original) model at 96 px, for `make bench`. Half the time each:
    collection (the default 16 envs stepped by the policy, inference included) and gradient steps on synthetic
    batches of the default shape (116 x 30 unless `batch_size` is given; speed does not depend on the pixel values).
    `env_steps_per_second` combines the two at the configured ratio, as training runs them. At least one gradient
    step is timed (after an untimed warm-up step on CUDA), so on a CPU the call takes longer than `seconds`: one
    default step took ~3 minutes and 12 GB of memory on the 2-core test machine."""
    config = DreamerConfig(difficulty="0.5", time_limit="evaluation", resolution=96)
    if batch_size is not None:
        config = dataclasses.replace(config, batch_size=batch_size)
    dreamer = Dreamer(config, use_device(device))
    n = config.num_envs
    env = make_env(config)
    try:
        obs, _ = env.reset(seed=0)
        policy = Policy(dreamer, n)
        is_first, ended = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
        steps, begin = 0, time.perf_counter()
        while time.perf_counter() - begin < seconds / 2:
            action = policy.act(preprocess_rgbd(obs["rgbd"]), preprocess_proprio(obs["proprio"]), is_first)
            obs, _, terminated, truncated, _ = env.step(action)
            is_first, ended = ended, terminated | truncated  # NEXT_STEP autoreset, as in `train`
            steps += n
        env_rate = steps / (time.perf_counter() - begin)
    finally:
        env.close()
    rng = np.random.default_rng(0)
    b, t, r = config.batch_size, config.batch_length, config.resolution
    batch: dict[str, np.ndarray] = {
        "rgbd": rng.integers(0, 256, (b, t, 4, r, r), dtype=np.uint8),
        "proprio": rng.uniform(-1, 1, (b, t, 51)).astype(np.float32),
        "action": rng.uniform(-1, 1, (b, t, ACTION_SIZE)).astype(np.float32),
        "reward": rng.normal(0, 0.1, (b, t)).astype(np.float32),
        "is_first": rng.uniform(size=(b, t)) < 0.01,
        "is_terminal": rng.uniform(size=(b, t)) < 0.01,
    }
    if dreamer.device.type == "cuda":
        dreamer.update(batch)  # warm-up: CUDA context, cuDNN autotuning
    updates, begin = 0, time.perf_counter()
    while updates == 0 or time.perf_counter() - begin < seconds / 2:
        dreamer.update(batch)
        updates += 1
    if dreamer.device.type == "cuda":
        torch.cuda.synchronize()
    grad_rate = updates / (time.perf_counter() - begin)
    # collection and learning alternate (one gradient step per env_steps_per_update env steps): their times add up
    seconds_per_env_step = 1 / env_rate + 1 / (grad_rate * config.env_steps_per_update)
    return {
        "env_steps_per_second": round(1 / seconds_per_env_step, 2),
        "collection_env_steps_per_second": round(env_rate, 1),
        "gradient_steps_per_second": round(grad_rate, 4),
        "replayed_steps_per_second": round(grad_rate * b * t, 1),
        "device": str(dreamer.device),
        "config": f"original ({n} envs, {r}x{r}, batch {b}x{t}, 1 gradient step per {config.env_steps_per_update} "
        "env steps)",
    }


def main(argv: list[str] | None = None) -> int:
    config, resume, overrides = parse_config(argv)
    if resume:
        saved = torch.load(resume, map_location="cpu", weights_only=False)["config"]
        config = dataclasses.replace(config_from_dict(saved), **overrides)  # type: ignore[arg-type]
    return run_training(train, config, resume)


if __name__ == "__main__":
    raise SystemExit(main())
