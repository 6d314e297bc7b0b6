"""`avalon-score`: evaluate agents on the fixed evaluation set, keep the set honest, compute baselines, report.

avalon-score evaluate --agent random|oracle|module:factory|file.py:factory --split minival|test --out DIR
avalon-score report RUN_DIR [RUN_DIR ...] [--random FILE] [--human DIR] [--out DIR]
avalon-score verify                      # regenerate every world and check it against the manifest
avalon-score manifest [--write]          # rebuild the manifest (after a deliberate generator change)
avalon-score baseline random [--split test] [--seeds 10] [--workers N]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import textwrap
from pathlib import Path
from typing import Any

from avalon.bench import cpu_name
from avalon.constants import RULES_VERSION
from avalon.sim.errors import SimulatorError
from avalon.tasks import generator_module
from scoring import evalset
from scoring.runner import ManifestMismatchError, RunConfig, evaluate, read_done

RANDOM_BASELINE_PATH = Path(__file__).resolve().parent / "data" / "random_baseline.json"
HUMAN_DIR = Path("human_data") / "reference"


def _workers(value: str) -> int:
    workers = int(value)
    if workers < 1:
        raise argparse.ArgumentTypeError("--workers must be at least 1")
    return workers


def cmd_evaluate(args: argparse.Namespace) -> int:
    config = RunConfig(
        args.agent, args.split, args.agent_seed, args.resolution, args.headless, args.video, args.video_resolution
    )
    only = None
    if args.tasks is not None:
        available = evalset.available_tasks()
        for task in args.tasks:
            if task not in available:
                raise ValueError(
                    f"--tasks: {task!r} is not an available task; available: {', '.join(sorted(available))}"
                )
        only = {e["id"] for e in evalset.split_worlds(args.split)[0] if e["task"] in args.tasks}
    path = evaluate(config, args.out, workers=args.workers, ray_address=args.ray, only=only)
    records = read_done(path)
    wins = sum(r["success"] for r in records)
    print(f"{len(records)} episodes in {path} ({wins} successes); next: avalon-score report {args.out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from scoring.render import format_terminal, write_report
    from scoring.report import build_report

    # Paths given explicitly must exist (a typo must not silently change the headline); the defaults may be absent.
    if args.random is not None and not args.random.is_file():
        raise ValueError(f"--random {args.random}: no such file")
    if args.human is not None and not args.human.is_dir():
        raise ValueError(f"--human {args.human}: no such folder")
    if len(args.runs) > 1 and args.out is None:
        raise ValueError("several runs: say where the report goes with --out DIR")
    random_path = args.random if args.random is not None else RANDOM_BASELINE_PATH
    human_dir = args.human if args.human is not None else HUMAN_DIR
    report = build_report(args.runs, random_path if random_path.exists() else None, human_dir)
    print(format_terminal(report))
    written = write_report(report, args.out or args.runs[0])
    print("written: " + ", ".join(str(p) for p in written.values()))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    problems = evalset.verify(progress=True)
    if problems:
        print(f"the evaluation set does not match the manifest in {evalset.MANIFEST_DIR}:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    manifest = evalset.load_manifest()
    available = sum(w["available"] for w in manifest["worlds"])
    print(f"ok: {available} worlds regenerate byte-identically; {len(manifest['worlds']) - available} unavailable")
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    manifest = evalset.build_manifest(progress=True)
    if args.write:
        written = evalset.write_manifest(manifest)
        print(f"wrote {', '.join(p.name for p in written)} in {evalset.MANIFEST_DIR}")
    else:
        json.dump(manifest, sys.stdout, indent=1)
    return 0


def machine() -> str:
    return f"{cpu_name()}, {os.cpu_count()} cores, {platform.platform()}"


def cmd_baseline(args: argparse.Namespace) -> int:
    """The random policy, `--seeds` seeds per world, headless (it ignores observations), into one data file. With
    `--tasks`, only those tasks' worlds are played and merged into the existing file; the other tasks' scores are kept
    while their manifest file is unchanged (each task records the hash of the manifest file it was played on)."""
    available = evalset.available_tasks()
    tasks = sorted(available, key=evalset.TASK_ORDER.index) if args.tasks is None else args.tasks
    for task in tasks:
        if task not in available:
            raise ValueError(f"--tasks: {task!r} is not an available task; available: {', '.join(sorted(available))}")
    entries, _ = evalset.split_worlds(args.split)
    only = {e["id"] for e in entries if e["task"] in tasks}
    scores: dict[str, list[float]] = {}
    for seed in range(args.seeds):
        config = RunConfig("random", args.split, agent_seed=seed, headless=True)
        path = evaluate(config, args.work / f"seed_{seed}", workers=args.workers, only=only)
        for record in read_done(path):
            scores.setdefault(record["world_id"], []).append(record["score"])
    today = datetime.date.today().isoformat()
    # What decides the scores (not where the work files went, which may name this machine's paths).
    command_line = f"avalon-score baseline random --split {args.split} --seeds {args.seeds}" + (
        "" if args.tasks is None else " --tasks " + " ".join(args.tasks)
    )
    per_task: dict[str, Any] = {}
    if args.tasks is not None and args.out.is_file():
        old = json.loads(args.out.read_text())
        old_provenance = old.get("provenance", {})
        same_run = all(
            old_provenance.get(key) == value for key, value in (("rules_version", RULES_VERSION), ("split", args.split))
        )
        for task, info in old_provenance.get("tasks", {}).items():
            kept = same_run and task not in tasks and info.get("manifest_sha256") == evalset.task_manifest_sha256(task)
            if kept:
                per_task[task] = info
                scores.update({k: v for k, v in old["scores"].items() if k.startswith(f"{task}__")})
            elif task not in tasks:
                print(f"dropping {task}: its scores were made on another manifest, rules version or split")
    for task in tasks:
        per_task[task] = {
            "seeds_per_world": args.seeds,
            "manifest_sha256": evalset.task_manifest_sha256(task),
            "generator_version": generator_module(task).GENERATOR_VERSION,
            "date": today,
            "command": command_line,
        }
    data: dict[str, Any] = {
        "format": 2,
        "provenance": {
            "policy": "random: 18 reals ~ N(0, 1), buttons pressed with probability 0.5 (avalon/random_policy.py)",
            "rules_version": RULES_VERSION,
            "split": args.split,
            "machine": machine(),
            "tasks": {t: per_task[t] for t in evalset.TASK_ORDER if t in per_task},
        },
        "scores": {k: scores[k] for k in sorted(scores, key=lambda k: (evalset.TASK_ORDER.index(k.split("__")[0]), k))},
    }
    evalset.write_json_atomic(args.out, data)
    print(f"wrote {args.out}: {len(scores)} worlds x {args.seeds} seeds ({', '.join(data['provenance']['tasks'])})")
    return 0


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written, and a flag's default after its help (when it has one worth showing)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        shown = action.default is not None and action.default is not False and action.default != argparse.SUPPRESS
        if shown and not action.required and "default" not in text:
            text += " (default: %(default)s)"
        return text


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="avalon-score", description=__doc__, formatter_class=HelpFormatter)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str, description: str | None = None) -> argparse.ArgumentParser:
        text = textwrap.fill(description or help, width=100)
        return sub.add_parser(name, help=help, description=text, formatter_class=HelpFormatter)

    ev = command(
        "evaluate",
        "run an agent on a split of the evaluation set",
        "Run an agent on every world of a split, one line per world in DIR/episodes.jsonl. Re-running the same "
        "command resumes; a different agent, checkpoint, package version, commit or Godot version in the same DIR "
        "is refused. docs/scoring.md explains the protocol.",
    )
    ev.add_argument(
        "--agent",
        required=True,
        help="random | oracle | module.path:factory | path/to/file.py:factory (the interface: scoring/agents.py)",
    )
    ev.add_argument(
        "--split", choices=evalset.SPLITS, default="minival", help="minival: one world per task; test: the whole set"
    )
    ev.add_argument(
        "--tasks",
        nargs="+",
        metavar="TASK",
        help="only these tasks' worlds of the split (a partial run, e.g. while developing; reports show the rest as "
        "not played)",
    )
    ev.add_argument("--workers", type=_workers, default=1, help="processes, each with its own simulator")
    ev.add_argument("--ray", metavar="ADDRESS", default=None, help="run on Ray actors: 'local' or a cluster address")
    ev.add_argument("--agent-seed", type=int, default=0, help="seeds the agent's own randomness")
    ev.add_argument("--resolution", type=int, default=96, help="observation pixels per side")
    ev.add_argument("--headless", action="store_true", help="no rendering (only for agents that ignore pixels)")
    ev.add_argument(
        "--video",
        type=int,
        default=0,
        metavar="N",
        help="keep a video of the first N episodes of each task in DIR/videos/ (MP4, or GIF without ffmpeg)",
    )
    ev.add_argument("--video-resolution", type=int, default=256, help="pixels per side of the videos")
    ev.add_argument("--out", type=Path, required=True, metavar="DIR", help="run directory (re-run to resume)")
    ev.set_defaults(func=cmd_evaluate)

    rep = command(
        "report",
        "normalize and aggregate runs, agents side by side: tables, JSON, Markdown, HTML, CSV, leaderboard",
        "Runs of the same agent (agent spec and checkpoint) are pooled as seeds; different agents are compared "
        "side by side. Every run must cover the same worlds. docs/scoring.md explains every number.",
    )
    rep.add_argument("runs", nargs="+", type=Path, metavar="RUN_DIR", help="run folders written by `evaluate`")
    rep.add_argument(
        "--random", type=Path, default=None, help="random baseline file (default: the one shipped with the package)"
    )
    rep.add_argument("--human", type=Path, default=None, help=f"folder of human reference files (default {HUMAN_DIR})")
    rep.add_argument(
        "--out", type=Path, default=None, help="where to write the report (default: the run folder, for one run)"
    )
    rep.set_defaults(func=cmd_report)

    ver = command("verify", "regenerate the evaluation worlds and compare them with the manifest")
    ver.set_defaults(func=cmd_verify)

    man = command("manifest", "rebuild the manifest from the current generators")
    man.add_argument("--write", action="store_true", help="write the per-task files of scoring/data/manifest/")
    man.set_defaults(func=cmd_manifest)

    base = command("baseline", "compute a reference baseline (the random policy's scores shipped with the package)")
    base.add_argument("policy", choices=["random"], help="the baseline policy")
    base.add_argument("--split", choices=evalset.SPLITS, default="test", help="the split to score")
    base.add_argument("--seeds", type=int, default=10, help="episodes per world, one agent seed each")
    base.add_argument(
        "--tasks", nargs="+", default=None, help="play only these tasks and merge them into the existing file"
    )
    base.add_argument("--workers", type=_workers, default=os.cpu_count() or 1, help="simulator processes")
    base.add_argument("--work", type=Path, default=Path("out") / "random_baseline", help="per-seed run folders")
    base.add_argument(
        "--out",
        type=Path,
        default=RANDOM_BASELINE_PATH,
        help="the baseline file to write (default: the package's scoring/data/random_baseline.json)",
    )
    base.set_defaults(func=cmd_baseline)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except (ValueError, FileNotFoundError, ManifestMismatchError) as error:
        print(f"avalon-score: error: {error}", file=sys.stderr)
        return 2
    except SimulatorError as error:  # no Godot, a crash: the first line says what, the rest is Godot's log
        print(f"avalon-score: simulator error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: re-run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
