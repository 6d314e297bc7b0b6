"""Training protocols: named sets of tasks that an env draws each new world's task from (the original's MULTI_TASK_*).

As the original's protocols without its meta-curriculum (which its baselines did not use), a protocol is one flat
group: every new world's task is drawn uniformly over the protocol's tasks by the env's seeded RNG, then the world's
difficulty comes from that task's curriculum (or the env's fixed difficulty).

- `multi_task_basic`: the 16 non-compositional tasks, the original's default training protocol;
- `multi_task_easy`: EAT and MOVE;
- `multi_task_compositional`: the 4 compositional tasks;
- `multi_task_all`: all 20.

A protocol can be used only when every one of its tasks has a world generator: `protocol_tasks` raises an
`UnknownTaskError` listing the missing ones otherwise, and `avalon.registration` registers a protocol's id
(`avalon/MultiTaskEasy-v0`, ...) only then. `resolve_tasks` turns what an env is given (a task, a protocol name or a
sequence of tasks) into the tasks it draws from.
"""

from __future__ import annotations

from collections.abc import Sequence

from avalon.tasks import TASKS, Task, UnknownTaskError, implemented_tasks, resolve_task

PROTOCOLS: dict[str, tuple[Task, ...]] = {
    "multi_task_basic": tuple(task for task, info in TASKS.items() if info.basic),
    "multi_task_easy": (Task.EAT, Task.MOVE),
    "multi_task_compositional": tuple(task for task, info in TASKS.items() if info.compositional),
    "multi_task_all": tuple(Task),
}


def protocol_env_id(name: str) -> str:
    """The Gymnasium id of a protocol: "multi_task_easy" -> "avalon/MultiTaskEasy-v0"."""
    return "avalon/" + "".join(part.title() for part in name.split("_")) + "-v0"


def _names(tasks: Sequence[Task]) -> str:
    return ", ".join(task.name.lower() for task in tasks)


def _known_protocol(name: str) -> tuple[Task, ...]:
    if name.lower() not in PROTOCOLS:
        raise UnknownTaskError(f"unknown protocol {name!r}; protocols: {', '.join(PROTOCOLS)}")
    return PROTOCOLS[name.lower()]


def missing_tasks(name: str) -> tuple[Task, ...]:
    """The protocol's tasks that have no world generator yet (empty when the protocol can be used)."""
    implemented = set(implemented_tasks())
    return tuple(task for task in _known_protocol(name) if task not in implemented)


def available_protocols() -> tuple[str, ...]:
    """The protocols whose tasks all have a world generator."""
    return tuple(name for name in PROTOCOLS if not missing_tasks(name))


def protocol_tasks(name: str) -> tuple[Task, ...]:
    """The tasks of a protocol (any case: "multi_task_easy", "MULTI_TASK_EASY"); an `UnknownTaskError` when the name
    is unknown or when some of its tasks have no world generator yet (the message lists them)."""
    missing = missing_tasks(name)
    if missing:
        raise UnknownTaskError(
            f"protocol {name.lower()} needs tasks that have no world generator yet: {_names(missing)} "
            f"(protocols that can be used: {', '.join(available_protocols()) or 'none'})"
        )
    return _known_protocol(name)


def _check_task_list(tasks: Sequence[Task | str | int]) -> tuple[Task, ...]:
    if not tasks:
        raise ValueError("the list of tasks is empty: give at least one task")
    parsed = tuple(resolve_task(task) for task in tasks)
    duplicates = sorted({task for task in parsed if parsed.count(task) > 1})
    if duplicates:
        raise ValueError(f"the list of tasks {list(tasks)!r} names {_names(duplicates)} more than once")
    implemented = set(implemented_tasks())
    missing = [task for task in parsed if task not in implemented]
    if missing:
        raise UnknownTaskError(
            f"the list of tasks names tasks that have no world generator yet: {_names(missing)}; "
            f"implemented: {_names(implemented_tasks())}"
        )
    return parsed


def resolve_tasks(task: Task | str | int | Sequence[Task | str | int]) -> tuple[Task, ...]:
    """The tasks an env draws its worlds from: one task (its name, id or `Task`), a protocol name, or a list or tuple
    of distinct tasks, each with a world generator.

    A single task is returned as it is, generator or not (its first reset names a missing generator)."""
    if isinstance(task, str) and task.lower() in PROTOCOLS:
        return protocol_tasks(task)
    if isinstance(task, (list, tuple)):
        return _check_task_list(task)
    if isinstance(task, str) and task.upper() not in Task.__members__:
        raise UnknownTaskError(
            f"unknown task {task!r}; valid tasks: {_names(tuple(Task))}; protocols: {', '.join(PROTOCOLS)}"
        )
    if isinstance(task, (str, int)):
        return (resolve_task(task),)
    raise UnknownTaskError(f"task must be a task, a protocol name or a list or tuple of tasks, got {task!r}")
