"""Draw the README's strip: RGB (top row) and depth (bottom row) at evenly spaced steps of one oracle episode
(by default EAT, difficulty 0.5, seed 5: walk to an apple on the ground, pick it up, eat it)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from avalon.demo import depth_to_image
from avalon.env import AvalonEnv
from avalon.oracle import Oracle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/images/strip.png"))
    parser.add_argument("--task", default="eat")
    parser.add_argument("--difficulty", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--frames", type=int, default=7)
    parser.add_argument("--resolution", type=int, default=96)
    args = parser.parse_args(argv)
    oracle = Oracle()
    frames = []
    with AvalonEnv(args.task, difficulty=args.difficulty, resolution=args.resolution, debug=True) as env:
        observation, info = env.reset(seed=args.seed)
        frames.append(observation["rgbd"])
        while not info["success"] and info["frames_remaining"] > 0:
            observation, _, terminated, truncated, info = env.step(oracle.act(info))
            frames.append(observation["rgbd"])
            if terminated or truncated:
                break
    # Most frames spread over the walk, the last three over the final steps: grab, bring to the mouth, eaten.
    n = len(frames)
    walk = np.linspace(0, max(0, n - 10), max(1, args.frames - 3))
    picked = [frames[round(k)] for k in [*walk, n - 7, n - 4, n - 1]]
    rgb = [f[..., :3] for f in picked]
    depth = [depth_to_image(f[..., 3]) for f in picked]
    gap = np.full((args.resolution, 2, 3), 255, np.uint8)
    rows = [np.concatenate([x for f in frames for x in (f, gap)][:-1], axis=1) for frames in (rgb, depth)]
    strip = np.concatenate([rows[0], np.full((2, rows[0].shape[1], 3), 255, np.uint8), rows[1]], axis=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(strip).resize((strip.shape[1] * 2, strip.shape[0] * 2), Image.Resampling.NEAREST).save(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
