"""The scoring report of one or more evaluation runs: `build_report` makes a JSON-ready dict, `write_report` renders
it as `report.json`, `report.md`, a self-contained `report.html` (inline CSS, plots as embedded PNGs), `report.csv`
(one row per agent and task) and `leaderboard.json`, and `format_terminal` gives the tables `avalon-score report`
prints.

Runs of the same agent (same agent spec and checkpoint) are pooled as seeds; different agents are put side by side,
with rliable's probability of improvement between them and performance profiles. The report shows the best score the
references allow (human-normalized, else random-normalized, else raw) and says plainly which references are missing
rather than filling gaps: tasks without episodes are "unavailable", never zero.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from avalon.tasks import TASKS, Task, implemented_tasks
from scoring.human import load_human_reference
from scoring.normalize import (
    BIN_WIDTH,
    BOOTSTRAP_REPS,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    GROUPS,
    OPTIMALITY_GAMMA,
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
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

REPORT_FORMAT = 2
LEADERBOARD_FORMAT = 1
KIND_LABELS = {"human_normalized": "human-normalized", "random_normalized": "random-normalized", "raw": "raw score"}
NO_HUMAN = "No human reference scores yet: human-normalized scores are not available."
NO_RANDOM = "No random baseline yet: random-normalized and human-normalized scores are not available."
PROFILE_POINTS = 101
CSV_COLUMNS = (
    "agent", "checkpoint_sha256", "task", "group", "status", "worlds", "seeds", "success_rate", "score_kind",
    "mean", "mean_low", "mean_high", "iqm", "iqm_low", "iqm_high",
    "optimality_gap", "optimality_gap_low", "optimality_gap_high",
)  # fmt: skip

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows
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
    baseline = load_random_baseline(random_path) if random_path is not None and random_path.is_file() else None
    human = load_human_reference(human_dir)
    random_scores, human_scores = (baseline.scores if baseline else {}), human.scores()
    sample = world_scores(grouped[0].episodes[0], random_scores, human_scores)
    random_note = None
    if baseline is None:
        random_note = "no baseline file" if random_path is None else f"no file at {random_path}"
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


# --- tables ----------------------------------------------------------------------------------------------------------


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _with_ci(estimate: dict[str, Any] | None, key: str) -> str:
    if estimate is None:
        return "-"
    low, high = estimate[f"{key}_ci"]
    return f"{estimate[key]:.3f} [{low:.3f}, {high:.3f}]"


def _tables(report: dict[str, Any]) -> list[Table]:
    """The report's tables, shared by the Markdown, HTML and terminal renderings."""
    ci = f"[{CONFIDENCE:.0%} CI]"
    estimate_header = [f"mean {ci}", f"IQM {ci}", f"optimality gap {ci}"]
    headline = report["headline"]
    agents = report["agents"]
    summary = []
    for name in GROUPS:
        for agent in agents:
            group = agent["groups"][name]
            if not group["tasks"]:
                continue
            summary.append(
                [name, agent["label"], str(len(group["tasks"])), str(group["worlds"]), str(agent["seeds"])]
                + [_rate(group["success_rate"])]
                + [_with_ci(group["scores"].get(headline), k) for k in ("mean", "iqm", "optimality_gap", "task_mean")]
            )
    header = ["group", "agent", "tasks", "worlds", "seeds", "success", *estimate_header, f"mean of task means {ci}"]
    tables: list[Table] = [(f"Summary ({KIND_LABELS[headline]})", header, summary)]
    for kind in reversed(report["score_kinds"]):
        rows = []
        for name in agents[0]["tasks"]:
            for agent in agents:
                entry = agent["tasks"][name]
                if entry["status"] == "unavailable":
                    if agent is agents[0]:
                        rows.append([name, entry["group"], "-", "unavailable", "-", "-", "-", "-"])
                    continue
                estimate = entry["scores"].get(kind)
                worlds = str(estimate["worlds"]) if estimate else "0"
                rows.append([name, entry["group"], agent["label"], worlds, _rate(entry["success_rate"])])
                rows[-1] += [_with_ci(estimate, key) for key in ("mean", "iqm", "optimality_gap")]
        tables.append((f"Per task: {KIND_LABELS[kind]}", ["task", "group", "agent", "worlds", "success",
                                                            *estimate_header], rows))  # fmt: skip
    improvement = report["comparisons"]["probability_of_improvement"]
    if improvement:
        rows = []
        for item in improvement:
            interval = "" if item["ci"] is None else f" [{item['ci'][0]:.3f}, {item['ci'][1]:.3f}]"
            rows.append([f"{item['x']} > {item['y']}", item["group"], f"{item['probability']:.3f}{interval}"])
        title = f"Probability of improvement ({KIND_LABELS[headline]}, rliable)"
        tables.append((title, ["pair", "group", "P(X > Y)"], rows))
    columns = [(agent["label"], agent["groups"]["all"]["success_by_difficulty"]) for agent in agents]
    by_bin = [
        [cells[0]["bin"], *(f"{_rate(cell['rate'])} of {cell['worlds']}" for cell in cells)]
        for cells in zip(*(c for _, c in columns), strict=True)
    ]
    labels = [label for label, _ in columns]
    tables.append(("Success rate by difficulty (all tasks)", ["difficulty", *labels], by_bin))
    if report["dropped_worlds"]:
        rows = [[d["world_id"], _num(d["human"]), _num(d["random"])] for d in report["dropped_worlds"]]
        tables.append(("Dropped worlds (human <= random)", ["world", "human", "random"], rows))
    random = report["references"]["random"]
    provenance = json.dumps(random["provenance"]) if random["available"] else "not available"
    references = [["random baseline", random["path"] or "-", provenance]]
    references += [
        ["human reference", f["path"], json.dumps(f["provenance"])] for f in report["references"]["human"]["files"]
    ]
    tables.append(("References", ["reference", "file", "provenance"], references))
    runs = [
        [r["label"], r["dir"], str(r["agent_seed"]), str(r["metadata"].get("commit")),
         str(r["metadata"].get("godot_version")), str(r["metadata"].get("package_version"))]
        for r in report["runs"]
    ]  # fmt: skip
    tables.append(("Runs", ["agent", "run", "agent seed", "commit", "Godot", "package"], runs))
    return tables


def _method(report: dict[str, Any]) -> str:
    b = report["bootstrap"]
    return (
        "Per world: raw = the episode's score; random-normalized = max(0, agent - random); human-normalized = "
        "max(0, agent - random) / (human - random), only where human > random. A group's figures pool all the worlds "
        "of its tasks, as the original's: mean; IQM = mean of the middle 50% of worlds; optimality gap = mean of "
        f"max(0, {OPTIMALITY_GAMMA:g} - score) (lower is better; for human-normalized scores {OPTIMALITY_GAMMA:g} is "
        "human level); mean of task means = every task weighing the same (secondary). Success rate of a group = "
        "over its pooled worlds. Several runs of one agent are pooled as seeds (every world's score taken in each "
        f"run). Intervals: {b['method']}, samples = {b['samples']}, {b['reps']} reps, seed {b['seed']}. Probability "
        "of improvement and performance profiles: rliable's, with runs as its samples."
    )


def _title(report: dict[str, Any]) -> str:
    names = " vs ".join(agent["label"] for agent in report["agents"])
    return f"Avalon scoring report: {names} on {report['split']} ({report['worlds']} worlds)"


def to_markdown(report: dict[str, Any]) -> str:
    manifests = sorted({r["manifest_sha256"] for r in report["runs"]})
    lines = [f"# {_title(report)}", "", f"Manifest `{'`, `'.join(manifests)}`.", ""]
    lines += [f"- {notice}" for notice in report["notices"]] + [""]
    for title, header, rows in _tables(report):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows] + [""]
    return "\n".join([*lines, "## Method", "", _method(report), ""])


CSS = """
body { font-family: sans-serif; max-width: 76em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; font-variant-numeric: tabular-nums; }
th { background: #eee; }
.notice { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.5em 1em; margin: 0.5em 0; }
img { max-width: 100%; }
"""


def to_html(report: dict[str, Any], plots: dict[str, str]) -> str:
    """A self-contained page: inline CSS, PNGs as data URIs, no scripts and no external references."""
    esc = html.escape
    manifests = sorted({r["manifest_sha256"] for r in report["runs"]})
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(_title(report))}</title>"]
    parts += [f"<style>{CSS}</style></head><body><h1>{esc(_title(report))}</h1>"]
    parts += [f"<p>Manifest <code>{esc(', '.join(manifests))}</code>.</p>"]
    parts += [f"<div class='notice'>{esc(notice)}</div>" for notice in report["notices"]]
    for title, png in plots.items():
        parts.append(f"<h2>{esc(title)}</h2><img alt='{esc(title)}' src='data:image/png;base64,{png}'>")
    for title, header, rows in _tables(report):
        parts.append(f"<h2>{esc(title)}</h2><table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows]
        parts.append("</table>")
    parts.append(f"<h2>Method</h2><p>{esc(_method(report))}</p></body></html>")
    return "\n".join(parts)


# --- exports ---------------------------------------------------------------------------------------------------------


def to_csv(report: dict[str, Any]) -> str:
    """One row per agent and task (every task, unavailable ones included), the headline score's figures."""
    kind = report["headline"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for agent in report["agents"]:
        for name, entry in agent["tasks"].items():
            estimate = entry.get("scores", {}).get(kind) if entry["status"] == "evaluated" else None
            numbers: list[object] = [""] * 9
            if estimate is not None:
                numbers = []
                for key in ("mean", "iqm", "optimality_gap"):
                    numbers += [estimate[key], *estimate[f"{key}_ci"]]
            writer.writerow(
                [agent["label"], agent["checkpoint_sha256"] or "", name, entry["group"], entry["status"],
                 entry.get("worlds", 0), agent["seeds"], entry.get("success_rate", ""), kind, *numbers]
            )  # fmt: skip
    return out.getvalue()


def to_leaderboard(report: dict[str, Any]) -> dict[str, Any]:
    """The agents ranked by the world-pooled mean of the headline score over all evaluated tasks."""
    kind = report["headline"]
    entries = []
    for agent in report["agents"]:
        overall = agent["groups"]["all"]
        score = overall["scores"].get(kind, {})
        entries.append(
            {
                "label": agent["label"],
                "agent": agent["agent"],
                "checkpoint_sha256": agent["checkpoint_sha256"],
                "runs": agent["runs"],
                "seeds": agent["seeds"],
                "worlds": overall["worlds"],
                "tasks": overall["tasks"],
                "success_rate": overall["success_rate"],
                **{
                    key: score.get(key)
                    for key in ("mean", "mean_ci", "iqm", "iqm_ci", "optimality_gap", "optimality_gap_ci")
                },  # fmt: skip
                "per_task": {
                    name: entry["scores"][kind]["mean"]
                    for name, entry in agent["tasks"].items()
                    if entry["status"] == "evaluated" and kind in entry["scores"]
                },
            }
        )
    entries.sort(key=lambda e: -(e["mean"] if e["mean"] is not None else -np.inf))
    for rank, entry in enumerate(entries, start=1):
        entry["rank"] = rank
    return {
        "format": LEADERBOARD_FORMAT,
        "score_kind": kind,
        "split": report["split"],
        "worlds": report["worlds"],
        "manifest_sha256": sorted({r["manifest_sha256"] for r in report["runs"]}),
        "references": {
            "random": report["references"]["random"]["provenance"],
            "human": [f["provenance"] for f in report["references"]["human"]["files"]],
        },
        "entries": entries,
    }


# --- plots -----------------------------------------------------------------------------------------------------------


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _task_bars(report: dict[str, Any], axes: Axes) -> None:
    kind, label = report["headline"], KIND_LABELS[report["headline"]]
    agents = report["agents"]
    names = [*agents[0]["tasks"], *GROUPS]
    width = 0.8 / len(agents)
    for a, agent in enumerate(agents):
        entries = [*agent["tasks"].values(), *agent["groups"].values()]
        for x, (name, entry) in enumerate(zip(names, entries, strict=True)):
            estimate = entry.get("scores", {}).get(kind)
            position = x - 0.4 + width * (a + 0.5)
            if estimate is None:  # unavailable: a label, not a zero-height bar
                if a == 0:
                    axes.text(x, 0, "n/a", ha="center", va="bottom", fontsize=8, color="grey", rotation=90)
                continue
            mean, (low, high) = estimate["mean"], estimate["mean_ci"]
            axes.bar(position, mean, width=width, color=f"C{a}", label=agent["label"] if x == 0 or name == "basic"
                     else None, alpha=0.6 if name in GROUPS else 1.0)  # fmt: skip
            axes.errorbar(position, mean, yerr=[[mean - low], [high - mean]], color="k")
    axes.set_xticks(range(len(names)), names, rotation=60, ha="right")
    axes.set_ylabel(f"mean {label} ({CONFIDENCE:.0%} CI)")
    axes.set_title(f"Mean {label} per task and group (groups pale); n/a = unavailable")
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    axes.legend(unique.values(), unique.keys())


def _profiles(report: dict[str, Any], axes: Axes) -> None:
    profiles = report["comparisons"]["performance_profiles"]
    if profiles is None:
        axes.text(0.5, 0.5, "no scores yet", ha="center", transform=axes.transAxes)
        return
    label = KIND_LABELS[profiles["score_kind"]]
    taus = profiles["taus"]
    for a, (name, profile) in enumerate(profiles["agents"].items()):
        axes.plot(taus, profile["fraction"], color=f"C{a}", label=name)
        if profile["ci"] is not None:
            axes.fill_between(taus, profile["ci"][0], profile["ci"][1], color=f"C{a}", alpha=0.2)
    axes.set_xlabel(f"{label} tau")
    axes.set_ylabel("fraction of worlds with score > tau")
    axes.set_ylim(-0.02, 1.02)
    axes.set_title(f"Performance profiles (rliable), {label}")


def _success_by_difficulty(report: dict[str, Any], axes: Axes) -> None:
    for a, agent in enumerate(report["agents"]):
        rows = agent["groups"]["all"]["success_by_difficulty"]
        points = [(i, row["rate"]) for i, row in enumerate(rows) if row["rate"] is not None]
        if points:
            axes.plot([(i + 0.5) * BIN_WIDTH for i, _ in points], [rate for _, rate in points], marker="o",
                      color=f"C{a}", label=agent["label"])  # fmt: skip
    axes.set_xlim(0, 1)
    axes.set_ylim(-0.02, 1.02)
    axes.set_xlabel(f"difficulty (bins of {BIN_WIDTH})")
    axes.set_ylabel("success rate")
    axes.set_title("Success rate by difficulty (all tasks)")


def _plots(report: dict[str, Any]) -> dict[str, str]:
    """Per-task bars with interval whiskers, performance profiles and success by difficulty, as base64 PNGs."""
    from matplotlib.figure import Figure  # Agg canvas, no pyplot state; imported here to keep the module light

    label = KIND_LABELS[report["headline"]]
    images = {}
    for title, draw, size in [
        (f"Mean {label} per task", _task_bars, (12.0, 4.0)),
        ("Performance profiles", _profiles, (6.0, 4.0)),
        ("Success rate by difficulty", _success_by_difficulty, (6.0, 4.0)),
    ]:
        figure = Figure(figsize=size)
        axes = figure.subplots()
        draw(report, axes)
        if axes.get_legend_handles_labels()[0] and axes.get_legend() is None:
            axes.legend()
        images[title] = _png(figure)
    return images


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_report(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write report.json, report.md, report.html, report.csv and leaderboard.json; each file appears whole or not at
    all (temp file + rename)."""
    texts = {
        "json": json.dumps(report, indent=2, allow_nan=False) + "\n",
        "markdown": to_markdown(report),
        "html": to_html(report, _plots(report)),
        "csv": to_csv(report),
        "leaderboard": json.dumps(to_leaderboard(report), indent=2, allow_nan=False) + "\n",
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    names = {"json": "report.json", "markdown": "report.md", "html": "report.html", "csv": "report.csv",
             "leaderboard": "leaderboard.json"}  # fmt: skip
    paths = {key: out_dir / name for key, name in names.items()}
    for key, path in paths.items():
        _write_atomic(path, texts[key])
    return paths


def format_terminal(report: dict[str, Any]) -> str:
    """A plain-text summary: notices, the group summary, the per-task table of the headline score and, for several
    agents, the probability of improvement."""
    tables = _tables(report)
    shown = tables[:2] + [t for t in tables if t[0].startswith("Probability of improvement")]
    lines = [_title(report), ""] + [f"! {notice}" for notice in report["notices"]]
    for title, header, rows in shown:
        widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
        lines += ["", title]
        lines += [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in [header, *rows]
        ]
    return "\n".join(lines) + "\n"
