"""Draw the README's strip: RGB (top row) and depth (bottom row) every few steps of the oracle eating at EAT d=0."""

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
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--every", type=int, default=4)
    parser.add_argument("--resolution", type=int, default=96)
    args = parser.parse_args(argv)
    oracle = Oracle()
    rgb, depth = [], []
    with AvalonEnv(args.task, resolution=args.resolution, debug=True) as env:
        observation, info = env.reset(seed=args.seed)
        for step in range(args.frames * args.every):
            if step % args.every == 0:
                rgb.append(observation["rgbd"][..., :3])
                depth.append(depth_to_image(observation["rgbd"][..., 3]))
            observation, _, terminated, truncated, info = env.step(oracle.act(info))
            if terminated or truncated:
                break
    gap = np.full((args.resolution, 2, 3), 255, np.uint8)
    rows = [np.concatenate([x for f in frames for x in (f, gap)][:-1], axis=1) for frames in (rgb, depth)]
    strip = np.concatenate([rows[0], np.full((2, rows[0].shape[1], 3), 255, np.uint8), rows[1]], axis=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(strip).resize((strip.shape[1] * 2, strip.shape[0] * 2), Image.Resampling.NEAREST).save(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
