"""`avalon-score` end to end with the real engine: evaluate minival, report, and open the HTML in headless Chromium."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from processes import tagged_env, tagged_pids
from stalling_agent import STALL_FILE

from scoring import evalset

pytestmark = pytest.mark.godot


def avalon_score(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scoring.cli", *args], capture_output=True, text=True, timeout=600, check=False, env=env
    )


def test_evaluate_report_and_open_the_html_in_chromium(tmp_path: Path) -> None:
    """The random policy (with videos) and the oracle on minival's EAT and MOVE worlds (two tasks keep the suite
    short: the other tasks' worlds go through the same code); their report side by side opens in headless Chromium
    with no console errors; the CSV has one row per agent and task (all 20)."""
    run, oracle = tmp_path / "random", tmp_path / "oracle"
    entries = evalset.split_worlds("minival")[0]
    assert len({entry["task"] for entry in entries}) == len(entries)  # one world per implemented task
    tasks = ["eat", "move"]
    played = sorted(entry["id"] for entry in entries if entry["task"] in tasks)
    assert played == ["eat__25__0.48", "move__69__0.49"]
    done = avalon_score(
        "evaluate", "--agent", "random", "--split", "minival", "--tasks", *tasks, "--video", "1", "--out", str(run)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    records = [json.loads(line) for line in (run / "episodes.jsonl").read_text().splitlines()]
    assert sorted(r["world_id"] for r in records) == played
    assert all(r["agent"] == "random" and r["steps"] > 0 for r in records)
    videos = sorted(p.name for p in (run / "videos").iterdir())
    assert videos in ([f"{w}.mp4" for w in played], [f"{w}.gif" for w in played])
    meta = json.loads((run / "run.json").read_text())
    assert meta["godot_version"].startswith("3.") and meta["package_version"] and meta["checkpoint_sha256"] is None

    done = avalon_score(
        "evaluate", "--agent", "oracle", "--split", "minival", "--tasks", *tasks, "--headless", "--out", str(oracle)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    records = [json.loads(line) for line in (oracle / "episodes.jsonl").read_text().splitlines()]
    assert sorted(r["world_id"] for r in records) == played, records
    assert all(r["success"] for r in records), records

    compared = tmp_path / "compared"
    report = avalon_score("report", str(run), str(oracle), "--out", str(compared))
    assert report.returncode == 0, report.stderr[-2000:]
    assert "No human reference scores yet" in report.stdout and "random > oracle" in report.stdout
    html = compared / "report.html"
    assert (compared / "report.md").exists() and json.loads((compared / "report.json").read_text())
    rows = list(csv.DictReader((compared / "report.csv").open()))
    assert len(rows) == 2 * 20 and {(r["agent"], r["task"]) for r in rows} >= {("oracle", "eat"), ("random", "move")}
    board = json.loads((compared / "leaderboard.json").read_text())
    assert board["entries"][0]["label"] == "oracle"

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "headless Chromium is needed for this test: apt-get install chromium (make test installs it)"
    shot = tmp_path / "report.png"
    browser = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         f"--screenshot={shot}", "--window-size=1200,1600", html.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    console = [line for line in browser.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    pixels = np.asarray(Image.open(shot).convert("L"))
    assert pixels.shape == (1600, 1200) and pixels.std() > 10  # a page was drawn, not a blank one


def test_reference_paths_given_must_exist(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.json").write_text(json.dumps({"agent": "a", "split": "minival", "manifest_sha256": "0" * 64}))
    (run / "episodes.jsonl").write_text("")
    for flag, value in (("--random", "nope.json"), ("--human", "nope/")):
        done = avalon_score("report", str(run), flag, str(tmp_path / value))
        assert done.returncode == 2 and "no such" in done.stderr and "Traceback" not in done.stderr
    assert not (run / "report.html").exists()


def test_bad_arguments_are_named(tmp_path: Path) -> None:
    out = str(tmp_path / "run")
    bad_split = avalon_score("evaluate", "--agent", "random", "--split", "valid", "--out", out)
    assert bad_split.returncode == 2 and "invalid choice: 'valid'" in bad_split.stderr
    bad_agent = avalon_score("evaluate", "--agent", "nope", "--split", "minival", "--out", out)
    assert bad_agent.returncode == 2 and "module.path:factory" in bad_agent.stderr
    bad_task = avalon_score("evaluate", "--agent", "random", "--tasks", "eat", "navigate", "--out", out)
    assert bad_task.returncode == 2 and "'navigate' is not an available task" in bad_task.stderr
    assert not (tmp_path / "run").exists()  # nothing written for a refused command
    missing = avalon_score("report", "no/such/run")
    assert missing.returncode == 2 and "no/such/run" in missing.stderr


def test_verify_passes_on_the_committed_manifest() -> None:
    done = avalon_score("verify")
    assert done.returncode == 0 and "regenerate byte-identically" in done.stdout


def test_ctrl_c_then_rerun_gives_the_uninterrupted_episodes(tmp_path: Path) -> None:
    """A real SIGINT to the CLI mid-run: nothing it started is left running, and re-running finishes the same file.

    The agent (tests/stalling_agent.py) stalls before its second episode, so the SIGINT always lands mid-run however
    slow or busy the machine; only the processes this test started are counted (tests/processes.py)."""
    agent = ["--agent", "stalling_agent:factory", "--split", "minival", "--tasks", "eat", "move", "jump"]
    tests_dir = str(Path(__file__).parent)
    path = {"PYTHONPATH": os.pathsep.join(filter(None, [tests_dir, os.environ.get("PYTHONPATH")]))}
    whole = tmp_path / "whole"
    env, _ = tagged_env(path)
    done = avalon_score("evaluate", *agent, "--out", str(whole), env=env)
    assert done.returncode == 0, done.stderr[-2000:]

    run, stalled = tmp_path / "interrupted", tmp_path / "stalled"
    env, tag = tagged_env({**path, STALL_FILE: str(stalled)})
    command = [sys.executable, "-m", "scoring.cli", "evaluate", *agent, "--out", str(run)]
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not stalled.exists() and child.poll() is None:
            time.sleep(0.05)
        assert stalled.exists(), f"the run never reached its second episode (exit code {child.poll()})"
        assert tagged_pids(tag) - {child.pid}, "the run's simulator is running"
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130 and "re-run the same command to resume" in stderr
    episodes = run / "episodes.jsonl"
    assert episodes.read_text().count("\n") == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and tagged_pids(tag):
        time.sleep(0.1)
    assert tagged_pids(tag) == set(), "processes the interrupted run started are still running"

    done = avalon_score("evaluate", *agent, "--out", str(run), env=tagged_env(path)[0])
    assert done.returncode == 0, done.stderr[-2000:]

    def strip(path: Path) -> list[dict]:
        return [{k: v for k, v in json.loads(line).items() if k != "wall_seconds"} for line in path.open()]

    assert strip(episodes) == strip(whole / "episodes.jsonl")


def test_baseline_for_some_tasks_merges_into_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`baseline random --tasks move` replays MOVE only (the episodes are faked here: the merge is under test) and
    keeps EAT's scores while EAT's manifest file is unchanged; scores played on another manifest are dropped."""
    from scoring import cli, evalset

    played: list[set[str]] = []

    def fake_evaluate(config: object, out_dir: Path, workers: int = 1, only: set[str] | None = None) -> Path:
        played.append(set(only or ()))
        return out_dir

    monkeypatch.setattr(cli, "evaluate", fake_evaluate)
    monkeypatch.setattr(cli, "read_done", lambda _: [{"world_id": w, "score": 0.5} for w in sorted(played[-1])])
    out = tmp_path / "random.json"
    eat_hash = evalset.task_manifest_sha256("eat")
    old = {
        "format": 2,
        "provenance": {
            "rules_version": cli.RULES_VERSION,
            "split": "test",
            "tasks": {
                "eat": {"seeds_per_world": 3, "manifest_sha256": eat_hash},
                "move": {"seeds_per_world": 3, "manifest_sha256": "0" * 64},
            },
        },
        "scores": {"eat__0__0.5": [0.1, 0.2, 0.3], "move__50__0": [9.0]},
    }
    out.write_text(json.dumps(old))
    assert cli.main(["baseline", "random", "--tasks", "move", "--seeds", "2", "--out", str(out)]) == 0
    assert all(w.startswith("move__") for w in played[0]) and len(played) == 2 and len(played[0]) == 50
    data = json.loads(out.read_text())
    tasks = data["provenance"]["tasks"]
    assert tasks["eat"] == {"seeds_per_world": 3, "manifest_sha256": eat_hash}
    assert tasks["move"]["seeds_per_world"] == 2 and tasks["move"]["manifest_sha256"] == evalset.task_manifest_sha256(
        "move"
    )
    assert data["scores"]["eat__0__0.5"] == [0.1, 0.2, 0.3] and data["scores"]["move__50__0"] == [0.5, 0.5]
    old["provenance"]["tasks"]["eat"]["manifest_sha256"] = "f" * 64  # EAT's worlds changed since: dropped
    out.write_text(json.dumps(old))
    assert cli.main(["baseline", "random", "--tasks", "move", "--seeds", "1", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert list(data["provenance"]["tasks"]) == ["move"] and not any(w.startswith("eat__") for w in data["scores"])
