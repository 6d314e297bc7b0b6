"""World-building diagnostics behind `python -m avalon.bench`'s two special modes (the throughput figures of
`make bench` stay in `avalon.bench`):

- `--profile-world` (`profile_world`): resets the real env into big islands (`avalon.world.builders.big_island`, 300
  and 512 m, 1 and 3 trees per 100 m^2), a 512 m EXPLORE world at d=1, an EAT world at d=0.5 and flat fields of 500
  to 4,000 trees, headless and rendered, and splits each reset into its phases;
- `--far-rendering` (`far_rendering`, docs/protocol.md "Far rendering"): steps/s and Godot's CPU time per step with
  distance fog and without (Godot started with AVALON_NO_FOG), in turn.
"""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from avalon.bench import big_world_seeds, random_actions
from avalon.constants import NUM_REAL_ACTIONS
from avalon.tasks import generate_world
from avalon.world import builders
from avalon.world.codec import encode_world
from avalon.world.spec import Item, Trees, WorldSpec, surface_height
from avalon.world.validate import check_world


def tree_field(count: int, side: int = 256, seed: int = 0) -> WorldSpec:
    """A flat `side` m square with `count` trees at random places (none within 3 m of the spawn at the centre), 4 to
    12 m tall, of all kinds: tree building alone, for the profile's tree counts."""
    rng = np.random.default_rng(seed)
    half = side / 2.0 - 1.0
    xz = rng.uniform(-half, half, (count * 2, 2))
    xz = xz[np.hypot(xz[:, 0], xz[:, 1]) > 3.0][:count]
    if len(xz) < count:
        raise ValueError(f"{count} trees do not fit on a {side} m square")
    positions = np.column_stack([xz[:, 0], np.zeros(count), xz[:, 1]]).astype(np.float32)
    trees = Trees(positions, rng.uniform(4.0, 12.0, count).astype(np.float32), rng.integers(0, 3, count, np.uint8))
    return builders.flat_world(side, trees=trees, seed=seed)


# The profile's worlds by name: a factory of the world from a seed.
PROFILE_WORLDS: dict[str, Any] = {
    "island300_d1": lambda seed: builders.big_island(300, 1.0, seed),
    "island512_d1": lambda seed: builders.big_island(512, 1.0, seed),
    "island512_d3": lambda seed: builders.big_island(512, 3.0, seed),
    "eat_d0.5": lambda seed: generate_world("eat", seed, 0.5),
    "explore512_d1": lambda seed: generate_world("explore", big_world_seeds(seed + 1)[seed], 1.0),
    **{f"trees{n}": (lambda seed, n=n: tree_field(n, seed=seed)) for n in (500, 1000, 2000, 4000)},
}
PROFILE_LINE = "avalon-reset-profile "  # what Godot prints with AVALON_PROFILE_RESET set (godot_project/env/env.gd)
# Godot's phases in the order they happen (usec in its line; a phase a mode skips, e.g. meshes headless, is absent).
GODOT_PHASES = (
    "decode_and_checks",  # main.gd: header, SHA-256, Variant walk, bytes2var, key/type/limit checks
    "free_old_world",
    "terrain_collision",
    "terrain_meshes",
    "water_walls",
    "tree_collision",  # with the trunk list for climbing
    "tree_meshes",
    "items",
    "enter_tree",  # the world node joins the scene: bodies enter the physics space
    "player",
    "first_tick_and_draw",  # the physics tick after the reset, and the frame's drawing
    "read_back",  # the frame read back and the observation record written
)


def far_world(name: str) -> WorldSpec:
    """A world of `far_rendering`: "island" is the 512 m island (1 tree per 100 m^2) with an apple on the ground 120 m
    from the spawn, so its debug episode runs on (without food it would end after FRAMES_ALIVE_AFTER_FOOD_GONE);
    "eat" is an EAT world at difficulty 0 (avalon/Eat-v0's), seed 0."""
    if name == "eat":
        return generate_world("eat", 0, 0.0)
    if name != "island":
        raise ValueError(f"unknown far-rendering world {name!r}; known: island, eat")
    world = builders.big_island(512, 1.0)
    terrain = world.terrain
    x, z = 120.0, 0.0
    y = surface_height(np.asarray(terrain.heights), terrain.origin[0], terrain.origin[2], x, z, terrain.cell_size)
    apple = Item.food("apple", 1, (x, y + 0.5, z))
    return dataclasses.replace(world, items=(apple,))


FAR_RUNS = ("island_look", "island_walk", "eat_look")  # world _ trajectory


def _far_actions(trajectory: str, n: int) -> np.ndarray:
    """A trajectory of `n` actions. look: random (seeded, so every run follows the same); walk: walking forward
    while turning left slowly (a circle about 110 m across), the other axes still, no grasp or jump."""
    actions = random_actions(np.random.default_rng(0), n)
    if trajectory == "walk":
        actions[:] = 0.0
        actions[:, 2] = -1.0  # head: back < 0, so forward
        actions[:, 4] = 0.05  # yaw left
        actions[:, NUM_REAL_ACTIONS:] = -1.0
    return actions


def _godot_cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of process `pid` (Linux /proc), NaN where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, TypeError):
        return float("nan")


def far_rendering(
    runs: tuple[str, ...] = FAR_RUNS, steps: int = 300, warmup: int = 100, repeats: int = 5, resolution: int = 96
) -> dict[str, Any]:
    """Steps/s of one env and its Godot's CPU ms per step, with fog and without (a Godot started with AVALON_NO_FOG,
    which draws the vertex colours alone), for each of `runs` (FAR_RUNS): a fresh Godot per measurement, `warmup`
    steps, then `steps` timed ones; fog and no fog alternate, `repeats` times. The CPU time is steadier than the wall
    time on a machine shared with other work. Returns {run: {"fog" | "no_fog": {"steps_per_second",
    "godot_cpu_ms_per_step": median, "all_...": every repeat}}}."""
    from avalon.env import AvalonEnv

    unknown = sorted(set(runs) - set(FAR_RUNS))
    if unknown or not runs:
        raise ValueError(f"unknown far-rendering run(s) {unknown or list(runs)}; known: {list(FAR_RUNS)}")
    if steps < 1 or warmup < 0 or repeats < 1:
        raise ValueError(f"need steps >= 1, warmup >= 0 and repeats >= 1, got {steps}, {warmup}, {repeats}")
    worlds = {name: far_world(name) for name in {run.split("_")[0] for run in runs}}
    rates: dict[str, dict[str, list[float]]] = {run: {"fog": [], "no_fog": []} for run in runs}
    cpu: dict[str, dict[str, list[float]]] = {run: {"fog": [], "no_fog": []} for run in runs}
    previous = os.environ.get("AVALON_NO_FOG")
    try:
        for _ in range(repeats):
            for run in runs:
                name, trajectory = run.split("_")
                actions = _far_actions(trajectory, warmup + steps)
                for mode in ("fog", "no_fog"):
                    os.environ.pop("AVALON_NO_FOG", None)
                    if mode == "no_fog":
                        os.environ["AVALON_NO_FOG"] = "1"  # Godot reads it when it starts, at the first reset
                    with AvalonEnv("eat", resolution=resolution, time_limit=warmup + steps + 1) as env:
                        options = {"world": worlds[name]}
                        env.reset(seed=0, options=options)
                        pid = env.process.pid if env.process is not None else None
                        wall = godot = 0.0
                        for n, action in enumerate(actions):
                            if n == warmup:
                                wall, godot = -time.perf_counter(), -_godot_cpu_seconds(pid)
                            _, _, terminated, truncated, _ = env.step(action)
                            if terminated or truncated:  # resets are not timed
                                if n >= warmup:
                                    wall, godot = wall + time.perf_counter(), godot + _godot_cpu_seconds(pid)
                                env.reset(seed=0, options=options)
                                if n >= warmup:
                                    wall, godot = wall - time.perf_counter(), godot - _godot_cpu_seconds(pid)
                        wall, godot = wall + time.perf_counter(), godot + _godot_cpu_seconds(pid)
                        rates[run][mode].append(steps / wall)
                        cpu[run][mode].append(1000.0 * godot / steps)
    finally:
        os.environ.pop("AVALON_NO_FOG", None)
        if previous is not None:
            os.environ["AVALON_NO_FOG"] = previous
    return {
        run: {
            mode: {
                "steps_per_second": statistics.median(rates[run][mode]),
                "godot_cpu_ms_per_step": statistics.median(cpu[run][mode]),
                "all_steps_per_second": rates[run][mode],
                "all_godot_cpu_ms_per_step": cpu[run][mode],
            }
            for mode in ("fog", "no_fog")
        }
        for run in runs
    }


def _last_profile_line(log: str) -> dict[str, float]:
    lines = [line for line in log.splitlines() if line.startswith(PROFILE_LINE)]
    if not lines:
        raise RuntimeError(f"Godot printed no '{PROFILE_LINE.strip()}' line (is AVALON_PROFILE_RESET set?)")
    return {phase: usec / 1000.0 for phase, usec in json.loads(lines[-1][len(PROFILE_LINE) :]).items()}


def profile_world(
    worlds: list[str] | None = None, modes: tuple[str, ...] = ("headless", "rendered"), resets: int = 3, seed: int = 0
) -> dict[str, Any]:
    """Reset the real env `resets` times into each world of `PROFILE_WORLDS` (default: all) in each mode and split
    the reset's wall time into phases, in ms: Python's checks (`check_world`) and encoding (`encode_world`), Godot's
    `GODOT_PHASES` (Godot prints them when AVALON_PROFILE_RESET is set, which this sets), and `transfer_and_rest`,
    the remainder (sending the world, the reply, Python decoding the observation). Returns {mode: {world: {phase:
    {"median", "min", "max"}}}} plus the worlds' sizes; the generation time (not part of a reset) is reported too."""
    from avalon.env import AvalonEnv

    names = list(PROFILE_WORLDS) if worlds is None else worlds
    unknown = sorted(set(names) - set(PROFILE_WORLDS))
    if unknown:
        raise ValueError(f"unknown profile world(s) {unknown}; known: {sorted(PROFILE_WORLDS)}")
    bad_modes = sorted(set(modes) - {"headless", "rendered"})
    if bad_modes or not modes:
        raise ValueError(f"modes must be 'headless' and/or 'rendered', got {list(modes)}")
    if resets < 1:
        raise ValueError(f"resets must be at least 1, got {resets}")
    specs: dict[str, WorldSpec] = {}
    sizes: dict[str, dict[str, Any]] = {}
    for name in names:
        start = time.perf_counter()
        specs[name] = PROFILE_WORLDS[name](seed)
        elapsed = (time.perf_counter() - start) * 1000
        spec = specs[name]
        sizes[name] = {
            "generation_ms": elapsed,
            "terrain_points": list(spec.terrain.heights.shape),
            "trees": len(spec.trees),
            "items": len(spec.items),
            "encoded_kb": len(encode_world(spec)) / 1024,
        }
    previous = os.environ.get("AVALON_PROFILE_RESET")
    os.environ["AVALON_PROFILE_RESET"] = "1"  # Godot inherits the environment
    out: dict[str, Any] = {"worlds": sizes, "resets": resets, "seed": seed}
    try:
        for mode in modes:
            out[mode] = {}
            with AvalonEnv("eat", headless=mode == "headless") as env:
                env.reset(seed=0)  # start Godot outside the measurement
                for name in names:
                    spec = specs[name]
                    runs: list[dict[str, float]] = []
                    for _ in range(resets):
                        start = time.perf_counter()
                        check_world(spec)
                        checked = time.perf_counter()
                        encode_world(spec)
                        encoded = time.perf_counter()
                        env.reset(seed=seed, options={"world": spec})
                        done = time.perf_counter()
                        assert env.process is not None
                        run = {"python_check": (checked - start) * 1000, "python_encode": (encoded - checked) * 1000}
                        run.update(_last_profile_line(env.process.log_tail(20)))
                        # env.reset checks and encodes the world again: what is left is transfer and the rest
                        run["total"] = (done - encoded) * 1000 + run["python_check"] + run["python_encode"]
                        known = sum(value for phase, value in run.items() if phase != "total")
                        run["transfer_and_rest"] = run["total"] - known
                        runs.append(run)
                    phases = ("python_check", "python_encode", "transfer_and_rest", *GODOT_PHASES, "total")
                    out[mode][name] = {
                        phase: {
                            "median": statistics.median(r[phase] for r in runs),
                            "min": min(r[phase] for r in runs),
                            "max": max(r[phase] for r in runs),
                        }
                        for phase in phases
                        if phase in runs[0]
                    }
    finally:
        if previous is None:
            os.environ.pop("AVALON_PROFILE_RESET", None)
        else:
            os.environ["AVALON_PROFILE_RESET"] = previous
    return out


def print_profile(profile: dict[str, Any]) -> None:
    """The profile as one table per mode: a row per phase, a column per world, medians in ms."""
    for name, size in profile["worlds"].items():
        print(
            f"{name}: {size['terrain_points'][1]} x {size['terrain_points'][0]} points, {size['trees']} trees, "
            f"{size['items']} items, {size['encoded_kb']:.0f} KB encoded, generated in {size['generation_ms']:.0f} ms"
        )
    for mode in ("headless", "rendered"):
        if mode not in profile:
            continue
        worlds = profile[mode]
        names = list(worlds)
        print(f"\n{mode}: reset phases, median ms of {profile['resets']} resets (total: min-max)")
        print(f"{'phase':<22}" + "".join(f"{n:>16}" for n in names))
        phases = {phase for w in worlds.values() for phase in w}
        for phase in ("python_check", "python_encode", "transfer_and_rest", *GODOT_PHASES, "total"):
            if phase not in phases:
                continue
            cells = []
            for n in names:
                figure = worlds[n].get(phase)
                cells.append(f"{figure['median']:>16.1f}" if figure else f"{'-':>16}")
            print(f"{phase:<22}" + "".join(cells))
        spread = [f"{w['total']['min']:.0f}-{w['total']['max']:.0f}" for w in worlds.values()]
        print(f"{'total min-max':<22}" + "".join(f"{cell:>16}" for cell in spread))
