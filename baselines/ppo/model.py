"""The original PPO network's trunk (reference 15): an IMPALA CNN (16/32/32 channels, two residual blocks each,
fc -> 256) on RGB-D, plus a bias-free, zero-initialised Linear(51 -> 256) on the proprio vector, summed."""

from __future__ import annotations

import torch
from gymnasium import spaces
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
