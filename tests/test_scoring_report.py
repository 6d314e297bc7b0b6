"""The scoring report: hand-computed figures, plain statements about missing references, the three written files.

Every human reference here is a fixture built by the test and labelled as one; none is real human data.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from baseline_fixtures import random_baseline

from scoring.render import format_terminal, write_report
from scoring.report import NO_HUMAN, NO_RANDOM, build_report

FIXTURE = {"source": "test fixture, not real human data", "collected": "never (built by the test)"}


def episode_line(world_id: str, score: float = 0.5, success: bool = False) -> dict[str, Any]:
    task, seed, difficulty = world_id.split("__")
    return {
        "world_id": world_id,
        "task": task,
        "difficulty": float(difficulty),
        "seed": int(seed),
        "success": success,
        "score": score,
        "return": score,
        "steps": 10,
        "wall_seconds": 0.5,
        "agent": "a",
    }


def write_run(directory: Path, lines: list[dict[str, Any]]) -> Path:
    directory.mkdir(parents=True)
    (directory / "run.json").write_text(json.dumps({"agent": "a", "split": "test", "manifest_sha256": "0" * 64}))
    (directory / "episodes.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return directory


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def human_file(plays: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A human reference file built by the test: the provenance labels it as a fixture."""
    return {"format": 1, "provenance": FIXTURE, "plays": plays}


# world: (agent score, success, random mean, human mean or None)
WORLDS: dict[str, tuple[float, bool, float, float | None]] = {
    "eat__0__0": (0.8, True, 0.2, 1.4),  # human-normalized (0.8 - 0.2) / (1.4 - 0.2) = 0.5
    "eat__1__0.5": (0.1, False, 0.2, 1.0),  # below random: 0
    "eat__2__1": (1.0, True, 0.5, 0.4),  # human <= random: dropped
    "move__0__0.3": (0.6, True, 0.1, 1.1),  # 0.5
    "move__1__1": (0.0, False, 0.0, None),  # no human play
}


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    run = write_run(tmp_path / "run", [episode_line(w, score, success) for w, (score, success, _, _) in WORLDS.items()])
    scores = {w: [r - 0.1, r + 0.1] for w, (_, _, r, _) in WORLDS.items()}  # mean = r
    random = write_json(tmp_path / "random.json", random_baseline(scores, policy="uniform"))
    plays = {
        w: [{"player": "p1", "score": h - 0.2}, {"player": "p2", "score": h + 0.2}]
        for w, (*_, h) in WORLDS.items()
        if h is not None
    }
    write_json(tmp_path / "human" / "fixture.json", human_file(plays))
    return {"run": run, "random": random, "human": tmp_path / "human", "tmp": tmp_path}


def test_report_by_hand(paths: dict[str, Path]) -> None:
    report = build_report(paths["run"], paths["random"], paths["human"])
    assert report["score_kinds"] == ["raw", "random_normalized", "human_normalized"]
    assert report["headline"] == "human_normalized"
    eat, move = report["tasks"]["eat"], report["tasks"]["move"]
    assert eat["scores"]["human_normalized"]["mean"] == pytest.approx(0.25)  # (0.5 + 0) / 2; eat__2__1 dropped
    assert eat["scores"]["human_normalized"]["worlds"] == 2
    assert move["scores"]["human_normalized"]["mean"] == pytest.approx(0.5)  # move__1__1 has no human play
    assert eat["scores"]["random_normalized"]["mean"] == pytest.approx((0.6 + 0.0 + 0.5) / 3)
    assert eat["scores"]["raw"]["mean"] == pytest.approx((0.8 + 0.1 + 1.0) / 3)
    assert eat["success_rate"] == pytest.approx(2 / 3) and move["success_rate"] == 0.5
    basic = report["groups"]["basic"]
    human = basic["scores"]["human_normalized"]
    assert human["mean"] == pytest.approx(1 / 3)  # world-pooled: (0.5 + 0 + 0.5) / 3
    assert human["task_mean"] == pytest.approx(0.375)  # mean of task means, (0.25 + 0.5) / 2
    assert human["iqm"] == pytest.approx(1 / 3)  # 3 worlds: int(3/4) = 0 trimmed
    assert human["optimality_gap"] == pytest.approx(2 / 3)  # mean of 1 - min(score, 1)
    assert basic["success_rate"] == pytest.approx(3 / 5)  # pooled over the group's worlds
    assert report["groups"]["all"]["scores"] == basic["scores"]
    assert report["dropped_worlds"] == [{"world_id": "eat__2__1", "task": "eat", "human": 0.4, "random": 0.5}]
    rows = report["groups"]["all"]["success_by_difficulty"]
    assert (rows[0]["worlds"], rows[0]["successes"], rows[3]["successes"], rows[9]["worlds"]) == (1, 1, 1, 2)
    notices = " ".join(report["notices"])
    assert "Human-normalized figures use 3 of 5 worlds" in notices and "1 of them dropped" in notices
    assert report["references"]["human"]["files"][0]["provenance"] == FIXTURE
    assert build_report(paths["run"], paths["random"], paths["human"]) == report  # reproducible


def test_unavailable_tasks_are_not_zero(paths: dict[str, Path]) -> None:
    report = build_report(paths["run"], paths["random"], paths["human"])
    unavailable = {entry["task"]: entry["reason"] for entry in report["unavailable_tasks"]}
    assert len(unavailable) == 18 and "eat" not in unavailable and "move" not in unavailable
    assert unavailable["navigate"] == "no world generator yet"
    assert report["tasks"]["open"] == {"group": "basic", "status": "unavailable", "reason": "no episodes in this run"}
    compositional = report["groups"]["compositional"]
    assert compositional["scores"] == {} and compositional["success_rate"] is None and compositional["tasks"] == []
    assert (
        report["groups"]["basic"]["tasks"] == ["eat", "move"]
        and len(report["groups"]["basic"]["unavailable_tasks"]) == 14
    )
    assert any("not counted as zero" in notice and "survive" in notice for notice in report["notices"])


def test_implemented_task_without_episodes(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [episode_line("eat__0__0")])
    report = build_report(run, None, None)
    assert report["tasks"]["move"]["reason"] == "no episodes in this run"


def test_no_human_reference(paths: dict[str, Path]) -> None:
    for human_dir in (None, paths["tmp"] / "missing"):
        report = build_report(paths["run"], paths["random"], human_dir)
        assert report["score_kinds"] == ["raw", "random_normalized"] and report["headline"] == "random_normalized"
        assert any(notice.startswith(NO_HUMAN) for notice in report["notices"])
        assert "No human reference scores yet: human-normalized scores are not available" in format_terminal(report)
        assert "human_normalized" not in report["groups"]["all"]["scores"]


def test_human_reference_for_other_worlds_only(paths: dict[str, Path]) -> None:
    other = paths["tmp"] / "other"
    write_json(other / "f.json", human_file({"find__9__0.1": [{"player": "p1", "score": 3.0}]}))
    report = build_report(paths["run"], paths["random"], other)
    assert report["headline"] == "random_normalized"
    assert any(NO_HUMAN in notice and "cover none of this run's worlds" in notice for notice in report["notices"])


def test_all_worlds_dropped(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [episode_line("eat__0__0", 0.5)])
    random = write_json(tmp_path / "r.json", random_baseline({"eat__0__0": [0.3]}))
    write_json(tmp_path / "h" / "f.json", human_file({"eat__0__0": [{"player": "p1", "score": 0.3}]}))
    report = build_report(run, random, tmp_path / "h")
    assert report["headline"] == "random_normalized" and len(report["dropped_worlds"]) == 1
    assert any("No world has a human score above random" in notice for notice in report["notices"])


def test_no_random_baseline(paths: dict[str, Path]) -> None:
    report = build_report(paths["run"], paths["tmp"] / "no_such_baseline.json", paths["human"])
    assert report["score_kinds"] == ["raw"] and report["headline"] == "raw"
    assert report["references"]["random"]["available"] is False
    assert any(notice.startswith(NO_RANDOM) for notice in report["notices"])
    assert report["tasks"]["eat"]["scores"]["raw"]["mean"] == pytest.approx(1.9 / 3)
    assert report["dropped_worlds"] == []
    assert NO_RANDOM in format_terminal(build_report(paths["run"], None, None))


def test_partial_random_baseline(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [episode_line("eat__0__0", 0.5), episode_line("eat__1__0", 0.7)])
    random = write_json(tmp_path / "r.json", random_baseline({"eat__0__0": [0.1]}))
    report = build_report(run, random, None)
    assert report["tasks"]["eat"]["scores"]["random_normalized"]["worlds"] == 1
    assert report["tasks"]["eat"]["scores"]["random_normalized"]["mean"] == pytest.approx(0.4)
    assert any("covers 1 of 2 worlds" in notice for notice in report["notices"])


def test_random_scores_of_a_changed_task_are_left_out_and_named(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [episode_line("eat__0__0", 0.5), episode_line("move__50__0", 0.7)])
    data = random_baseline({"eat__0__0": [0.1], "move__50__0": [0.2]})
    data["provenance"]["tasks"]["move"]["manifest_sha256"] = "f" * 64
    report = build_report(run, write_json(tmp_path / "r.json", data), None)
    assert report["tasks"]["eat"]["scores"]["random_normalized"]["worlds"] == 1
    assert "random_normalized" not in report["tasks"]["move"]["scores"]
    assert any("scores for move were played on other worlds" in notice for notice in report["notices"])


def test_empty_run(tmp_path: Path) -> None:
    report = build_report(write_run(tmp_path / "run", []), None, None)
    assert len(report["unavailable_tasks"]) == 20 and report["groups"]["all"]["success_rate"] is None
    written = write_report(report, tmp_path / "out")
    assert all(path.is_file() for path in written.values())


def test_write_report(paths: dict[str, Path]) -> None:
    report = build_report(paths["run"], paths["random"], paths["human"])
    out = paths["tmp"] / "out" / "nested"
    written = write_report(report, out)
    names = ["leaderboard.json", "report.csv", "report.html", "report.json", "report.md"]
    assert sorted(path.name for path in written.values()) == names
    assert sorted(p.name for p in out.iterdir()) == names  # no temp files left
    assert json.loads(written["json"].read_text()) == json.loads(json.dumps(report))
    markdown = written["markdown"].read_text()
    assert "| eat | basic | a | 2 | 66.7% | 0.250 [" in markdown and "eat__2__1" in markdown
    page = written["html"].read_text()
    assert "http:" not in page and "https:" not in page and "<script" not in page and "<link" not in page
    sources = re.findall(r"src='([^']*)'", page)
    assert len(sources) == 3 and all(src.startswith("data:image/png;base64,") for src in sources)
    assert "<style>" in page and "Dropped worlds" in page


def test_write_report_without_references(paths: dict[str, Path]) -> None:
    report = build_report(paths["run"], None, None)
    written = write_report(report, paths["tmp"] / "out")
    assert NO_HUMAN in written["markdown"].read_text() and NO_RANDOM in written["html"].read_text()


def test_terminal_table(paths: dict[str, Path]) -> None:
    text = format_terminal(build_report(paths["run"], paths["random"], paths["human"]))
    lines = text.splitlines()
    assert lines[0].startswith("Avalon scoring report: a on test (5 worlds)")
    assert any(re.match(r"eat\s+basic\s+a\s+2\s+66.7%\s+0.250 \[", line) for line in lines)
    assert any(re.match(r"jump\s+basic\s+-\s+unavailable", line) for line in lines)
    assert any(
        re.match(r"basic\s+a\s+2\s+5\s+1\s+60.0%\s+0.333 \[.*\]\s+0.333 \[.*\]\s+0.667 \[.*\]\s+0.375 \[", line)
        for line in lines
    )


def write_agent_run(directory: Path, agent: str, seed: int, scores: dict[str, float]) -> Path:
    directory.mkdir(parents=True)
    run = {"agent": agent, "split": "test", "manifest_sha256": "0" * 64, "agent_seed": seed}
    (directory / "run.json").write_text(json.dumps(run))
    lines = [{**episode_line(w, s, s >= 1.0), "agent": agent} for w, s in scores.items()]
    (directory / "episodes.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return directory


def test_agents_side_by_side_and_seeds_pooled(paths: dict[str, Path]) -> None:
    worlds = list(WORLDS)
    tmp = paths["tmp"]
    weak = [
        write_agent_run(tmp / f"weak{s}", "weak", s, {w: 0.1 * (s + 1) for w in worlds}) for s in range(2)
    ]  # scores 0.1 and 0.2: pooled mean 0.15
    strong = write_agent_run(tmp / "strong", "strong", 0, {w: 1.2 for w in worlds})
    report = build_report([*weak, strong], paths["random"], None)
    assert [a["label"] for a in report["agents"]] == ["weak", "strong"]
    weak_entry, strong_entry = report["agents"]
    assert weak_entry["seeds"] == 2 and strong_entry["seeds"] == 1
    assert weak_entry["tasks"]["eat"]["scores"]["raw"]["mean"] == pytest.approx(0.15)
    assert weak_entry["groups"]["all"]["worlds"] == 5 and weak_entry["groups"]["all"]["success_rate"] == 0.0
    assert "tasks" not in report  # several agents: no single one at the top level
    improvement = {(i["x"], i["y"], i["group"]): i for i in report["comparisons"]["probability_of_improvement"]}
    assert improvement[("weak", "strong", "all")]["probability"] == pytest.approx(0.0)  # strong beats weak everywhere
    assert improvement[("weak", "strong", "all")]["ci"] is None  # strong has one run: nothing to resample
    profiles = report["comparisons"]["performance_profiles"]
    assert profiles["agents"]["strong"]["fraction"][0] == 1.0 and profiles["agents"]["weak"]["fraction"][-1] == 0.0
    notices = " ".join(report["notices"])
    assert "weak: 2 runs pooled as seeds" in notices and "no intervals here" in notices

    written = write_report(report, tmp / "compared")
    rows = list(csv.DictReader(written["csv"].open()))
    assert len(rows) == 2 * 20 and {r["agent"] for r in rows} == {"weak", "strong"}
    eat = next(r for r in rows if r["agent"] == "strong" and r["task"] == "eat")
    assert eat["status"] == "evaluated" and float(eat["mean"]) == pytest.approx(0.9)  # 1.2 minus random: 0.2, 0.2, 0.5
    board = json.loads(written["leaderboard"].read_text())
    assert [e["label"] for e in board["entries"]] == ["strong", "weak"] and board["entries"][0]["rank"] == 1
    text = format_terminal(report)
    assert "Probability of improvement" in text and "weak > strong" in text


def test_runs_must_match(paths: dict[str, Path]) -> None:
    tmp = paths["tmp"]
    one = write_agent_run(tmp / "one", "x", 0, {"eat__0__0": 1.0, "eat__1__0.5": 0.0})
    other = write_agent_run(tmp / "other", "y", 0, {"eat__0__0": 1.0})
    with pytest.raises(ValueError, match="covers other worlds"):
        build_report([one, other], None, None)
    again = write_agent_run(tmp / "again", "x", 0, {"eat__0__0": 1.0, "eat__1__0.5": 0.0})
    with pytest.raises(ValueError, match="repeats agent seed 0"):
        build_report([one, again], None, None)


def test_a_single_world_per_task_is_flagged(tmp_path: Path) -> None:
    run = write_agent_run(tmp_path / "run", "x", 0, {"eat__0__0": 1.0, "move__1__0.5": 0.0})
    notices = " ".join(build_report(run, None, None)["notices"])
    assert "rest on one world each" in notices and "eat, move" in notices
