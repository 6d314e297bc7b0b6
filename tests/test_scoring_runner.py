"""The episode runner with the real engine: resumable, worker-count independent, one line per world."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from scoring import runner
from scoring.agents import make_agent
from scoring.runner import RunConfig, evaluate, read_done

pytestmark = pytest.mark.godot

# Three short worlds (EAT at difficulty 0 ends within the 3000-step limit either way; the random agent rarely eats).
WORLDS = {"eat__10__0", "eat__11__0.03", "move__50__0"}
CONFIG = RunConfig("random", "test", agent_seed=3, headless=True)


def lines(path: Path) -> list[dict]:
    records = [json.loads(line) for line in path.read_text().splitlines()]
    for record in records:
        assert record.pop("wall_seconds") >= 0
    return records


def test_interrupted_run_resumes_to_the_same_episodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = evaluate(CONFIG, tmp_path / "whole", workers=2, progress=False, only=WORLDS)
    expected = lines(whole)
    assert [r["world_id"] for r in expected] == ["eat__10__0", "eat__11__0.03", "move__50__0"]
    assert all(r["agent"] == "random" and r["steps"] > 0 for r in expected)

    # Interrupt after the first episode, leaving a torn line as a killed writer would.
    real_episodes = runner.episodes

    def interrupted(*args, **kwargs):
        for n, record in enumerate(real_episodes(*args, **kwargs)):
            if n == 1:
                raise KeyboardInterrupt
            yield record

    monkeypatch.setattr(runner, "episodes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        evaluate(CONFIG, tmp_path / "resumed", workers=1, progress=False, only=WORLDS)
    partial = tmp_path / "resumed" / "episodes.jsonl"
    assert len(read_done(partial)) == 1
    with partial.open("a") as out:
        out.write('{"world_id": "eat__11__0.03", "ta')
    monkeypatch.setattr(runner, "episodes", real_episodes)
    resumed = evaluate(CONFIG, tmp_path / "resumed", workers=1, progress=False, only=WORLDS)
    assert lines(resumed) == expected


def test_a_different_run_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    evaluate(CONFIG, tmp_path, progress=False, only={"move__50__0"})
    with pytest.raises(ValueError, match="different run"):
        evaluate(RunConfig("oracle", "test"), tmp_path, progress=False, only={"move__50__0"})


AGENT_FILE = """
import os
from avalon.random_policy import RandomAgent


def factory(seed):
    agent = RandomAgent(seed)
    agent.checkpoint = os.path.join(os.path.dirname(__file__), "weights.bin")
    return agent
"""


def test_resuming_with_another_checkpoint_is_refused(tmp_path: Path) -> None:
    """An agent loaded from a file path (`path/to/file.py:factory`) whose checkpoint changes between two runs into
    the same folder: run.json names the hash, and the second run is refused instead of mixing the two."""
    (tmp_path / "agent.py").write_text(AGENT_FILE)
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"first")
    config = RunConfig(f"{tmp_path / 'agent.py'}:factory", "test", headless=True)
    out = tmp_path / "run"
    evaluate(config, out, progress=False, only={"eat__10__0"})
    recorded = json.loads((out / "run.json").read_text())["checkpoint_sha256"]
    assert recorded == hashlib.sha256(b"first").hexdigest()
    weights.write_bytes(b"second")
    with pytest.raises(ValueError, match="checkpoint_sha256"):
        evaluate(config, out, progress=False, only={"eat__10__0", "move__50__0"})
    assert len(read_done(out / "episodes.jsonl")) == 1  # the first run's episode is kept, nothing was added


def test_agent_specs_are_checked() -> None:
    with pytest.raises(ValueError, match="module.path:factory"):
        make_agent("ppo", 0)
    with pytest.raises(ValueError, match="cannot import"):
        make_agent("no_such_module:make", 0)


def test_ray_cluster_gives_the_same_episodes_as_the_local_runner(tmp_path: Path) -> None:
    """A real local Ray cluster (two actors, each with its own Godot) against one local process."""
    pytest.importorskip("ray", reason="Ray is the optional extra [ray]; `make test` installs it")
    worlds = {"eat__8__0.5", "move__50__0", "eat__10__0"}
    local = lines(evaluate(CONFIG, tmp_path / "local", workers=1, progress=False, only=worlds))
    on_ray = lines(evaluate(CONFIG, tmp_path / "ray", workers=2, progress=False, only=worlds, ray_address="local"))
    assert on_ray == local
