"""The learner (world model + actor-critic trained in imagination), the acting policy with its recurrent state, and a
trained policy behind the scoring agent interface (`reset(seed)`, `act(observation)`).

For `avalon-score evaluate --agent baselines.dreamer.agent:from_env`, set AVALON_DREAMER_CHECKPOINT to a .pt file.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from avalon.constants import ACTION_SIZE, PROPRIO_SIZE
from baselines.common import preprocess_proprio, preprocess_rgbd, squash_action
from baselines.dreamer.config import DreamerConfig, config_from_dict
from baselines.dreamer.networks import RSSM, Actor, State, WorldModel, gaussian_kl, mlp, squash


def lambda_returns(
    rewards: torch.Tensor, values: torch.Tensor, discounts: torch.Tensor, lambda_: float
) -> torch.Tensor:
    """TD(lambda) returns of an imagined trajectory. rewards, discounts: (H, N) for arriving at states 1..H; values:
    (H + 1, N) for states 0..H. R_H = v_H, R_t = r_{t+1} + d_{t+1} ((1 - lambda) v_{t+1} + lambda R_{t+1}); returns
    R_0..R_{H-1}, (H, N)."""
    returns = []
    last = values[-1]
    for t in reversed(range(rewards.shape[0])):
        last = rewards[t] + discounts[t] * ((1 - lambda_) * values[t + 1] + lambda_ * last)
        returns.append(last)
    return torch.stack(returns[::-1])


@contextmanager
def frozen(module: nn.Module) -> Iterator[None]:
    """Gradients flow through `module` but do not accumulate in its parameters."""
    flags = [p.requires_grad for p in module.parameters()]
    module.requires_grad_(False)
    try:
        yield
    finally:
        for p, flag in zip(module.parameters(), flags, strict=True):
            p.requires_grad_(flag)


class Dreamer:
    """World model, actor, critic (+ target critic), their optimizers, and one gradient step on a replay batch."""

    def __init__(self, config: DreamerConfig, device: str = "cpu") -> None:
        self.config = config
        self.device = torch.device(device)
        c = config
        self.wm = WorldModel(
            c.resolution, PROPRIO_SIZE, ACTION_SIZE, c.deter, c.stoch, c.hidden, c.cnn_depth, c.mlp_units,
            c.mlp_layers, c.min_std,
        ).to(self.device)  # fmt: skip
        feat = self.wm.rssm.feat_size
        self.actor = Actor(feat, ACTION_SIZE, c.mlp_units, c.mlp_layers).to(self.device)
        self.critic = mlp(feat, 1, c.mlp_units, c.mlp_layers).to(self.device)
        self.target_critic = copy.deepcopy(self.critic).requires_grad_(False)

        def adam(module: nn.Module, lr: float) -> torch.optim.Optimizer:
            return torch.optim.AdamW(module.parameters(), lr=lr, eps=c.adam_eps, weight_decay=c.weight_decay)

        self.model_opt = adam(self.wm, c.model_lr)
        self.actor_opt = adam(self.actor, c.actor_lr)
        self.critic_opt = adam(self.critic, c.critic_lr)
        self.updates = 0
        # DreamerV3 return normalisation: EMAs of the 5th and 95th return percentiles
        self.return_range = torch.zeros(2, device=self.device)

    # -- learning ------------------------------------------------------------------------------------------------

    def to_torch(self, batch: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
        return {key: torch.as_tensor(value, device=self.device) for key, value in batch.items()}

    def world_model_loss(self, data: dict[str, torch.Tensor]) -> tuple[torch.Tensor, State, dict[str, float]]:
        """data: rgbd (B, T, 4, R, R) uint8, proprio (B, T, 51), action (B, T, 21) (the action that led to each
        observation), reward, is_first, is_terminal (B, T). Returns the loss, the posterior states and metrics."""
        c = self.config
        is_first = data["is_first"].clone()
        is_first[:, 0] = True  # a sequence may start mid-episode: the RSSM starts it from its initial state
        embed = self.wm.embed(data["rgbd"], data["proprio"])
        post, prior = self.wm.rssm.observe(embed, data["action"], is_first)
        feat = RSSM.feat(post)
        image = data["rgbd"].float() / 255.0 - 0.5
        image_sq = (self.wm.image_decoder(feat) - image) ** 2
        image_loss = image_sq.sum((-3, -2, -1)).mean()  # unit-variance Gaussian log-likelihood, up to constants
        proprio_loss = ((self.wm.proprio_decoder(feat) - data["proprio"]) ** 2).sum(-1).mean()
        reward_loss = ((self.wm.reward_head(feat).squeeze(-1) - data["reward"]) ** 2).mean()
        cont_target = 1.0 - data["is_terminal"].float()
        cont_loss = F.binary_cross_entropy_with_logits(self.wm.continue_head(feat).squeeze(-1), cont_target)
        # KL balancing (DreamerV2): train the prior towards the posterior faster than the reverse
        sg = {key: value.detach() for key, value in post.items()}
        sg_prior = {key: value.detach() for key, value in prior.items()}
        kl_prior = gaussian_kl(sg["mean"], sg["std"], prior["mean"], prior["std"]).mean()
        kl_post = gaussian_kl(post["mean"], post["std"], sg_prior["mean"], sg_prior["std"]).mean()
        kl_loss = c.kl_balance * kl_prior.clamp(min=c.free_nats) + (1 - c.kl_balance) * kl_post.clamp(min=c.free_nats)
        loss = (
            image_loss
            + proprio_loss
            + c.reward_scale * reward_loss
            + c.continue_scale * cont_loss
            + c.kl_scale * kl_loss
        )
        metrics = {
            "wm/loss": loss.item(),
            "wm/image": image_loss.item(),
            "wm/image_mse": image_sq.mean().item(),
            "wm/proprio": proprio_loss.item(),
            "wm/reward": reward_loss.item(),
            "wm/continue": cont_loss.item(),
            "wm/kl": kl_prior.item(),
            "wm/prior_std": prior["std"].mean().item(),
            "wm/post_std": post["std"].mean().item(),
        }
        return loss, post, metrics

    def imagine(self, start: State, horizon: int, with_grad: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """Roll the actor out in the world model from `start` (N states): features (H + 1, N, F) of states 0..H and
        raw actions (H, N, 21) taken in states 0..H-1."""
        state = start
        feats, actions = [RSSM.feat(state)], []
        for _ in range(horizon):
            dist = self.actor(feats[-1].detach())  # the actor's own input is never a path for gradients
            raw = dist.rsample() if with_grad else dist.sample()
            state = self.wm.rssm.img_step(state, squash(raw))
            feats.append(RSSM.feat(state))
            actions.append(raw)
        return torch.stack(feats), torch.stack(actions)

    def actor_critic_loss(
        self, post: State, is_terminal: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, dict[str, float]]:
        c = self.config
        start = {key: value.detach().reshape(-1, value.shape[-1]) for key, value in post.items()}
        dynamics = c.actor_grad == "dynamics"
        with frozen(self.wm), torch.set_grad_enabled(dynamics):
            feats, raw = self.imagine(start, c.horizon, with_grad=dynamics)
            rewards = self.wm.reward_head(feats[1:]).squeeze(-1)
            if c.use_continue:
                cont = torch.sigmoid(self.wm.continue_head(feats[1:]).squeeze(-1))
            else:
                cont = torch.ones_like(rewards)
            target_values = self.target_critic(feats).squeeze(-1)
            returns = lambda_returns(rewards, target_values, c.gamma * cont, c.lambda_)
        with torch.no_grad():
            # state t is only reached if the episode continued through states 1..t (and the start was not terminal)
            alive = torch.cat([(1.0 - is_terminal.float().reshape(1, -1)), cont[:-1]], 0)
            weights = torch.cumprod(alive, 0)
            if c.return_norm:
                quantiles = torch.quantile(returns.detach().flatten(), torch.tensor([0.05, 0.95], device=self.device))
                rate = 0.01 if self.updates > 0 else 1.0
                self.return_range.lerp_(quantiles, rate)
            scale = max(1.0, float(self.return_range[1] - self.return_range[0])) if c.return_norm else 1.0
        dist = self.actor(feats[:-1].detach())
        entropy = dist.entropy().sum(-1)
        if dynamics:
            objective = returns / scale
        else:
            advantage = (returns - target_values[:-1]).detach() / scale
            objective = dist.log_prob(raw.detach()).sum(-1) * advantage
        actor_loss = -(weights * (objective + c.entropy_scale * entropy)).mean()
        values = self.critic(feats[:-1].detach()).squeeze(-1)
        critic_loss = (weights * 0.5 * (values - returns.detach()) ** 2).mean()
        metrics = {
            "actor/loss": actor_loss.item(),
            "actor/entropy": entropy.mean().item(),
            "actor/std": dist.stddev.mean().item(),
            "critic/loss": critic_loss.item(),
            "imagine/reward": rewards.mean().item(),
            "imagine/return": returns.mean().item(),
            "imagine/value": values.mean().item(),
            "imagine/return_scale": scale,
        }
        return actor_loss, critic_loss, metrics

    def update(self, batch: dict[str, np.ndarray]) -> dict[str, float]:
        """One gradient step of the world model, then of the critic and (after the warm-up) the actor."""
        c = self.config
        data = self.to_torch(batch)
        model_loss, post, metrics = self.world_model_loss(data)
        self._step(self.model_opt, self.wm, model_loss)
        actor_loss, critic_loss, ac_metrics = self.actor_critic_loss(post, data["is_terminal"])
        if self.updates >= c.freeze_actor_steps:
            self._step(self.actor_opt, self.actor, actor_loss)
        self._step(self.critic_opt, self.critic, critic_loss)
        self.updates += 1
        if self.updates % c.target_every == 0:
            self.target_critic.load_state_dict(self.critic.state_dict())
        return {**metrics, **ac_metrics}

    def _step(self, optimizer: torch.optim.Optimizer, module: nn.Module, loss: torch.Tensor) -> None:
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(module.parameters(), self.config.grad_clip)
        optimizer.step()

    # -- persistence ---------------------------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        return {
            "wm": self.wm.state_dict(),
            "actor": self.actor.state_dict(),
            "critic": self.critic.state_dict(),
            "target_critic": self.target_critic.state_dict(),
            "model_opt": self.model_opt.state_dict(),
            "actor_opt": self.actor_opt.state_dict(),
            "critic_opt": self.critic_opt.state_dict(),
            "updates": self.updates,
            "return_range": self.return_range.cpu(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for name in ("wm", "actor", "critic", "target_critic", "model_opt", "actor_opt", "critic_opt"):
            getattr(self, name).load_state_dict(state[name])
        self.updates = int(state["updates"])
        self.return_range = state["return_range"].to(self.device)


def load_checkpoint(path: str | Path, device: str = "cpu") -> tuple[Dreamer, dict[str, Any]]:
    """A checkpoint written by `baselines.dreamer.train` -> (Dreamer with its weights and optimizers, the raw
    checkpoint dict: config, counters, curriculum state)."""
    checkpoint = torch.load(path, map_location=device, weights_only=False)
    config = config_from_dict(checkpoint["config"])
    dreamer = Dreamer(config, device)
    dreamer.load_state_dict(checkpoint["dreamer"])
    return dreamer, checkpoint


class Policy:
    """Acts in `num_envs` environments at once, carrying each one's RSSM state and previous action."""

    def __init__(self, dreamer: Dreamer, num_envs: int) -> None:
        self.dreamer = dreamer
        self.state = dreamer.wm.rssm.initial(num_envs, dreamer.device)
        self.prev_action = torch.zeros(num_envs, ACTION_SIZE, device=dreamer.device)

    @torch.no_grad()
    def act(self, rgbd: np.ndarray, proprio: np.ndarray, is_first: np.ndarray, sample: bool = True) -> np.ndarray:
        """Preprocessed observations (N, 4, R, R) uint8 and (N, 51), and which envs just (re)started -> env actions
        (N, 21) in [-1, 1]. `is_first` resets those envs' state before the observation is taken in."""
        d = self.dreamer
        embed = d.wm.embed(torch.as_tensor(rgbd, device=d.device), torch.as_tensor(proprio, device=d.device))
        first = torch.as_tensor(is_first, device=d.device)
        self.state, _ = d.wm.rssm.obs_step(self.state, self.prev_action, embed, first)
        dist = d.actor(RSSM.feat(self.state))
        raw = dist.sample() if sample else dist.mean
        action = squash_action(raw.cpu().numpy())
        self.prev_action = torch.as_tensor(action, device=d.device)
        return action


class DreamerAgent:
    """A trained Dreamer policy for the scoring runner: one episode at a time."""

    name = "dreamer"
    privileged = False

    def __init__(self, checkpoint: str | Path, sample: bool = True, device: str = "cpu") -> None:
        self.checkpoint = str(checkpoint)  # the scoring runner records its hash in run.json
        self.dreamer, _ = load_checkpoint(checkpoint, device)
        self.sample = sample  # the original evaluated Dreamer with sampled ("explore") actions
        self.policy = Policy(self.dreamer, 1)
        self.first = True

    def reset(self, seed: int) -> None:
        torch.manual_seed(seed)
        self.first = True

    def act(self, observation: dict[str, np.ndarray]) -> np.ndarray:
        rgbd = preprocess_rgbd(observation["rgbd"])[None]
        proprio = preprocess_proprio(observation["proprio"])[None]
        action = self.policy.act(rgbd, proprio, np.array([self.first]), self.sample)
        self.first = False
        return action[0]


def from_env(seed: int) -> DreamerAgent:
    checkpoint = os.environ.get("AVALON_DREAMER_CHECKPOINT")
    if not checkpoint:
        raise ValueError("set AVALON_DREAMER_CHECKPOINT to a Dreamer checkpoint (.pt)")
    return DreamerAgent(checkpoint)
