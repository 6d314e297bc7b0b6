"""What both baselines share: observation preprocessing and action squashing as in the original,
without its clip-before-tanh bug, and the device choice."""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import io
import tokenize
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
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


def field_comments(config_class: type) -> dict[str, str]:
    """Each dataclass field's trailing `# comment` in the source (the CLI's help text for `--field-name`)."""
    source = inspect.getsource(config_class)
    comments: dict[str, str] = {}
    pending: str | None = None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NEWLINE:
            pending = None
        elif token.type == tokenize.NAME and pending is None and token.start[1] == 4:
            pending = token.string  # the first name on a line of the class body: the field (if the line has a `:`)
        elif token.type == tokenize.COMMENT and pending is not None:
            comments[pending] = token.string.lstrip("#").strip()
    return comments


def flag(name: str) -> str:
    return f"--{name.rstrip('_').replace('_', '-')}"


class UserError(ValueError):
    """A bad command line or config value: the CLIs print it as one line and exit 2, before writing anything."""


def check_choice(name: str, value: object, allowed: Sequence[object]) -> None:
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise UserError(f"{flag(name)} must be one of {shown}, got {value!r}")


def check_range(name: str, value: float, low: float | None = None, high: float | None = None) -> None:
    if (low is not None and not value >= low) or (high is not None and not value <= high) or value != value:
        bounds = " and ".join(
            text for text in (f">= {low}" if low is not None else "", f"<= {high}" if high is not None else "") if text
        )
        raise UserError(f"{flag(name)} must be {bounds}, got {value!r}")


def check_training_difficulty(difficulty: str) -> None:
    """The `--difficulty` of a training CLI: a number in [0, 1] as text, or "curriculum"."""
    from avalon.env import check_difficulty

    if difficulty != "curriculum":
        try:
            check_difficulty(float(difficulty))
        except ValueError:
            raise UserError(f"--difficulty must be a number in [0, 1] or 'curriculum', got {difficulty!r}") from None


def run_training(train: Callable[[Config, str | None], dict[str, Any]], config: Config, resume: str | None) -> int:
    """A training CLI's body: check the installation before anything is written, train, print the summary; a
    simulator problem (no Godot, a crash) ends in one line and exit code 1."""
    import json
    import sys

    from avalon.sim.engine import check_installation
    from avalon.sim.errors import SimulatorError

    try:
        check_installation(headless=False)
        summary = train(config, resume)
    except SimulatorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=1))
    return 0


def parse_preset_config(
    config_class: type[Config],
    presets: dict[str, dict[str, object]],
    argv: list[str] | None,
    description: str,
    resume_help: str,
    choices: Mapping[str, Sequence[str]] | None = None,
    check: Callable[[Config], object] | None = None,
    prog: str | None = None,
) -> tuple[Config, str | None, dict[str, Any]]:
    """`--preset NAME` then any field of the config dataclass as `--field-name value` (bools as true/false); returns
    (the preset with the flags applied, the `--resume` checkpoint or None, the fields given explicitly).

    Every flag's help is its field's comment, its default, the values presets give it and its allowed values
    (`choices`); `check` validates the whole config. Any bad value ends the program with one line (exit 2) before
    anything runs or is written."""
    choices = choices or {}
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog="Flags override the preset's values. Booleans take true/false.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--preset",
        choices=list(presets),
        default="original",
        help="the values to start from; default original (the original's); each flag below lists what presets set",
    )
    parser.add_argument("--resume", default=None, metavar="CHECKPOINT", help=resume_help)
    fields = dataclasses.fields(config_class)  # type: ignore[arg-type]
    comments = field_comments(config_class)
    for field in fields:
        kind = parse_bool if isinstance(field.default, bool) else type(field.default)
        parts = [comments.get(field.name, "").rstrip(".")]
        if field.name in choices:
            parts.append(f"one of {', '.join(repr(c) for c in choices[field.name])}")
        parts.append(f"default {field.default!r}")
        set_by = [f"{name} {values[field.name]!r}" for name, values in presets.items() if field.name in values]
        if set_by:
            parts.append("preset " + ", ".join(set_by))
        parser.add_argument(
            flag(field.name),
            dest=field.name,
            type=kind,
            default=None,
            metavar=(
                "{" + ",".join(choices[field.name]) + "}"
                if field.name in choices
                else ("BOOL" if kind is parse_bool else kind.__name__.upper())
            ),
            help="; ".join(p for p in parts if p).replace("%", "%%"),
        )
    args = parser.parse_args(argv)
    config = dataclasses.replace(config_class(), **presets[args.preset])  # type: ignore[type-var]
    overrides = {f.name: getattr(args, f.name) for f in fields if getattr(args, f.name) is not None}
    config = dataclasses.replace(config, **overrides)  # type: ignore[type-var]
    try:
        for name, allowed in choices.items():
            check_choice(name, getattr(config, name), allowed)
        if args.resume is not None and not Path(args.resume).is_file():
            raise UserError(f"--resume: no such checkpoint file {args.resume!r}")
        if check is not None:
            check(config)
    except ValueError as error:  # UserError, or a ValueError from the env's own checks
        parser.error(str(error))
    return config, args.resume, overrides


assert ACTION_SIZE == 21
