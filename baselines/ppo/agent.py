"""A trained PPO policy behind the scoring agent interface (`reset(seed)`, `act(observation)`), and a held-out check.

For `avalon-score evaluate --agent baselines.ppo.agent:from_env`, set AVALON_PPO_CHECKPOINT to the model's .zip.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from baselines.common import preprocess_proprio, preprocess_rgbd, squash_action


class PPOAgent:
    name = "ppo"
    privileged = False

    def __init__(self, checkpoint: str, deterministic: bool = True, device: str = "cpu") -> None:
        from stable_baselines3 import PPO

        self.model = PPO.load(checkpoint, device=device)
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


def held_out(agent: Any, task: str, difficulty: float, seeds: range, resolution: int) -> dict[str, float]:
    """Success rate and mean score of `agent` on worlds of seeds it never trained on (the training env draws its
    world seeds below 2**31 - 1 at random; pass seeds from a separate range such as 10**9 + k)."""
    from avalon.env import AvalonEnv

    successes, scores = [], []
    with AvalonEnv(task, difficulty=difficulty, resolution=resolution, time_limit="training") as env:
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
