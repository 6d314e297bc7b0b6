"""The task registry and the one entry point that turns (task, seed, difficulty) into a validated `WorldSpec`.

`TASKS` is the one list of tasks: every list of tasks in code, tests and docs derives from it. A task with a world
generator names its module `avalon/tasks/<task>.py`, which follows the task contract (`check_task_module`):

- a docstring in three parts (what is generated / how difficulty scales / what success needs), from which the
  README's task table is generated (`python -m avalon.tasks.table`);
- `generate(rng, difficulty[, variant]) -> WorldSpec`, pure and deterministic;
- `GENERATOR_VERSION` (bumped with every change to the worlds it makes) and `VARIANTS` (the categorical choices
  the evaluation set may force, possibly empty);
- optionally `obstacle(rng, difficulty, constraint)`, the obstacle the task contributes to CARRY and the
  compositional tasks.

Worlds are deterministic: the generator's RNG comes from `SeedSequence([seed, task_id, round(difficulty * 1e6)])`,
and `generate_world` stamps task, seed, difficulty and generator version on the result.
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


class TaskGroup(IntEnum):
    """The original's task groups, in the order its meta-curriculum unlocks them."""

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4
    COMPOSITIONAL = 5


@dataclass(frozen=True)
class TaskInfo:
    generator: str | None  # module path with `generate(rng, difficulty)`, None while not implemented
    evaluation_frames: int  # frame limit of evaluation episodes
    training_base_frames: int  # training limit = min(evaluation_frames, base * 10^d)
    group: TaskGroup
    evaluation_block: int  # the task's block of seeds in the evaluation set (the original's export order)

    @property
    def compositional(self) -> bool:
        return self.group is TaskGroup.COMPOSITIONAL

    @property
    def basic(self) -> bool:
        return not self.compositional


_5_MIN, _10_MIN, _15_MIN = 3000, 6000, 9000
TASKS: dict[Task, TaskInfo] = {
    Task.EAT: TaskInfo("avalon.tasks.eat", _5_MIN, 260, TaskGroup.ONE, 0),
    Task.MOVE: TaskInfo("avalon.tasks.move", _5_MIN, 360, TaskGroup.ONE, 1),
    Task.JUMP: TaskInfo("avalon.tasks.jump", _5_MIN, 310, TaskGroup.TWO, 2),
    Task.EXPLORE: TaskInfo("avalon.tasks.explore", _10_MIN, 1340, TaskGroup.TWO, 13),
    Task.SCRAMBLE: TaskInfo("avalon.tasks.scramble", _5_MIN, 190, TaskGroup.TWO, 5),
    Task.CLIMB: TaskInfo("avalon.tasks.climb", _5_MIN, 250, TaskGroup.THREE, 3),
    Task.DESCEND: TaskInfo("avalon.tasks.descend", _5_MIN, 340, TaskGroup.THREE, 4),
    Task.THROW: TaskInfo("avalon.tasks.throw", _5_MIN, 600, TaskGroup.THREE, 9),
    Task.AVOID: TaskInfo("avalon.tasks.avoid", _5_MIN, 240, TaskGroup.THREE, 12),
    Task.HUNT: TaskInfo("avalon.tasks.hunt", _5_MIN, 420, TaskGroup.FOUR, 10),
    Task.FIGHT: TaskInfo("avalon.tasks.fight", _5_MIN, 220, TaskGroup.FOUR, 11),
    Task.PUSH: TaskInfo("avalon.tasks.push", _5_MIN, 700, TaskGroup.FOUR, 8),
    Task.STACK: TaskInfo("avalon.tasks.stack", _10_MIN, 710, TaskGroup.FOUR, 6),
    Task.BRIDGE: TaskInfo("avalon.tasks.bridge", _5_MIN, 630, TaskGroup.FOUR, 7),
    Task.OPEN: TaskInfo("avalon.tasks.open", _5_MIN, 170, TaskGroup.FOUR, 14),
    Task.CARRY: TaskInfo("avalon.tasks.carry", _10_MIN, 610, TaskGroup.FOUR, 15),
    Task.NAVIGATE: TaskInfo(None, _15_MIN, 1220, TaskGroup.COMPOSITIONAL, 16),
    Task.FIND: TaskInfo(None, _15_MIN, 1180, TaskGroup.COMPOSITIONAL, 17),
    Task.GATHER: TaskInfo(None, _15_MIN, 3300, TaskGroup.COMPOSITIONAL, 19),
    Task.SURVIVE: TaskInfo(None, _10_MIN, 3780, TaskGroup.COMPOSITIONAL, 18),
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


DOCSTRING_PARTS = ("What is generated:", "How difficulty scales", "What success needs:")


def check_task_module(task: Task | str | int, module: ModuleType | None = None) -> list[str]:
    """What the task's module lacks of the task contract (module docstring above); empty when it follows it.
    `module` checks a generator module that is not registered yet (its tests); by default the registered one."""
    parsed = resolve_task(task)
    module = generator_module(parsed) if module is None else module
    where = f"{module.__name__} ({parsed.name.lower()})"
    problems = []
    doc = module.__doc__ or ""
    for part in DOCSTRING_PARTS:
        if part not in doc:
            problems.append(f"{where}: the docstring has no '{part}' part")
    if not callable(getattr(module, "generate", None)):
        problems.append(f"{where}: no generate(rng, difficulty)")
    version = getattr(module, "GENERATOR_VERSION", None)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"{where}: GENERATOR_VERSION must be a positive int, got {version!r}")
    variants = getattr(module, "VARIANTS", None)
    if not isinstance(variants, tuple) or not all(isinstance(v, str) for v in variants):
        problems.append(f"{where}: VARIANTS must be a tuple of str, got {variants!r}")
    if hasattr(module, "obstacle") and not callable(module.obstacle):
        problems.append(f"{where}: obstacle must be a function (rng, difficulty, constraint)")
    return problems


def generator_version(task: Task | str | int) -> int:
    version: int = generator_module(task).GENERATOR_VERSION
    return version


SUMMARY_PARTS = {
    "generated": "What is generated:",
    "difficulty": "How difficulty scales",
    "differences": "Deliberate differences:",
    "success": "What success needs:",
}


def task_summary(task: Task | str | int) -> dict[str, str]:
    """The parts of a task's docstring as one line of plain text each: 'generated', 'difficulty', 'success', and
    'differences' when the docstring has that part ('' otherwise), for the README's task table and docs/tasks.md."""
    doc = generator_module(task).__doc__ or ""
    found = sorted((doc.index(heading), key, heading) for key, heading in SUMMARY_PARTS.items() if heading in doc)
    summary = dict.fromkeys(SUMMARY_PARTS, "")
    for n, (start, key, heading) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(doc)
        text = " ".join(doc[start + len(heading) : end].split())
        if text.startswith("(") and "):" in text:  # "How difficulty scales (as the original's code): ..."
            text = text.split("):", 1)[1]
        summary[key] = text.removeprefix(":").strip()
    return summary


def task_rng(task: Task, seed: int, difficulty: float) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, int(task), round(difficulty * 1e6)])))


def generate_world(task: Task | str | int, seed: int, difficulty: float, variant: str | None = None) -> WorldSpec:
    """The world for (task, seed, difficulty): the same triple always gives the same (byte-identical) world.

    `variant` forces one categorical choice that difficulty would otherwise draw, for the evaluation set's coverage
    worlds: the food kind for EAT (the rest of the world still follows seed and difficulty)."""
    return generate_with_module(generator_module(task), task, seed, difficulty, variant)


def generate_with_module(
    module: ModuleType, task: Task | str | int, seed: int, difficulty: float, variant: str | None = None
) -> WorldSpec:
    """`generate_world` with the generator module given: for a task's module before it is registered (a task is
    registered only once its oracle solves it, but its tests generate and check its worlds the same way)."""
    parsed, seed, difficulty = resolve_task(task), check_seed(seed), check_difficulty(difficulty)
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
        spec = dataclasses.replace(
            spec, task=parsed.name.lower(), seed=seed, difficulty=difficulty, generator_version=module.GENERATOR_VERSION
        )
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
