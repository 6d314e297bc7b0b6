"""RLlib's PPO trains on an Avalon id with env runners on a real local Ray cluster: the documented example
(examples/rllib_ppo.py) run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import tagged_env, tagged_pids

pytestmark = [pytest.mark.godot, pytest.mark.render]

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "rllib_ppo.py"


def test_rllib_ppo_trains_two_iterations_on_a_local_ray_cluster(tmp_path: Path) -> None:
    env, tag = tagged_env()
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--iterations", "2", "--num-cpus", "2", "--batch-size", "128"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines[0] == {"remote_env_runners": 1}, lines
    iterations = lines[1:]
    assert [line["iteration"] for line in iterations] == [1, 2]
    assert [line["env_steps"] for line in iterations] == [128, 256], iterations  # real samples from the remote runner
    deadline = time.monotonic() + 60  # Ray's workers and their Godot processes end after ray.shutdown()
    while time.monotonic() < deadline and tagged_pids(tag):
        time.sleep(0.2)
    assert tagged_pids(tag) == set(), "processes of the RLlib run are still running"
