"""`make demo`: the oracle plays EAT and MOVE worlds at difficulties 0, 0.5 and 1.

Writes, under `out/`, an RGB GIF and a depth GIF of each episode and a top-down PNG of each world, then prints a
table (task, difficulty, seed, success, score, steps, steps/s).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from avalon.env import AvalonEnv
from avalon.oracle import Oracle
from avalon.tasks import generate_world, implemented_tasks, resolve_task
from avalon.world.topdown import render_topdown


@dataclass
class EpisodeResult:
    task: str
    difficulty: float
    seed: int
    success: bool
    score: float
    steps: int
    steps_per_second: float


def depth_to_image(alpha: np.ndarray) -> np.ndarray:
    """Depth channel -> a grey picture, near = bright: the inverted channel itself (its square-root encoding already
    spends most of its levels on the first metres; the sky and anything beyond 64 m are black)."""
    shade = 255 - alpha.astype(np.uint8)
    return np.repeat(shade[..., None], 3, axis=2)


def save_gif(frames: list[np.ndarray], path: Path, scale: int = 2) -> None:
    size = (frames[0].shape[1] * scale, frames[0].shape[0] * scale)
    images = [Image.fromarray(f).resize(size, Image.Resampling.NEAREST) for f in frames]
    images[0].save(path, save_all=True, append_images=images[1:], duration=100, loop=0, optimize=False)


def run_episode(
    env: AvalonEnv, task: str, difficulty: float, seed: int, max_steps: int | None, out: Path | None
) -> EpisodeResult:
    oracle = Oracle()
    observation, info = env.reset(seed=seed, options={"task": task, "difficulty": difficulty})
    rgb, depth = [observation["rgbd"][..., :3]], [depth_to_image(observation["rgbd"][..., 3])]
    steps, start = 0, time.perf_counter()
    limit = max_steps if max_steps is not None else info["frames_remaining"]
    while steps < limit:
        observation, _, terminated, truncated, info = env.step(oracle.act(info))
        steps += 1
        if out is not None:
            rgb.append(observation["rgbd"][..., :3])
            depth.append(depth_to_image(observation["rgbd"][..., 3]))
        if terminated or truncated:
            break
    elapsed = time.perf_counter() - start
    if out is not None:
        name = f"{task}_d{difficulty:g}_seed{seed}"
        save_gif(rgb, out / f"{name}_rgb.gif")
        save_gif(depth, out / f"{name}_depth.gif")
        render_topdown(generate_world(resolve_task(task), seed, difficulty), out / f"{name}_topdown.png")
    return EpisodeResult(task, difficulty, seed, bool(info["success"]), float(info["score"]), steps, steps / elapsed)


def print_table(results: list[EpisodeResult]) -> None:
    header = f"{'task':<9} {'difficulty':>10} {'seed':>5} {'success':>8} {'score':>7} {'steps':>6} {'steps/s':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.task:<9} {r.difficulty:>10.1f} {r.seed:>5} {str(r.success):>8} {r.score:>7.3f} {r.steps:>6} "
            f"{r.steps_per_second:>8.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resolution", type=int, default=96)
    parser.add_argument("--max-steps", type=int, default=600, help="cap per episode, so the demo stays short")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    runs = [(task.name.lower(), d) for task in implemented_tasks() for d in (0.0, 0.5, 1.0)]
    results = []
    with AvalonEnv("eat", resolution=args.resolution, debug=True) as env:
        for task, difficulty in tqdm(runs, desc="demo episodes", unit="episode"):
            results.append(run_episode(env, task, difficulty, args.seed, args.max_steps, args.out))
    print_table(results)
    print(f"\nGIFs and top-down maps written to {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
