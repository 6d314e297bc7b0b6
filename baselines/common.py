"""What both baselines share: observation preprocessing and action squashing as in the original (reference 8, 7.1),
without its clip-before-tanh bug, and the device choice."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any, TypeVar

import numpy as np

from avalon.constants import ACTION_SIZE, PROPRIO_NAMES, PROPRIO_SIZE

SQUASH_LIMIT = 4.0  # network outputs are clipped to +-4 before tanh (tanh(4) = 0.9993): the whole action range


def _proprio_scale() -> np.ndarray:
    """Per-value scale of the original's GodotObsTransformWrapper: positions x0.1, rotations (degrees) x0.005, frames
    remaining x1e-4, the rest as they are; the result is then clipped to [-1, 1]."""
    scale = np.ones(PROPRIO_SIZE, dtype=np.float32)
    for i, name in enumerate(PROPRIO_NAMES):
        if "_position_" in name:
            scale[i] = 0.1
        elif "_rotation_" in name:
            scale[i] = 0.005
        elif name == "frames_remaining":
            scale[i] = 1e-4
    return scale


PROPRIO_SCALE = _proprio_scale()
HOLDING = np.array([name.endswith(("_touching", "_holding")) for name in PROPRIO_NAMES])


def preprocess_proprio(proprio: np.ndarray) -> np.ndarray:
    """(..., 51) float32 -> scaled and clipped to [-1, 1]; contact/held ids become 0 (nothing) or 1 (something)."""
    scaled = proprio.astype(np.float32) * PROPRIO_SCALE
    scaled = np.where(HOLDING, (proprio > 0).astype(np.float32), scaled)
    return np.clip(scaled, -1.0, 1.0)


def preprocess_rgbd(rgbd: np.ndarray) -> np.ndarray:
    """(..., H, W, 4) uint8 -> (..., 4, H, W) uint8; networks scale it to [-0.5, 0.5] themselves. (Our frames are
    already top row first: the original's vertical flip is not needed.)"""
    return np.ascontiguousarray(np.moveaxis(rgbd, -1, -3))


def squash_action(raw: np.ndarray) -> np.ndarray:
    """Unbounded policy output -> env action: tanh(clip(a, -4, 4)) on every dimension (buttons pressed when > 0).
    The original clipped to [-1, 1] *before* this tanh, so its agents could only command 76 % of each speed."""
    return np.tanh(np.clip(raw, -SQUASH_LIMIT, SQUASH_LIMIT)).astype(np.float32)


def device(name: str = "auto") -> str:
    """ "auto": CUDA when present, else CPU."""
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device {name!r} asked for, but torch sees no CUDA device")
    return name


def parse_bool(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


Config = TypeVar("Config")


def parse_preset_config(
    config_class: type[Config],
    presets: dict[str, dict[str, object]],
    argv: list[str] | None,
    description: str,
    resume_help: str,
) -> tuple[Config, str | None, dict[str, Any]]:
    """`--preset NAME` then any field of the config dataclass as `--field-name value` (bools as true/false); returns
    (the preset with the flags applied, the `--resume` checkpoint or None, the fields given explicitly)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--preset", choices=sorted(presets), default="original")
    parser.add_argument("--resume", default=None, help=resume_help)
    fields = dataclasses.fields(config_class)  # type: ignore[arg-type]
    for field in fields:
        kind = parse_bool if isinstance(field.default, bool) else type(field.default)
        parser.add_argument(f"--{field.name.rstrip('_').replace('_', '-')}", dest=field.name, type=kind, default=None)
    args = parser.parse_args(argv)
    config = dataclasses.replace(config_class(), **presets[args.preset])  # type: ignore[type-var]
    overrides = {f.name: getattr(args, f.name) for f in fields if getattr(args, f.name) is not None}
    return dataclasses.replace(config, **overrides), args.resume, overrides  # type: ignore[type-var]


assert ACTION_SIZE == 21
