"""The adaptive per-task difficulty curriculum (as the original's), shared by every env that holds it.

Each task has a current difficulty `d_task`, starting at 0.0 as the original's (or at a given `initial`). At every
episode end it moves up by `step` on success and down by `step` on failure, clipped to [0, 1]; every new world of the
task draws its difficulty from U(0, d_task): the curriculum value is an upper bound, not the difficulty itself.

Unlike the original, whose curricula were per worker process (so progress scaled with the number of workers), one
`Curriculum` is shared by every env given it: all envs of `avalon.make_vec(..., difficulty="curriculum")`, whatever
Godot process hosts them, and also envs in the worker processes of gymnasium's AsyncVectorEnv or SB3's
SubprocVecEnv: its values live in shared memory, which the processes this one starts inherit. It cannot be copied
into an unrelated process (pickle, deepcopy, Ray): that raises a TypeError saying so, instead of silently leaving
each copy to move on its own. The state is plain JSON: `state_dict()` / `load_state_dict()`, `save(path)` /
`Curriculum.load(path)`.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import tempfile
from multiprocessing import context as mp_context
from pathlib import Path
from typing import Any

import numpy as np

from avalon.tasks import Task, resolve_task

# Shared layout: one float64 each for step and initial, then per task (in Task order) its difficulty, whether it was
# updated, its episodes and its successes (counts are exact in float64 up to 2**53).
_STEP, _INITIAL, _TASKS = 0, 1, 2
_DIFFICULTY, _UPDATED, _EPISODES, _SUCCESSES = range(4)  # offsets within a task's fields
_FIELDS = 4
_SIZE = _TASKS + _FIELDS * len(Task)

STATE_FORMAT = "avalon-curriculum"
STATE_VERSION = 1
DEFAULT_STEP = 0.01  # the original's GodotEnvironmentParams.task_difficulty_update
SAMPLE_GRID = 2**20  # drawn difficulties are multiples of 1/SAMPLE_GRID: exact in float32, as WorldSpec stores them


class CurriculumStateError(ValueError):
    """A curriculum state (dict or JSON file) that is malformed, of another format or version, or out of range."""


def _check_fraction(value: object, name: str, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a float, got {value!r}")
    result = float(value)
    below = result <= 0.0 if low_open else result < 0.0
    if not math.isfinite(result) or below or result > 1.0:
        raise ValueError(f"{name} must be in {'(0, 1]' if low_open else '[0, 1]'}, got {value!r}")
    return result


def _task_key(task: Task | str | int) -> str:
    return resolve_task(task).name.lower()


class Curriculum:
    """Per-task adaptive difficulty: `update(task, success)` after each episode, `sample(task, rng)` for each world.

    `step` is the change per episode (the original's `task_difficulty_update`, default 0.01; its baselines used
    3e-4 for PPO and 6e-4 for Dreamer per worker). `initial` is the starting difficulty of every task (the original
    starts at 0.0). Tasks are keyed by lower-case name ("eat"); any spelling `avalon.tasks.resolve_task` accepts
    works. Methods are thread- and process-safe: envs stepped from several threads, or in processes this one starts,
    share one curriculum.
    """

    def __init__(self, step: float = DEFAULT_STEP, initial: float = 0.0) -> None:
        self._values = multiprocessing.RawArray("d", _SIZE)  # shared with the processes this one starts
        # A spawn-context lock can go to children of every start method; a fork-context one only to forked ones.
        self._lock = multiprocessing.get_context("spawn").Lock()
        self._values[_STEP] = _check_fraction(step, "step", low_open=True)
        self._values[_INITIAL] = _check_fraction(initial, "initial")

    @staticmethod
    def _slot(task: Task | str | int) -> int:
        return _TASKS + _FIELDS * int(resolve_task(task))

    @property
    def step(self) -> float:
        return float(self._values[_STEP])

    @property
    def initial(self) -> float:
        return float(self._values[_INITIAL])

    def difficulty(self, task: Task | str | int) -> float:
        """The task's current difficulty: the upper bound new worlds draw from."""
        slot = self._slot(task)
        with self._lock:
            return float(self._values[slot] if self._values[slot + _UPDATED] else self._values[_INITIAL])

    def difficulties(self) -> dict[str, float]:
        """Current difficulty of every task updated so far (others are at `initial`)."""
        with self._lock:
            return {
                task.name.lower(): float(self._values[self._slot(task)])
                for task in Task
                if self._values[self._slot(task) + _UPDATED]
            }

    def _count(self, task: Task | str | int | None, field: int) -> int:
        with self._lock:
            if task is not None:
                return int(self._values[self._slot(task) + field])
            return int(sum(self._values[self._slot(t) + field] for t in Task))

    def episodes(self, task: Task | str | int | None = None) -> int:
        """Episodes counted by `update` for the task (all tasks when None)."""
        return self._count(task, _EPISODES)

    def successes(self, task: Task | str | int | None = None) -> int:
        """Successful episodes counted by `update` for the task (all tasks when None)."""
        return self._count(task, _SUCCESSES)

    def update(self, task: Task | str | int, success: bool) -> float:
        """Record one ended episode of `task`: +step on success, -step on failure, clipped to [0, 1].

        Returns the task's new difficulty."""
        if not isinstance(success, (bool, np.bool_)):
            raise TypeError(f"success must be a bool, got {success!r}")
        slot = self._slot(task)
        with self._lock:
            values = self._values
            current = values[slot] if values[slot + _UPDATED] else values[_INITIAL]
            updated = min(1.0, max(0.0, current + (values[_STEP] if success else -values[_STEP])))
            values[slot + _DIFFICULTY], values[slot + _UPDATED] = updated, 1.0
            values[slot + _EPISODES] += 1.0
            values[slot + _SUCCESSES] += float(bool(success))
            return float(updated)

    def sample(self, task: Task | str | int, rng: np.random.Generator) -> float:
        """A world difficulty for `task` drawn from U(0, current) with `rng` (one draw, whatever the current value).

        The draw is rounded down to a multiple of 2**-20, so it is exact in float32: the world's recorded difficulty
        (`WorldSpec.difficulty`, float32) equals the drawn one, and either regenerates the same world."""
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        return math.floor(float(rng.random()) * self.difficulty(task) * SAMPLE_GRID) / SAMPLE_GRID

    # -- state ------------------------------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """A JSON-ready copy of the whole state (step and initial included)."""
        with self._lock:
            values = list(self._values)
        tasks = {}
        for task in sorted(Task, key=lambda t: t.name.lower()):
            slot = self._slot(task)
            if values[slot + _UPDATED]:
                tasks[task.name.lower()] = {
                    "difficulty": values[slot + _DIFFICULTY],
                    "episodes": int(values[slot + _EPISODES]),
                    "successes": int(values[slot + _SUCCESSES]),
                }
        return {
            "format": STATE_FORMAT,
            "version": STATE_VERSION,
            "step": values[_STEP],
            "initial": values[_INITIAL],
            "tasks": tasks,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Replace the state with `state` (from `state_dict()`); checked fully before anything changes."""
        step, initial, difficulty, episodes, successes = _parse_state(state)
        with self._lock:
            for i in range(_SIZE):
                self._values[i] = 0.0
            self._values[_STEP], self._values[_INITIAL] = step, initial
            for key, value in difficulty.items():
                slot = self._slot(key)
                self._values[slot + _DIFFICULTY], self._values[slot + _UPDATED] = value, 1.0
                self._values[slot + _EPISODES] = float(episodes[key])
                self._values[slot + _SUCCESSES] = float(successes[key])

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state as JSON, atomically: a reader sees the old file or the new one, never a partial one."""
        target = Path(path)
        text = json.dumps(self.state_dict(), indent=2) + "\n"
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Curriculum:
        """A curriculum with the state saved at `path`."""
        try:
            state = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise CurriculumStateError(f"{path}: not a curriculum state (invalid JSON: {error})") from None
        curriculum = cls()
        try:
            curriculum.load_state_dict(state)
        except CurriculumStateError as error:
            raise CurriculumStateError(f"{path}: {error}") from None
        return curriculum

    def __repr__(self) -> str:
        return f"Curriculum(step={self.step:g}, initial={self.initial:g}, difficulties={self.difficulties()})"

    def __getstate__(self) -> dict[str, Any]:
        if mp_context.get_spawning_popen() is None:
            raise TypeError(
                "a Curriculum is shared with the processes this one starts (gymnasium's AsyncVectorEnv, SB3's "
                "SubprocVecEnv, multiprocessing) and cannot be copied otherwise (pickle, deepcopy, Ray), or each copy "
                "would move on its own: send `curriculum.state_dict()` and build one there with `load_state_dict`"
            )
        return {"values": self._values, "lock": self._lock}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._values, self._lock = state["values"], state["lock"]


def _count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CurriculumStateError(f"{where} must be a non-negative int, got {value!r}")
    return value


def _parse_state(
    state: object,
) -> tuple[float, float, dict[str, float], dict[str, int], dict[str, int]]:
    if not isinstance(state, dict):
        raise CurriculumStateError(f"a curriculum state must be a dict, got {type(state).__name__}")
    if state.get("format") != STATE_FORMAT:
        raise CurriculumStateError(f"not a curriculum state: format is {state.get('format')!r}, not {STATE_FORMAT!r}")
    if state.get("version") != STATE_VERSION:
        raise CurriculumStateError(
            f"curriculum state version {state.get('version')!r} is not supported (this build reads {STATE_VERSION})"
        )
    unknown = sorted(set(state) - {"format", "version", "step", "initial", "tasks"})
    if unknown:
        raise CurriculumStateError(f"unknown key(s) {unknown} in curriculum state")
    try:
        step = _check_fraction(state.get("step"), "step", low_open=True)
        initial = _check_fraction(state.get("initial"), "initial")
    except ValueError as error:
        raise CurriculumStateError(str(error)) from None
    tasks = state.get("tasks")
    if not isinstance(tasks, dict):
        raise CurriculumStateError(f"'tasks' must be a dict of task name to entry, got {type(tasks).__name__}")
    difficulty: dict[str, float] = {}
    episodes: dict[str, int] = {}
    successes: dict[str, int] = {}
    for name, entry in tasks.items():
        try:
            key = _task_key(name)
        except ValueError as error:
            raise CurriculumStateError(f"tasks: {error}") from None
        if key != name:
            raise CurriculumStateError(f"tasks: key {name!r} should be spelt {key!r}")
        if not isinstance(entry, dict) or set(entry) != {"difficulty", "episodes", "successes"}:
            raise CurriculumStateError(
                f"tasks[{name!r}] must be a dict with exactly difficulty, episodes, successes; got {entry!r}"
            )
        try:
            difficulty[key] = _check_fraction(entry["difficulty"], f"tasks[{name!r}].difficulty")
        except ValueError as error:
            raise CurriculumStateError(str(error)) from None
        episodes[key] = _count(entry["episodes"], f"tasks[{name!r}].episodes")
        successes[key] = _count(entry["successes"], f"tasks[{name!r}].successes")
        if successes[key] > episodes[key]:
            raise CurriculumStateError(f"tasks[{name!r}]: more successes ({successes[key]}) than episodes")
    return step, initial, difficulty, episodes, successes
