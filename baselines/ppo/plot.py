"""`python -m baselines.ppo.plot RUN [RUN ...] --labels A B --out curve.png [--random 0.48 [0.93 ...]]`

Learning curves of several PPO runs in one figure (the training episodes' success rate, a moving mean over each
run's `episodes.csv`), with the random policy's rate (one for all runs, or one per run, in the run's colour) as a
dashed line: the README's picture.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np


def read_curve(run: Path, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(env steps, success rate over the last `window` episodes) of a run's training episodes."""
    path = run / "episodes.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{run}: no episodes.csv (is it a PPO run folder?)")
    rows = list(csv.DictReader(path.open()))
    if not rows:
        raise ValueError(f"{path}: no finished episodes")
    steps = np.array([int(r["env_steps"]) for r in rows])
    success = np.array([float(r["success"]) for r in rows])
    k = max(1, min(window, len(rows)))
    return steps[k - 1 :], np.convolve(success, np.ones(k) / k, mode="valid")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baselines.ppo.plot", description=__doc__)
    parser.add_argument("runs", nargs="+", type=Path, help="PPO run folders (each with episodes.csv)")
    parser.add_argument("--labels", nargs="+", help="one per run (default: the folder names)")
    parser.add_argument(
        "--random", type=float, nargs="+", default=[], help="the random policy's success rate: one, or one per run"
    )
    parser.add_argument("--window", type=int, default=50, help="episodes in the moving mean (default 50)")
    parser.add_argument("--title", default="PPO on EAT, difficulty 0, CPU")
    parser.add_argument("--out", type=Path, required=True, help="the PNG to write")
    args = parser.parse_args(argv)
    labels = args.labels or [run.name for run in args.runs]
    if len(labels) != len(args.runs):
        parser.error(f"{len(args.runs)} runs but {len(labels)} labels")
    if len(args.random) not in (0, 1, len(args.runs)):
        parser.error(f"--random takes one rate or one per run ({len(args.runs)}), got {len(args.random)}")
    try:
        curves = [read_curve(run, args.window) for run in args.runs]
    except (OSError, ValueError) as error:
        parser.error(str(error))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 3.5))
    for (steps, rate), label in zip(curves, labels, strict=True):
        axes.plot(steps, rate, label=label)
    if len(args.random) == 1:
        axes.axhline(args.random[0], color="grey", linestyle="--", label=f"random policy ({args.random[0]:.0%})")
    elif args.random:
        for line, label, value in zip(axes.get_lines(), labels, args.random, strict=True):
            axes.axhline(value, color=line.get_color(), linestyle="--", label=f"random policy, {label} ({value:.0%})")
    axes.set_ylim(-0.02, 1.02)
    axes.set_xlabel("env steps")
    axes.set_ylabel(f"training success (last {args.window} episodes)")
    axes.set_title(args.title)
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.out, dpi=100, metadata={"Software": None})
    plt.close(figure)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
