"""`python -m baselines.dreamer.imagine CHECKPOINT --out out/dreamer_imagination.png`: real vs imagined frames.

Plays one real episode with the checkpoint's policy, feeds the world model the first `--context` observations
(posterior states: reconstructions), then imagines the next `--horizon` steps open loop from the actions that were
actually taken (prior states, latent means; no observation). The strip's rows: real RGB, model RGB, real depth,
model depth (near = bright); a red bar over the model rows marks where imagination starts.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from avalon.constants import ACTION_SIZE
from avalon.demo import depth_to_image
from baselines.common import preprocess_proprio, preprocess_rgbd
from baselines.dreamer.agent import Dreamer, Policy, load_checkpoint
from baselines.dreamer.networks import RSSM


def rollout(
    dreamer: Dreamer, seed: int, difficulty: float, steps: int, random: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A real episode's first `steps` observations (stops early at its end): rgbd (T, 4, R, R) uint8, proprio (T, 51)
    preprocessed, actions (T, 21), action t being the one that led to observation t (zeros for t = 0)."""
    from baselines.dreamer.train import make_env
    from scoring.agents import RandomAgent

    config = dreamer.config
    env = make_env(config, 1, difficulty=difficulty, time_limit="evaluation")
    policy, agent = Policy(dreamer, 1), RandomAgent(seed)
    torch.manual_seed(seed)
    frames, proprios, actions = [], [], [np.zeros(ACTION_SIZE, np.float32)]
    try:
        obs, _ = env.reset(seed=[seed])
        for t in range(steps):
            rgbd, proprio = preprocess_rgbd(obs["rgbd"]), preprocess_proprio(obs["proprio"])
            frames.append(rgbd[0])
            proprios.append(proprio[0])
            if t == steps - 1:
                break
            action = policy.act(rgbd, proprio, np.array([t == 0]))
            if random:
                action = np.clip(agent.act({k: v[0] for k, v in obs.items()}), -1, 1)[None]
                policy.prev_action = torch.as_tensor(action, device=dreamer.device)
            actions.append(action[0])
            obs, _, terminated, truncated, _ = env.step(action)
            if terminated[0] or truncated[0]:
                break
    finally:
        env.close()
    return np.stack(frames), np.stack(proprios), np.stack(actions[: len(frames)])


@torch.no_grad()
def open_loop(dreamer: Dreamer, rgbd: np.ndarray, proprio: np.ndarray, actions: np.ndarray, context: int) -> np.ndarray:
    """Model frames (T, 4, R, R) uint8: reconstructions of the first `context` steps, then open-loop imagination."""
    wm, device = dreamer.wm, dreamer.device
    data = [torch.as_tensor(x[None], device=device) for x in (rgbd[:context], proprio[:context], actions)]
    embed = wm.embed(data[0], data[1])
    is_first = torch.zeros(1, context, dtype=torch.bool, device=device)
    is_first[:, 0] = True
    post, _ = wm.rssm.observe(embed, data[2][:, :context], is_first)
    feats = [RSSM.feat(post)[0]]
    state = {key: value[:, -1] for key, value in post.items()}
    for t in range(context, len(actions)):
        state = wm.rssm.img_step(state, data[2][:, t], sample=False)
        feats.append(RSSM.feat(state))
    images = wm.image_decoder(torch.cat(feats, 0))
    return ((images + 0.5).clamp(0, 1) * 255).round().to(torch.uint8).cpu().numpy()


def strip(real: np.ndarray, model: np.ndarray, context: int, scale: int = 2) -> np.ndarray:
    """(T, 4, R, R) real and model frames -> an RGB picture: rows real RGB, model RGB, real depth, model depth."""
    r = real.shape[-1]
    gap = np.full((r, 2, 3), 255, np.uint8)

    def row(frames: np.ndarray, depth: bool) -> np.ndarray:
        hwc = np.moveaxis(frames, 1, -1)
        tiles = [depth_to_image(f[..., 3]) if depth else f[..., :3] for f in hwc]
        return np.concatenate([x for tile in tiles for x in (tile, gap)][:-1], axis=1)

    rows = [row(real, False), row(model, False), row(real, True), row(model, True)]
    width = rows[0].shape[1]
    marker = np.full((3, width, 3), 255, np.uint8)
    marker[:, context * (r + 2) :] = (220, 30, 30)  # red over the imagined columns
    blank = np.full((3, width, 3), 255, np.uint8)
    picture = np.concatenate([blank, rows[0], marker, rows[1], blank, rows[2], marker, rows[3]], axis=0)
    return np.repeat(np.repeat(picture, scale, 0), scale, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--out", type=Path, default=Path("out/dreamer_imagination.png"))
    parser.add_argument("--seed", type=int, default=10**9)
    parser.add_argument("--difficulty", type=float, default=None, help="default: the config's eval difficulty")
    parser.add_argument("--context", type=int, default=5)
    parser.add_argument("--horizon", type=int, default=15)
    parser.add_argument("--every", type=int, default=1, help="show every k-th frame")
    parser.add_argument("--random", action="store_true", help="act randomly instead of with the policy")
    parser.add_argument("--scale", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    dreamer, _ = load_checkpoint(args.checkpoint)
    difficulty = dreamer.config.eval_difficulty if args.difficulty is None else args.difficulty
    rgbd, proprio, actions = rollout(dreamer, args.seed, difficulty, args.context + args.horizon, args.random)
    model = open_loop(dreamer, rgbd, proprio, actions, min(args.context, len(rgbd)))
    keep = np.arange(0, len(rgbd), args.every)
    picture = strip(rgbd[keep], model[keep], int(np.sum(keep < args.context)), args.scale)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(picture).save(args.out)
    error = np.abs(rgbd.astype(np.float32) - model.astype(np.float32)).mean((1, 2, 3))
    print(f"wrote {args.out}: {len(rgbd)} frames, mean abs pixel error (0-255) per frame {np.round(error, 1).tolist()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
