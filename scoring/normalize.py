"""Per-world normalization and the aggregates of the scoring report (docs/scoring.md).

Pure functions over an evaluation run (`episodes.jsonl`), the random-policy baseline and the human reference:
each world gets a raw score, a random-normalized score max(0, agent - random) and, where a human beat random on it,
a human-normalized score max(0, agent - random) / (human - random). Aggregates (mean, IQM and optimality gap, as
rliable computes them) are per task and per task group, world-pooled as the original's, with percentile bootstrap
confidence intervals over the worlds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from avalon.tasks import TASKS, Task, UnknownTaskError, resolve_task

GROUPS: dict[str, tuple[Task, ...]] = {
    "basic": tuple(task for task in Task if TASKS[task].basic),
    "compositional": tuple(task for task in Task if TASKS[task].compositional),
    "all": tuple(Task),
}
BIN_WIDTH = 0.1  # success-by-difficulty bins, as the original's eval_difficulty_bin_size
NUM_BINS = 10  # d = 1.0 goes in the last bin
BOOTSTRAP_REPS = 2000
BOOTSTRAP_SEED = 0  # fixed so the same run always gives the same report
CONFIDENCE = 0.95
BASELINE_FORMAT = 2  # 2: provenance per task, with the hash of the task's manifest file
EPISODE_FIELDS: dict[str, tuple[type, ...]] = {
    "world_id": (str,),
    "task": (str,),
    "difficulty": (int, float),
    "seed": (int,),
    "success": (bool,),
    "score": (int, float),
    "return": (int, float),
    "steps": (int,),
    "wall_seconds": (int, float),
    "agent": (str,),
}
RUN_FIELDS = ("agent", "split", "manifest_sha256")


class ScoringInputError(ValueError):
    """A run, baseline or reference file that cannot be used; the message names the file and the problem."""


def read_json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ScoringInputError(f"{path}: cannot read: {error}") from None
    except json.JSONDecodeError as error:
        raise ScoringInputError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ScoringInputError(f"{path}: expected a JSON object at the top level, got {type(data).__name__}")
    return data


def check_keys(data: Mapping[str, Any], required: Iterable[str], where: str) -> None:
    """Every required key present and no other: a key we would not read is a mistake, not something to ignore."""
    required = tuple(required)
    missing = [key for key in required if key not in data]
    unknown = sorted(set(data) - set(required))
    if missing:
        raise ScoringInputError(f"{where}: missing key(s) {', '.join(map(repr, missing))}")
    if unknown:
        raise ScoringInputError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")


def finite_score(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScoringInputError(f"{where}: score must be a finite number, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Episode:
    """One line of `episodes.jsonl`: the agent's single episode in one evaluation world."""

    world_id: str
    task: Task
    difficulty: float
    seed: int
    success: bool
    score: float
    episode_return: float
    steps: int
    wall_seconds: float
    agent: str


def _parse_episode(line: str, where: str) -> Episode:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise ScoringInputError(f"{where}: not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ScoringInputError(f"{where}: expected a JSON object, got {type(data).__name__}")
    missing = [key for key in EPISODE_FIELDS if key not in data]
    if missing:
        raise ScoringInputError(f"{where}: missing key(s) {', '.join(map(repr, missing))}")
    for key, types in EPISODE_FIELDS.items():
        value = data[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ScoringInputError(f"{where}: {key!r} must be {' or '.join(t.__name__ for t in types)}, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ScoringInputError(f"{where}: {key!r} must be finite, got {value!r}")
    try:
        task = resolve_task(data["task"])
    except UnknownTaskError as error:
        raise ScoringInputError(f"{where}: {error}") from None
    if not data["world_id"].startswith(f"{task.name.lower()}__"):
        raise ScoringInputError(f"{where}: world id {data['world_id']!r} does not start with its task {data['task']!r}")
    if not 0.0 <= data["difficulty"] <= 1.0:
        raise ScoringInputError(f"{where}: difficulty must be in [0, 1], got {data['difficulty']!r}")
    return Episode(
        world_id=data["world_id"],
        task=task,
        difficulty=float(data["difficulty"]),
        seed=data["seed"],
        success=data["success"],
        score=float(data["score"]),
        episode_return=float(data["return"]),
        steps=data["steps"],
        wall_seconds=float(data["wall_seconds"]),
        agent=data["agent"],
    )


def load_run(run_dir: Path) -> tuple[dict[str, Any], list[Episode]]:
    """`run.json` (kept whole; agent, split and manifest_sha256 required) and the episodes, one per world."""
    run_path, episodes_path = run_dir / "run.json", run_dir / "episodes.jsonl"
    if not run_path.is_file():
        raise ScoringInputError(f"{run_dir}: not a run directory (no run.json)")
    run = read_json_object(run_path)
    for key in RUN_FIELDS:
        if not isinstance(run.get(key), str):
            raise ScoringInputError(f"{run_path}: {key!r} must be a string, got {run.get(key)!r}")
    if not episodes_path.is_file():
        raise ScoringInputError(f"{run_dir}: no episodes.jsonl")
    episodes: list[Episode] = []
    first_line: dict[str, int] = {}
    with episodes_path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{episodes_path}:{number}"
            episode = _parse_episode(line, where)
            if episode.world_id in first_line:
                raise ScoringInputError(
                    f"{where}: world {episode.world_id} already on line {first_line[episode.world_id]}"
                )
            if episode.agent != run["agent"]:
                raise ScoringInputError(f"{where}: agent {episode.agent!r} differs from run.json's {run['agent']!r}")
            first_line[episode.world_id] = number
            episodes.append(episode)
    return run, episodes


@dataclass(frozen=True)
class RandomBaseline:
    """Mean score of the random policy per world (one score per random seed in the file), with its provenance.
    `stale_tasks`: tasks whose scores were left out because their manifest file changed since they were played."""

    path: Path
    provenance: dict[str, Any]
    scores: dict[str, float]
    seeds: dict[str, int]
    stale_tasks: tuple[str, ...] = ()


def load_random_baseline(path: Path, task_hashes: Callable[[str], str | None] | None = None) -> RandomBaseline:
    """`task_hashes(task)`: the current hash of a task's manifest file; a task whose recorded hash differs has its
    scores left out (they were played on other worlds). None: keep everything (no manifest to compare with)."""
    data = read_json_object(path)
    check_keys(data, ("format", "provenance", "scores"), str(path))
    if data["format"] != BASELINE_FORMAT:
        raise ScoringInputError(f"{path}: format {data['format']!r} is not the supported {BASELINE_FORMAT}")
    if not isinstance(data["provenance"], dict) or not isinstance(data["provenance"].get("tasks"), dict):
        raise ScoringInputError(f"{path}: 'provenance' must be an object with a 'tasks' object")
    if not isinstance(data["scores"], dict):
        raise ScoringInputError(f"{path}: 'scores' must be an object of world id -> list of scores")
    stale = []
    if task_hashes is not None:
        for task, info in data["provenance"]["tasks"].items():
            if not isinstance(info, dict) or info.get("manifest_sha256") != task_hashes(task):
                stale.append(task)
    means, seeds = {}, {}
    for world_id, values in data["scores"].items():
        if not isinstance(values, list) or not values:
            raise ScoringInputError(f"{path}: world {world_id}: expected a non-empty list of scores, got {values!r}")
        scores = [finite_score(value, f"{path}: world {world_id}") for value in values]
        task = world_id.split("__")[0]
        if task in stale or task not in data["provenance"]["tasks"]:
            continue
        means[world_id], seeds[world_id] = float(np.mean(scores)), len(scores)
    return RandomBaseline(path, data["provenance"], means, seeds, tuple(stale))


def random_normalized(agent: float, random: float) -> float:
    """How far the agent got above the random policy, in raw score units; below random counts as 0."""
    return max(0.0, agent - random)


def human_normalized(agent: float, random: float, human: float) -> float | None:
    """max(0, agent - random) / (human - random): 0 = random, 1 = human; None where human <= random (undefined)."""
    if human <= random:
        return None
    return random_normalized(agent, random) / (human - random)


@dataclass(frozen=True)
class WorldScore:
    """One world of the run with its reference scores (None where the reference has no entry for it)."""

    world_id: str
    task: Task
    difficulty: float
    success: bool
    raw: float
    random: float | None
    human: float | None

    @property
    def random_normalized(self) -> float | None:
        return None if self.random is None else random_normalized(self.raw, self.random)

    @property
    def human_normalized(self) -> float | None:
        if self.random is None or self.human is None:
            return None
        return human_normalized(self.raw, self.random, self.human)

    @property
    def dropped(self) -> bool:
        """Both references exist but no human beat random here, so the world has no human-normalized score."""
        return self.random is not None and self.human is not None and self.human <= self.random

    def as_dict(self) -> dict[str, Any]:
        return {
            "world_id": self.world_id,
            "task": self.task.name.lower(),
            "difficulty": self.difficulty,
            "success": self.success,
            "raw": self.raw,
            "random": self.random,
            "human": self.human,
            "random_normalized": self.random_normalized,
            "human_normalized": self.human_normalized,
        }

    def score(self, kind: str) -> float | None:
        if kind == "raw":
            return self.raw
        if kind == "random_normalized":
            return self.random_normalized
        if kind == "human_normalized":
            return self.human_normalized
        raise ValueError(f"unknown score kind {kind!r}; kinds: raw, random_normalized, human_normalized")


def world_scores(
    episodes: Sequence[Episode], random: Mapping[str, float], human: Mapping[str, float]
) -> list[WorldScore]:
    return [
        WorldScore(e.world_id, e.task, e.difficulty, e.success, e.score, random.get(e.world_id), human.get(e.world_id))
        for e in episodes
    ]


def difficulty_bin(difficulty: float) -> int:
    """Bin index of width 0.1; the epsilon keeps 0.3 (= 2.9999...) in bin 3 and d = 1.0 joins bin 9."""
    return min(int(math.floor(difficulty / BIN_WIDTH + 1e-9)), NUM_BINS - 1)


def bin_label(index: int) -> str:
    return f"{index * BIN_WIDTH:.1f}-{(index + 1) * BIN_WIDTH:.1f}"


def success_by_difficulty(worlds: Iterable[WorldScore]) -> list[dict[str, Any]]:
    """Per difficulty bin: worlds, successes and the rate (None for an empty bin)."""
    counts, successes = [0] * NUM_BINS, [0] * NUM_BINS
    for world in worlds:
        index = difficulty_bin(world.difficulty)
        counts[index] += 1
        successes[index] += world.success
    return [
        {"bin": bin_label(i), "worlds": n, "successes": k, "rate": k / n if n else None}
        for i, (n, k) in enumerate(zip(counts, successes, strict=True))
    ]


def iqm(values: np.ndarray) -> float:
    """Interquartile mean, exactly `rliable.metrics.aggregate_iqm` (scipy's trim_mean cutting int(n/4) per end).

    Used inside the bootstrap: scipy's argument-checking wrapper costs ~0.2 ms a call, which made one report take
    tens of seconds. The tests check it against rliable's function."""
    ordered = np.sort(np.asarray(values), axis=None)
    cut = int(0.25 * ordered.size)
    return float(ordered[cut : ordered.size - cut].mean())


OPTIMALITY_GAMMA = 1.0  # the optimality gap's threshold (rliable's gamma; the original used 1 = human level)


def optimality_gap(values: np.ndarray, gamma: float = OPTIMALITY_GAMMA, axis: int | None = None) -> Any:
    """How far the worlds fall short of `gamma` on average, never counting a world above it: exactly
    `rliable.metrics.aggregate_optimality_gap` (lower is better). Over all values, or per row along `axis`."""
    return gamma - np.minimum(np.asarray(values, dtype=np.float64), gamma).mean(axis=axis)


@dataclass(frozen=True)
class Estimate:
    """Mean, IQM and optimality gap of one score over a set of worlds, each with its bootstrap confidence interval.

    For a group, these pool all the group's worlds (the original's world-pooled figures); `task_mean` is the mean of
    its task means (every task weighs the same) with a task-stratified interval, a secondary figure."""

    worlds: int
    tasks: int
    mean: float
    mean_ci: tuple[float, float]
    iqm: float
    iqm_ci: tuple[float, float]
    optimality_gap: float
    optimality_gap_ci: tuple[float, float]
    task_mean: float
    task_mean_ci: tuple[float, float]

    def as_dict(self) -> dict[str, Any]:
        return {
            "worlds": self.worlds,
            "tasks": self.tasks,
            "mean": self.mean,
            "mean_ci": list(self.mean_ci),
            "iqm": self.iqm,
            "iqm_ci": list(self.iqm_ci),
            "optimality_gap": self.optimality_gap,
            "optimality_gap_ci": list(self.optimality_gap_ci),
            "task_mean": self.task_mean,
            "task_mean_ci": list(self.task_mean_ci),
        }


def _interval(samples: np.ndarray) -> tuple[float, float]:
    """The percentile interval of bootstrap statistics (rliable's method)."""
    tail = 100.0 * (1.0 - CONFIDENCE) / 2.0
    low, high = np.percentile(samples, [tail, 100.0 - tail])
    return float(low), float(high)


BOOTSTRAP_CHUNK = 250  # reps drawn at once (bounds memory on large runs with many seeds)


def _resample(rng: np.random.Generator, values: np.ndarray, reps: int) -> np.ndarray:
    """`reps` bootstrap draws of a (worlds, seeds) matrix: in every seed's column, as many worlds as it has, drawn
    with replacement (rliable's stratified bootstrap of a worlds x runs matrix); shape (reps, worlds, seeds)."""
    worlds, seeds = values.shape
    rows = rng.integers(0, worlds, size=(reps, worlds, seeds))
    return values[rows, np.arange(seeds)]


def _draw_statistics(draws: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, IQM (`iqm`'s trimming) and optimality gap of every draw (axis 0), over all its values."""
    flat = draws.reshape(len(draws), -1)
    n = flat.shape[1]
    cut = int(0.25 * n)
    ordered = np.sort(flat, axis=1)
    return flat.mean(axis=1), ordered[:, cut : n - cut].mean(axis=1), optimality_gap(flat, axis=1)


def _estimate(rng: np.random.Generator, per_task: Sequence[np.ndarray], reps: int) -> Estimate:
    """Figures of the pooled worlds of `per_task` (one (worlds, seeds) matrix per task), bootstrapped over the pooled
    worlds, and the mean of task means, bootstrapped within each task (stratified)."""
    pooled = np.concatenate(per_task)
    statistics: list[tuple[np.ndarray, ...]] = []
    task_means: list[np.ndarray] = []
    for start in range(0, reps, BOOTSTRAP_CHUNK):
        count = min(BOOTSTRAP_CHUNK, reps - start)
        statistics.append(_draw_statistics(_resample(rng, pooled, count)))
        task_means.append(np.mean([_resample(rng, v, count).mean(axis=(1, 2)) for v in per_task], axis=0))
    means, iqms, gaps = (np.concatenate(column) for column in zip(*statistics, strict=True))
    return Estimate(
        worlds=len(pooled),
        tasks=len(per_task),
        mean=float(pooled.mean()),
        mean_ci=_interval(means),
        iqm=iqm(pooled),
        iqm_ci=_interval(iqms),
        optimality_gap=float(optimality_gap(pooled)),
        optimality_gap_ci=_interval(gaps),
        task_mean=float(np.mean([values.mean() for values in per_task])),
        task_mean_ci=_interval(np.concatenate(task_means)),
    )


def aggregate(
    values: Mapping[Task, Sequence[float] | np.ndarray], reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED
) -> tuple[dict[Task, Estimate], dict[str, Estimate]]:
    """Mean, IQM and optimality gap per task and per group (GROUPS) over the tasks that have values, with 95 %
    percentile bootstrap intervals. A task's values are its worlds' scores, or a (worlds, seeds) matrix when several
    runs of one agent are pooled as seeds (every task with the same number of seeds).

    As the original's code does: a group's figures pool every world of its tasks and the bootstrap
    resamples those pooled worlds; a task's resample its own worlds. A group also carries the mean of its task means
    (every task weighs the same) as a secondary figure. Tasks and groups without values are left out, never counted as
    zero. Each estimate's draws come from a generator seeded with `seed` and its tasks, so the same inputs always give
    the same report and two groups with the same tasks the same intervals."""
    tasks = [task for task in Task if len(values.get(task, ())) > 0]
    arrays = {task: np.asarray(values[task], dtype=np.float64) for task in tasks}
    arrays = {task: a.reshape(-1, 1) if a.ndim == 1 else a for task, a in arrays.items()}
    if len({a.shape[1] for a in arrays.values()}) > 1:
        raise ValueError("every task needs the same number of seeds (columns)")

    def rng(members: Sequence[Task]) -> np.random.Generator:
        """Draws that depend on the seed and the tasks only: the same tasks give the same intervals."""
        return np.random.default_rng([seed, *(int(task) for task in members)])

    per_task = {task: _estimate(rng([task]), [arrays[task]], reps) for task in tasks}
    per_group = {}
    for name, members in GROUPS.items():
        present = [task for task in tasks if task in members]
        if present:
            per_group[name] = _estimate(rng(present), [arrays[task] for task in present], reps)
    return per_task, per_group
