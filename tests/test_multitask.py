"""Multi-task envs: the protocols and their registration, seeded task draws, per-task curricula (fast: world
generation and the fake engine), and a short run of the real engine on avalon/MultiTaskEasy-v0."""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from pathlib import Path

import gymnasium
import numpy as np
import pytest

import avalon
from avalon.constants import ACTION_SIZE
from avalon.curriculum import Curriculum
from avalon.env import AvalonEnv, WorldSource
from avalon.registration import env_entries
from avalon.tasks import TASKS, Task, UnknownTaskError, frame_limit, implemented_tasks, table
from avalon.tasks.protocols import (
    PROTOCOLS,
    missing_tasks,
    protocol_env_id,
    protocol_tasks,
    resolve_tasks,
)

FAKE = str(Path(__file__).with_name("fake_godot.py"))
ZERO_ACTION = np.zeros(ACTION_SIZE, np.float32)
EASY = ("eat", "move")

# -- protocols and registration ---------------------------------------------------------------------------------------


def test_protocols_are_the_originals() -> None:
    basic = PROTOCOLS["multi_task_basic"]
    assert len(basic) == 16 and all(TASKS[task].basic for task in basic)
    assert PROTOCOLS["multi_task_easy"] == (Task.EAT, Task.MOVE)
    assert len(PROTOCOLS["multi_task_compositional"]) == 4
    assert set(PROTOCOLS["multi_task_all"]) == set(Task) == set(basic) | set(PROTOCOLS["multi_task_compositional"])
    assert protocol_env_id("multi_task_basic") == "avalon/MultiTaskBasic-v0"


def test_a_protocol_needs_all_its_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert protocol_tasks("multi_task_easy") == protocol_tasks("MULTI_TASK_EASY") == (Task.EAT, Task.MOVE)
    missing = [task for task in PROTOCOLS["multi_task_basic"] if task not in implemented_tasks()]
    assert list(missing_tasks("multi_task_basic")) == missing
    implement(monkeypatch, [Task.OPEN, Task.CARRY], generator=None)  # missing whatever exists by then
    missing = [task for task in PROTOCOLS["multi_task_basic"] if task not in implemented_tasks()]
    assert Task.OPEN in missing and Task.CARRY in missing
    names = ", ".join(task.name.lower() for task in missing)
    with pytest.raises(
        UnknownTaskError, match=f"multi_task_basic needs tasks that have no world generator yet: {names}"
    ):
        protocol_tasks("multi_task_basic")
    with pytest.raises(UnknownTaskError, match=names):
        AvalonEnv("multi_task_basic")
    with pytest.raises(UnknownTaskError, match="unknown protocol 'multi_task_hard'"):
        missing_tasks("multi_task_hard")


def implement(monkeypatch: pytest.MonkeyPatch, tasks: list[Task], generator: str | None = "avalon.tasks.eat") -> None:
    """Pretend `tasks` have (or, with generator=None, lack) a world generator."""
    for task in tasks:
        monkeypatch.setitem(TASKS, task, dataclasses.replace(TASKS[task], generator=generator))


def protocol_ids() -> set[str]:
    return {name for name in env_entries() if name.startswith("avalon/MultiTask")}


def test_a_protocol_id_is_registered_iff_all_its_tasks_are_implemented(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROTOCOLS:  # as things are
        assert (protocol_env_id(name) in gymnasium.registry) == (not missing_tasks(name)), name
    assert "avalon/MultiTaskEasy-v0" in avalon.ENV_IDS
    assert set(avalon.ENV_IDS) == set(env_entries())

    implement(monkeypatch, [task for task in Task if TASKS[task].basic])
    assert protocol_ids() == {"avalon/MultiTaskBasic-v0", "avalon/MultiTaskEasy-v0"}
    assert env_entries()["avalon/MultiTaskBasic-v0"] == "multi_task_basic"
    implement(monkeypatch, list(Task))
    assert (
        protocol_ids()
        == {protocol_env_id(name) for name in PROTOCOLS}
        == {f"avalon/MultiTask{suffix}-v0" for suffix in ("Basic", "Easy", "Compositional", "All")}
    )
    implement(monkeypatch, [Task.OPEN], generator=None)  # one basic task missing: no Basic, no All
    assert protocol_ids() == {"avalon/MultiTaskEasy-v0", "avalon/MultiTaskCompositional-v0"}
    implement(monkeypatch, [Task.MOVE], generator=None)
    assert protocol_ids() == {"avalon/MultiTaskCompositional-v0"} and "avalon/Move-v0" not in env_entries()


def test_readme_lists_the_registered_protocol_ids_only() -> None:
    text = table.render()
    for name in PROTOCOLS:
        assert (f"`{protocol_env_id(name)}`" in text) == (not missing_tasks(name)), name
        assert f"| {name} |" in text


@pytest.mark.parametrize(
    ("task", "error", "message"),
    [
        ([], ValueError, "the list of tasks is empty"),
        (("eat", "move", "eat"), ValueError, "names eat more than once"),
        (["eat", Task.EAT], ValueError, "names eat more than once"),
        (["eat", "flying"], UnknownTaskError, "unknown task 'flying'; valid tasks: eat, move"),
        ("flying", UnknownTaskError, "unknown task 'flying'; .*protocols: multi_task_basic, multi_task_easy"),
        (["eat", "navigate"], UnknownTaskError, "no world generator yet: navigate; implemented: eat, move"),
        (["eat", "multi_task_easy"], UnknownTaskError, "unknown task 'multi_task_easy'"),
        ({"eat"}, UnknownTaskError, "a task, a protocol name or a list or tuple of tasks, got {'eat'}"),
    ],
)
def test_bad_task_lists_are_named(task: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        resolve_tasks(task)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        AvalonEnv(task)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        avalon.make_vec(task, 2)  # type: ignore[arg-type]


# -- task draws (world generation only) ---------------------------------------------------------------------------


def test_task_draws_are_seeded_uniform_and_cover_every_task() -> None:
    source = WorldSource("multi_task_easy", 0.0, "training")
    assert source.tasks == (Task.EAT, Task.MOVE) == WorldSource(list(EASY), 0.0, "training").tasks

    def draws(seed: int, n: int = 400) -> list[Task]:
        rng = np.random.default_rng(seed)
        return [source.draw_task(rng) for _ in range(n)]

    assert draws(1) == draws(1) and draws(1) != draws(2)
    counts = Counter(draws(1))
    assert set(counts) == {Task.EAT, Task.MOVE} and 150 <= counts[Task.EAT] <= 250  # 200 +- 5 sd
    three = WorldSource(("eat", "move", "jump"), 0.0, "training")
    rng = np.random.default_rng(0)
    assert set(Counter(three.draw_task(rng) for _ in range(100))) == {Task.EAT, Task.MOVE, Task.JUMP}
    single, rng = WorldSource("jump", 0.0, "training"), np.random.default_rng(3)
    assert single.draw_task(rng) == Task.JUMP and rng.random() == np.random.default_rng(3).random()  # no draw


def test_each_world_is_of_its_drawn_task_with_its_time_limit() -> None:
    curriculum = Curriculum(initial=0.6)
    curriculum.update("move", success=False)  # move: 0.59, eat: still 0.6
    source = WorldSource(EASY, "curriculum", "training", curriculum)
    worlds = [source.make(seed, None, np.random.default_rng(seed)) for seed in range(8)]
    assert {world.task for world in worlds} == set(EASY)
    for seed, world in enumerate(worlds):
        rng = np.random.default_rng(seed)
        task = source.draw_task(rng)
        assert world.task == world.spec.task == task.name.lower()  # the task first, then the difficulty, one rng
        assert world.difficulty == curriculum.sample(task, rng) <= curriculum.difficulty(task)
        assert world.frame_limit == frame_limit(task, world.difficulty, "training") and world.on_curriculum
    forced = source.make(0, {"task": "jump", "difficulty": 0.5}, np.random.default_rng(0))
    assert (forced.task, forced.frame_limit) == ("jump", frame_limit("jump", 0.5, "training"))


# -- envs over the fake engine ------------------------------------------------------------------------------------


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The fake Godot (tests/fake_godot.py): the food is eaten on frame 5, so every episode succeeds."""
    launcher = tmp_path / "fake-godot"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setenv("AVALON_GODOT", str(launcher))


def play(env: AvalonEnv, **reset: object) -> str:
    """One episode with zero actions; returns its task."""
    _, start = env.reset(**reset)  # type: ignore[arg-type]
    while True:
        *_, terminated, truncated, info = env.step(ZERO_ACTION)
        if terminated or truncated:
            assert info["success"] and info["task"] == start["task"]
            return str(info["task"])


@pytest.mark.usefixtures("fake_engine")
def test_env_draws_tasks_per_seed_and_moves_only_their_curricula() -> None:
    curriculum = Curriculum(step=0.1)
    with (
        AvalonEnv(EASY, curriculum=curriculum, resolution=8, headless=True) as env,
        AvalonEnv("multi_task_easy", difficulty=0.0, resolution=8, headless=True) as other,
    ):
        assert env.tasks == other.tasks == (Task.EAT, Task.MOVE)
        tasks = [env.reset(seed=seed)[1]["task"] for seed in range(12)]
        assert tasks == [other.reset(seed=seed)[1]["task"] for seed in range(12)] and set(tasks) == set(EASY)
        assert env.reset(seed=0, options={"task": "jump"})[1]["task"] == "jump"
        played = Counter(play(env, seed=seed) for seed in range(6))
        for task in EASY:  # every episode succeeded: +0.1 each, on its own task's value only
            assert curriculum.episodes(task) == played[task]
            assert curriculum.difficulty(task) == pytest.approx(0.1 * played[task])
        eat = curriculum.difficulty("eat")
        assert play(env, seed=0, options={"task": "move"}) == "move"
        assert curriculum.difficulty("eat") == eat and curriculum.episodes("move") == played["move"] + 1


@pytest.mark.usefixtures("fake_engine")
def test_vector_env_shares_the_per_task_curriculum() -> None:
    env = avalon.make_vec("multi_task_easy", 4, num_processes=2, difficulty="curriculum", resolution=8, headless=True)
    try:
        assert env.tasks == (Task.EAT, Task.MOVE)
        _, info = env.reset(seed=0)
        again = avalon.make_vec(EASY, 4, num_processes=1, difficulty=0.0, resolution=8, headless=True)
        try:
            assert list(again.reset(seed=0)[1]["task"]) == list(info["task"])  # env i: seed 0 + i, same draws
        finally:
            again.close()
        ended: Counter[str] = Counter()
        for _ in range(200):
            _, _, terminated, truncated, info = env.step(np.zeros((4, ACTION_SIZE), np.float32))
            ended.update(str(task) for task in info["task"][terminated | truncated])
        assert set(ended) == set(EASY)
        curriculum = env.curriculum
        assert curriculum is not None
        for task in EASY:
            assert curriculum.episodes(task) == curriculum.successes(task) == ended[task]
            assert curriculum.difficulty(task) == pytest.approx(0.01 * ended[task])
    finally:
        env.close()


# -- the real engine ----------------------------------------------------------------------------------------------


@pytest.mark.godot
def test_multi_task_easy_on_godot() -> None:
    """gymnasium's env checker, then resets that draw both tasks, each with its own training time limit."""
    from gymnasium.utils.env_checker import check_env

    env = gymnasium.make("avalon/MultiTaskEasy-v0", resolution=16, time_limit="training", difficulty=0.0)
    try:
        check_env(env.unwrapped, skip_render_check=True)
        seen = set()
        for seed in range(4):
            observation, info = env.reset(seed=seed)
            assert info["frames_remaining"] == frame_limit(info["task"], 0.0, "training")
            observation, _, terminated, truncated, info = env.step(env.action_space.sample())
            assert env.observation_space.contains(observation) and not (terminated or truncated)
            seen.add(info["task"])
        assert seen == set(EASY)
    finally:
        env.close()


@pytest.mark.godot
def test_multi_task_basic_on_godot() -> None:
    """The 16 basic tasks: gymnasium's env checker, then a world of each (forced) builds and steps."""
    from gymnasium.utils.env_checker import check_env

    env = gymnasium.make("avalon/MultiTaskBasic-v0", resolution=16, time_limit="training", difficulty=0.0)
    try:
        check_env(env.unwrapped, skip_render_check=True)
        basic = PROTOCOLS["multi_task_basic"]
        assert len(basic) == 16
        for task in basic:
            observation, info = env.reset(seed=0, options={"task": task.name.lower()})
            assert info["task"] == task.name.lower()
            observation, _, terminated, truncated, info = env.step(env.action_space.sample())
            assert env.observation_space.contains(observation) and not (terminated or truncated)
    finally:
        env.close()
