"""The game rules (body, grasp, eating, every food's behaviour, fall damage) checked inside the real engine by
godot_project/tests/run_rules.gd, which builds small scenes and steps the physics at 10 Hz."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from avalon.sim.engine import find_godot, godot_env

pytestmark = pytest.mark.godot

PROJECT = Path(__file__).resolve().parent.parent / "godot_project"


def test_every_rule_scenario_passes() -> None:
    godot = find_godot(headless=True)
    result = subprocess.run(
        [
            godot,
            "--path",
            str(PROJECT),
            "--audio-driver",
            "Dummy",
            "--fixed-fps",
            "10",
            "-s",
            "res://tests/run_rules.gd",
        ],
        env=godot_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = result.stdout.splitlines()
    failures = [line for line in lines if line.startswith("FAIL")]
    passes = [line for line in lines if line.startswith("PASS")]
    assert result.returncode == 0 and not failures, "\n".join(failures) or result.stdout[-3000:] + result.stderr[-3000:]
    assert len(passes) >= 90, f"only {len(passes)} rule checks ran"
