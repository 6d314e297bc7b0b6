"""`docs/tasks.md`: per task what the world is, what the difficulty knob scales, a top-down map and an oracle GIF at
difficulty 0.5, and the oracle's and the random policy's success rates per difficulty.

Three steps, each per task, so adding a task touches only that task's files:

    python -m avalon.tasks.docs rates [--tasks jump climb]     # measure -> docs/data/rates/<task>.json (headless)
    python -m avalon.tasks.docs pictures [--tasks jump climb]  # -> docs/images/tasks/<task>_map.png, _oracle.gif
    python -m avalon.tasks.docs write [--check]                # docs/tasks.md from the docstrings and those files

`rates` plays the oracle (evaluation time limit) and the random policy (the original's training time limit, VR
action) on seeds 0..39 at difficulties 0, 0.5 and 1, and records the command, date and machine beside the figures.
`write --check` (in `make lint` and the tests) fails when docs/tasks.md is stale or a task lacks its files.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

from avalon.tasks import TASKS, Task, generator_module, implemented_tasks, resolve_task, task_summary

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS_PATH = ROOT / "docs" / "tasks.md"
RATES_DIR = ROOT / "docs" / "data" / "rates"
IMAGES_DIR = ROOT / "docs" / "images" / "tasks"
DIFFICULTIES = (0.0, 0.5, 1.0)
SEEDS = 40
PICTURE_SEED = 0
PICTURE_DIFFICULTY = 0.5
GIF_RESOLUTION = 128
GIF_MAX_FRAMES = 400  # a longer episode's GIF keeps every k-th frame
MAP_MAX_PIXELS = 1024  # a map's side at most (4 px per metre, fewer for worlds over 256 m)
HARD_MAPS = ("explore", "open")  # tasks whose worlds grow with difficulty also get a map of a d=1 world
INDOOR = "indoor"  # the variant name of the tasks' indoor worlds
INDOOR_MAP_SCALE = 16  # px per metre: buildings are at most about 35 m a side


def _machine() -> str:
    from avalon.bench import cpu_name

    return f"{cpu_name()}, {os.cpu_count()} cores"


def measure_rates(task: str, seeds: int = SEEDS) -> dict[str, Any]:
    """The oracle's and the random policy's success per difficulty on seeds 0..seeds-1 (headless)."""
    from tqdm import tqdm

    from avalon.env import AvalonEnv
    from avalon.random_policy import RandomAgent
    from avalon.rates import oracle_episode, random_episode

    result: dict[str, Any] = {"task": task, "seeds": seeds, "difficulties": list(DIFFICULTIES)}
    runs = [(d, s) for d in DIFFICULTIES for s in range(seeds)]
    with AvalonEnv(task, headless=True, debug=True) as env:
        episodes = [oracle_episode(env, task, d, s) for d, s in tqdm(runs, desc=f"{task} oracle", unit="episode")]
    result["oracle"] = _rates(episodes, "evaluation")
    agent = RandomAgent(action_mode="vr")
    with AvalonEnv(task, headless=True, time_limit="training") as env:
        progress = tqdm(runs, desc=f"{task} random", unit="episode")
        episodes = [random_episode(env, agent, task, d, s) for d, s in progress]
    result["random"] = _rates(episodes, "training")
    result["date"] = datetime.date.today().isoformat()
    result["machine"] = _machine()
    result["command"] = f"python -m avalon.tasks.docs rates --tasks {task}"
    return result


def _rates(episodes: list[dict[str, Any]], time_limit: str) -> dict[str, Any]:
    per: dict[str, Any] = {}
    for difficulty in DIFFICULTIES:
        group = [e for e in episodes if e["difficulty"] == difficulty]
        per[f"{difficulty:g}"] = {
            "successes": sum(e["success"] for e in group),
            "worlds": len(group),
            "failed_seeds": [e["seed"] for e in group if not e["success"]],
            "mean_steps": round(sum(e["steps"] for e in group) / max(1, len(group)), 1),
        }
    return {"time_limit": time_limit, "per_difficulty": per}


def make_pictures(task: str) -> list[Path]:
    """A top-down map and an oracle GIF of (task, seed 0, difficulty 0.5)."""
    from PIL import Image

    from avalon.env import AvalonEnv
    from avalon.oracle import Oracle
    from avalon.tasks import generate_world
    from avalon.world.topdown import render_topdown

    IMAGES_DIR.mkdir(parents=True, exist_ok=True)
    spec = generate_world(task, PICTURE_SEED, PICTURE_DIFFICULTY)
    map_path = IMAGES_DIR / f"{task}_map.png"
    render_topdown(spec, map_path, pixels_per_meter=_map_scale(spec))
    paths = [map_path]
    if task in HARD_MAPS:
        hard = generate_world(task, PICTURE_SEED, 1.0)
        paths.append(IMAGES_DIR / f"{task}_map_d1.png")
        render_topdown(hard, paths[-1], pixels_per_meter=_map_scale(hard))
    if _has_indoor(task):
        indoor = generate_world(task, PICTURE_SEED, PICTURE_DIFFICULTY, INDOOR)
        paths.append(IMAGES_DIR / f"{task}_map_indoor.png")
        render_topdown(indoor, paths[-1], pixels_per_meter=INDOOR_MAP_SCALE)
    frames = []
    oracle = Oracle()
    with AvalonEnv(task, resolution=GIF_RESOLUTION, debug=True) as env:
        observation, info = env.reset(seed=PICTURE_SEED, options={"task": task, "difficulty": PICTURE_DIFFICULTY})
        frames.append(observation["rgbd"][..., :3].copy())
        while True:
            observation, _, terminated, truncated, info = env.step(oracle.act(info))
            frames.append(observation["rgbd"][..., :3].copy())
            if terminated or truncated:
                break
    step = max(1, -(-len(frames) // GIF_MAX_FRAMES))
    images = [Image.fromarray(frame) for frame in frames[::step]]
    gif_path = IMAGES_DIR / f"{task}_oracle.gif"
    images[0].save(gif_path, save_all=True, append_images=images[1:], duration=100 * step, loop=0)
    return [*paths, gif_path]


def _has_indoor(task: str) -> bool:
    """Whether the task has an indoor variant (a building; its map gets a picture of its own)."""
    return INDOOR in generator_module(task).VARIANTS


def _map_scale(spec: Any) -> int:
    side = (max(spec.terrain.points_x, spec.terrain.points_z) - 1) * spec.terrain.cell_size
    return int(max(1, min(4, MAP_MAX_PIXELS // side)))


def _rate_cells(rates: dict[str, Any]) -> list[str]:
    cells = []
    for difficulty in DIFFICULTIES:
        entry = rates["per_difficulty"][f"{difficulty:g}"]
        cells.append(f"{entry['successes']}/{entry['worlds']} ({100 * entry['successes'] / entry['worlds']:.0f} %)")
    return cells


def render() -> str:
    """docs/tasks.md for the implemented tasks; raises FileNotFoundError naming a missing rates file or picture."""
    lines = [
        "# Tasks",
        "",
        "*Generated by `python -m avalon.tasks.docs write` from the generators' docstrings (the README's task table "
        "comes from the same text), the measured rates in `docs/data/rates/` and the pictures in "
        "`docs/images/tasks/`; see that module for how each is made.*",
        "",
        'Success rates: the oracle (`avalon.oracle`, privileged: it reads `info["debug"]`) with the evaluation time '
        f"limit, and the random policy (VR action, the original's training time limit), on seeds 0-{SEEDS - 1} at each "
        f"difficulty. Pictures: seed {PICTURE_SEED}, difficulty {PICTURE_DIFFICULTY:g}; the map has north (-Z) up, the "
        "spawn as a white arrow and food in red.",
        "",
        "| task | group | oracle d=0 | d=0.5 | d=1 | random d=0 | d=0.5 | d=1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    sections: list[str] = []
    for task in implemented_tasks():
        name = task.name.lower()
        rates_path = RATES_DIR / f"{name}.json"
        if not rates_path.is_file():
            raise FileNotFoundError(f"no rates for {name}: run `python -m avalon.tasks.docs rates --tasks {name}`")
        for picture in (f"{name}_map.png", f"{name}_oracle.gif"):
            if not (IMAGES_DIR / picture).is_file():
                raise FileNotFoundError(f"no {picture}: run `python -m avalon.tasks.docs pictures --tasks {name}`")
        rates = json.loads(rates_path.read_text())
        group = TASKS[task].group.name.lower()
        oracle, random = _rate_cells(rates["oracle"]), _rate_cells(rates["random"])
        lines.append(f"| [{task.name}](#{name}) | {group} | {' | '.join(oracle)} | {' | '.join(random)} |")
        sections += _section(task, rates)
    return "\n".join([*lines, "", *sections]).rstrip() + "\n"


def _section(task: Task, rates: dict[str, Any]) -> list[str]:
    name = task.name.lower()
    summary = task_summary(task)
    out = [
        f"## {task.name}",
        "",
        f"`avalon/{name.capitalize()}-v0`, group {TASKS[task].group.name.lower()}.",
        "",
        f"**What is generated.** {_sentence(summary['generated'])}",
        "",
        f"**What the difficulty knob scales.** {_sentence(summary['difficulty'])}",
        "",
    ]
    if summary["differences"]:
        out += [f"**Deliberate differences from the original.** {_sentence(summary['differences'])}", ""]
    out += [
        f"**Success.** {_sentence(summary['success'])}",
        "",
        f"![{task.name} from above, seed {PICTURE_SEED}, difficulty {PICTURE_DIFFICULTY:g}]"
        f"(images/tasks/{name}_map.png) ![The oracle playing it](images/tasks/{name}_oracle.gif)",
        "",
    ]
    if name in HARD_MAPS:
        out += [
            f"A world at difficulty 1 (seed {PICTURE_SEED}), from above:",
            "",
            f"![{task.name} from above, seed {PICTURE_SEED}, difficulty 1](images/tasks/{name}_map_d1.png)",
            "",
        ]
    if _has_indoor(name):
        out += [
            f"The indoor variant (seed {PICTURE_SEED}, difficulty {PICTURE_DIFFICULTY:g}), ground storey from above:",
            "",
            f"![{task.name} indoors, from above](images/tasks/{name}_map_indoor.png)",
            "",
        ]
    out += [
        "| agent | time limit | d=0 | d=0.5 | d=1 | failed seeds (d=0 / 0.5 / 1) |",
        "|---|---|---|---|---|---|",
    ]
    for agent in ("oracle", "random"):
        entry = rates[agent]
        failed = " / ".join(
            _seed_list(entry["per_difficulty"][f"{d:g}"]["failed_seeds"]) if agent == "oracle" else "-"
            for d in DIFFICULTIES
        )
        out.append(f"| {agent} | {entry['time_limit']} | {' | '.join(_rate_cells(entry))} | {failed} |")
    out += ["", f"*Measured {rates['date']} on {rates['machine']}: `{rates['command']}`.*", ""]
    return out


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _seed_list(seeds: list[int]) -> str:
    if not seeds:
        return "none"
    return ", ".join(map(str, seeds[:8])) + (", ..." if len(seeds) > 8 else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m avalon.tasks.docs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    for command in ("rates", "pictures"):
        sub = commands.add_parser(command)
        sub.add_argument("--tasks", nargs="+", help="default: every implemented task")
    write = commands.add_parser("write")
    write.add_argument("--check", action="store_true", help="exit 1 if docs/tasks.md is stale")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "write":
        try:
            text = render()
        except FileNotFoundError as error:
            print(f"docs/tasks.md: {error}", file=sys.stderr)
            return 1
        if args.check:
            if not DOCS_PATH.is_file() or DOCS_PATH.read_text() != text:
                print("docs/tasks.md is stale: run `python -m avalon.tasks.docs write`", file=sys.stderr)
                return 1
            return 0
        DOCS_PATH.write_text(text)
        print(f"wrote {DOCS_PATH.relative_to(ROOT)}")
        return 0
    tasks = [t.name.lower() for t in implemented_tasks()] if args.tasks is None else args.tasks
    for task in tasks:
        if resolve_task(task) not in implemented_tasks():
            parser.error(f"{task} has no world generator yet")
    for task in tasks:
        if args.command == "rates":
            RATES_DIR.mkdir(parents=True, exist_ok=True)
            path = RATES_DIR / f"{task}.json"
            path.write_text(json.dumps(measure_rates(task), indent=1) + "\n")
            print(f"wrote {path.relative_to(ROOT)}")
        else:
            for path in make_pictures(task):
                print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
