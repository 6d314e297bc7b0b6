"""End to end with the real Godot engine: env checker, determinism, bad input, crash recovery."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import avalon
from avalon.constants import ACTION_SIZE, AGENT_HEIGHT, STATE_NAMES, Command
from avalon.env import AvalonEnv
from avalon.sim.errors import GodotCrashedError, GodotReportedError
from avalon.sim.process import GodotProcess
from avalon.sim.protocol import pack_world
from avalon.tasks import Task, UnknownTaskError, generate_world, implemented_tasks
from avalon.tasks.protocols import available_protocols, protocol_env_id
from avalon.tasks.table import env_id
from avalon.world.builders import big_island, flat_world
from avalon.world.codec import encode_world

pytestmark = pytest.mark.godot


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("env_id", avalon.ENV_IDS)
def test_env_checker(env_id: str) -> None:
    env = gymnasium.make(env_id, resolution=32)
    try:
        check_env(env.unwrapped, skip_render_check=True)
    finally:
        env.close()


def test_only_implemented_tasks_are_registered() -> None:
    protocols = {protocol_env_id(name) for name in available_protocols()}  # tests/test_multitask.py checks these
    assert set(avalon.ENV_IDS) == {env_id(task) for task in implemented_tasks()} | protocols
    missing = [task for task in Task if task not in implemented_tasks()]
    for task in missing[:2]:
        with pytest.raises(gymnasium.error.Error):
            gymnasium.make(env_id(task))


def rollout_hashes(seed: int, steps: int) -> list[str]:
    rng = np.random.default_rng(123)
    hashes = []
    with AvalonEnv("eat", difficulty=0.5, resolution=48) as env:
        observation, _ = env.reset(seed=seed)
        for _ in range(steps):
            action = rng.uniform(-1, 1, ACTION_SIZE).astype(np.float32)
            observation, _, terminated, truncated, _ = env.step(action)
            digest = hashlib.sha256(observation["rgbd"].tobytes() + observation["proprio"].tobytes())
            hashes.append(digest.hexdigest())
            if terminated or truncated:
                break
    return hashes


def test_same_world_seed_and_actions_give_identical_observations() -> None:
    first, second = rollout_hashes(5, 200), rollout_hashes(5, 200)
    assert len(first) == len(second) == 200
    mismatch = next((i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b), None)
    assert mismatch is None, f"observations differ from step {mismatch}"


def test_bad_input_raises_clear_errors() -> None:
    with pytest.raises(UnknownTaskError, match="flying"):
        AvalonEnv("flying")
    with pytest.raises(ValueError, match="difficulty must be in \\[0, 1\\]"):
        gymnasium.make("avalon/Eat-v0", difficulty=1.5)
    for bad in (0, -5, "fast", True):
        with pytest.raises(ValueError, match="time_limit must be one of"):
            AvalonEnv("eat", time_limit=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="action_mode must be one of"):
        AvalonEnv("eat", action_mode="gamepad")
    with AvalonEnv("eat", resolution=16, headless=True) as env:
        env.reset(seed=0)
        with pytest.raises(ValueError, match="NaN"):
            env.step(np.full(ACTION_SIZE, np.nan, np.float32))
        with pytest.raises(ValueError, match="shape"):
            env.step(np.zeros(4, np.float32))
        with pytest.raises(ValueError, match="unknown reset option"):
            env.reset(seed=0, options={"dificulty": 0.3})
        env.step(np.zeros(ACTION_SIZE, np.float32))  # the env still works after refused input


def test_godot_rejects_a_corrupt_world_with_a_named_error() -> None:
    data = bytearray(encode_world(flat_world()))
    data[4] = 99  # format version
    with GodotProcess(1, 16, headless=True) as process, pytest.raises(GodotReportedError, match="version"):
        process.step([(Command.RESET, (0, bytes(data)))])


def test_killing_godot_mid_episode_raises_and_next_reset_recovers() -> None:
    with AvalonEnv("eat", resolution=32) as env:
        env.reset(seed=1)
        env.step(np.zeros(ACTION_SIZE, np.float32))
        process = env.process
        assert process is not None and process.pid is not None
        old_pid = process.pid
        os.kill(old_pid, signal.SIGKILL)
        with pytest.raises(GodotCrashedError):
            env.step(np.zeros(ACTION_SIZE, np.float32))
        assert not pid_alive(old_pid)
        observation, info = env.reset(seed=1)
        assert observation["rgbd"].shape == (32, 32, 4) and info["seed"] == 1
        assert env.process is not None and env.process.pid != old_pid
        env.step(np.zeros(ACTION_SIZE, np.float32))
    assert env.process is None


def test_vector_env_steps_and_autoresets() -> None:
    env = avalon.make_vec("eat", num_envs=3, num_processes=2, resolution=24, headless=True, time_limit="training")
    try:
        assert isinstance(env, gymnasium.vector.VectorEnv)
        observation, info = env.reset(seed=10)
        assert observation["rgbd"].shape == (3, 24, 24, 4) and list(info["seed"]) == [10, 11, 12]
        ended = False
        for _ in range(400):
            observation, rewards, terminated, truncated, info = env.step(env.action_space.sample())
            assert rewards.shape == (3,)
            if (terminated | truncated).any():
                ended = True
                break
        assert ended, "training time limit should end an episode within 400 steps"
        observation, *_ = env.step(env.action_space.sample())  # autoreset step
    finally:
        env.close()


CHILD = """
import sys
from avalon.env import AvalonEnv
env = AvalonEnv("eat", resolution=16)
env.reset(seed=0)
process = env.process
print(process.pid, process._xvfb.process.pid if process._xvfb else 0, flush=True)
if sys.argv[1] == "hang":
    sys.stdin.read()  # wait to be killed
"""


def wait_until_gone(pids: list[int], seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(pid_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if pid_alive(p)]


@pytest.mark.parametrize("how", ["exit", "sigkill"])
def test_nothing_outlives_the_python_process(how: str) -> None:
    """Leaving without close() (atexit) and being SIGKILLed (parent-death signal) both stop Godot and Xvfb."""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # force the private Xvfb
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "hang" if how == "sigkill" else "exit"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    pids = [int(p) for p in child.stdout.readline().split() if int(p)]
    assert len(pids) == 2 and all(pid_alive(p) for p in pids)
    if how == "sigkill":
        child.kill()
    child.wait(timeout=30)
    assert wait_until_gone(pids) == []


def test_a_packed_world_builds_the_same_world_as_its_encoded_bytes() -> None:
    """The engine inflates a packed RESET (docs/world_format.md "On the wire") natively: an EAT world packed on
    purpose starts the episode exactly as its raw bytes do, and a 300 m island (550 KB, over the threshold, so the
    bridge packs it) puts the body on the ground at its spawn."""
    world = encode_world(generate_world("eat", 3, 0.5))
    island = big_island(300, 1.0)
    with GodotProcess(1, 16, headless=True) as process:
        raw = process.step([(Command.RESET, (5, world))])[0]
        packed = process.step([(Command.RESET, (5, pack_world(world, threshold=0)))])[0]
        assert raw is not None and packed is not None
        assert np.array_equal(raw.proprio, packed.proprio) and np.array_equal(raw.state, packed.state)
        assert np.array_equal(raw.entities, packed.entities)
        data = encode_world(island)
        assert len(pack_world(data)) < len(data) // 2
        big = process.step([(Command.RESET, (1, data))])[0]
        assert big is not None
    body = big.state[[STATE_NAMES.index(f"body_{axis}") for axis in "xyz"]]
    feet = body - (0.0, AGENT_HEIGHT / 2, 0.0)  # the state holds the capsule's centre
    assert np.allclose(feet, island.spawn.position, atol=0.05), f"feet at {feet}, spawn {island.spawn.position}"
