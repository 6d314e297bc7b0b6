"""The task registry and the one entry point that turns (task, seed, difficulty) into a validated `WorldSpec`.

Each task is a module `avalon/tasks/<task>.py` exposing `generate(rng, difficulty) -> WorldSpec`; `TASKS` says which
tasks have one. Worlds are deterministic: the generator's RNG comes from
`SeedSequence([seed, task_id, round(difficulty * 1e6)])`.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from dataclasses import dataclass
from enum import IntEnum
from types import ModuleType

import numpy as np

from avalon.tasks.common import ImpossibleWorldError
from avalon.world.spec import WorldSpec
from avalon.world.validate import check_world

MAX_ATTEMPTS = 10  # generator retries on ImpossibleWorldError, continuing the same random stream


class Task(IntEnum):
    """The 20 tasks in the reference order; the value is the task id reported in `info["task"]`."""

    EAT = 0
    MOVE = 1
    JUMP = 2
    EXPLORE = 3
    SCRAMBLE = 4
    CLIMB = 5
    DESCEND = 6
    THROW = 7
    AVOID = 8
    HUNT = 9
    FIGHT = 10
    PUSH = 11
    STACK = 12
    BRIDGE = 13
    OPEN = 14
    CARRY = 15
    NAVIGATE = 16
    FIND = 17
    GATHER = 18
    SURVIVE = 19


@dataclass(frozen=True)
class TaskInfo:
    generator: str | None  # module path with `generate(rng, difficulty)`, None while not implemented
    evaluation_frames: int  # frame limit of evaluation episodes
    training_base_frames: int  # training limit = min(evaluation_frames, base * 10^d)
    compositional: bool = False

    @property
    def basic(self) -> bool:
        return not self.compositional


_5_MIN, _10_MIN, _15_MIN = 3000, 6000, 9000
TASKS: dict[Task, TaskInfo] = {
    Task.EAT: TaskInfo("avalon.tasks.eat", _5_MIN, 260),
    Task.MOVE: TaskInfo("avalon.tasks.move", _5_MIN, 360),
    Task.JUMP: TaskInfo(None, _5_MIN, 310),
    Task.EXPLORE: TaskInfo(None, _10_MIN, 1340),
    Task.SCRAMBLE: TaskInfo(None, _5_MIN, 190),
    Task.CLIMB: TaskInfo(None, _5_MIN, 250),
    Task.DESCEND: TaskInfo(None, _5_MIN, 340),
    Task.THROW: TaskInfo(None, _5_MIN, 600),
    Task.AVOID: TaskInfo(None, _5_MIN, 240),
    Task.HUNT: TaskInfo(None, _5_MIN, 420),
    Task.FIGHT: TaskInfo(None, _5_MIN, 220),
    Task.PUSH: TaskInfo(None, _5_MIN, 700),
    Task.STACK: TaskInfo(None, _10_MIN, 710),
    Task.BRIDGE: TaskInfo(None, _5_MIN, 630),
    Task.OPEN: TaskInfo(None, _5_MIN, 170),
    Task.CARRY: TaskInfo(None, _10_MIN, 610),
    Task.NAVIGATE: TaskInfo(None, _15_MIN, 1220, compositional=True),
    Task.FIND: TaskInfo(None, _15_MIN, 1180, compositional=True),
    Task.GATHER: TaskInfo(None, _15_MIN, 3300, compositional=True),
    Task.SURVIVE: TaskInfo(None, _10_MIN, 3780, compositional=True),
}


class UnknownTaskError(ValueError):
    """The task is not one of the 20 (or has no generator yet); the message lists the valid ones."""


def implemented_tasks() -> tuple[Task, ...]:
    return tuple(task for task, info in TASKS.items() if info.generator is not None)


def resolve_task(task: Task | str | int) -> Task:
    """A `Task` from a Task, its name (any case, e.g. "eat") or its integer id."""
    if isinstance(task, Task):
        return task
    if isinstance(task, str) and task.upper() in Task.__members__:
        return Task[task.upper()]
    if isinstance(task, int) and not isinstance(task, bool) and task in set(Task):
        return Task(task)
    names = ", ".join(t.name.lower() for t in Task)
    raise UnknownTaskError(f"unknown task {task!r}; valid tasks: {names}")


def check_difficulty(difficulty: float) -> float:
    if isinstance(difficulty, bool) or not isinstance(difficulty, (int, float, np.floating, np.integer)):
        raise ValueError(f"difficulty must be a float in [0, 1], got {difficulty!r}")
    value = float(difficulty)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"difficulty must be a finite float in [0, 1], got {difficulty!r}")
    return value


MAX_SEED = 2**63 - 1  # seeds travel to Godot as 64-bit integers, which GDScript reads as signed


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be a non-negative int, at most 2**63 - 1, got {seed!r}")
    return int(seed)


def generator_module(task: Task | str | int) -> ModuleType:
    parsed = resolve_task(task)
    module = TASKS[parsed].generator
    if module is None:
        implemented = ", ".join(t.name.lower() for t in implemented_tasks())
        raise UnknownTaskError(f"task {parsed.name.lower()} has no world generator yet; implemented: {implemented}")
    return importlib.import_module(module)


def task_rng(task: Task, seed: int, difficulty: float) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, int(task), round(difficulty * 1e6)])))


def generate_world(task: Task | str | int, seed: int, difficulty: float, variant: str | None = None) -> WorldSpec:
    """The world for (task, seed, difficulty): the same triple always gives the same (byte-identical) world.

    `variant` forces one categorical choice that difficulty would otherwise draw, for the evaluation set's coverage
    worlds: the food kind for EAT (the rest of the world still follows seed and difficulty)."""
    parsed, seed, difficulty = resolve_task(task), check_seed(seed), check_difficulty(difficulty)
    module = generator_module(parsed)
    variants: tuple[str, ...] = getattr(module, "VARIANTS", ())
    if variant is not None and variant not in variants:
        raise ValueError(
            f"{parsed.name.lower()} has no variant {variant!r}"
            + (f"; its variants: {', '.join(variants)}" if variants else " (it takes none)")
        )
    rng = task_rng(parsed, seed, difficulty)
    errors: list[str] = []
    for _ in range(MAX_ATTEMPTS):
        try:
            spec = module.generate(rng, difficulty) if variant is None else module.generate(rng, difficulty, variant)
        except ImpossibleWorldError as error:
            errors.append(str(error))
            continue
        spec = dataclasses.replace(spec, seed=seed, difficulty=difficulty)
        check_world(spec)
        return spec
    raise ImpossibleWorldError(
        f"{parsed.name.lower()} seed={seed} difficulty={difficulty}: no world after {MAX_ATTEMPTS} attempts; "
        f"last reasons: {errors[-3:]}"
    )


def frame_limit(task: Task | str | int, difficulty: float, mode: str = "evaluation") -> int:
    """Episode frame limit: the evaluation limit (3000/6000/9000), or min(that, base * 10^d) for training."""
    info = TASKS[resolve_task(task)]
    difficulty = check_difficulty(difficulty)
    if mode == "evaluation":
        return info.evaluation_frames
    if mode == "training":
        return min(info.evaluation_frames, round(info.training_base_frames * 10**difficulty))
    raise ValueError(f"mode must be 'evaluation' or 'training', got {mode!r}")
