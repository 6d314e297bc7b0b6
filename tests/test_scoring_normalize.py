"""Normalization, aggregation and the loaders of runs, random baselines and human references (docs/scoring.md).

Every human reference here is a fixture built by the test and labelled as one; none is real human data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from baseline_fixtures import random_baseline
from rliable import metrics

from avalon.tasks import Task
from scoring.evalset import task_manifest_sha256
from scoring.human import load_human_reference
from scoring.normalize import (
    GROUPS,
    ScoringInputError,
    WorldScore,
    aggregate,
    difficulty_bin,
    human_normalized,
    iqm,
    load_random_baseline,
    load_run,
    random_normalized,
    success_by_difficulty,
)

FIXTURE = {"source": "test fixture, not real human data", "collected": "never (built by the test)"}


def episode_line(world_id: str, score: float = 0.5, success: bool = False, agent: str = "a") -> dict[str, Any]:
    task, seed, difficulty = world_id.split("__")
    return {
        "world_id": world_id,
        "task": task,
        "difficulty": float(difficulty),
        "seed": int(seed),
        "success": success,
        "score": score,
        "return": score - 0.5,
        "steps": 10,
        "wall_seconds": 0.5,
        "agent": agent,
    }


def write_run(directory: Path, lines: list[Any], run: dict[str, Any] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    meta = run if run is not None else {"agent": "a", "split": "test", "manifest_sha256": "0" * 64}
    (directory / "run.json").write_text(json.dumps(meta))
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    (directory / "episodes.jsonl").write_text(text + "\n")
    return directory


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_normalized_scores_by_hand() -> None:
    assert random_normalized(0.8, 0.2) == pytest.approx(0.6)
    assert random_normalized(0.1, 0.2) == 0.0  # below random is clipped, not negative
    assert human_normalized(0.8, 0.2, 1.4) == pytest.approx(0.5)
    assert human_normalized(2.0, 0.2, 1.4) == pytest.approx(1.5)  # above human is not capped
    assert human_normalized(0.1, 0.2, 1.4) == 0.0
    assert human_normalized(0.8, 0.5, 0.5) is None  # human == random: undefined
    assert human_normalized(0.8, 0.5, 0.4) is None


def test_world_score_kinds_and_dropped() -> None:
    world = WorldScore("eat__0__0", Task.EAT, 0.0, True, raw=0.8, random=0.2, human=1.4)
    assert world.score("raw") == 0.8
    assert world.score("random_normalized") == pytest.approx(0.6)
    assert world.score("human_normalized") == pytest.approx(0.5)
    dropped = WorldScore("eat__1__0", Task.EAT, 0.0, False, raw=0.8, random=0.5, human=0.3)
    assert dropped.dropped and dropped.human_normalized is None and dropped.random_normalized == pytest.approx(0.3)
    no_human = WorldScore("eat__2__0", Task.EAT, 0.0, False, raw=0.8, random=0.5, human=None)
    assert not no_human.dropped and no_human.human_normalized is None
    no_random = WorldScore("eat__3__0", Task.EAT, 0.0, False, raw=0.8, random=None, human=1.0)
    assert no_random.random_normalized is None and no_random.human_normalized is None
    with pytest.raises(ValueError, match="unknown score kind"):
        world.score("optimality_gap")


def test_iqm_by_hand_and_against_rliable() -> None:
    assert iqm(np.array([100.0, 1, 2, 3, 4, 5, 6, 7])) == pytest.approx(4.5)  # drops 2 per end: mean(3, 4, 5, 6)
    assert iqm(np.array([5.0, 1, 4, 2, 3])) == pytest.approx(3.0)  # drops 1 per end: mean(2, 3, 4)
    assert iqm(np.array([7.0])) == 7.0
    rng = np.random.default_rng(1)
    for size in (1, 2, 3, 4, 5, 9, 50, 51):
        values = rng.normal(size=size)
        assert iqm(values) == pytest.approx(float(metrics.aggregate_iqm(values)))


def test_groups() -> None:
    assert len(GROUPS["basic"]) == 16 and len(GROUPS["all"]) == 20
    assert set(GROUPS["compositional"]) == {Task.NAVIGATE, Task.FIND, Task.GATHER, Task.SURVIVE}


def test_aggregate_by_hand_with_unequal_tasks() -> None:
    per_task, per_group = aggregate({Task.EAT: [1.0, 2.0, 3.0], Task.MOVE: [4.0]})
    assert per_task[Task.EAT].mean == pytest.approx(2.0) and per_task[Task.EAT].iqm == pytest.approx(2.0)
    assert per_task[Task.MOVE].mean == 4.0 and per_task[Task.MOVE].mean_ci == (4.0, 4.0)  # one world: no spread
    basic = per_group["basic"]
    assert basic.mean == pytest.approx(2.5)  # world-pooled as the original: (1 + 2 + 3 + 4) / 4
    assert basic.task_mean == pytest.approx(3.0)  # the secondary figure: mean of task means, (2 + 4) / 2
    assert basic.iqm == pytest.approx(2.5)  # pooled worlds 1, 2, 3, 4: mean(2, 3)
    assert basic.optimality_gap == pytest.approx(0.0)  # every world at or above 1
    assert (basic.worlds, basic.tasks) == (4, 2)
    assert per_group["all"] == basic
    assert "compositional" not in per_group  # no values: left out, not zero
    assert basic.mean_ci[0] <= basic.mean <= basic.mean_ci[1]
    assert basic.task_mean_ci[0] <= basic.task_mean <= basic.task_mean_ci[1]
    assert 1.0 <= basic.iqm_ci[0] <= basic.iqm <= basic.iqm_ci[1] <= 4.0


def test_aggregate_matches_rliable_and_is_reproducible() -> None:
    rng = np.random.default_rng(2)
    values = {task: list(rng.random(7)) for task in GROUPS["all"]}
    per_task, per_group = aggregate(values, reps=300)
    matrix = np.column_stack([values[task] for task in Task])
    pooled = matrix.reshape(-1, 1)  # the original's group figures: all worlds pooled (rows) by runs (columns)
    assert per_group["all"].mean == pytest.approx(float(metrics.aggregate_mean(pooled)))
    assert per_group["all"].task_mean == pytest.approx(float(metrics.aggregate_mean(matrix)))
    assert per_group["all"].iqm == pytest.approx(float(metrics.aggregate_iqm(matrix)))
    assert per_group["all"].optimality_gap == pytest.approx(float(metrics.aggregate_optimality_gap(pooled)))
    basic = np.column_stack([values[task] for task in GROUPS["basic"]])
    assert per_group["basic"].iqm == pytest.approx(float(metrics.aggregate_iqm(basic)))
    for task in Task:
        task_values = np.array(values[task])
        assert per_task[task].iqm == pytest.approx(float(metrics.aggregate_iqm(task_values)))
        assert per_task[task].optimality_gap == pytest.approx(float(metrics.aggregate_optimality_gap(task_values)))
    state = np.random.get_state()
    again = aggregate(values, reps=300)
    assert again == (per_task, per_group)  # fixed bootstrap seed
    assert np.array_equal(np.random.get_state()[1], state[1])  # the caller's global RNG is left alone
    assert aggregate({}) == ({}, {})


def test_aggregate_ragged_per_task_iqm() -> None:
    rng = np.random.default_rng(3)
    values = {task: list(rng.normal(size=size)) for task, size in zip(Task, range(1, 21), strict=True)}
    per_task, _ = aggregate(values, reps=50)
    for task, scores in values.items():
        assert per_task[task].iqm == pytest.approx(float(metrics.aggregate_iqm(np.array(scores))))
        assert per_task[task].mean == pytest.approx(float(np.mean(scores)))


def test_difficulty_bins() -> None:
    assert [difficulty_bin(d) for d in (0.0, 0.05, 0.1, 0.29, 0.3, 0.7, 0.99, 1.0)] == [0, 0, 1, 2, 3, 7, 9, 9]
    worlds = [
        WorldScore("eat__0__0", Task.EAT, 0.0, True, 1.0, None, None),
        WorldScore("eat__1__0.05", Task.EAT, 0.05, False, 0.0, None, None),
        WorldScore("eat__2__1", Task.EAT, 1.0, True, 1.0, None, None),
    ]
    bins = success_by_difficulty(worlds)
    assert len(bins) == 10 and bins[0] == {"bin": "0.0-0.1", "worlds": 2, "successes": 1, "rate": 0.5}
    assert bins[9] == {"bin": "0.9-1.0", "worlds": 1, "successes": 1, "rate": 1.0}
    assert bins[5]["rate"] is None


def test_load_run(tmp_path: Path) -> None:
    run, episodes = load_run(write_run(tmp_path / "run", [episode_line("eat__3__0.5", 1.2, True), ""]))
    assert run["agent"] == "a" and len(episodes) == 1
    e = episodes[0]
    assert (e.task, e.seed, e.difficulty, e.success, e.score, e.episode_return) == (Task.EAT, 3, 0.5, True, 1.2, 0.7)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "episodes.jsonl:2: not valid JSON"),
        ({**episode_line("eat__1__0"), "score": None}, "'score' must be int or float"),
        ({**episode_line("eat__1__0"), "success": 1}, "'success' must be bool"),
        ({**episode_line("eat__1__0"), "task": "fly"}, "unknown task 'fly'"),
        ({**episode_line("eat__1__0"), "task": "move"}, "does not start with its task"),
        ({**episode_line("eat__1__0"), "difficulty": 1.5}, "difficulty must be in"),
        ({k: v for k, v in episode_line("eat__1__0").items() if k != "steps"}, "missing key"),
        (episode_line("eat__0__0"), "already on line 1"),
        (episode_line("eat__1__0", agent="b"), "differs from run.json"),
    ],
)
def test_load_run_rejects_bad_lines(tmp_path: Path, line: Any, message: str) -> None:
    run_dir = write_run(tmp_path / "run", [episode_line("eat__0__0"), line])
    with pytest.raises(ScoringInputError, match=message):
        load_run(run_dir)


def test_load_run_needs_run_json(tmp_path: Path) -> None:
    with pytest.raises(ScoringInputError, match="no run.json"):
        load_run(tmp_path)
    with pytest.raises(ScoringInputError, match="'manifest_sha256' must be a string"):
        load_run(write_run(tmp_path / "run", [], run={"agent": "a", "split": "test"}))


def test_random_baseline_mean_per_world(tmp_path: Path) -> None:
    scores = {"eat__0__0": [0.1, 0.3], "move__50__0": [1.0]}
    path = write_json(tmp_path / "random.json", random_baseline(scores))
    baseline = load_random_baseline(path, task_manifest_sha256)
    assert baseline.scores == {"eat__0__0": pytest.approx(0.2), "move__50__0": 1.0}
    assert baseline.seeds == {"eat__0__0": 2, "move__50__0": 1} and baseline.stale_tasks == ()


def test_random_baseline_leaves_out_tasks_whose_manifest_changed(tmp_path: Path) -> None:
    data = random_baseline({"eat__0__0": [0.1, 0.3], "move__50__0": [1.0]})
    data["provenance"]["tasks"]["move"]["manifest_sha256"] = "0" * 64  # played on other MOVE worlds
    data["scores"]["jump__100__0"] = [0.5]  # a task the provenance does not list
    baseline = load_random_baseline(write_json(tmp_path / "random.json", data), task_manifest_sha256)
    assert baseline.scores == {"eat__0__0": pytest.approx(0.2)} and baseline.stale_tasks == ("move",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ({"format": 1, "provenance": {"tasks": {}}, "scores": {}}, "format 1 is not the supported 2"),
        ({"format": 2, "scores": {}}, "missing key.*'provenance'"),
        ({"format": 2, "provenance": {}, "scores": {}}, "'provenance' must be an object with a 'tasks' object"),
        ({"format": 2, "provenance": {"tasks": {}}, "scores": {}, "extra": 1}, "unknown key.*'extra'"),
        ({"format": 2, "provenance": {"tasks": {}}, "scores": {"eat__0__0": []}}, "non-empty list"),
        ('{"format": 2, "provenance": {"tasks": {}}, "scores": {"eat__0__0": [NaN]}}', "finite"),
    ],
)
def test_random_baseline_errors(tmp_path: Path, data: Any, message: str) -> None:
    path = write_json(tmp_path / "random.json", data)
    with pytest.raises(ScoringInputError, match=message) as error:
        load_random_baseline(path)
    assert str(path) in str(error.value)


def human_file(plays: dict[str, list[dict[str, Any]]], provenance: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"format": 1, "provenance": FIXTURE if provenance is None else provenance, "plays": plays}


def test_human_reference_means_over_files(tmp_path: Path) -> None:
    write_json(tmp_path / "ref" / "a.json", human_file({"eat__0__0": [{"player": "p1", "score": 1.0}]}))
    nested = {"eat__0__0": [{"player": "p2", "score": 2.0}], "move__0__0": [{"player": "p1", "score": 0.5}]}
    write_json(tmp_path / "ref" / "more" / "b.json", human_file(nested))
    reference = load_human_reference(tmp_path / "ref")
    assert reference.scores() == {"eat__0__0": pytest.approx(1.5), "move__0__0": 0.5}
    assert [(f.path.name, f.worlds, f.plays) for f in reference.files] == [("a.json", 1, 1), ("b.json", 2, 2)]
    assert reference.files[0].provenance == FIXTURE


def test_human_reference_absent_is_empty(tmp_path: Path) -> None:
    assert load_human_reference(None).files == ()
    assert load_human_reference(tmp_path / "missing").scores() == {}
    (tmp_path / "empty").mkdir()
    assert load_human_reference(tmp_path / "empty").plays == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not json", "not valid JSON"),
        ({**human_file({}), "format": "1"}, "format '1' is not the supported 1"),
        ({"format": 1, "plays": {}}, "missing key.*'provenance'"),
        (human_file({}, provenance={"source": "fixture"}), "provenance needs a non-empty string 'collected'"),
        (human_file({"eat__0__0": []}), "world eat__0__0: expected a non-empty list"),
        (human_file({"eat__0__0": [{"player": "p1"}]}), "play 0: missing key.*'score'"),
        (human_file({"eat__0__0": [{"player": "p1", "score": 1, "hp": 2}]}), "unknown key.*'hp'"),
        (human_file({"eat__0__0": [{"player": "", "score": 1}]}), "'player' must be a non-empty string"),
        (human_file({"eat__0__0": [{"player": "p1", "score": "1"}]}), "score must be a finite number"),
        (json.dumps(human_file({"eat__0__0": [{"player": "p1", "score": float("inf")}]})), "finite"),
        (human_file({"eat__0__0": [{"player": "p1", "score": 1}, {"player": "p1", "score": 2}]}), "already has a play"),
    ],
)
def test_human_reference_errors(tmp_path: Path, data: Any, message: str) -> None:
    path = write_json(tmp_path / "ref" / "bad.json", data)
    with pytest.raises(ScoringInputError, match=message) as error:
        load_human_reference(tmp_path / "ref")
    assert str(path) in str(error.value)
    assert isinstance(error.value, ValueError)


def test_human_reference_same_player_twice_across_files(tmp_path: Path) -> None:
    play = {"eat__0__0": [{"player": "p1", "score": 1.0}]}
    write_json(tmp_path / "ref" / "a.json", human_file(play))
    write_json(tmp_path / "ref" / "copy.json", human_file(play))
    with pytest.raises(ScoringInputError, match=r"copy.json: player 'p1' already has a play.*a.json"):
        load_human_reference(tmp_path / "ref")
