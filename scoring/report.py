"""The scoring report of one or more evaluation runs, as JSON-ready data: `build_report` normalizes every run
against the references, aggregates per task and group, and compares agents. `scoring.render` turns the result into
files and the terminal table.

Runs of the same agent (same agent spec and checkpoint) are pooled as seeds; different agents are put side by side,
with rliable's probability of improvement between them and performance profiles. The report uses the best score the
references allow (human-normalized, else random-normalized, else raw) and says plainly which references are missing
rather than filling gaps: tasks without episodes are "unavailable", never zero.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from avalon.tasks import TASKS, Task, implemented_tasks
from scoring.evalset import task_manifest_sha256
from scoring.human import load_human_reference
from scoring.normalize import (
    BOOTSTRAP_REPS,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    GROUPS,
    Episode,
    Estimate,
    ScoringInputError,
    WorldScore,
    aggregate,
    load_random_baseline,
    load_run,
    success_by_difficulty,
    world_scores,
)

if TYPE_CHECKING:
    pass

REPORT_FORMAT = 2
NO_HUMAN = "No human reference scores yet: human-normalized scores are not available."
NO_RANDOM = "No random baseline yet: random-normalized and human-normalized scores are not available."
PROFILE_POINTS = 101

Estimates = dict[str, tuple[dict[Task, Estimate], dict[str, Estimate]]]  # score kind -> (per task, per group)


# --- runs and agents -------------------------------------------------------------------------------------------------


@dataclass
class AgentRuns:
    """The runs of one agent (same agent spec and checkpoint), pooled as seeds."""

    agent: str
    checkpoint: str | None
    dirs: list[Path] = field(default_factory=list)
    metadata: list[dict[str, Any]] = field(default_factory=list)
    episodes: list[list[Episode]] = field(default_factory=list)  # per run, in the same world order

    @property
    def label(self) -> str:
        return self.agent if self.checkpoint is None else f"{self.agent} @{self.checkpoint[:8]}"


def _group_runs(run_dirs: Sequence[Path]) -> list[AgentRuns]:
    """Load every run and put them together by agent; every run must cover the same worlds."""
    agents: dict[tuple[str, str | None], AgentRuns] = {}
    first: tuple[Path, list[str]] | None = None
    for run_dir in run_dirs:
        run, episodes = load_run(run_dir)
        ids = sorted(e.world_id for e in episodes)
        if first is None:
            first = (run_dir, ids)
        elif ids != first[1]:
            missing, extra = sorted(set(first[1]) - set(ids))[:3], sorted(set(ids) - set(first[1]))[:3]
            raise ScoringInputError(
                f"{run_dir} covers other worlds than {first[0]} ({len(ids)} vs {len(first[1])}; e.g. missing "
                f"{missing}, extra {extra}): runs that are compared or pooled must cover the same worlds"
            )
        key = (str(run["agent"]), run.get("checkpoint_sha256"))
        group = agents.setdefault(key, AgentRuns(*key))
        seed = run.get("agent_seed")
        if seed is not None and any(m.get("agent_seed") == seed for m in group.metadata):
            raise ScoringInputError(
                f"{run_dir} repeats agent seed {seed} of another run of {group.label}: the same run twice would count "
                "as two seeds"
            )
        order = {world_id: n for n, world_id in enumerate(ids)}
        group.dirs.append(run_dir)
        group.metadata.append(run)
        group.episodes.append(sorted(episodes, key=lambda e: order[e.world_id]))
    return list(agents.values())


def _success_rate(worlds: Sequence[WorldScore]) -> float:
    return sum(w.success for w in worlds) / len(worlds)


def _matrix(per_seed: list[list[WorldScore]], task: Task, kind: str) -> np.ndarray:
    """The `kind` scores of `task`'s worlds that have one: a (worlds, seeds) matrix."""
    rows = [
        [world.score(kind) for world in worlds]
        for worlds in zip(*per_seed, strict=True)
        if worlds[0].task == task and worlds[0].score(kind) is not None
    ]
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(per_seed))


def _task_entry(task: Task, episodes: Sequence[WorldScore], seeds: int, estimates: Estimates) -> dict[str, Any]:
    entry: dict[str, Any] = {"group": "compositional" if TASKS[task].compositional else "basic"}
    if not episodes:
        reason = "no episodes in this run" if task in implemented_tasks() else "no world generator yet"
        return {**entry, "status": "unavailable", "reason": reason}
    return {
        **entry,
        "status": "evaluated",
        "worlds": len(episodes) // seeds,
        "success_rate": _success_rate(episodes),
        "scores": {kind: per_task[task].as_dict() for kind, (per_task, _) in estimates.items() if task in per_task},
        "success_by_difficulty": success_by_difficulty(episodes),
    }


def _group_entry(name: str, by_task: dict[Task, list[WorldScore]], seeds: int, estimates: Estimates) -> dict[str, Any]:
    """A group's success rate pools its worlds, as its scores do (the original's world-pooled aggregates)."""
    evaluated = [task for task in GROUPS[name] if by_task[task]]
    pooled = [world for task in evaluated for world in by_task[task]]
    return {
        "tasks": [task.name.lower() for task in evaluated],
        "unavailable_tasks": [task.name.lower() for task in GROUPS[name] if not by_task[task]],
        "worlds": len(pooled) // seeds,
        "success_rate": _success_rate(pooled) if pooled else None,
        "scores": {kind: per_group[name].as_dict() for kind, (_, per_group) in estimates.items() if name in per_group},
        "success_by_difficulty": success_by_difficulty(pooled),
    }


def _agent_entry(
    agent: AgentRuns, random: dict[str, float], human: dict[str, float], kinds: list[str]
) -> dict[str, Any]:
    per_seed = [world_scores(episodes, random, human) for episodes in agent.episodes]
    seeds = len(per_seed)
    estimates: Estimates = {kind: aggregate({task: _matrix(per_seed, task, kind) for task in Task}) for kind in kinds}
    everything = [world for worlds in per_seed for world in worlds]
    by_task = {task: [w for w in everything if w.task == task] for task in Task}
    worlds = []
    for column in zip(*per_seed, strict=True):
        first = column[0].as_dict()
        for kind in ("raw", "random_normalized", "human_normalized"):
            values = [w.score(kind) for w in column]
            first[kind] = None if values[0] is None else float(np.mean(values))
        first["success"] = sum(w.success for w in column) / seeds
        worlds.append(first)
    return {
        "label": agent.label,
        "agent": agent.agent,
        "checkpoint_sha256": agent.checkpoint,
        "runs": [str(d) for d in agent.dirs],
        "agent_seeds": [m.get("agent_seed") for m in agent.metadata],
        "seeds": seeds,
        "steps": sum(e.steps for episodes in agent.episodes for e in episodes),
        "wall_seconds": sum(e.wall_seconds for episodes in agent.episodes for e in episodes),
        "tasks": {task.name.lower(): _task_entry(task, by_task[task], seeds, estimates) for task in Task},
        "groups": {name: _group_entry(name, by_task, seeds, estimates) for name in GROUPS},
        "worlds": worlds,
        "per_seed": per_seed,  # dropped before the report is returned
    }


# --- comparisons (rliable) -------------------------------------------------------------------------------------------


@contextmanager
def _numpy_global_seed(seed: int) -> Iterator[None]:
    """rliable draws its bootstrap indices from numpy's global RNG: seed it, and give the caller's state back."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _run_task_means(per_seed: list[list[WorldScore]], tasks: list[Task], kind: str) -> np.ndarray:
    """(runs, tasks): each run's mean `kind` score per task, as rliable's score matrices are laid out."""
    return np.array(
        [
            [np.mean([w.score(kind) for w in worlds if w.task == t and w.score(kind) is not None]) for t in tasks]
            for worlds in per_seed
        ]  # fmt: skip
    )


def _probability_of_improvement(agents: list[dict[str, Any]], kind: str, reps: int) -> list[dict[str, Any]]:
    """rliable's P(X > Y) for every pair of agents and every group: over tasks, the chance that a run of X scores
    above a run of Y on the task (+ half the ties), averaged over the group's tasks. Intervals need two runs or more
    of each agent (rliable resamples runs)."""
    from rliable import library as rly
    from rliable import metrics

    out = []
    for i, x in enumerate(agents):
        for y in agents[i + 1 :]:
            for group, members in GROUPS.items():
                tasks = [t for t in Task if t in members and x["tasks"][t.name.lower()]["status"] == "evaluated"]
                tasks = [t for t in tasks if kind in x["tasks"][t.name.lower()]["scores"]]
                if not tasks:
                    continue
                scores_x = _run_task_means(x["per_seed"], tasks, kind)
                scores_y = _run_task_means(y["per_seed"], tasks, kind)
                value = float(metrics.probability_of_improvement(scores_x, scores_y))
                interval = None
                if len(scores_x) > 1 and len(scores_y) > 1:
                    with _numpy_global_seed(BOOTSTRAP_SEED):
                        _, ci = rly.get_interval_estimates(
                            {"pair": (scores_x, scores_y)}, metrics.probability_of_improvement, reps=reps
                        )
                    interval = [float(ci["pair"][0]), float(ci["pair"][1])]
                out.append({"x": x["label"], "y": y["label"], "group": group, "probability": value, "ci": interval})
    return out


def _performance_profiles(agents: list[dict[str, Any]], kind: str, reps: int) -> dict[str, Any] | None:
    """Performance profiles of the `kind` score over all worlds: the fraction of (world, run) scores above tau, with
    rliable's intervals over runs where every agent has two runs or more (None without any score)."""
    matrices = {
        agent["label"]: np.array(
            [[w.score(kind) for w in worlds if w.score(kind) is not None] for worlds in agent["per_seed"]],
            dtype=np.float64,
        )  # fmt: skip
        for agent in agents
    }
    if any(m.size == 0 for m in matrices.values()):
        return None
    highest = max(float(m.max()) for m in matrices.values())
    taus = np.linspace(0.0, max(2.0 if kind == "human_normalized" else 1.1, highest), PROFILE_POINTS)
    intervals: dict[str, Any] = {}
    if all(len(m) > 1 for m in matrices.values()):
        from rliable import library as rly  # slow to import (pandas, seaborn): only when it has runs to resample

        with _numpy_global_seed(BOOTSTRAP_SEED):
            _, intervals = rly.create_performance_profile(matrices, taus, reps=reps)
    return {
        "score_kind": kind,
        "taus": taus.tolist(),
        "agents": {
            label: {
                "fraction": [float((m > tau).mean()) for tau in taus],
                "ci": np.asarray(intervals[label]).tolist() if label in intervals else None,
            }
            for label, m in matrices.items()
        },
    }


# --- notices ---------------------------------------------------------------------------------------------------------


def _reference_notices(worlds: list[WorldScore], random_note: str | None, human_files: int) -> list[str]:
    total = len(worlds)
    with_random = sum(w.random is not None for w in worlds)
    with_human = sum(w.human is not None for w in worlds)
    valid = sum(w.human_normalized is not None for w in worlds)
    dropped = sum(w.dropped for w in worlds)
    notices = []
    if random_note is not None:
        notices.append(f"{NO_RANDOM} Showing raw score and success rate only ({random_note}).")
    elif with_random == 0:
        notices.append(
            "The random baseline covers none of this run's worlds: random-normalized and human-normalized scores are "
            "not available. Showing raw score and success rate only."
        )
    elif with_random < total:
        notices.append(
            f"The random baseline covers {with_random} of {total} worlds; random-normalized figures use those."
        )
    if with_human == 0:
        files = f" (the {human_files} reference file(s) cover none of this run's worlds)" if human_files else ""
        shown = " Showing raw score, success rate and random-normalized score." if with_random else ""
        notices.append(f"{NO_HUMAN}{files}{shown}")
    elif with_random and valid == 0:
        notices.append("No world has a human score above random: human-normalized scores are not available.")
    elif with_random:
        notices.append(
            f"Human-normalized figures use {valid} of {total} worlds: {with_human} have human scores, {dropped} of "
            "them dropped because no human beat random there (listed below)."
        )
    return notices


def _spread_notices(agents: list[dict[str, Any]]) -> list[str]:
    notices = []
    single = [name for name, entry in agents[0]["tasks"].items() if entry.get("worlds") == 1]
    if single:
        notices.append(
            f"The intervals of {', '.join(single)} rest on one world each (a split such as minival): they show no "
            "spread, not certainty."
        )
    for agent in agents:
        if agent["seeds"] > 1:
            notices.append(f"{agent['label']}: {agent['seeds']} runs pooled as seeds (agent seeds "
                           f"{', '.join(str(s) for s in agent['agent_seeds'])}).")  # fmt: skip
    if len(agents) > 1 and any(a["seeds"] < 2 for a in agents):
        notices.append(
            "Probability of improvement and performance profiles have no intervals here: rliable resamples runs, and "
            "an agent with one run has nothing to resample (pool several runs of each agent for intervals)."
        )
    return notices


# --- the report ------------------------------------------------------------------------------------------------------


def build_report(
    run_dirs: Path | Sequence[Path], random_path: Path | None, human_dir: Path | None, reps: int = BOOTSTRAP_REPS
) -> dict[str, Any]:
    """Everything the report shows, as plain JSON data. `random_path` / `human_dir` None or missing = not available.
    With one agent, its tasks, groups and worlds are also at the top level."""
    dirs = [run_dirs] if isinstance(run_dirs, Path) else list(run_dirs)
    if not dirs:
        raise ScoringInputError("no run directory given")
    grouped = _group_runs(dirs)
    baseline = (
        load_random_baseline(random_path, task_manifest_sha256)
        if random_path is not None and random_path.is_file()
        else None
    )
    human = load_human_reference(human_dir)
    random_scores, human_scores = (baseline.scores if baseline else {}), human.scores()
    sample = world_scores(grouped[0].episodes[0], random_scores, human_scores)
    random_note = None
    if baseline is None:
        random_note = "no baseline file" if random_path is None else f"no file at {random_path}"
    stale_note = (
        f"The random baseline's scores for {', '.join(baseline.stale_tasks)} were played on other worlds (the "
        "task's manifest changed since): left out until `avalon-score baseline random --tasks ...` replays them."
        if baseline is not None and baseline.stale_tasks
        else None
    )
    kinds = ["raw"]
    if any(w.random is not None for w in sample):
        kinds.append("random_normalized")
    if any(w.human_normalized is not None for w in sample):
        kinds.append("human_normalized")
    headline = kinds[-1]
    agents = [_agent_entry(agent, random_scores, human_scores, kinds) for agent in grouped]

    comparisons: dict[str, Any] = {"probability_of_improvement": [], "performance_profiles": None}
    if len(agents) > 1:
        comparisons["probability_of_improvement"] = _probability_of_improvement(agents, headline, reps)
    comparisons["performance_profiles"] = _performance_profiles(agents, headline, reps)

    notices = _reference_notices(sample, random_note, len(human.files)) + _spread_notices(agents)
    if stale_note is not None:
        notices.insert(0, stale_note)
    tasks = agents[0]["tasks"]
    unavailable = [name for name, entry in tasks.items() if entry["status"] == "unavailable"]
    if unavailable:
        notices.append(
            f"Unavailable tasks (no episodes in this run; left out, not counted as zero): {', '.join(unavailable)}."
        )
    runs = [
        {
            "dir": str(d),
            "agent": m["agent"],
            "label": agent.label,
            "agent_seed": m.get("agent_seed"),
            "split": m["split"],
            "manifest_sha256": m["manifest_sha256"],
            "metadata": m,
        }
        for agent in grouped
        for d, m in zip(agent.dirs, agent.metadata, strict=True)
    ]
    for agent in agents:
        del agent["per_seed"]
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "split": runs[0]["split"],
        "worlds": len(sample),
        "runs": runs,
        "agents": agents,
        "comparisons": comparisons,
        "references": {
            "random": {
                "path": None if random_path is None else str(random_path),
                "available": baseline is not None,
                "provenance": None if baseline is None else baseline.provenance,
                "worlds_covered": sum(w.random is not None for w in sample),
            },
            "human": {
                "dir": None if human_dir is None else str(human_dir),
                "files": [
                    {"path": str(f.path), "provenance": f.provenance, "worlds": f.worlds, "plays": f.plays}
                    for f in human.files
                ],
                "worlds_covered": sum(w.human is not None for w in sample),
                "worlds_normalized": sum(w.human_normalized is not None for w in sample),
            },
        },
        "bootstrap": {
            "method": "percentile bootstrap over worlds (rliable's percentile intervals)",
            "samples": "a task's worlds; for a group, all its worlds pooled (mean of task means: within each task); "
            "with several runs of an agent, worlds resampled within each run",
            "reps": reps,
            "seed": BOOTSTRAP_SEED,
            "confidence": CONFIDENCE,
        },
        "score_kinds": kinds,
        "headline": headline,
        "notices": notices,
        "unavailable_tasks": [{"task": name, "reason": tasks[name]["reason"]} for name in unavailable],
        "dropped_worlds": [
            {"world_id": w.world_id, "task": w.task.name.lower(), "human": w.human, "random": w.random}
            for w in sample
            if w.dropped
        ],
    }
    if len(agents) == 1:
        report.update(tasks=agents[0]["tasks"], groups=agents[0]["groups"], worlds_detail=agents[0]["worlds"])
    return report
