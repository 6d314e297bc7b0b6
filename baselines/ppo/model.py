"""The original PPO network (as its code has it, docs/baselines.md): the trunk, an IMPALA CNN (16/32/32
channels, two residual blocks each, fc -> 256, ReLU) on RGB-D plus a bias-free, zero-initialised Linear(51 -> 256) on
the proprio vector, summed with no activation after the sum; one hidden ReLU layer of 256 in each head; and the action
head, a Gaussian with a state-dependent standard deviation (softplus, 1 at initialisation, at least 0.01) for the real
values with a two-way categorical per button."""

from __future__ import annotations

import math
from typing import Any

import torch
from gymnasium import spaces
from stable_baselines3.common.distributions import DiagGaussianDistribution
from stable_baselines3.common.policies import MultiInputActorCriticPolicy
from stable_baselines3.common.torch_layers import BaseFeaturesExtractor
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv0 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv1(torch.relu(self.conv0(torch.relu(x))))


class ImpalaStage(nn.Module):
    def __init__(self, in_channels: int, channels: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, channels, 3, padding=1)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.res0, self.res1 = ResidualBlock(channels), ResidualBlock(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.res1(self.res0(self.pool(self.conv(x))))


class ImpalaProprioExtractor(BaseFeaturesExtractor):
    def __init__(
        self, observation_space: spaces.Dict, features_dim: int = 256, channels: tuple[int, ...] = (16, 32, 32)
    ) -> None:
        super().__init__(observation_space, features_dim)
        rgbd = observation_space["rgbd"]
        proprio = observation_space["proprio"]
        assert rgbd.shape is not None and proprio.shape is not None
        stages, in_channels = [], rgbd.shape[0]
        for c in channels:
            stages.append(ImpalaStage(in_channels, c))
            in_channels = c
        self.cnn = nn.Sequential(*stages, nn.ReLU(), nn.Flatten())
        with torch.no_grad():
            flat = self.cnn(torch.zeros(1, *rgbd.shape)).shape[1]
        self.image_fc = nn.Linear(flat, features_dim)
        self.proprio_fc = nn.Linear(proprio.shape[0], features_dim, bias=False)
        nn.init.zeros_(self.proprio_fc.weight)

    def forward(self, observations: dict[str, torch.Tensor]) -> torch.Tensor:
        # The policy is built with normalize_images=False: the raw 0-255 values arrive here.
        image = observations["rgbd"].float() / 255.0 - 0.5
        code = torch.relu(self.image_fc(self.cnn(image)))
        return code + self.proprio_fc(observations["proprio"])  # no activation after the sum (as the original's code)


STD_INIT = 1.0  # the real actions' standard deviation at initialisation
STD_MIN = 0.01
STD_OFFSET = math.log(math.expm1(STD_INIT))  # softplus^-1(1): a zero raw output gives a standard deviation of 1


class GaussianButtonsDistribution(DiagGaussianDistribution):
    """The original's PPO action head (as its code has it): a diagonal Gaussian whose standard deviation the
    network outputs per state, softplus(raw + softplus^-1(1)) + 0.01, for the real values, and for the buttons one
    two-way categorical each (a Bernoulli on a logit). The action net's outputs are [means, raw stds, button logits].
    Button actions come out as +1 (pressed) or -1, which the env's squash keeps on the right side of 0."""

    def __init__(self, num_reals: int, num_buttons: int) -> None:
        super().__init__(num_reals)
        self.num_reals = num_reals
        self.num_buttons = num_buttons
        self.buttons: torch.distributions.Bernoulli | None = None

    def proba_distribution_net(self, latent_dim: int, log_std_init: float = 0.0) -> tuple[nn.Module, nn.Parameter]:
        action_net = nn.Linear(latent_dim, 2 * self.num_reals + self.num_buttons)
        # SB3 keeps a state-independent log std parameter for Gaussian heads; this head does not use it.
        return action_net, nn.Parameter(torch.zeros(self.num_reals), requires_grad=False)

    def proba_distribution(self, mean_actions: torch.Tensor, log_std: torch.Tensor) -> GaussianButtonsDistribution:
        n = self.num_reals
        mean, raw_std = mean_actions[:, :n], mean_actions[:, n : 2 * n]
        std = nn.functional.softplus(raw_std + STD_OFFSET) + STD_MIN
        self.distribution = torch.distributions.Normal(mean, std)
        logits = mean_actions[:, 2 * n :].clamp(-20.0, 20.0)
        self.buttons = torch.distributions.Bernoulli(logits=logits)
        return self

    def _pressed(self, actions: torch.Tensor) -> torch.Tensor:
        return (actions[:, self.num_reals :] > 0).float()

    def log_prob(self, actions: torch.Tensor) -> torch.Tensor:
        assert self.buttons is not None
        reals = super().log_prob(actions[:, : self.num_reals])
        return reals + self.buttons.log_prob(self._pressed(actions)).sum(dim=1)

    def entropy(self) -> torch.Tensor:
        assert self.buttons is not None
        return super().entropy() + self.buttons.entropy().sum(dim=1)

    def sample(self) -> torch.Tensor:
        assert self.buttons is not None
        return torch.cat([super().sample(), self.buttons.sample() * 2.0 - 1.0], dim=1)

    def mode(self) -> torch.Tensor:
        assert self.buttons is not None
        return torch.cat([super().mode(), (self.buttons.probs > 0.5).float() * 2.0 - 1.0], dim=1)


def zero_proprio_branch(policy: Any) -> None:
    """SB3's orthogonal initialisation overwrites every Linear of the feature extractors, the proprio branch's zero
    start included: zero it again (the original starts from the image alone)."""
    for extractor in (policy.features_extractor, getattr(policy, "pi_features_extractor", None),
                      getattr(policy, "vf_features_extractor", None)):  # fmt: skip
        if isinstance(extractor, ImpalaProprioExtractor):
            nn.init.zeros_(extractor.proprio_fc.weight)


class ButtonsPolicy(MultiInputActorCriticPolicy):
    """SB3's multi-input actor-critic with `GaussianButtonsDistribution` as its action head; `num_buttons` are the
    last action dimensions (3 for the VR action, 7 for the keyboard-and-mouse one)."""

    def __init__(self, *args: Any, num_buttons: int = 3, **kwargs: Any) -> None:
        self._num_buttons = num_buttons
        super().__init__(*args, **kwargs)

    def _build(self, lr_schedule: Any) -> None:
        shape = self.action_space.shape
        assert shape is not None and len(shape) == 1 and shape[0] > self._num_buttons
        self.action_dist = GaussianButtonsDistribution(shape[0] - self._num_buttons, self._num_buttons)
        super()._build(lr_schedule)
        zero_proprio_branch(self)


class ProprioZeroPolicy(MultiInputActorCriticPolicy):
    """SB3's multi-input actor-critic (a state-independent Gaussian over every action value, `--buttons gaussian`)
    with the proprio branch zero at the start, as `ButtonsPolicy`."""

    def _build(self, lr_schedule: Any) -> None:
        super()._build(lr_schedule)
        zero_proprio_branch(self)
