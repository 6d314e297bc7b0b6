"""A trained PPO policy behind the scoring agent interface (`reset(seed)`, `act(observation)`), and a held-out check.

For `avalon-score evaluate --agent baselines.ppo.agent:from_env`, set AVALON_PPO_CHECKPOINT to the model's .zip.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from avalon.human.controls import KM_ACTION_SIZE
from baselines.common import preprocess_proprio, preprocess_rgbd, squash_action


class PPOAgent:
    name = "ppo"
    privileged = False

    def __init__(self, checkpoint: str, deterministic: bool = True, device: str = "cpu") -> None:
        from stable_baselines3 import PPO

        self.checkpoint = checkpoint  # the scoring runner records its hash in run.json
        self.model = PPO.load(checkpoint, device=device)
        # the scoring runner builds its env with this mode; a policy trained with action_mode="keyboard_mouse" acts
        # through the human client's 11-value action
        self.action_mode = "keyboard_mouse" if self.model.action_space.shape == (KM_ACTION_SIZE,) else "vr"
        self.deterministic = deterministic  # the original evaluated PPO with the mode of its action distribution

    def reset(self, seed: int) -> None:
        self.model.set_random_seed(seed)

    def act(self, observation: dict[str, np.ndarray]) -> np.ndarray:
        obs = {"rgbd": preprocess_rgbd(observation["rgbd"]), "proprio": preprocess_proprio(observation["proprio"])}
        raw, _ = self.model.predict(obs, deterministic=self.deterministic)
        return squash_action(np.asarray(raw))


def from_env(seed: int) -> PPOAgent:
    checkpoint = os.environ.get("AVALON_PPO_CHECKPOINT")
    if not checkpoint:
        raise ValueError("set AVALON_PPO_CHECKPOINT to a PPO checkpoint (.zip)")
    return PPOAgent(checkpoint)


def held_out(
    agent: Any,
    task: str,
    difficulty: float,
    seeds: range,
    resolution: int,
    time_limit: str | int = "training",
    action_mode: str = "vr",
) -> dict[str, float]:
    """Success rate and mean score of `agent` on worlds of seeds it never trained on (the training env draws its
    world seeds below 2**31 - 1 at random; pass seeds from a separate range such as 10**9 + k)."""
    from avalon.env import AvalonEnv

    successes, scores = [], []
    env = AvalonEnv(task, difficulty=difficulty, resolution=resolution, time_limit=time_limit, action_mode=action_mode)
    with env:
        for seed in seeds:
            agent.reset(seed)
            observation, info = env.reset(seed=seed)
            while True:
                observation, _, terminated, truncated, info = env.step(agent.act(observation))
                if terminated or truncated:
                    break
            successes.append(float(info["success"]))
            scores.append(float(info["score"]))
    return {"success_rate": float(np.mean(successes)), "mean_score": float(np.mean(scores)), "episodes": len(scores)}


def main(argv: list[str] | None = None) -> int:
    """`python -m baselines.ppo.agent CHECKPOINT`: the trained policy vs the random policy on held-out worlds."""
    import argparse
    import json

    from scoring.agents import RandomAgent

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("checkpoint")
    parser.add_argument("--task", default="eat")
    parser.add_argument("--difficulty", type=float, default=0.0)
    parser.add_argument("--episodes", type=int, default=50)
    parser.add_argument("--no-random", action="store_true", help="skip the random policy's run")
    parser.add_argument("--resolution", type=int, default=48)
    parser.add_argument("--first-seed", type=int, default=10**9, help="held-out world seeds start here")
    parser.add_argument("--time-limit", default="training", help="evaluation, training or a number of frames")
    parser.add_argument("--stochastic", action="store_true", help="sample actions instead of the distribution's mode")
    args = parser.parse_args(argv)
    seeds = range(args.first_seed, args.first_seed + args.episodes)
    agent = PPOAgent(args.checkpoint, deterministic=not args.stochastic)
    action_mode = agent.action_mode
    where = (args.task, args.difficulty, seeds, args.resolution, args.time_limit, action_mode)
    results = {
        "ppo": held_out(agent, *where),
        "ppo_actions": "sampled" if args.stochastic else "mode of the distribution",
        "action_mode": action_mode,
        "random": None if args.no_random else held_out(RandomAgent(action_mode=action_mode), *where),
        "task": args.task,
        "difficulty": args.difficulty,
        "seeds": f"{seeds.start}..{seeds.stop - 1}",
        "time_limit": args.time_limit,
    }
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
