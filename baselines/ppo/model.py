"""The original PPO network (reference 15): the trunk, an IMPALA CNN (16/32/32 channels, two residual blocks each,
fc -> 256) on RGB-D plus a bias-free, zero-initialised Linear(51 -> 256) on the proprio vector, summed; and the action
head, a Gaussian for the real values with a two-way categorical per button."""

from __future__ import annotations

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
        code = self.image_fc(self.cnn(image))
        return torch.relu(code + self.proprio_fc(observations["proprio"]))


class GaussianButtonsDistribution(DiagGaussianDistribution):
    """The original's PPO action head (reference 15): a diagonal Gaussian (state-independent std) for the real
    values and, for the buttons, one two-way categorical each (a Bernoulli on a logit). Button actions come out as
    +1 (pressed) or -1, which the env's squash keeps on the right side of 0."""

    def __init__(self, num_reals: int, num_buttons: int) -> None:
        super().__init__(num_reals)
        self.num_reals = num_reals
        self.num_buttons = num_buttons
        self.buttons: torch.distributions.Bernoulli | None = None

    def proba_distribution_net(self, latent_dim: int, log_std_init: float = 0.0) -> tuple[nn.Module, nn.Parameter]:
        action_net = nn.Linear(latent_dim, self.num_reals + self.num_buttons)
        return action_net, nn.Parameter(torch.ones(self.num_reals) * log_std_init, requires_grad=True)

    def proba_distribution(self, mean_actions: torch.Tensor, log_std: torch.Tensor) -> GaussianButtonsDistribution:
        super().proba_distribution(mean_actions[:, : self.num_reals], log_std)
        logits = mean_actions[:, self.num_reals :].clamp(-20.0, 20.0)
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
