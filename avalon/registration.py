"""Gymnasium ids, registered from the task table: one id per task whose generator exists.

Each id has a vector entry point too: `gymnasium.make_vec("avalon/Eat-v0", num_envs=8)` (or with
`vectorization_mode="vector_entry_point"`) gives `avalon.make_vec`'s batched Godot processes; "sync" and "async"
still give gymnasium's own vector envs of one Godot process per env.
"""

from __future__ import annotations

import gymnasium as gym

from avalon.tasks import Task, implemented_tasks


def env_id(task: Task) -> str:
    return f"avalon/{task.name.title()}-v0"


def register_envs() -> list[str]:
    """Register `avalon/<Task>-v0` for every implemented task (idempotent); returns the ids."""
    ids = []
    for task in implemented_tasks():
        name = env_id(task)
        if name not in gym.registry:
            gym.register(
                id=name,
                entry_point="avalon.env:AvalonEnv",
                vector_entry_point="avalon.vector:make_vec",
                kwargs={"task": task.name.lower()},
            )
        ids.append(name)
    return ids
