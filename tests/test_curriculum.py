"""The adaptive per-task curriculum: unit tests, envs over the fake engine (fast), one short real-engine run."""

from __future__ import annotations

import copy
import json
import multiprocessing
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gymnasium
import numpy as np
import pytest

import avalon
from avalon.constants import ACTION_SIZE
from avalon.curriculum import Curriculum, CurriculumStateError
from avalon.env import AvalonEnv, WorldSource
from avalon.tasks import Task

FAKE = str(Path(__file__).with_name("fake_godot.py"))
ZERO_ACTION = np.zeros(ACTION_SIZE, np.float32)


# -- Curriculum ---------------------------------------------------------------------------------------------------


def test_defaults_are_the_originals() -> None:
    curriculum = Curriculum()
    assert curriculum.step == 0.01 and curriculum.initial == 0.0
    assert curriculum.difficulty("eat") == 0.0 and curriculum.episodes() == 0


def test_success_steps_up_failure_steps_down_per_task() -> None:
    curriculum = Curriculum(step=0.1, initial=0.5)
    assert curriculum.update("eat", True) == pytest.approx(0.6)
    assert curriculum.update(Task.EAT, True) == pytest.approx(0.7)
    assert curriculum.update("EAT", False) == pytest.approx(0.6)
    assert curriculum.update("move", False) == pytest.approx(0.4)
    assert curriculum.difficulty(0) == pytest.approx(0.6)  # Task.EAT's id
    assert curriculum.difficulty("move") == pytest.approx(0.4)
    assert curriculum.difficulty("jump") == 0.5  # never updated: at the initial value
    assert curriculum.difficulties() == pytest.approx({"eat": 0.6, "move": 0.4})
    assert (curriculum.episodes("eat"), curriculum.successes("eat"), curriculum.episodes()) == (3, 2, 4)


def test_difficulty_is_clipped_to_unit_interval() -> None:
    curriculum = Curriculum(step=0.3)
    for _ in range(3):
        assert curriculum.update("eat", False) == 0.0
    for _ in range(5):
        curriculum.update("eat", True)
    assert curriculum.difficulty("eat") == 1.0
    assert curriculum.update("eat", False) == pytest.approx(0.7)


def test_sample_is_uniform_below_the_current_difficulty() -> None:
    rng = np.random.default_rng(0)
    assert {Curriculum().sample("eat", rng) for _ in range(50)} == {0.0}
    curriculum = Curriculum(initial=0.4)
    draws = np.array([curriculum.sample("eat", rng) for _ in range(4000)])
    assert draws.min() >= 0.0 and draws.max() <= 0.4
    assert draws.max() > 0.39 and draws.min() < 0.01
    assert draws.mean() == pytest.approx(0.2, abs=0.01)
    assert np.histogram(draws, bins=4, range=(0, 0.4))[0].min() > 900  # no quarter of the range left out
    assert all(float(np.float32(d)) == d for d in draws)  # exact in float32, WorldSpec's precision
    one, two = np.random.default_rng(7), np.random.default_rng(7)
    assert [curriculum.sample("eat", one) for _ in range(5)] == [curriculum.sample("eat", two) for _ in range(5)]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    curriculum = Curriculum(step=6e-4, initial=0.2)
    for success in (True, True, False, True):
        curriculum.update("eat", success)
    curriculum.update("move", False)
    path = tmp_path / "curriculum.json"
    path.write_text("old contents")
    curriculum.save(path)
    assert list(tmp_path.iterdir()) == [path]  # the temporary file was renamed over the old one
    assert json.loads(path.read_text())["tasks"]["eat"]["episodes"] == 4
    loaded = Curriculum.load(path)
    assert loaded.state_dict() == curriculum.state_dict()
    assert loaded.step == 6e-4 and loaded.initial == 0.2
    assert loaded.difficulty("eat") == curriculum.difficulty("eat") == pytest.approx(0.2012)
    assert loaded.update("eat", True) == curriculum.update("eat", True)
    # A copy that would move on its own is refused with a clear error, not made silently.
    with pytest.raises(TypeError, match="cannot be copied otherwise"):
        pickle.dumps(curriculum)
    with pytest.raises(TypeError, match=r"send `curriculum.state_dict\(\)`"):
        copy.deepcopy(curriculum)
    restored = Curriculum()
    restored.load_state_dict(curriculum.state_dict())
    assert restored.state_dict() == curriculum.state_dict()


def good_state() -> dict[str, Any]:
    curriculum = Curriculum(step=0.1)
    curriculum.update("eat", True)
    return curriculum.state_dict()


def with_change(path: str, value: object) -> dict[str, Any]:
    state = good_state()
    *parents, last = path.split(".")
    target = state
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return state


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ([1, 2], "must be a dict"),
        (with_change("format", "torch"), "not a curriculum state"),
        (with_change("version", 99), "version 99 is not supported"),
        (with_change("extra", 1), "unknown key"),
        (with_change("step", 0.0), "step must be in \\(0, 1\\]"),
        (with_change("step", KeyError), "step must be a float"),
        (with_change("initial", float("nan")), "initial must be in \\[0, 1\\]"),
        (with_change("tasks", []), "'tasks' must be a dict"),
        (with_change("tasks.flying", {"difficulty": 0.1, "episodes": 1, "successes": 1}), "unknown task 'flying'"),
        (with_change("tasks.EAT", {"difficulty": 0.1, "episodes": 1, "successes": 1}), "should be spelt 'eat'"),
        (with_change("tasks.eat.difficulty", 1.5), "difficulty must be in \\[0, 1\\]"),
        (with_change("tasks.eat.difficulty", "0.1"), "difficulty must be a float"),
        (with_change("tasks.eat.episodes", -1), "episodes must be a non-negative int"),
        (with_change("tasks.eat.successes", 2), "more successes"),
        (with_change("tasks.eat.successes", KeyError), "exactly difficulty, episodes, successes"),
    ],
)
def test_bad_state_is_refused_and_changes_nothing(state: Any, message: str) -> None:
    curriculum = Curriculum(step=0.2, initial=0.3)
    curriculum.update("move", True)
    before = curriculum.state_dict()
    with pytest.raises(CurriculumStateError, match=message):
        curriculum.load_state_dict(state)
    assert curriculum.state_dict() == before


def test_bad_files_and_arguments_are_named(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{not json")
    with pytest.raises(CurriculumStateError, match="c.json: not a curriculum state \\(invalid JSON"):
        Curriculum.load(path)
    path.write_text(json.dumps(with_change("version", 2)))
    with pytest.raises(CurriculumStateError, match="c.json: curriculum state version 2"):
        Curriculum.load(path)
    with pytest.raises(ValueError, match="step must be in"):
        Curriculum(step=0.0)
    with pytest.raises(ValueError, match="initial must be in"):
        Curriculum(initial=1.5)
    with pytest.raises(TypeError, match="success must be a bool"):
        Curriculum().update("eat", 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown task 'flying'"):
        Curriculum().update("flying", True)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        Curriculum().sample("eat", 3)  # type: ignore[arg-type]


# -- envs without an engine -----------------------------------------------------------------------------------------


def test_env_arguments() -> None:
    assert AvalonEnv("eat").curriculum is None
    assert isinstance(AvalonEnv("eat", difficulty="curriculum").curriculum, Curriculum)
    shared = Curriculum()
    assert AvalonEnv("eat", curriculum=shared).curriculum is shared
    assert AvalonEnv("eat", difficulty="curriculum", curriculum=shared).curriculum is shared
    with pytest.raises(ValueError, match="curriculum= is only used with difficulty='curriculum'"):
        AvalonEnv("eat", difficulty=0.3, curriculum=shared)
    with pytest.raises(ValueError, match="number in \\[0, 1\\] or 'curriculum', got 'curiculum'"):
        AvalonEnv("eat", difficulty="curiculum")
    with pytest.raises(TypeError, match="must be an avalon.curriculum.Curriculum"):
        AvalonEnv("eat", curriculum={"eat": 0.5})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="curriculum= is only used"):
        avalon.make_vec("eat", 2, difficulty=0.0, curriculum=shared)


def test_world_source_draws_from_the_curriculum_deterministically() -> None:
    curriculum = Curriculum(initial=0.8)
    source = WorldSource("eat", "curriculum", "training", curriculum)
    drawn = [source.make(3, None, np.random.default_rng(11)) for _ in range(2)]
    assert drawn[0].on_curriculum and 0.0 < drawn[0].difficulty <= 0.8
    assert drawn[0].difficulty == drawn[1].difficulty and drawn[0].data == drawn[1].data
    assert drawn[0].spec.difficulty == drawn[0].difficulty  # the world really is of the drawn difficulty
    again = source.make(3, {"difficulty": drawn[0].spec.difficulty}, np.random.default_rng(0))
    assert again.data == drawn[0].data and not again.on_curriculum  # info["difficulty"] regenerates the world
    forced = source.make(3, {"difficulty": 0.25, "task": "move"}, np.random.default_rng(11))
    assert (forced.task, forced.difficulty, forced.on_curriculum) == ("move", 0.25, False)
    assert source.make(3, {"difficulty": "curriculum"}, np.random.default_rng(11)).difficulty == drawn[0].difficulty
    fixed = WorldSource("eat", 0.5, "training")
    assert not fixed.make(3, None, np.random.default_rng(0)).on_curriculum
    with pytest.raises(ValueError, match="needs an env made with difficulty='curriculum'"):
        fixed.make(3, {"difficulty": "curriculum"}, np.random.default_rng(0))


# -- envs over the fake engine --------------------------------------------------------------------------------------


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    launcher = tmp_path / "fake-godot"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setenv("AVALON_GODOT", str(launcher))

    def use(mode: str) -> None:
        monkeypatch.setenv("FAKE_GODOT_MODE", mode)

    return use


def run_vector_env(env: Any, until: Any, max_steps: int) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Step with zero actions until `until(ended_per_env)`; returns episodes ended per env and, for every
    autoreset, (drawn difficulty, curriculum value when it was drawn)."""
    curriculum = env.curriculum
    ended = np.zeros(env.num_envs, dtype=int)
    draws: list[tuple[float, float]] = []
    resetting = np.zeros(env.num_envs, dtype=bool)
    for _ in range(max_steps):
        bound = curriculum.difficulty("eat")
        _, _, terminated, truncated, info = env.step(np.zeros((env.num_envs, ACTION_SIZE), np.float32))
        draws += [(float(info["difficulty"][i]), bound) for i in np.flatnonzero(resetting)]
        resetting = terminated | truncated
        ended += resetting
        if until(ended):
            break
    return ended, draws


def test_vector_env_shares_one_curriculum_that_rises_on_success(fake_engine: Callable[[str], None]) -> None:
    fake_engine("normal")  # the food is eaten on frame 5: every episode succeeds
    env = avalon.make_vec(
        "eat", num_envs=4, num_processes=2, difficulty="curriculum", resolution=8, headless=True, time_limit="training"
    )
    try:
        curriculum = env.curriculum
        assert isinstance(curriculum, Curriculum) and curriculum.step == 0.01
        _, info = env.reset(seed=0)
        assert list(info["difficulty"]) == [0.0] * 4
        ended, draws = run_vector_env(env, lambda ended: ended.min() >= 3, max_steps=500)
        processes = {p for p, _ in env._slots}
        assert processes == {0, 1}
        for process in processes:  # every Godot process hosted episodes that ended and counted
            assert sum(ended[i] for i, (p, _) in enumerate(env._slots) if p == process) >= 3
        total = int(ended.sum())
        assert curriculum.episodes("eat") == curriculum.successes("eat") == total
        assert curriculum.difficulty("eat") == pytest.approx(0.01 * total)
        assert draws and all(0.0 <= drawn <= bound for drawn, bound in draws)
        assert max(drawn for drawn, _ in draws) > 0.0  # later worlds are harder than the start
    finally:
        env.close()


def test_vector_env_curriculum_falls_on_failure(fake_engine: Callable[[str], None]) -> None:
    fake_engine("never_eat")  # every episode runs to its (training) frame limit and fails
    curriculum = Curriculum(step=0.1, initial=0.5)
    env = avalon.make_vec("eat", num_envs=2, curriculum=curriculum, resolution=8, headless=True, time_limit="training")
    try:
        assert env.curriculum is curriculum and len(env._processes) == 2
        env.reset(seed=1)
        ended, draws = run_vector_env(env, lambda ended: ended.min() >= 2, max_steps=4000)
        assert ended.min() >= 2, "both envs (one per Godot process) should end two episodes"
        total = int(ended.sum())
        assert curriculum.episodes("eat") == total and curriculum.successes("eat") == 0
        assert curriculum.difficulty("eat") == pytest.approx(max(0.0, 0.5 - 0.1 * total))
        assert draws and all(0.0 <= drawn <= bound for drawn, bound in draws)
    finally:
        env.close()


def run_episode(env: AvalonEnv, **reset: Any) -> dict[str, Any]:
    _, info = env.reset(**reset)
    start = info
    while True:
        *_, terminated, truncated, info = env.step(ZERO_ACTION)
        if terminated or truncated:
            assert info["difficulty"] == start["difficulty"]
            return info


def test_single_envs_share_a_curriculum_and_forced_difficulty_leaves_it(fake_engine: Callable[[str], None]) -> None:
    fake_engine("normal")
    shared = Curriculum(step=0.25, initial=0.5)
    with (
        AvalonEnv("eat", curriculum=shared, resolution=8, headless=True, time_limit="training") as one,
        AvalonEnv("eat", difficulty="curriculum", curriculum=shared, resolution=8, headless=True) as two,
    ):
        info = run_episode(one, seed=4)
        assert info["success"] and 0.0 <= info["difficulty"] <= 0.5
        assert shared.difficulty("eat") == 0.75
        info = run_episode(two, seed=4)
        assert info["success"] and 0.0 <= info["difficulty"] <= 0.75
        assert shared.difficulty("eat") == 1.0 and shared.episodes("eat") == 2
        info = run_episode(one, seed=4, options={"difficulty": 0.3})
        assert info["difficulty"] == 0.3 and shared.episodes("eat") == 2  # a forced episode does not count
        shared.load_state_dict(Curriculum(initial=0.6).state_dict())
        first = one.reset(seed=9)[1]["difficulty"]
        assert 0.0 < first <= 0.6 and two.reset(seed=9)[1]["difficulty"] == first  # seeded: same draw


# -- the real engine ------------------------------------------------------------------------------------------------


@pytest.mark.godot
def test_gymnasium_make_with_curriculum_on_godot() -> None:
    env = gymnasium.make("avalon/Eat-v0", difficulty="curriculum", resolution=16, headless=True)
    try:
        curriculum = env.unwrapped.curriculum  # type: ignore[attr-defined]
        assert isinstance(curriculum, Curriculum) and curriculum.difficulty("eat") == 0.0
        curriculum.load_state_dict(Curriculum(initial=0.7).state_dict())
        observation, info = env.reset(seed=2)
        assert 0.0 < info["difficulty"] <= curriculum.difficulty("eat") == 0.7
        for _ in range(5):
            observation, _, terminated, truncated, info = env.step(env.action_space.sample())
            assert not (terminated or truncated)
        assert observation["proprio"].shape == (51,) and 0.0 < info["difficulty"] <= 0.7
    finally:
        env.close()


def _update_in_child(curriculum: Curriculum, successes: int, failures: int) -> None:
    for _ in range(successes):
        curriculum.update("eat", True)
    for _ in range(failures):
        curriculum.update("move", False)


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_processes_started_from_here_share_one_curriculum(method: str) -> None:
    """What gymnasium's AsyncVectorEnv and SB3's SubprocVecEnv do: the workers' updates move the parent's values."""
    curriculum = Curriculum(step=0.01, initial=0.5)
    context = multiprocessing.get_context(method)
    workers = [context.Process(target=_update_in_child, args=(curriculum, 10, 5)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert curriculum.difficulty("eat") == pytest.approx(0.5 + 20 * 0.01)
    assert curriculum.difficulty("move") == pytest.approx(0.5 - 10 * 0.01)
    assert curriculum.episodes() == 30 and curriculum.successes() == 20


def test_async_vector_env_workers_share_the_parents_curriculum(fake_engine: Callable[[str], None]) -> None:
    """The issue's case: gymnasium.make_vec(..., vectorization_mode="async") with one Curriculum for all workers."""
    fake_engine("normal")
    curriculum = Curriculum(step=0.05, initial=0.5)
    vec = gymnasium.make_vec(
        "avalon/Eat-v0", num_envs=2, vectorization_mode="async", curriculum=curriculum, headless=True, resolution=16
    )
    try:
        vec.reset(seed=0)
        for _ in range(40):  # the fake eats on frame 5 and ends 20 frames later: every worker finishes an episode
            vec.step(np.zeros((2, ACTION_SIZE), np.float32))
    finally:
        vec.close()
    assert curriculum.episodes("eat") >= 2
    assert curriculum.difficulty("eat") == pytest.approx(0.5 + 0.05 * curriculum.successes("eat"))
