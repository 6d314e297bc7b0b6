"""`python -m avalon.rates`: success rates of the oracle or the reference random policy per task and difficulty.

Plays worlds of seeds 0..N-1 for each (task, difficulty) in one headless simulator (no pictures: neither agent looks
at them) and prints a table; `--json` also writes every episode. The random policy acts through the agent's action
(`--action-mode vr`, the default, or `keyboard_mouse`) and is seeded with the world seed, so a run is reproducible.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from avalon.oracle import Oracle
from avalon.random_policy import ACTION_MODES, RandomAgent

AGENTS = ("oracle", "random")


def play_episode(
    env: Any, act: Callable[[Any, dict[str, Any]], np.ndarray], task: str, difficulty: float, seed: int
) -> dict[str, Any]:
    """One episode on the world of (task, seed, difficulty), `act(observation, info)` choosing each action."""
    observation, info = env.reset(seed=seed, options={"task": task, "difficulty": difficulty})
    steps = 0
    while True:
        observation, _, terminated, truncated, info = env.step(act(observation, info))
        steps += 1
        if terminated or truncated:
            break
    return {
        "task": task,
        "difficulty": difficulty,
        "seed": seed,
        "success": bool(info["success"]),
        "score": float(info["score"]),
        "steps": steps,
    }


def oracle_episode(env: Any, task: str, difficulty: float, seed: int) -> dict[str, Any]:
    """One episode of a fresh oracle; `env` must have been made with debug=True."""
    oracle = Oracle()
    return play_episode(env, lambda _, info: oracle.act(info), task, difficulty, seed)


def random_episode(env: Any, agent: RandomAgent, task: str, difficulty: float, seed: int) -> dict[str, Any]:
    """One episode of the random policy, seeded with the world seed."""
    agent.reset(seed)
    return play_episode(env, lambda observation, _: agent.act(observation), task, difficulty, seed)


def summarize(results: list[dict[str, Any]], tasks: list[str], difficulties: list[float], verbose: bool) -> str:
    lines = [f"{'task':<8} {'difficulty':>10} {'success':>11} {'rate':>6} {'mean steps':>11}  failed seeds"]
    for task in tasks:
        for difficulty in difficulties:
            group = [r for r in results if r["task"] == task and r["difficulty"] == difficulty]
            if not group:
                continue
            wins = sum(r["success"] for r in group)
            failed = [r["seed"] for r in group if not r["success"]]
            shown = " ".join(map(str, failed)) if verbose else f"{len(failed)}"
            steps = np.mean([r["steps"] for r in group])
            rate = 100.0 * wins / len(group)
            lines.append(
                f"{task:<8} {difficulty:>10.2f} {wins:>5}/{len(group):<5} {rate:>5.0f}% {steps:>11.0f}  {shown}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from tqdm import tqdm

    from avalon.env import AvalonEnv
    from avalon.tasks import implemented_tasks

    parser = argparse.ArgumentParser(prog="python -m avalon.rates", description=__doc__)
    parser.add_argument("--agent", choices=AGENTS, default="oracle", help="default: %(default)s")
    default_tasks = [t.name.lower() for t in implemented_tasks()]
    parser.add_argument("--tasks", nargs="+", default=default_tasks, help="default: every implemented task")
    parser.add_argument("--difficulties", nargs="+", type=float, default=[0.0, 0.5, 1.0], help="default: 0 0.5 1")
    parser.add_argument("--seeds", type=int, default=40, help="worlds per (task, difficulty): seeds 0..N-1")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds start here (default 0)")
    parser.add_argument(
        "--time-limit",
        default="evaluation",
        help="evaluation (default), training (the original's shorter difficulty-scaled limit) or a number of frames",
    )
    parser.add_argument("--action-mode", choices=ACTION_MODES, default="vr", help="random policy only")
    parser.add_argument("--json", type=Path, help="write every episode's result to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failed seeds")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    for difficulty in args.difficulties:
        if not 0.0 <= difficulty <= 1.0:
            parser.error(f"difficulties must be in [0, 1], got {difficulty}")
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    runs = [(t, d, s) for t in args.tasks for d in args.difficulties for s in seeds]
    results: list[dict[str, Any]] = []
    oracle = args.agent == "oracle"
    action_mode = "vr" if oracle else args.action_mode
    env = AvalonEnv(args.tasks[0], headless=True, debug=oracle, time_limit=args.time_limit, action_mode=action_mode)
    agent = RandomAgent(action_mode=action_mode)
    with env:
        for task, difficulty, seed in tqdm(runs, desc=f"{args.agent} episodes", unit="episode"):
            if oracle:
                results.append(oracle_episode(env, task, difficulty, seed))
            else:
                results.append(random_episode(env, agent, task, difficulty, seed))
    print(f"{args.agent} policy, time limit {args.time_limit}, seeds {seeds.start}..{seeds.stop - 1}")
    print(summarize(results, args.tasks, args.difficulties, args.verbose))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"agent": args.agent, "time_limit": args.time_limit, "episodes": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
