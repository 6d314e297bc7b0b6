"""The obstacle a task contributes (`obstacle(rng, difficulty, constraint)`, which CARRY and the compositional tasks
will call): built on a caller's island between two points, with the task's own checks, and without changing the
task's own worlds (the manifest test pins those)."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.constants import FINE_CELL_SIZE
from avalon.entities import KIND_BY_NAME
from avalon.tasks import Task, check_task_module, generator_module, implemented_tasks
from avalon.tasks import common as c
from avalon.tasks.weapons import WEAPON_KINDS
from avalon.world import obstacles as ob

CONTRIBUTORS = [t for t in implemented_tasks() if hasattr(generator_module(t), "obstacle")]
START, END = (-9.0, 0.0), (9.0, 0.0)
# PUSH's chasm keeps 3 m levelled on each rim beside its 3.75 m gap: its start and end must be at least 20.5 m apart.
HALF_SPAN = {Task.PUSH: 12.0}
BASE_HEIGHT = 65.0  # m: room for DESCEND's deepest drop (10 + 50 m) and JUMP's deepest chasm (30 m)


def caller_island(seed: int, task: Task | None = None) -> c.Constraint:
    rng = np.random.default_rng(seed)
    half = HALF_SPAN.get(task, END[0]) if task is not None else END[0]
    start, end = (-half, 0.0), (half, 0.0)
    layout = c.frame_points([(start, 16.0), (end, 16.0)])
    heightmap = c.make_island(rng, 0.0, layout, base_height=BASE_HEIGHT, cell_size=FINE_CELL_SIZE)
    return c.Constraint(heightmap, layout.place(start), layout.place(end))


def test_the_terrain_tasks_contribute_their_obstacle() -> None:
    assert {Task.MOVE, Task.JUMP, Task.CLIMB, Task.DESCEND, Task.PUSH, Task.BRIDGE, Task.STACK} <= set(CONTRIBUTORS)
    assert all(check_task_module(t) == [] for t in CONTRIBUTORS)


@pytest.mark.parametrize("task", CONTRIBUTORS)
@pytest.mark.parametrize("difficulty", [0.0, 1.0])
def test_obstacle_on_a_callers_island(task: Task, difficulty: float) -> None:
    module = generator_module(task)
    built = 0
    for seed in range(6):
        constraint = caller_island(seed, task)
        before = constraint.heightmap.heights.copy()
        rng = np.random.default_rng(100 + seed)
        try:
            obstacle = module.obstacle(rng, difficulty, constraint)
        except c.ImpossibleWorldError:
            continue  # callers retry with the continued stream, as generate_world does
        built += 1
        heights = constraint.heightmap.heights
        assert not np.array_equal(before, heights), "the obstacle left the caller's heightmap unchanged"
        assert isinstance(obstacle.ring, ob.Ring) and len(obstacle.route) >= 2
        # The designed way runs from the start's side of the ring to the end's side.
        grid = ob.Grid.of(constraint.heightmap)
        ring = obstacle.ring
        assert ring.spawn_side[grid.point(*constraint.start)] and ring.goal_side[grid.point(*constraint.end)]
        assert ring.spawn_side[grid.point(*obstacle.route[0])] and ring.goal_side[grid.point(*obstacle.route[-1])]
        for kind, position, _, fields in obstacle.entities:
            assert len(position) == 3
            heavy = (kind in ("platform_rock", "boulder", "stone") and "size" in fields) or (
                kind == "log" and "length" in fields
            )
            # THROW's and FIGHT's obstacles bring their weapons and animals
            assert heavy or kind in WEAPON_KINDS or KIND_BY_NAME[kind].animal is not None, kind
    assert built >= 3, f"{task.name}: only {built} of 6 caller islands took the obstacle"


def test_the_same_draws_give_the_same_obstacle() -> None:
    for task in CONTRIBUTORS:
        a, b = caller_island(3, task), caller_island(3, task)
        try:
            generator_module(task).obstacle(np.random.default_rng(7), 0.5, a)
        except c.ImpossibleWorldError:
            with pytest.raises(c.ImpossibleWorldError):
                generator_module(task).obstacle(np.random.default_rng(7), 0.5, b)
            continue
        generator_module(task).obstacle(np.random.default_rng(7), 0.5, b)
        assert np.array_equal(a.heightmap.heights, b.heightmap.heights)
        assert np.array_equal(a.heightmap.unclimbable, b.heightmap.unclimbable)
