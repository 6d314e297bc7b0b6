"""`make bench`: throughput, reset and world-generation times and world sizes, as medians over repeats, with the
machine description.

Env steps/s use random actions in EAT and MOVE worlds at 96x96 RGB-D: one process unpinned, one process pinned to
one CPU (Python and Godot both, via `taskset`-style affinity), and the vector env over the whole machine; every task at
d=0.5 in one process; the biggest worlds (EXPLORE at d=1, 512 m: `bench_big_world`); a stress world with 30
animals (`bench_animals`). Also world generation ms per
task, reset ms and encoded world size. Results go to the terminal and to a JSON file.

`python -m avalon.bench --profile-world` (reset phases) and `--far-rendering` (what distance fog costs) run the
world-building diagnostics of `avalon.bench_worlds` instead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from avalon.constants import ACTION_SIZE
from avalon.tasks import generate_world, implemented_tasks
from avalon.world.codec import encode_world

TARGETS = {
    "single_process_steps_per_second": ">= 1000",
    "vector_env_steps_per_second": ">= 2000",
    "world_generation_ms_basic": "<= 20",
    "reset_ms": "<= 50",
    "encoded_world_kb_basic": "<= 200",
    "big_world_steps_per_second": ">= 300",
    "big_world_reset_ms": "<= 300",
    "big_world_wire_kb": "<= 1024",
}


def cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo where there is one), for the provenance of measured figures."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    cpu = cpu_name()
    from avalon.sim.engine import check_godot_version, find_godot

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "godot": check_godot_version(find_godot(headless=False)),
        "renderer": "GLES2 on Mesa llvmpipe under Xvfb" if not os.environ.get("DISPLAY") else "GLES2 on $DISPLAY",
    }


def random_actions(rng: np.random.Generator, n: int, batch: int | None = None) -> np.ndarray:
    shape = (n, ACTION_SIZE) if batch is None else (n, batch, ACTION_SIZE)
    return rng.uniform(-1.0, 1.0, shape).astype(np.float32)


def bench_single(
    steps: int, repeats: int, resolution: int, headless: bool = False, tasks: list[str] | None = None
) -> dict[str, Any]:
    """One process, random actions, every implemented task (or `tasks`) at difficulty 0.5 in turn: the median steps/s
    and reset time over everything, and per task (DESIGN.md: every basic task within 20 % of EAT's steps/s)."""
    from avalon.env import AvalonEnv

    rng = np.random.default_rng(0)
    tasks = tasks or [t.name.lower() for t in implemented_tasks()]
    rates: dict[str, list[float]] = {t: [] for t in tasks}
    resets: dict[str, list[float]] = {t: [] for t in tasks}
    with AvalonEnv("eat", resolution=resolution, headless=headless) as env:
        env.reset(seed=0)
        for repeat in range(repeats):
            for task in tasks:
                options = {"task": task, "difficulty": 0.5}
                start = time.perf_counter()
                env.reset(seed=1000 + repeat, options=options)
                resets[task].append((time.perf_counter() - start) * 1000)
                actions = random_actions(rng, steps)
                done = 0
                start = time.perf_counter()
                for action in actions:
                    _, _, terminated, truncated, _ = env.step(action)
                    done += 1
                    if terminated or truncated:
                        env.reset(seed=done, options=options)
                rates[task].append(done / (time.perf_counter() - start))
    every_rate = [r for task in tasks for r in rates[task]]
    return {
        "steps_per_second": statistics.median(every_rate),
        "all": every_rate,
        "reset_ms": statistics.median([r for task in tasks for r in resets[task]]),
        "per_task": {
            task: {"steps_per_second": statistics.median(rates[task]), "reset_ms": statistics.median(resets[task])}
            for task in tasks
        },
    }


def bench_vector(steps: int, repeats: int, resolution: int, num_envs: int, num_processes: int) -> dict[str, Any]:
    from avalon.vector import make_vec

    rng = np.random.default_rng(0)
    rates = []
    env = make_vec("eat", num_envs, resolution=resolution, num_processes=num_processes, difficulty=0.5)
    try:
        env.reset(seed=0)
        for _ in range(repeats):
            actions = random_actions(rng, steps, num_envs)
            start = time.perf_counter()
            for action in actions:
                env.step(action)
            rates.append(steps * num_envs / (time.perf_counter() - start))
    finally:
        env.close()
    return {
        "steps_per_second": statistics.median(rates),
        "all": rates,
        "num_envs": num_envs,
        "processes": num_processes,
    }


def bench_generation(seeds: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for task in implemented_tasks():
        times, sizes = [], []
        for seed in range(seeds):
            for difficulty in (0.0, 0.5, 1.0):
                start = time.perf_counter()
                spec = generate_world(task, seed, difficulty)
                data = encode_world(spec)
                times.append((time.perf_counter() - start) * 1000)
                sizes.append(len(data) / 1024)
        out[task.name.lower()] = {
            "generation_ms_median": statistics.median(times),
            "generation_ms_max": max(times),
            "encoded_kb_median": statistics.median(sizes),
            "encoded_kb_max": max(sizes),
        }
    return out


BIG_WORLD = ("explore", 1.0)  # the biggest worlds a task makes: EXPLORE at d=1
BIG_WORLD_SIDE = 512  # m: its largest side, the one the budget is for


def big_world_seeds(count: int) -> list[int]:
    """The first `count` seeds whose EXPLORE world at d=1 is BIG_WORLD_SIDE m across."""
    seeds: list[int] = []
    seed = 0
    while len(seeds) < count:
        terrain = generate_world(BIG_WORLD[0], seed, BIG_WORLD[1]).terrain
        if round((terrain.points_x - 1) * terrain.cell_size) == BIG_WORLD_SIDE:
            seeds.append(seed)
        seed += 1
    return seeds


def bench_big_world(steps: int, repeats: int, resolution: int) -> dict[str, Any]:
    """EXPLORE at d=1 in 512 m worlds (`repeats` of them), one process, rendered: generation ms, reset ms into the
    generated world (what a vector env's worker pays once the world is made), env steps/s under random actions from
    the spawn, and the encoded world's size raw and packed for the RESET command (the wire)."""
    from avalon.env import AvalonEnv
    from avalon.sim.protocol import pack_world

    rng = np.random.default_rng(0)
    out: dict[str, list[float]] = {k: [] for k in ("generation_ms", "reset_ms", "steps_per_second", "encoded_kb",
                                                   "wire_kb", "trees")}  # fmt: skip
    with AvalonEnv(BIG_WORLD[0], resolution=resolution) as env:
        env.reset(seed=0, options={"task": "eat", "difficulty": 0.5})  # start Godot outside the measurement
        for seed in big_world_seeds(repeats):
            start = time.perf_counter()
            spec = generate_world(BIG_WORLD[0], seed, BIG_WORLD[1])
            out["generation_ms"].append((time.perf_counter() - start) * 1000)
            data = encode_world(spec)
            out["encoded_kb"].append(len(data) / 1024)
            out["wire_kb"].append(len(pack_world(data)) / 1024)
            out["trees"].append(len(spec.trees))
            start = time.perf_counter()
            env.reset(seed=seed, options={"world": spec})
            out["reset_ms"].append((time.perf_counter() - start) * 1000)
            done = 0
            start = time.perf_counter()
            for action in random_actions(rng, steps):
                _, _, terminated, truncated, _ = env.step(action)
                done += 1
                if terminated or truncated:
                    env.reset(seed=seed, options={"world": spec})
            out["steps_per_second"].append(done / (time.perf_counter() - start))
    return {**{f"{k}_median": statistics.median(v) for k, v in out.items()}, "all": out, "side": BIG_WORLD_SIDE}


ANIMAL_STRESS = 30  # animals in the stress world (the figure)


def bench_animals(steps: int, repeats: int, resolution: int) -> dict[str, Any]:
    """The stress world (`avalon.world.builders.animal_field`: ANIMAL_STRESS animals of every species on an 80 m flat
    square, all within the freeze distance) against the same square without them, interleaved in one process,
    rendered: env steps/s under random actions and reset ms."""
    from avalon.env import AvalonEnv
    from avalon.world.builders import animal_field

    rng = np.random.default_rng(0)
    worlds = {"animals": animal_field(ANIMAL_STRESS), "no_animals": animal_field(0)}
    out: dict[str, dict[str, list[float]]] = {k: {"steps_per_second": [], "reset_ms": []} for k in worlds}
    with AvalonEnv("eat", resolution=resolution) as env:
        env.reset(seed=0, options={"task": "eat", "difficulty": 0.5})  # start Godot outside the measurement
        for repeat in range(repeats):
            for name, spec in worlds.items():
                start = time.perf_counter()
                env.reset(seed=repeat, options={"world": spec})
                out[name]["reset_ms"].append((time.perf_counter() - start) * 1000)
                done = 0
                start = time.perf_counter()
                for action in random_actions(rng, steps):
                    _, _, terminated, truncated, _ = env.step(action)
                    done += 1
                    if terminated or truncated:
                        env.reset(seed=repeat, options={"world": spec})
                out[name]["steps_per_second"].append(done / (time.perf_counter() - start))
    return {
        name: {f"{k}_median": statistics.median(v) for k, v in figures.items()} | {"all": figures}
        for name, figures in out.items()
    } | {"count": ANIMAL_STRESS}


def bench_training() -> dict[str, Any]:
    """Training throughput of the baselines (their own `benchmark` functions), when they are installed."""
    out: dict[str, Any] = {}
    for name, module in (("PPO", "baselines.ppo.train"), ("Dreamer", "baselines.dreamer.train")):
        print(f"measuring {name} training ...", flush=True)
        try:
            out[name] = __import__(module, fromlist=["benchmark"]).benchmark()
        except ImportError as error:
            out[name] = {"error": f"not available: {error}"}
    return out


def pinned_single(steps: int, repeats: int, resolution: int) -> dict[str, Any]:
    """Run bench_single in a child process pinned (with its Godot) to CPU 0."""
    code = (
        "import json, os; os.sched_setaffinity(0, {0}); from avalon.bench import bench_single; "
        f"print(json.dumps(bench_single({steps}, {repeats}, {resolution})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    from avalon.bench_worlds import FAR_RUNS, PROFILE_WORLDS, far_rendering, print_profile, profile_world

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1000, help="env steps per repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--resolution", type=int, default=96)
    parser.add_argument("--envs-per-process", type=int, default=4)
    parser.add_argument("--out", type=Path, default=Path("out/bench.json"))
    parser.add_argument("--no-training", action="store_true", help="skip the baselines' training throughput")
    parser.add_argument(
        "--profile-world", action="store_true", help="only split reset times into phases (profile_world)"
    )
    parser.add_argument("--worlds", nargs="+", help=f"--profile-world: worlds of {sorted(PROFILE_WORLDS)}")
    parser.add_argument("--modes", nargs="+", default=["headless", "rendered"], help="--profile-world: modes")
    parser.add_argument("--resets", type=int, default=3, help="--profile-world: resets per world and mode")
    parser.add_argument(
        "--far-rendering", action="store_true", help="only measure what distance fog costs (far_rendering)"
    )
    parser.add_argument(
        "--tasks", nargs="+", help="only the one-process figures of these tasks (and EAT's, to compare), d=0.5"
    )
    args = parser.parse_args(argv)
    if args.tasks:
        tasks = ["eat", *(t for t in args.tasks if t != "eat")]
        figures = {
            mode: bench_single(args.steps, args.repeats, args.resolution, mode == "headless", tasks)
            for mode in ("rendered", "headless")
        }
        out = args.out.with_name("bench_tasks.json") if args.out == Path("out/bench.json") else args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"machine": machine(), "steps": args.steps, "single": figures}, indent=2))
        print(f"{'task (d=0.5)':<12}{'steps/s':>10}{'% of EAT':>10}{'reset ms':>10}{'headless':>10}{'% of EAT':>10}")
        for task in tasks:
            row = [figures[mode]["per_task"][task] for mode in ("rendered", "headless")]
            share = [
                100 * r["steps_per_second"] / figures[m]["per_task"]["eat"]["steps_per_second"]
                for r, m in zip(row, ("rendered", "headless"), strict=True)
            ]
            print(
                f"{task:<12}{row[0]['steps_per_second']:>10.0f}{share[0]:>10.0f}{row[0]['reset_ms']:>10.0f}"
                f"{row[1]['steps_per_second']:>10.0f}{share[1]:>10.0f}"
            )
        print(f"written to {out}")
        return 0
    if args.far_rendering:
        print(f"measuring {', '.join(FAR_RUNS)} with and without fog, {args.repeats} times ...", flush=True)
        far = far_rendering(steps=args.steps, repeats=args.repeats, resolution=args.resolution)
        out = args.out.with_name("far_rendering.json") if args.out == Path("out/bench.json") else args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"machine": machine(), "steps": args.steps, "far_rendering": far}, indent=2))
        print(f"{'run':<14}{'fog steps/s':>14}{'no fog':>10}{'fog Godot ms/step':>20}{'no fog':>10}")
        for run, modes in far.items():
            fog, clear = modes["fog"], modes["no_fog"]
            print(
                f"{run:<14}{fog['steps_per_second']:>14.1f}{clear['steps_per_second']:>10.1f}"
                f"{fog['godot_cpu_ms_per_step']:>20.2f}{clear['godot_cpu_ms_per_step']:>10.2f}"
            )
        print(f"written to {out}")
        return 0
    if args.profile_world:
        profile = profile_world(args.worlds, tuple(args.modes), args.resets)
        out = args.out.with_name("profile_world.json") if args.out == Path("out/bench.json") else args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(profile, indent=2))
        print_profile(profile)
        print(f"written to {out}")
        return 0
    cores = os.cpu_count() or 1
    print("measuring world generation ...", flush=True)
    generation = bench_generation(seeds=20)
    print("measuring one process (unpinned) ...", flush=True)
    single = bench_single(args.steps, args.repeats, args.resolution)
    print("measuring one process without rendering (headless), for the profile ...", flush=True)
    headless = bench_single(args.steps, args.repeats, args.resolution, headless=True)
    pinned: dict[str, Any] | None = None
    if hasattr(os, "sched_setaffinity"):
        print("measuring one process pinned to one CPU ...", flush=True)
        pinned = pinned_single(args.steps, args.repeats, args.resolution)
    print(f"measuring the vector env ({cores} processes x {args.envs_per_process} envs) ...", flush=True)
    vector = bench_vector(
        args.steps // args.envs_per_process, args.repeats, args.resolution, cores * args.envs_per_process, cores
    )
    print(f"measuring {BIG_WORLD[0]} at d={BIG_WORLD[1]:g} in {BIG_WORLD_SIDE} m worlds ...", flush=True)
    big = bench_big_world(args.steps, args.repeats, args.resolution)
    print(f"measuring a stress world with {ANIMAL_STRESS} animals ...", flush=True)
    animals = bench_animals(args.steps, args.repeats, args.resolution)
    training = {} if args.no_training else bench_training()
    report = {
        "training": training,
        "machine": machine(),
        "resolution": args.resolution,
        "repeats": args.repeats,
        "single_process": single,
        "single_process_pinned": pinned,
        "single_process_headless": headless,
        "vector_env": vector,
        "generation": generation,
        "big_world": big,
        "animals": animals,
        "targets": TARGETS,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    m = report["machine"]
    print(f"\nmachine: {m['cpu']}, {m['cores']} cores, Godot {m['godot']}, {m['renderer']}")
    print(f"{'figure':<52} {'median':>10} {'target':>10}")
    rows = [
        ("env steps/s, 1 process, unpinned", single["steps_per_second"], ">= 1000"),
        ("env steps/s, 1 process, pinned to 1 CPU", pinned["steps_per_second"] if pinned else float("nan"), ""),
        (
            f"env steps/s, vector env {vector['num_envs']} envs / {cores} processes",
            vector["steps_per_second"],
            ">= 2000",
        ),
        ("env steps/s, 1 process, headless (no rendering)", headless["steps_per_second"], ""),
        ("reset into a new world, ms", single["reset_ms"], "<= 50"),
    ]
    eat_rate = single["per_task"]["eat"]["steps_per_second"]
    for task, figures in single["per_task"].items():
        share = 100.0 * figures["steps_per_second"] / eat_rate
        rows.append((f"{task} d=0.5: env steps/s, 1 process ({share:.0f} % of EAT)", figures["steps_per_second"], ""))
        rows.append((f"{task} d=0.5: reset into a new world, ms", figures["reset_ms"], "<= 50"))
    where = f"{BIG_WORLD[0]} d={BIG_WORLD[1]:g}, {BIG_WORLD_SIDE} m"
    rows += [
        (f"{where}: env steps/s, 1 process", big["steps_per_second_median"], ">= 300"),
        (f"{where}: reset into the world, ms", big["reset_ms_median"], "<= 300"),
        (f"{where}: world generation, ms", big["generation_ms_median"], ""),
        (f"{where}: encoded world, KB", big["encoded_kb_median"], ""),
        (f"{where}: packed for RESET (wire), KB", big["wire_kb_median"], "<= 1024"),
    ]
    stress, bare = animals["animals"], animals["no_animals"]
    share = 100.0 * stress["steps_per_second_median"] / eat_rate
    rows += [
        (f"{ANIMAL_STRESS} animals, 80 m flat: env steps/s ({share:.0f} % of EAT)", stress["steps_per_second_median"],
         ">= 75 %"),
        ("the same 80 m flat without animals: env steps/s", bare["steps_per_second_median"], ""),
        (f"{ANIMAL_STRESS} animals: reset into the world, ms", stress["reset_ms_median"], "<= 50"),
    ]  # fmt: skip
    for task, g in generation.items():
        rows.append((f"world generation {task}, ms", g["generation_ms_median"], "<= 20"))
        rows.append((f"encoded world {task}, KB (max {g['encoded_kb_max']:.0f})", g["encoded_kb_median"], "<= 200"))
    for name, result in training.items():
        rows.append((f"training env steps/s, {name}", result.get("env_steps_per_second", float("nan")), ""))
    for name, value, target in rows:
        print(f"{name:<52} {value:>10.1f} {target:>10}")
    step_ms, logic_ms = 1000 / single["steps_per_second"], 1000 / headless["steps_per_second"]
    print(
        f"\nper step (1 process): {step_ms:.2f} ms, of which rendering and reading back the frame "
        f"{step_ms - logic_ms:.2f} ms; physics, game scripts, protocol and Python {logic_ms:.2f} ms"
    )
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
