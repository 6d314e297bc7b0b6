"""Gymnasium ids, registered from the task table: one id per task whose generator exists."""

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
            gym.register(id=name, entry_point="avalon.env:AvalonEnv", kwargs={"task": task.name.lower()})
        ids.append(name)
    return ids
