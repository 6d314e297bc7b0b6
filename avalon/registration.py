"""Gymnasium ids, registered from the task table: one id per task whose generator exists, and one per multi-task
protocol (avalon.tasks.protocols) whose tasks all have one.

`avalon/MultiTaskEasy-v0` (EAT and MOVE) is registered once EAT and MOVE are; `avalon/MultiTaskBasic-v0` (the 16
non-compositional tasks, the original's default training protocol) and `avalon/MultiTaskAll-v0` appear by themselves
once their last task's generator lands, and are absent until then.

Each id has a vector entry point too: `gymnasium.make_vec("avalon/Eat-v0", num_envs=8)` (or with
`vectorization_mode="vector_entry_point"`) gives `avalon.make_vec`'s batched Godot processes; "sync" and "async"
still give gymnasium's own vector envs of one Godot process per env.
"""

from __future__ import annotations

import gymnasium as gym

from avalon.tasks import Task, implemented_tasks
from avalon.tasks.protocols import available_protocols, protocol_env_id


def env_id(task: Task) -> str:
    return f"avalon/{task.name.title()}-v0"


def env_entries() -> dict[str, str]:
    """Every id to register, with the `task` it makes envs of: each implemented task, then each protocol whose tasks
    are all implemented."""
    entries = {env_id(task): task.name.lower() for task in implemented_tasks()}
    entries.update({protocol_env_id(name): name for name in available_protocols()})
    return entries


def register_envs() -> list[str]:
    """Register the ids of `env_entries()` (idempotent); returns them."""
    entries = env_entries()
    for name, task in entries.items():
        if name not in gym.registry:
            gym.register(
                id=name,
                entry_point="avalon.env:AvalonEnv",
                vector_entry_point="avalon.vector:make_vec",
                kwargs={"task": task},
            )
    return list(entries)
