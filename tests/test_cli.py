"""The training CLIs as a person meets them: every flag explained, bad values refused in one line before anything is
written, a missing Godot named. No engine needed (a missing Godot is the point of one test)."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from avalon.tasks import implemented_tasks
from baselines.common import field_comments, flag
from baselines.dreamer.config import DreamerConfig
from baselines.dreamer.config import parse_config as dreamer_parse
from baselines.ppo.config import PPOConfig
from baselines.ppo.config import parse_config as ppo_parse

CLIS = {"ppo": (PPOConfig, ppo_parse), "dreamer": (DreamerConfig, dreamer_parse)}


def help_blocks(text: str) -> dict[str, str]:
    """`--flag` -> its help text, from argparse's --help output."""
    options = text[text.index("options:") :]
    blocks: dict[str, str] = {}
    for match in re.finditer(r"^  (--[a-z-]+)(.*?)(?=^  -|\Z)", options, flags=re.M | re.S):
        blocks[match.group(1)] = " ".join(match.group(2).split())
    return blocks


@pytest.mark.parametrize("name", sorted(CLIS))
def test_every_flag_has_help_and_its_default(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    config_class, parse = CLIS[name]
    with pytest.raises(SystemExit) as exited:
        parse(["--help"])
    assert exited.value.code == 0
    blocks = help_blocks(capsys.readouterr().out)
    comments = field_comments(config_class)
    for field in dataclasses.fields(config_class):
        assert comments.get(field.name), f"{name}: field {field.name} has no comment to explain its flag"
        text = blocks[flag(field.name)]
        assert f"default {field.default!r}" in text and len(text) > len(f"default {field.default!r}") + 5, text
    assert "one of 'vr', 'keyboard_mouse'" in blocks.get("--action-mode", "one of 'vr', 'keyboard_mouse'")
    assert "one of " + ", ".join(repr(t.name.lower()) for t in implemented_tasks()) in blocks["--task"]


@pytest.mark.parametrize(
    ("name", "argv", "message"),
    [
        ("ppo", ["--num-envs", "0"], "--num-envs must be >= 1, got 0"),
        ("ppo", ["--difficulty", "2"], "--difficulty must be a number in [0, 1] or 'curriculum'"),
        ("ppo", ["--task", "fly"], "--task must be one of 'eat', 'move'"),
        ("ppo", ["--buttons", "binary"], "--buttons must be one of 'categorical', 'gaussian'"),
        ("ppo", ["--batch-size", "99999"], "--batch-size must be >= 2 and <= 3200"),
        ("ppo", ["--gamma", "x"], "argument --gamma: invalid float value: 'x'"),
        ("ppo", ["--resume", "nope.zip"], "no such checkpoint file 'nope.zip'"),
        ("ppo", ["--time-limit", "forever"], "time_limit must be one of"),
        ("dreamer", ["--replay-storage", "ssd"], "--replay-storage must be one of 'memory', 'disk'"),
        ("dreamer", ["--lambda", "2"], "--lambda must be >= 0 and <= 1"),
        ("dreamer", ["--batch-length", "40", "--replay-capacity", "100"], "must hold at least one --batch-length"),
        ("dreamer", ["--use-continue", "maybe"], "expected true or false, got 'maybe'"),
    ],
)
def test_bad_values_end_in_one_line(
    name: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        CLIS[name][1](argv)
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert message in error and error.startswith(f"python -m baselines.{name}.train: error:"), error


@pytest.mark.parametrize("name", sorted(CLIS))
def test_a_missing_godot_is_named_before_anything_is_written(name: str, tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", f"baselines.{name}.train", "--preset", "debug", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "AVALON_GODOT": str(tmp_path / "no-godot")},
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == f"error: AVALON_GODOT={str(tmp_path / 'no-godot')!r} does not exist"
    assert not out.exists()
