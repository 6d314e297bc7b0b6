"""Rendering a scoring report (`scoring.report.build_report`): `write_report` writes `report.json`, `report.md`, a
self-contained `report.html` (inline CSS, plots as embedded PNGs), `report.csv` (one row per agent and task) and
`leaderboard.json`; `format_terminal` gives the tables `avalon-score report` prints.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scoring.evalset import write_text_atomic
from scoring.normalize import BIN_WIDTH, CONFIDENCE, GROUPS, OPTIMALITY_GAMMA

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LEADERBOARD_FORMAT = 1
KIND_LABELS = {"human_normalized": "human-normalized", "random_normalized": "random-normalized", "raw": "raw score"}
CSV_COLUMNS = (
    "agent", "checkpoint_sha256", "task", "group", "status", "worlds", "seeds", "success_rate", "score_kind",
    "mean", "mean_low", "mean_high", "iqm", "iqm_low", "iqm_high",
    "optimality_gap", "optimality_gap_low", "optimality_gap_high",
)  # fmt: skip

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows


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
        write_text_atomic(path, texts[key])
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
