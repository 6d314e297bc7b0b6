"""The networks: conv + MLP encoders, an RSSM with Gaussian latents, conv + MLP decoders, MLP heads.

DreamerV3-style building blocks (LayerNorm + SiLU everywhere, resets on `is_first` inside the RSSM) around the
original's layout (continuous latents, deter 800, hidden 600, stoch 32, conv depth 24, MLPs 400).
Heads are plain Gaussian / Bernoulli likelihoods (MSE / BCE), not DreamerV3's symlog two-hot: Avalon's rewards are
small (+1 per food, -1e-4 per step) and its inputs already scaled to [-0.5, 0.5] and [-1, 1].
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from baselines.common import SQUASH_LIMIT

State = dict[str, torch.Tensor]  # deter (B, D), stoch (B, S), mean (B, S), std (B, S)


def conv_sizes(resolution: int) -> list[int]:
    """Spatial sizes the conv stack passes through: halve (kernel 4, stride 2, padding 1) while the size is even and
    above 4. 96 -> 48, 24, 12, 6, 3 (five layers, as the original at 96 px); 64 -> 32, 16, 8, 4; 32 -> 16, 8, 4.
    The transposed-conv decoder walks the same sizes back, so it rebuilds exactly `resolution`."""
    sizes = [resolution]
    while sizes[-1] > 4 and sizes[-1] % 2 == 0:
        sizes.append(sizes[-1] // 2)
    if len(sizes) < 2:
        raise ValueError(f"resolution {resolution} is too small or odd for the conv encoder")
    return sizes


def mlp(inputs: int, outputs: int, units: int, layers: int) -> nn.Sequential:
    """`layers` hidden layers of Linear + LayerNorm + SiLU, then a linear output."""
    modules: list[nn.Module] = []
    size = inputs
    for _ in range(layers):
        modules += [nn.Linear(size, units, bias=False), nn.LayerNorm(units), nn.SiLU()]
        size = units
    modules.append(nn.Linear(size, outputs))
    return nn.Sequential(*modules)


class ConvEncoder(nn.Module):
    """(..., 4, R, R) uint8 RGB-D -> (..., embed) features."""

    def __init__(self, resolution: int, depth: int, channels: int = 4) -> None:
        super().__init__()
        sizes = conv_sizes(resolution)
        layers: list[nn.Module] = []
        c_in = channels
        for i in range(len(sizes) - 1):
            c_out = depth * 2**i
            # GroupNorm with one group = LayerNorm over (C, H, W) of each image
            layers += [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.GroupNorm(1, c_out), nn.SiLU()]
            c_in = c_out
        self.net = nn.Sequential(*layers)
        self.out_shape = (c_in, sizes[-1], sizes[-1])
        self.out_size = c_in * sizes[-1] ** 2

    def forward(self, rgbd: torch.Tensor) -> torch.Tensor:
        batch = rgbd.shape[:-3]
        x = rgbd.reshape(-1, *rgbd.shape[-3:]).float() / 255.0 - 0.5
        return self.net(x).reshape(*batch, self.out_size)


class ConvDecoder(nn.Module):
    """(..., feat) -> (..., 4, R, R) mean of the image in [-0.5, 0.5] units (the encoder's input scale)."""

    def __init__(self, feat: int, resolution: int, depth: int, channels: int = 4) -> None:
        super().__init__()
        sizes = conv_sizes(resolution)
        n = len(sizes) - 1
        self.in_shape = (depth * 2 ** (n - 1), sizes[-1], sizes[-1])
        self.linear = nn.Linear(feat, self.in_shape[0] * sizes[-1] ** 2)
        layers: list[nn.Module] = []
        for i in reversed(range(n)):
            c_in = depth * 2**i
            if i == 0:
                layers.append(nn.ConvTranspose2d(c_in, channels, 4, 2, 1))
            else:
                c_out = depth * 2 ** (i - 1)
                layers += [nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.GroupNorm(1, c_out), nn.SiLU()]
        self.net = nn.Sequential(*layers)
        self.out_shape = (channels, resolution, resolution)

    def forward(self, feat: torch.Tensor) -> torch.Tensor:
        batch = feat.shape[:-1]
        x = self.linear(feat.reshape(-1, feat.shape[-1])).reshape(-1, *self.in_shape)
        return self.net(x).reshape(*batch, *self.out_shape)


def gaussian_kl(mean1: torch.Tensor, std1: torch.Tensor, mean2: torch.Tensor, std2: torch.Tensor) -> torch.Tensor:
    """KL(N(mean1, std1) || N(mean2, std2)) summed over the last dimension."""
    var1, var2 = std1**2, std2**2
    kl = torch.log(std2 / std1) + (var1 + (mean1 - mean2) ** 2) / (2 * var2) - 0.5
    return kl.sum(-1)


class RSSM(nn.Module):
    """Recurrent state-space model: deterministic GRU state h and Gaussian latent z.
    prior:     h_t = GRU(h_{t-1}, [z_{t-1}, a_{t-1}]),  z_t ~ p(z | h_t)
    posterior: z_t ~ q(z | h_t, embed(o_t))
    On `is_first` the previous state and action are zeroed: sequences may cross episode boundaries."""

    def __init__(self, deter: int, stoch: int, hidden: int, action_size: int, embed: int, min_std: float) -> None:
        super().__init__()
        self.deter_size, self.stoch_size, self.min_std = deter, stoch, min_std
        self.img_in = nn.Sequential(nn.Linear(stoch + action_size, hidden, bias=False), nn.LayerNorm(hidden), nn.SiLU())
        self.gru = nn.GRUCell(hidden, deter)
        self.prior_net = mlp(deter, 2 * stoch, hidden, 1)
        self.post_net = mlp(deter + embed, 2 * stoch, hidden, 1)

    @property
    def feat_size(self) -> int:
        return self.deter_size + self.stoch_size

    def initial(self, batch: int, device: torch.device | str) -> State:
        zeros = torch.zeros(batch, self.stoch_size, device=device)
        return {
            "deter": torch.zeros(batch, self.deter_size, device=device),
            "stoch": zeros,
            "mean": zeros,
            "std": torch.ones_like(zeros),
        }

    @staticmethod
    def feat(state: State) -> torch.Tensor:
        return torch.cat([state["deter"], state["stoch"]], -1)

    def _latent(self, stats: torch.Tensor, deter: torch.Tensor, sample: bool = True) -> State:
        mean, raw_std = stats.chunk(2, -1)
        std = F.softplus(raw_std) + self.min_std
        stoch = mean + std * torch.randn_like(std) if sample else mean
        return {"deter": deter, "stoch": stoch, "mean": mean, "std": std}

    def img_step(self, state: State, action: torch.Tensor, sample: bool = True) -> State:
        x = self.img_in(torch.cat([state["stoch"], action], -1))
        deter = self.gru(x, state["deter"])
        return self._latent(self.prior_net(deter), deter, sample)

    def obs_step(
        self, state: State, action: torch.Tensor, embed: torch.Tensor, is_first: torch.Tensor
    ) -> tuple[State, State]:
        keep = (~is_first).float().unsqueeze(-1)
        state = {key: value * keep for key, value in state.items()}
        prior = self.img_step(state, action * keep)
        post = self._latent(self.post_net(torch.cat([prior["deter"], embed], -1)), prior["deter"])
        return post, prior

    def observe(
        self, embed: torch.Tensor, action: torch.Tensor, is_first: torch.Tensor, state: State | None = None
    ) -> tuple[State, State]:
        """(B, T, ...) inputs -> posterior and prior states stacked to (B, T, ...). `action[:, t]` is the action that
        led to observation t."""
        if state is None:
            state = self.initial(embed.shape[0], embed.device)
        posts, priors = [], []
        for t in range(embed.shape[1]):
            state, prior = self.obs_step(state, action[:, t], embed[:, t], is_first[:, t])
            posts.append(state)
            priors.append(prior)
        stack = lambda states: {k: torch.stack([s[k] for s in states], 1) for k in states[0]}  # noqa: E731
        return stack(posts), stack(priors)


class WorldModel(nn.Module):
    def __init__(
        self,
        resolution: int,
        proprio_size: int,
        action_size: int,
        deter: int,
        stoch: int,
        hidden: int,
        cnn_depth: int,
        mlp_units: int,
        mlp_layers: int,
        min_std: float,
    ) -> None:
        super().__init__()
        self.image_encoder = ConvEncoder(resolution, cnn_depth)
        self.proprio_encoder = mlp(proprio_size, mlp_units, mlp_units, 1)
        embed = self.image_encoder.out_size + mlp_units
        self.rssm = RSSM(deter, stoch, hidden, action_size, embed, min_std)
        feat = self.rssm.feat_size
        self.image_decoder = ConvDecoder(feat, resolution, cnn_depth)
        self.proprio_decoder = mlp(feat, proprio_size, mlp_units, 2)
        self.reward_head = mlp(feat, 1, mlp_units, mlp_layers)
        self.continue_head = mlp(feat, 1, mlp_units, mlp_layers)

    def embed(self, rgbd: torch.Tensor, proprio: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.image_encoder(rgbd), self.proprio_encoder(proprio)], -1)


class Actor(nn.Module):
    """feat -> Normal over the 21 raw (pre-squash) actions; the env gets tanh(clip(raw, -4, 4)) (`squash_action`).
    The std follows the original's 2 sigmoid(x / 2) + min_std (1.1 at init, at most 2.1); the mean is kept in
    [-4, 4] (4 tanh(x / 4)), the range the squash distinguishes."""

    def __init__(self, feat: int, action_size: int, units: int, layers: int, min_std: float = 0.1) -> None:
        super().__init__()
        self.net = mlp(feat, 2 * action_size, units, layers)
        self.min_std = min_std

    def forward(self, feat: torch.Tensor) -> torch.distributions.Normal:
        mean, raw_std = self.net(feat).chunk(2, -1)
        std = 2 * torch.sigmoid(raw_std / 2) + self.min_std
        return torch.distributions.Normal(4 * torch.tanh(mean / 4), std)


def squash(raw: torch.Tensor) -> torch.Tensor:
    """`baselines.common.squash_action` in torch (differentiable inside the clip range)."""
    return torch.tanh(raw.clamp(-SQUASH_LIMIT, SQUASH_LIMIT))
