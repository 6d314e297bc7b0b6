"""The scoring report of one evaluation run: `build_report` makes a JSON-ready dict, `write_report` renders it as
`report.json`, `report.md` and a self-contained `report.html` (inline CSS, plots as embedded PNGs), and
`format_terminal` gives the table `avalon-score report` prints.

The report shows the best score the references allow (human-normalized, else random-normalized, else raw) and says
plainly which references are missing rather than filling gaps: tasks without episodes are "unavailable", never zero.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from avalon.tasks import TASKS, Task, implemented_tasks
from scoring.human import load_human_reference
from scoring.normalize import (
    BIN_WIDTH,
    BOOTSTRAP_REPS,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    GROUPS,
    OPTIMALITY_GAMMA,
    Estimate,
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

REPORT_FORMAT = 1
KIND_LABELS = {"human_normalized": "human-normalized", "random_normalized": "random-normalized", "raw": "raw score"}
NO_HUMAN = "No human reference scores yet: human-normalized scores are not available."
NO_RANDOM = "No random baseline yet: random-normalized and human-normalized scores are not available."

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows


def _success_rate(worlds: Sequence[WorldScore]) -> float:
    return sum(w.success for w in worlds) / len(worlds)


Estimates = dict[str, tuple[dict[Task, Estimate], dict[str, Estimate]]]  # score kind -> (per task, per group)


def _task_entry(task: Task, worlds: Sequence[WorldScore], estimates: Estimates) -> dict[str, Any]:
    entry: dict[str, Any] = {"group": "compositional" if TASKS[task].compositional else "basic"}
    if not worlds:
        reason = "no episodes in this run" if task in implemented_tasks() else "no world generator yet"
        return {**entry, "status": "unavailable", "reason": reason}
    return {
        **entry,
        "status": "evaluated",
        "worlds": len(worlds),
        "success_rate": _success_rate(worlds),
        "scores": {kind: per_task[task].as_dict() for kind, (per_task, _) in estimates.items() if task in per_task},
        "success_by_difficulty": success_by_difficulty(worlds),
    }


def _group_entry(name: str, by_task: dict[Task, list[WorldScore]], estimates: Estimates) -> dict[str, Any]:
    """A group's success rate pools its worlds, as its scores do (the original's world-pooled aggregates)."""
    evaluated = [task for task in GROUPS[name] if by_task[task]]
    pooled = [world for task in evaluated for world in by_task[task]]
    return {
        "tasks": [task.name.lower() for task in evaluated],
        "unavailable_tasks": [task.name.lower() for task in GROUPS[name] if not by_task[task]],
        "worlds": len(pooled),
        "success_rate": _success_rate(pooled) if pooled else None,
        "scores": {kind: per_group[name].as_dict() for kind, (_, per_group) in estimates.items() if name in per_group},
        "success_by_difficulty": success_by_difficulty(w for task in evaluated for w in by_task[task]),
    }


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


def build_report(run_dir: Path, random_path: Path | None, human_dir: Path | None) -> dict[str, Any]:
    """Everything the report shows, as plain JSON data. `random_path` / `human_dir` None or missing = not available."""
    run, episodes = load_run(run_dir)
    baseline = load_random_baseline(random_path) if random_path is not None and random_path.is_file() else None
    human = load_human_reference(human_dir)
    worlds = world_scores(episodes, baseline.scores if baseline else {}, human.scores())
    random_note = None
    if baseline is None:
        random_note = "no baseline file" if random_path is None else f"no file at {random_path}"

    kinds = ["raw"]
    if any(w.random is not None for w in worlds):
        kinds.append("random_normalized")
    if any(w.human_normalized is not None for w in worlds):
        kinds.append("human_normalized")
    estimates: Estimates = {}
    for kind in kinds:
        values = {task: [s for w in worlds if w.task == task and (s := w.score(kind)) is not None] for task in Task}
        estimates[kind] = aggregate(values)

    by_task = {task: [w for w in worlds if w.task == task] for task in Task}
    tasks = {task.name.lower(): _task_entry(task, by_task[task], estimates) for task in Task}
    groups = {name: _group_entry(name, by_task, estimates) for name in GROUPS}

    notices = _reference_notices(worlds, random_note, len(human.files))
    unavailable = [name for name, entry in tasks.items() if entry["status"] == "unavailable"]
    if unavailable:
        notices.append(
            f"Unavailable tasks (no episodes in this run; left out, not counted as zero): {', '.join(unavailable)}."
        )
    return {
        "format": REPORT_FORMAT,
        "run": {
            "dir": str(run_dir),
            "agent": run["agent"],
            "split": run["split"],
            "manifest_sha256": run["manifest_sha256"],
            "metadata": run,
            "worlds": len(episodes),
            "steps": sum(e.steps for e in episodes),
            "wall_seconds": sum(e.wall_seconds for e in episodes),
        },
        "references": {
            "random": {
                "path": None if random_path is None else str(random_path),
                "available": baseline is not None,
                "provenance": None if baseline is None else baseline.provenance,
                "worlds_covered": sum(w.random is not None for w in worlds),
            },
            "human": {
                "dir": None if human_dir is None else str(human_dir),
                "files": [
                    {"path": str(f.path), "provenance": f.provenance, "worlds": f.worlds, "plays": f.plays}
                    for f in human.files
                ],
                "worlds_covered": sum(w.human is not None for w in worlds),
                "worlds_normalized": sum(w.human_normalized is not None for w in worlds),
            },
        },
        "bootstrap": {
            "method": "percentile bootstrap over worlds (rliable's percentile intervals)",
            "samples": "a task's worlds; for a group, all its worlds pooled (mean of task means: within each task)",
            "reps": BOOTSTRAP_REPS,
            "seed": BOOTSTRAP_SEED,
            "confidence": CONFIDENCE,
        },
        "score_kinds": kinds,
        "headline": kinds[-1],
        "notices": notices,
        "groups": groups,
        "tasks": tasks,
        "unavailable_tasks": [{"task": name, "reason": tasks[name]["reason"]} for name in unavailable],
        "dropped_worlds": [
            {"world_id": w.world_id, "task": w.task.name.lower(), "human": w.human, "random": w.random}
            for w in worlds
            if w.dropped
        ],
        "worlds": [w.as_dict() for w in worlds],
    }


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
    """The report's tables, shared by the Markdown and the HTML renderings."""
    ci = f"[{CONFIDENCE:.0%} CI]"
    estimate_header = [f"mean {ci}", f"IQM {ci}", f"optimality gap {ci}"]
    headline = report["headline"]
    summary = [
        [name, str(len(g["tasks"])), str(g["worlds"]), _rate(g["success_rate"])]
        + [_with_ci(g["scores"].get(headline), key) for key in ("mean", "iqm", "optimality_gap", "task_mean")]
        for name, g in report["groups"].items()
    ]
    tables: list[Table] = [
        (
            f"Summary ({KIND_LABELS[headline]})",
            ["group", "tasks", "worlds", "success", *estimate_header, f"mean of task means {ci}"],
            summary,
        )
    ]
    for kind in reversed(report["score_kinds"]):
        rows = []
        for name, entry in report["tasks"].items():
            if entry["status"] == "unavailable":
                rows.append([name, entry["group"], "unavailable", "-", "-", "-", "-"])
                continue
            estimate = entry["scores"].get(kind)
            worlds = str(estimate["worlds"]) if estimate else "0"
            rows.append([name, entry["group"], worlds, _rate(entry["success_rate"])])
            rows[-1] += [_with_ci(estimate, key) for key in ("mean", "iqm", "optimality_gap")]
        header = ["task", "group", "worlds", "success", *estimate_header]
        tables.append((f"Per task: {KIND_LABELS[kind]}", header, rows))
    columns = [g["success_by_difficulty"] for g in report["groups"].values()]
    by_bin = [
        [cells[0]["bin"], *(f"{_rate(cell['rate'])} of {cell['worlds']}" for cell in cells)]
        for cells in zip(*columns, strict=True)
    ]
    tables.append(("Success rate by difficulty", ["difficulty", *report["groups"]], by_bin))
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
    return tables


def _method(report: dict[str, Any]) -> str:
    b = report["bootstrap"]
    return (
        "Per world: raw = the episode's score; random-normalized = max(0, agent - random); human-normalized = "
        "max(0, agent - random) / (human - random), only where human > random. A group's figures pool all the worlds "
        "of its tasks, as the original's: mean; IQM = mean of the middle 50% of worlds; optimality gap = mean of "
        f"max(0, {OPTIMALITY_GAMMA:g} - score) (lower is better; for human-normalized scores {OPTIMALITY_GAMMA:g} is "
        "human level); mean of task means = every task weighing the same (secondary). Success rate of a group = "
        f"over its pooled worlds. Intervals: {b['method']}, samples = {b['samples']}, {b['reps']} reps, seed "
        f"{b['seed']}."
    )


def _title(report: dict[str, Any]) -> str:
    run = report["run"]
    return f"Avalon scoring report: {run['agent']} on {run['split']} ({run['worlds']} worlds)"


def to_markdown(report: dict[str, Any]) -> str:
    run = report["run"]
    lines = [f"# {_title(report)}", "", f"Run `{run['dir']}`, manifest `{run['manifest_sha256']}`.", ""]
    lines += [f"- {notice}" for notice in report["notices"]] + [""]
    for title, header, rows in _tables(report):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows] + [""]
    return "\n".join([*lines, "## Method", "", _method(report), ""])


CSS = """
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; font-variant-numeric: tabular-nums; }
th { background: #eee; }
.notice { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.5em 1em; margin: 0.5em 0; }
img { max-width: 100%; }
"""


def to_html(report: dict[str, Any], plots: dict[str, str]) -> str:
    """A self-contained page: inline CSS, PNGs as data URIs, no scripts and no external references."""
    esc = html.escape
    run = report["run"]
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(_title(report))}</title>"]
    parts += [f"<style>{CSS}</style></head><body><h1>{esc(_title(report))}</h1>"]
    parts += [f"<p>Run <code>{esc(run['dir'])}</code>, manifest <code>{esc(run['manifest_sha256'])}</code>.</p>"]
    parts += [f"<div class='notice'>{esc(notice)}</div>" for notice in report["notices"]]
    for title, png in plots.items():
        parts.append(f"<h2>{esc(title)}</h2><img alt='{esc(title)}' src='data:image/png;base64,{png}'>")
    for title, header, rows in _tables(report):
        parts.append(f"<h2>{esc(title)}</h2><table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows]
        parts.append("</table>")
    parts.append(f"<h2>Method</h2><p>{esc(_method(report))}</p></body></html>")
    return "\n".join(parts)


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _task_bars(report: dict[str, Any], axes: Axes) -> None:
    kind, label = report["headline"], KIND_LABELS[report["headline"]]
    names = [*report["tasks"], *report["groups"]]
    entries = [*report["tasks"].values(), *report["groups"].values()]
    for x, (name, entry) in enumerate(zip(names, entries, strict=True)):
        estimate = entry.get("scores", {}).get(kind)
        if estimate is None:  # unavailable: a label, not a zero-height bar
            axes.text(x, 0, "n/a", ha="center", va="bottom", fontsize=8, color="grey", rotation=90)
            continue
        mean, (low, high) = estimate["mean"], estimate["mean_ci"]
        axes.bar(x, mean, color="tab:orange" if name in report["groups"] else "tab:blue")
        axes.errorbar(x, mean, yerr=[[mean - low], [high - mean]], color="k")
    axes.set_xticks(range(len(names)), names, rotation=60, ha="right")
    axes.set_ylabel(f"mean {label} ({CONFIDENCE:.0%} CI)")
    axes.set_title(f"Mean {label} per task (blue) and group (orange); n/a = unavailable")


def _distribution(report: dict[str, Any], axes: Axes) -> None:
    kind, label = report["headline"], KIND_LABELS[report["headline"]]
    for name, group in report["groups"].items():
        values = sorted(w[kind] for w in report["worlds"] if w[kind] is not None and w["task"] in group["tasks"])
        if values:
            axes.step(values, [(i + 1) / len(values) for i in range(len(values))], where="post", label=name)
    axes.set_xlabel(f"{label} per world")
    if kind == "human_normalized" and axes.get_xlim()[1] > 2:  # the original's score CDFs span [0, 2]
        axes.set_xlim(0, 2)
        axes.set_xlabel(f"{label} per world (axis cut at 2)")
    axes.set_ylabel("fraction of worlds <= x")
    axes.set_title(f"Distribution of {label}")


def _success_by_difficulty(report: dict[str, Any], axes: Axes) -> None:
    for name, group in report["groups"].items():
        points = [(i, row["rate"]) for i, row in enumerate(group["success_by_difficulty"]) if row["rate"] is not None]
        if points:
            axes.plot([(i + 0.5) * BIN_WIDTH for i, _ in points], [rate for _, rate in points], marker="o", label=name)
    axes.set_xlim(0, 1)
    axes.set_ylim(-0.02, 1.02)
    axes.set_xlabel(f"difficulty (bins of {BIN_WIDTH})")
    axes.set_ylabel("success rate")
    axes.set_title("Success rate by difficulty")


def _plots(report: dict[str, Any]) -> dict[str, str]:
    """Per-task bars with interval whiskers, the score distribution and success by difficulty, as base64 PNGs."""
    from matplotlib.figure import Figure  # Agg canvas, no pyplot state; imported here to keep the module light

    label = KIND_LABELS[report["headline"]]
    images = {}
    for title, draw, size in [
        (f"Mean {label} per task", _task_bars, (12.0, 4.0)),
        (f"Distribution of {label}", _distribution, (6.0, 4.0)),
        ("Success rate by difficulty", _success_by_difficulty, (6.0, 4.0)),
    ]:
        figure = Figure(figsize=size)
        axes = figure.subplots()
        draw(report, axes)
        if axes.get_legend_handles_labels()[0]:
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
    """Write report.json, report.md and report.html; each file appears whole or not at all (temp file + rename)."""
    texts = {
        "json": json.dumps(report, indent=2, allow_nan=False) + "\n",
        "markdown": to_markdown(report),
        "html": to_html(report, _plots(report)),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "markdown": out_dir / "report.md", "html": out_dir / "report.html"}
    for key, path in paths.items():
        _write_atomic(path, texts[key])
    return paths


def format_terminal(report: dict[str, Any]) -> str:
    """A plain-text summary: notices, the group summary and the per-task table of the headline score."""
    tables = _tables(report)
    lines = [_title(report), ""] + [f"! {notice}" for notice in report["notices"]]
    for title, header, rows in tables[:2]:
        widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
        lines += ["", title]
        lines += [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in [header, *rows]
        ]
    return "\n".join(lines) + "\n"
