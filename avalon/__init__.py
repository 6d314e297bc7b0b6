"""Avalon: a procedural 3D reinforcement-learning benchmark on Godot 3.

`import avalon` registers the Gymnasium ids of the implemented tasks (`avalon/Eat-v0`, `avalon/Move-v0`, ...) and of
the multi-task protocols whose tasks all are (`avalon/MultiTaskEasy-v0`; see avalon.registration).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from avalon.registration import register_envs

__version__ = "0.1.0"
__all__ = ["make_vec", "register_envs", "__version__"]

ENV_IDS = register_envs()

if TYPE_CHECKING:
    from avalon.env import TaskSpec
    from avalon.vector import AvalonVectorEnv


def make_vec(task: TaskSpec = "eat", num_envs: int = 2, **kwargs: Any) -> AvalonVectorEnv:
    """A `gymnasium.vector.VectorEnv` of `num_envs` environments over batched Godot processes (see avalon.vector):
    of one task, or of several (a protocol name such as "multi_task_easy", or a list of tasks) drawn per world."""
    from avalon.vector import make_vec as _make_vec

    return _make_vec(task, num_envs, **kwargs)
