"""Task registry and generators: every implemented task x difficulty generates a valid, deterministic world."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from avalon.constants import (
    ARM_LENGTH,
    BODY_RADIUS,
    FOOD_HEIGHT_ON_TREE,
    FOOD_OFFSET_FROM_TRUNK,
    HEAD_HEIGHT_MAX,
)
from avalon.entities import FOOD_BY_NAME, FOOD_KINDS
from avalon.sim.protocol import pack_world
from avalon.tasks import (
    TASKS,
    Task,
    TaskGroup,
    UnknownTaskError,
    check_task_module,
    docs,
    frame_limit,
    generate_world,
    generator_module,
    implemented_tasks,
    resolve_task,
    table,
    task_summary,
)
from avalon.tasks.common import MAX_WORLD_SIZE
from avalon.world.codec import encode_world
from avalon.world.spec import WorldSpec
from avalon.world.validate import check_world

DIFFICULTIES = (0.0, 0.5, 1.0)
IMPLEMENTED = implemented_tasks()


def test_registry_matches_reference_order() -> None:
    assert [t.name for t in Task][:4] == ["EAT", "MOVE", "JUMP", "EXPLORE"]
    assert Task.SURVIVE == 19 and len(Task) == 20 and set(TASKS) == set(Task)
    assert {t for t, info in TASKS.items() if info.compositional} == {
        Task.NAVIGATE,
        Task.FIND,
        Task.GATHER,
        Task.SURVIVE,
    }
    assert {Task.EAT, Task.MOVE} <= set(IMPLEMENTED)
    assert resolve_task("eat") is Task.EAT and resolve_task(1) is Task.MOVE and resolve_task("Move") is Task.MOVE


def test_groups_follow_the_reference() -> None:
    groups = {group: {t.name for t in Task if TASKS[t].group is group} for group in TaskGroup}
    assert groups[TaskGroup.ONE] == {"EAT", "MOVE"} and groups[TaskGroup.TWO] == {"JUMP", "EXPLORE", "SCRAMBLE"}
    assert groups[TaskGroup.THREE] == {"CLIMB", "DESCEND", "THROW", "AVOID"} and len(groups[TaskGroup.FOUR]) == 7
    assert sorted(info.evaluation_block for info in TASKS.values()) == list(range(20))


@pytest.mark.parametrize("task", IMPLEMENTED)
def test_every_generator_follows_the_task_contract(task: Task) -> None:
    assert check_task_module(task) == []
    summary = task_summary(task)
    assert summary["generated"] and summary["difficulty"] and summary["success"]
    spec = generate_world(task, 5, 0.5)
    assert (spec.task, spec.seed, spec.difficulty) == (task.name.lower(), 5, 0.5)
    assert spec.generator_version == generator_module(task).GENERATOR_VERSION


def test_the_contract_check_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    module = generator_module(Task.MOVE)
    monkeypatch.setattr(module, "__doc__", "MOVE: no parts.")
    monkeypatch.setattr(module, "GENERATOR_VERSION", 0)
    monkeypatch.delattr(module, "VARIANTS")
    problems = check_task_module(Task.MOVE)
    assert any("'What is generated:'" in p for p in problems) and any("GENERATOR_VERSION" in p for p in problems)
    assert any("VARIANTS" in p for p in problems)


def test_readme_task_table_is_generated_from_the_registry() -> None:
    assert table.main(["--check"]) == 0, "run `python -m avalon.tasks.table`"
    text = table.render()
    for task in Task:
        assert task.name in text
        assert (f"`{table.env_id(task)}`" in text) == (task in IMPLEMENTED)


def test_tasks_page_is_generated_and_complete() -> None:
    assert docs.main(["write", "--check"]) == 0, "run `python -m avalon.tasks.docs rates/pictures/write`"
    text = docs.DOCS_PATH.read_text()
    for task in IMPLEMENTED:
        assert f"## {task.name}" in text and f"images/tasks/{task.name.lower()}_oracle.gif" in text


def test_frame_limits() -> None:
    assert frame_limit(Task.EAT, 0.3) == 3000
    assert frame_limit(Task.STACK, 0.3) == 6000
    assert frame_limit(Task.NAVIGATE, 0.0) == 9000
    assert frame_limit(Task.EAT, 0.0, "training") == 260
    assert frame_limit(Task.EAT, 1.0, "training") == 2600
    assert frame_limit(Task.GATHER, 1.0, "training") == 9000
    with pytest.raises(ValueError, match="mode"):
        frame_limit(Task.EAT, 0.0, "test")


@pytest.mark.parametrize("task", IMPLEMENTED)
@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_generates_valid_deterministic_world(task: Task, difficulty: float) -> None:
    for seed in range(4):
        spec = generate_world(task, seed, difficulty)
        check_world(spec)
        assert spec.task == task.name.lower() and spec.seed == seed and spec.difficulty == difficulty
        data = encode_world(spec)
        if spec.terrain.bounds[1] - spec.terrain.bounds[0] <= MAX_WORLD_SIZE:
            assert len(data) < 200_000
        else:  # big worlds (EXPLORE): within the 1 MB budget as packed for the wire
            assert len(pack_world(data)) <= 1 << 20
        assert encode_world(generate_world(task, seed, difficulty)) == data
    assert encode_world(generate_world(task, 0, difficulty)) != encode_world(generate_world(task, 1, difficulty))


def test_same_bytes_in_a_separate_process() -> None:
    code = (
        "import hashlib; from avalon.tasks import generate_world, implemented_tasks; "
        "from avalon.world.codec import encode_world; "
        "print(' '.join(hashlib.sha256(encode_world(generate_world(t, 11, d))).hexdigest() "
        "for t in implemented_tasks() for d in (0.0, 0.5, 1.0)))"
    )
    import hashlib

    here = " ".join(
        hashlib.sha256(encode_world(generate_world(t, 11, d))).hexdigest()
        for t in implemented_tasks()
        for d in DIFFICULTIES
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert there == here


def _distance_2d(spec: WorldSpec) -> float:
    food = spec.foods()[0].position
    return math.hypot(food[0] - spec.spawn.position[0], food[2] - spec.spawn.position[2])


def test_move_distance_grows_with_difficulty() -> None:
    easy = np.mean([_distance_2d(generate_world(Task.MOVE, s, 0.0)) for s in range(50)])
    hard = np.mean([_distance_2d(generate_world(Task.MOVE, s, 1.0)) for s in range(50)])
    assert hard / easy > 5


def _looks_at(spec: WorldSpec, target: tuple[float, float, float], tolerance_deg: float = 2.0) -> bool:
    x, y, z = spec.spawn.position
    yaw = math.degrees(math.atan2(-(target[0] - x), -(target[2] - z)))
    pitch = math.degrees(math.atan2(target[1] - (y + HEAD_HEIGHT_MAX), math.hypot(target[0] - x, target[2] - z)))
    yaw_error = (spec.spawn.yaw - yaw + 180) % 360 - 180
    return abs(yaw_error) < tolerance_deg and abs(spec.spawn.pitch - pitch) < tolerance_deg


def test_eat_easy_food_is_straight_ahead_and_close() -> None:
    for seed in range(20):
        spec = generate_world(Task.EAT, seed, 0.0)
        foods = spec.foods()
        assert [f.kind for f in foods] == ["apple"]
        assert _distance_2d(spec) < 3.0
        assert _looks_at(spec, foods[0].position)


def test_move_easy_apple_hangs_in_reach_in_front() -> None:
    for seed in range(10):
        spec = generate_world(Task.MOVE, seed, 0.0)
        apple = spec.foods()[0]
        assert apple["attached"] and _looks_at(spec, apple.position)
        head = np.array(spec.spawn.position) + [0.0, HEAD_HEIGHT_MAX, 0.0]
        assert np.linalg.norm(np.array(apple.position) - head) < ARM_LENGTH + 0.5


def test_attached_food_hangs_as_the_originals() -> None:
    """Tree food hangs 2 m up, 1.25 m from its trunk (as the original's code), within reach of a standing agent."""
    checked = 0
    for task in IMPLEMENTED:
        for seed in range(20):
            spec = generate_world(task, seed, 1.0)
            trunks = [t.position for t in spec.items_of_kind("fruit_tree")]
            for food in spec.foods():
                if food.entity.food is not None and food["attached"]:  # (prey are food too)
                    x, y, z = food.position
                    trunk = min(trunks, key=lambda t: math.hypot(t[0] - x, t[2] - z))
                    assert y - trunk[1] == pytest.approx(FOOD_HEIGHT_ON_TREE, abs=1e-4)
                    assert math.hypot(trunk[0] - x, trunk[2] - z) == pytest.approx(FOOD_OFFSET_FROM_TRUNK, abs=1e-4)
                    checked += 1
    assert checked > 10


def test_ground_food_rests_on_the_surface() -> None:
    checked = 0
    for seed in range(40):
        spec = generate_world(Task.EAT, seed, 0.7)
        if spec.items_of_kind("altar") or spec.items_of_kind("fruit_tree"):
            continue
        for food in spec.foods():
            if not food["buried"]:
                ground = spec.terrain.height_at(food.position[0], food.position[2])
                assert food.position[1] == pytest.approx(ground + FOOD_BY_NAME[food.kind].rest_height, abs=1e-4)
                checked += 1
    assert checked > 0


def test_eat_at_difficulty_0_is_the_originals() -> None:
    """An apple on a 1.3 m altar 1 m ahead: its centre about a metre from the head (as the original's code)."""
    for seed in range(20):
        spec = generate_world(Task.EAT, seed, 0.0)
        (apple,) = spec.foods()
        (altar,) = spec.items_of_kind("altar")
        assert altar["size"] == pytest.approx((1.0, 1.3, 1.0))
        assert _distance_2d(spec) == pytest.approx(1.0, abs=1e-4)
        head = np.array(spec.spawn.position) + [0.0, HEAD_HEIGHT_MAX, 0.0]
        assert 0.95 < np.linalg.norm(np.array(apple.position) - head) < 1.1


@pytest.mark.parametrize("food", ["orange", "avocado", "coconut"])
def test_eat_openable_food_is_closed_with_a_tool_at_low_difficulty(food: str) -> None:
    """Openable foods are never pre-opened in EAT; P(tool needed) = min(1, odds / d), so at d <= odds always."""
    for difficulty in DIFFICULTIES:
        for seed in range(10):
            spec = generate_world(Task.EAT, seed, difficulty, variant=food)
            assert not any(f["opened"] for f in spec.foods())
            kinds = [t.kind for t in spec.tools()]
            if difficulty == 0.0:
                assert kinds, f"seed {seed}: no tool"
            if food == "avocado":
                assert "rock" in kinds


def test_eat_tools_lie_around_the_spawn() -> None:
    """Tools lie 1 -> 2 + 3d m from the spawn; extra tools come only with food on a tree."""
    for difficulty in DIFFICULTIES:
        for seed in range(30):
            spec = generate_world(Task.EAT, seed, difficulty)
            x0, _, z0 = spec.spawn.position
            for tool in spec.tools():
                r = math.hypot(tool.position[0] - x0, tool.position[2] - z0)
                assert 0.99 <= r <= 2.0 + 3.0 * difficulty + 0.01
            if not spec.items_of_kind("fruit_tree"):
                assert len(spec.tools()) <= 1


def test_eat_foods_do_not_overlap_each_other_or_the_agent() -> None:
    for difficulty in DIFFICULTIES:
        for seed in range(30):
            spec = generate_world(Task.EAT, seed, difficulty)
            x0, _, z0 = spec.spawn.position
            foods = spec.foods()
            for n, food in enumerate(foods):
                radius = FOOD_BY_NAME[food.kind].horizontal_radius
                assert math.hypot(food.position[0] - x0, food.position[2] - z0) >= BODY_RADIUS + radius
                for other in foods[n + 1 :]:
                    assert math.dist(food.position, other.position) >= 2 * radius, f"seed {seed} d={difficulty}"


def test_goals_are_at_least_a_metre_away() -> None:
    for task in IMPLEMENTED:
        for seed in range(50):
            spec = generate_world(task, seed, 0.0)
            # Indoors the food may stand right above the spawn, storeys up (CLIMB's top room over the ground room).
            distance = math.dist(spec.foods()[0].position, spec.spawn.position) if spec.buildings else None
            assert (distance if distance is not None else _distance_2d(spec)) >= 1.0 - 1e-4


def test_move_chasm_knobs_scale_with_difficulty() -> None:
    """Errata 20: gap fraction clipped normal 0.3 -> 0.8, depth U(3.2, 3.2 -> 9.6), 0 -> 2 walkway turns."""
    import avalon.tasks.move as move

    draws: dict[float, list[tuple[float, float, float]]] = {0.0: [], 1.0: []}
    original = move.tr.RingChasm

    def record(center, inner, gap, depth, walkway, width):  # type: ignore[no-untyped-def]
        draws[current].append((depth, width, len(walkway) - 2))
        return original(center, inner, gap, depth, walkway, width)

    move.tr.RingChasm = record  # type: ignore[misc]
    try:
        for current in draws:
            for seed in range(50):
                generate_world(Task.MOVE, seed, current)
    finally:
        move.tr.RingChasm = original  # type: ignore[misc]
    hard = np.array(draws[1.0])
    assert len(hard) > 40 and hard[:, 0].min() >= 3.2 and hard[:, 0].max() <= 9.6 and hard[:, 0].std() > 0.5
    assert np.all(hard[:, 1] <= 2.1) and np.all(hard[:, 1] >= 1.75)
    assert hard[:, 2].mean() > 1.0


def test_all_foods_appear_at_high_difficulty() -> None:
    kinds = {f.kind for s in range(80) for f in generate_world(Task.EAT, s, 1.0).foods()}
    assert kinds == set(FOOD_KINDS)


@pytest.mark.parametrize(
    ("task", "seed", "difficulty", "message"),
    [
        ("dance", 0, 0.5, "unknown task 'dance'; valid tasks: eat, move"),
        (42, 0, 0.5, "unknown task 42"),
        (Task.EAT, 0, 1.5, r"difficulty must be a finite float in \[0, 1\], got 1.5"),
        (Task.EAT, 0, float("nan"), "difficulty must be a finite float"),
        (Task.EAT, 0, "hard", "difficulty must be a float"),
        (Task.EAT, -1, 0.5, r"seed must be a non-negative int, at most 2\*\*63 - 1, got -1"),
        (Task.EAT, 2**64, 0.5, "at most 2"),
        (Task.EAT, 1.5, 0.5, "seed must be a non-negative int"),
    ],
)
def test_invalid_inputs_raise_clear_errors(task: object, seed: object, difficulty: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_world(task, seed, difficulty)  # type: ignore[arg-type]


def test_unimplemented_task_says_so() -> None:
    missing = [t for t in Task if t not in IMPLEMENTED]
    if not missing:
        pytest.skip("every task has a generator")
    implemented = ", ".join(t.name.lower() for t in IMPLEMENTED)
    with pytest.raises(UnknownTaskError, match=f"no world generator yet; implemented: {implemented}"):
        generate_world(missing[0], 0, 0.5)


def _reachable_points(spec: WorldSpec, max_step: float = 0.9) -> np.ndarray:
    """Heightmap points reachable on foot from the spawn: 4-neighbour steps rising or falling at most `max_step` m
    per metre, on land only (a conservative stand-in for the agent, which also jumps and climbs)."""
    t = spec.terrain
    h = t.heights.astype(np.float64)
    land = h > t.water_height + 0.1
    max_step *= t.cell_size
    i = round((spec.spawn.position[0] - t.origin[0]) / t.cell_size)
    j = round((spec.spawn.position[2] - t.origin[2]) / t.cell_size)
    reached = np.zeros_like(land)
    reached[j, i] = True
    frontier = reached.copy()
    while frontier.any():
        grown = np.zeros_like(frontier)
        for axis, shift in ((0, 1), (0, -1), (1, 1), (1, -1)):
            moved = np.roll(frontier, shift, axis=axis)
            step_ok = np.abs(h - np.roll(h, shift, axis=axis)) <= max_step
            edge = np.ones_like(land)
            index = 0 if shift == 1 else -1
            if axis == 0:
                edge[index, :] = False
            else:
                edge[:, index] = False
            grown |= moved & step_ok & edge
        frontier = grown & land & ~reached
        reached |= frontier
    return reached


# Tasks whose food is reached on foot; obstacle tasks (JUMP, CLIMB, DESCEND, ...) prove in
# tests/test_task_<task>.py that walking does not reach it and their mechanic does.
ON_FOOT = [task for task in IMPLEMENTED if task in (Task.EAT, Task.MOVE, Task.SCRAMBLE)]


@pytest.mark.parametrize("task", ON_FOOT)
@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_food_is_reachable_on_foot(task: Task, difficulty: float) -> None:
    for seed in range(6):
        spec = generate_world(task, seed, difficulty)
        reached = _reachable_points(spec)
        t = spec.terrain
        for food in spec.foods():
            x, _, z = food.position
            jj, ii = np.mgrid[0 : t.points_z, 0 : t.points_x]
            near = np.hypot(ii * t.cell_size + t.origin[0] - x, jj * t.cell_size + t.origin[2] - z) <= 1.5
            assert (reached & near).any(), f"{task.name} seed {seed} d={difficulty}: {food.kind} unreachable"


def test_indirect_move_needs_the_walkway() -> None:
    """At d=1 the straight line from spawn to food crosses a chasm deeper than a jump."""
    for seed in range(6):
        spec = generate_world(Task.MOVE, seed, 1.0)
        (x0, _, z0), (x1, _, z1) = spec.spawn.position, spec.foods()[0].position
        profile = [spec.terrain.height_at(x0 + (x1 - x0) * s, z0 + (z1 - z0) * s) for s in np.linspace(0, 1, 200)]
        assert max(profile) - min(profile) > 3.0
        assert not spec.terrain.climbable.all()


@pytest.mark.parametrize("task", IMPLEMENTED)
def test_spawn_and_trunks_stand_on_flat_ground(task: Task) -> None:
    """The cells under the agent and under fruit-tree trunks are exactly flat (either cell triangulation agrees).
    SCRAMBLE's spawn stands at the foot of its hill, whose slope starts under it (as the original's cone, which
    scales the spawn's flattened ground too); its trunk is checked."""
    for difficulty in DIFFICULTIES:
        for seed in range(10):
            spec = generate_world(task, seed, difficulty)
            spawn = [] if task is Task.SCRAMBLE else [spec.spawn.position]
            for x, _, z in [*spawn, *(i.position for i in spec.items_of_kind("fruit_tree"))]:
                r = min(0.5, spec.terrain.cell_size / 2)  # within the cells round the point
                heights = [spec.terrain.height_at(x + dx, z + dz) for dx in (-r, r) for dz in (-r, r)]
                assert max(heights) - min(heights) < 1e-3
