"""The simulator bridge under attack and misuse: a rogue local process that finds the bridge's port and token, junk
bytes, envs made in threads, every way the Python process can end, corrupt and hostile worlds, bad arguments. Each
gets a typed error that names the problem, and nothing is left running or on disk.

The rogue tests run twice: against the fake engine, which waits before connecting so the rogue is certainly first,
and against the real Godot, where the rogue races it as the original attack did.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from processes import TAG, tagged_env, tagged_pids

from avalon.constants import ACTION_SIZE, PROPRIO_SIZE, STATE_SIZE, Command, MessageType
from avalon.env import AvalonEnv
from avalon.sim import protocol
from avalon.sim.errors import GodotCrashedError, GodotReportedError, ProtocolError, SimulatorError
from avalon.sim.process import TOKEN_ENV, GodotProcess
from avalon.tasks import generate_world
from avalon.vector import make_vec
from avalon.world.builders import flat_world
from avalon.world.codec import HEADER, MAGIC, CorruptWorldError, decode_world, encode_world
from avalon.world.spec import Spawn
from avalon.world.validate import InvalidWorldError

FAKE = str(Path(__file__).with_name("fake_godot.py"))
ACT = (Command.ACT, np.zeros(ACTION_SIZE, dtype=np.float32))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    launcher = tmp_path / "fake-godot"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setenv("AVALON_GODOT", str(launcher))

    def configure(mode: str = "normal", delay: float = 0.0) -> None:
        monkeypatch.setenv("FAKE_GODOT_MODE", mode)
        monkeypatch.setenv("FAKE_GODOT_CONNECT_DELAY", str(delay))

    return configure


@pytest.fixture
def tag(monkeypatch: pytest.MonkeyPatch) -> str:
    """A tag in this process's environment, which every simulator it starts inherits."""
    _, value = tagged_env()
    monkeypatch.setenv(TAG, value)
    return value


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode(errors="replace").split("=", 1) for entry in raw if b"=" in entry)


def command_line(pid: int) -> list[str]:
    return [arg.decode(errors="replace") for arg in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")]


class Rogue(threading.Thread):
    """A local process's view of the attack: find the simulator by its command line, read the port there and the
    token from its environment (the same user can), connect before it does and try to talk."""

    def __init__(self, tag: str, payload: bytes | None = None, deadline: float = 60.0) -> None:
        super().__init__(daemon=True)
        self.tag, self.payload, self.deadline = tag, payload, deadline
        self.connected = False
        self.token_on_command_line: bool | None = None
        self.received: bytes | None = None

    def _find(self) -> tuple[int, str] | None:
        for pid in tagged_pids(self.tag) - {os.getpid()}:
            with contextlib.suppress(OSError):
                ports = [a.split("=", 1)[1] for a in command_line(pid) if a.startswith("--avalon-port=")]
                token = environ(pid).get(TOKEN_ENV)
                if ports and token:
                    self.token_on_command_line = any(token in arg for arg in command_line(pid))
                    return int(ports[0]), token
        return None

    def run(self) -> None:
        end = time.monotonic() + self.deadline
        found = None
        while found is None and time.monotonic() < end:
            found = self._find()
        if found is None:
            return
        port, token = found
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            self.connected = True
            if self.payload is None:  # a forged HELLO with the real token, then a forged OBS
                name = b"3.2.3.rogue"
                hello = struct.pack("<I16sIII", 2, bytes.fromhex(token), 1, 96, len(name)) + name
                sock.sendall(protocol.frame(MessageType.HELLO, hello) + protocol.frame(MessageType.OBS, b"\xff" * 64))
            else:
                sock.sendall(self.payload)
            data = b""
            with contextlib.suppress(OSError):
                while chunk := sock.recv(65536):
                    data += chunk
            self.received = data


def test_a_rogue_with_the_token_cannot_take_the_bridge(fake: Any, tag: str) -> None:
    """The rogue connects first (the fake waits a second), with the real token: closed unread; Godot's own
    connection is accepted and the env works."""
    fake(delay=1.0)
    rogue = Rogue(tag)
    rogue.start()
    with GodotProcess(headless=True) as process:
        rogue.join(timeout=30)
        assert rogue.connected and rogue.received == b"", "the rogue's connection must be closed without a word"
        assert process.rejected_connections == 1
        first = process.step([(Command.RESET, (1, b"world"))])[0]
        assert first is not None and first.frame == 0
        assert process.step([ACT])[0].frame == 1  # type: ignore[union-attr]
    assert rogue.token_on_command_line is False


def test_a_forked_helper_of_godot_may_connect(fake: Any) -> None:
    """Connections are checked by session, not by pid: a process Godot started counts as Godot."""
    fake("child_connects")
    with GodotProcess(headless=True) as process:
        assert process.rejected_connections == 0
        assert process.step([(Command.RESET, (1, b"world"))])[0] is not None


def test_junk_bytes_cost_no_memory_and_no_delay(fake: Any, tag: str) -> None:
    """64 random bytes announcing a 1.8 GB message: never read, so nothing is allocated."""
    fake(delay=1.0)
    junk = struct.pack("<IB", 0x6B49D200, int(MessageType.HELLO)) + random.Random(0).randbytes(59)
    rogue = Rogue(tag, junk)
    rogue.start()
    tracemalloc.start()
    try:
        with GodotProcess(headless=True) as process:
            _, peak = tracemalloc.get_traced_memory()
            assert process.rejected_connections == 1
            assert process.step([(Command.RESET, (1, b"world"))])[0] is not None
    finally:
        tracemalloc.stop()
    rogue.join(timeout=30)
    assert peak < 10 * 2**20, f"Python allocated {peak / 2**20:.1f} MB"


def test_an_oversized_message_from_godot_is_refused_before_it_is_read(fake: Any) -> None:
    fake("huge_message")
    tracemalloc.start()
    try:
        with GodotProcess(headless=True, timeout=30) as process:
            process.step_async([(Command.RESET, (1, b"world"))])
            with pytest.raises(ProtocolError, match=r"announced a OBS of 1800000000 bytes \(allowed: 1 to \d+\)"):
                process.step_wait()
            assert not process.is_alive
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20
    assert issubclass(ProtocolError, SimulatorError)


@pytest.mark.godot
def test_the_hijack_fails_against_real_godot(tag: str) -> None:
    """The original attack, re-run: the rogue races Godot to the port with the token from its environment."""
    rogue = Rogue(tag)
    rogue.start()
    with AvalonEnv("eat", headless=True) as env:
        observation, info = env.reset(seed=3)
        for _ in range(20):
            observation, reward, terminated, truncated, info = env.step(env.action_space.sample())
            assert abs(reward) < 10 and np.isfinite(observation["proprio"]).all()
            if terminated or truncated:
                break
        assert env.process is not None
        rejected = env.process.rejected_connections
        rogue.join(timeout=30)
    assert rogue.connected and rogue.received == b""
    assert rejected == 1 or not rogue.connected
    assert rogue.token_on_command_line is False


@pytest.mark.godot
def test_an_env_made_in_a_thread_outlives_the_thread() -> None:
    """Linux's parent-death signal follows the thread that started a child; children start on a launcher thread."""
    made: dict[str, Any] = {}

    def worker() -> None:
        env = AvalonEnv("eat", headless=True)
        env.reset(seed=1)
        env.step(env.action_space.sample())
        made["env"] = env
        made["thread"] = threading.get_native_id()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    env = made["env"]
    task = Path(f"/proc/self/task/{made['thread']}")
    deadline = time.monotonic() + 10
    while task.exists() and time.monotonic() < deadline:  # wait until the kernel has ended the thread too
        time.sleep(0.01)
    assert not task.exists()
    try:
        for _ in range(10):
            env.step(env.action_space.sample())
        assert env.process is not None and env.process.is_alive
    finally:
        env.close()


CHILD = """
import os, signal, sys, time
signal.signal(signal.SIGHUP, signal.SIG_DFL)  # under nohup (as CI may run us) a hangup is ignored, not an ending
from avalon.env import AvalonEnv
env = AvalonEnv("eat", resolution=32)
env.reset(seed=0)
env.step(env.action_space.sample())
print("ready", flush=True)
if sys.argv[1] == "exit":
    os._exit(0)
time.sleep(600)
"""


@pytest.mark.godot
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGHUP", "exit"])
def test_nothing_is_left_however_python_ends(tmp_path: Path, how: str) -> None:
    """Godot, its Xvfb and any temporary file go when the Python process does, even by SIGKILL or os._exit."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env, tag = tagged_env({"TMPDIR": str(scratch), "DISPLAY": ""})
    child = subprocess.Popen([sys.executable, "-c", CHILD, how], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        started = tagged_pids(tag) - {child.pid}
        assert len(started) >= 2, "Godot and Xvfb run"
        if how != "exit":
            child.send_signal(getattr(signal, how))
        child.wait(timeout=30)
        deadline = time.monotonic() + 10
        while tagged_pids(tag) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tagged_pids(tag) == set()
        assert list(scratch.iterdir()) == []
    finally:
        if child.poll() is None:
            child.kill()


# --- the decoders, fuzzed (pure Python, seconds) -------------------------------------------------------------------


def _obs_payload(num_envs: int, resolution: int, entities: int) -> bytes:
    record = (
        b"\x01"
        + struct.pack("<I", 3)
        + bytes(resolution * resolution * 4)
        + struct.pack(f"<{PROPRIO_SIZE + STATE_SIZE}f", *([0.5] * (PROPRIO_SIZE + STATE_SIZE)))
        + struct.pack("<H", entities)
        + struct.pack("<IBB3f", 1, 0, 1, 0.0, 0.5, -2.0) * entities
    )
    return struct.pack("<I", num_envs) + record * num_envs


def _mutations(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    out = []
    for _ in range(count):
        mutated = bytearray(data)
        kind = rng.randrange(4)
        if kind == 0 and mutated:  # flip bits
            for _ in range(rng.randint(1, 4)):
                mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        elif kind == 1:  # cut
            del mutated[rng.randrange(len(mutated) + 1) :]
        elif kind == 2:  # extend
            mutated += rng.randbytes(rng.randint(1, 16))
        else:  # overwrite a word with an extreme value
            at = rng.randrange(max(1, len(mutated) - 4))
            mutated[at : at + 4] = rng.choice([b"\xff\xff\xff\xff", b"\x00\x00\x00\x80", b"\x00\x00\xc0\x7f"])
        out.append(bytes(mutated))
    return out


def test_decoders_fuzzed_raise_only_their_own_errors() -> None:
    rng = random.Random(1234)
    obs = _obs_payload(2, 8, 3)
    assert len(protocol.decode_obs(obs, 2, 8)) == 2
    for mutated in _mutations(obs, rng, 400):
        with contextlib.suppress(ProtocolError):
            protocol.decode_obs(mutated, 2, 8)
    hello = struct.pack("<I16sIII", 2, bytes(16), 1, 96, 5) + b"3.2.3"
    for mutated in _mutations(hello, rng, 200):
        with contextlib.suppress(ProtocolError):
            protocol.decode_hello(mutated)
    for mutated in _mutations(struct.pack("<BIff", 1, 2, 3.0, 4.0), rng, 100):
        with contextlib.suppress(ProtocolError):
            protocol.decode_input(mutated)
    for mutated in _mutations(struct.pack("<I", 5) + b"hello", rng, 100):
        with contextlib.suppress(ProtocolError):
            protocol.decode_error(mutated)
    world = encode_world(generate_world("eat", 0, 0.5))
    accepted = 0
    for mutated in _mutations(world, rng, 300):
        try:
            decode_world(mutated)
            accepted += 1
        except CorruptWorldError:
            pass
    assert accepted == 0, "the checksum catches every mutation of a world"


# --- hostile worlds straight to Godot, past Python's checks ------------------------------------------------------


def _with_header(payload: bytes) -> bytes:
    import hashlib

    from avalon.constants import WORLD_FORMAT_VERSION

    return HEADER.pack(MAGIC, WORLD_FORMAT_VERSION, 0, len(payload), hashlib.sha256(payload).digest()) + payload


def _hostile_worlds() -> list[tuple[str, bytes]]:
    rng = random.Random(7)
    good = encode_world(generate_world("eat", 1, 0.5))
    worlds = []
    for n in range(6):
        flipped = bytearray(good)
        flipped[rng.randrange(len(good))] ^= 1 << rng.randrange(8)
        worlds.append((f"bit flip {n}", bytes(flipped)))
    nested = struct.pack("<II", 19, 1) * 200_000 + struct.pack("<I", 0)  # 200,000 arrays, each holding the next
    worlds.append(("200,000 nested arrays", _with_header(nested)))
    worlds.append(("an unsupported Variant type", _with_header(struct.pack("<I", 17) + bytes(8))))
    worlds.append(("a container announcing 2**31 members", _with_header(struct.pack("<II", 18, 0x7FFFFFFF))))
    nan_spawn = flat_world(spawn=Spawn((math.nan, 0.0, 0.0)))  # past Python's checks: encode_world does not check
    worlds.append(("a NaN spawn", encode_world(nan_spawn)))
    far_spawn = flat_world(spawn=Spawn((1e9, 0.0, 1e9)))
    worlds.append(("a spawn 1e9 m away", encode_world(far_spawn)))
    worlds.append(("an empty world", b""))
    return worlds


@pytest.mark.godot
def test_godot_refuses_hostile_worlds_and_says_why() -> None:
    for name, data in _hostile_worlds():
        with GodotProcess(headless=True) as process, pytest.raises(GodotReportedError) as caught:
            process.step([(Command.RESET, (1, data))])
        reason = str(caught.value).split("\n", 1)[0]
        assert reason.startswith("Godot reported: env 0: "), name
        assert len(reason) > len("Godot reported: env 0: ") + 10, f"{name}: no reason given ({reason!r})"


# --- bad input through the public API: typed errors, before Godot starts ---------------------------------------------


def test_bad_worlds_are_refused_before_godot_starts() -> None:
    """`reset(options={"world": spec})` runs the same checks as the generators: the issue's cases, each named."""
    good = generate_world("eat", 0, 0.0)
    heights = np.array(good.terrain.heights)
    heights[3, 4] = math.nan
    food = good.foods()[0]
    cases = [
        (flat_world(spawn=Spawn((math.nan, 0.0, 0.0))), "spawn"),
        (flat_world(spawn=Spawn((0.0, math.inf, 0.0))), "spawn"),
        (flat_world(spawn=Spawn((1e9, 0.0, 1e9))), "spawn at x=1000000000.00"),
        (dataclasses.replace(good, terrain=dataclasses.replace(good.terrain, heights=heights)), "terrain height"),
        (
            dataclasses.replace(
                good, items=(dataclasses.replace(food, position=(math.nan, 1.0, 0.0)), *good.items[1:])
            ),
            "non-finite",
        ),
        (dataclasses.replace(good, difficulty=7.0), r"difficulty must be in \[0, 1\], got 7"),
        (flat_world(task="eat"), "no food"),
    ]
    env = AvalonEnv("eat", headless=True)
    try:
        for world, message in cases:
            with pytest.raises(InvalidWorldError, match=message):
                env.reset(options={"world": world})
        assert env.process is None, "nothing reached Godot"
    finally:
        env.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: AvalonEnv("eat", timeout=0), "timeout must be a positive"),
        (lambda: AvalonEnv("eat", timeout=math.nan), "timeout must be a positive"),
        (lambda: AvalonEnv("eat", difficulty=True), "difficulty must be a number"),
        (lambda: make_vec("eat", 2, timeout=-1), "timeout must be a positive"),
        (lambda: AvalonEnv("eat", resolution=True), "resolution must be an int"),
    ],
)
def test_bad_arguments_are_named(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("seed", [2**64, 2**63, -1, True])
def test_bad_seeds_are_named_before_godot_starts(seed: object) -> None:
    env = AvalonEnv("eat", headless=True)
    try:
        with pytest.raises(ValueError, match=r"seed must be None or an int in \[0, 2\*\*63 - 1\]"):
            env.reset(seed=seed)  # type: ignore[arg-type]
        assert env.process is None
    finally:
        env.close()


@pytest.mark.godot
def test_godot_killed_between_steps_is_a_typed_error_with_the_log() -> None:
    with AvalonEnv("eat", headless=True) as env:
        env.reset(seed=0)
        assert env.process is not None and env.process.pid is not None
        os.kill(env.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while env.process.is_alive and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(GodotCrashedError, match="killed by signal 9") as caught:
            env.step(env.action_space.sample())
        assert "Godot Engine" in caught.value.log_tail
        env.reset(seed=0)  # a fresh process
        env.step(env.action_space.sample())
    vec = make_vec("eat", 2, num_processes=2, headless=True)
    try:
        vec.reset(seed=0)
        victim = vec._processes[1]
        assert victim is not None and victim.pid is not None
        os.kill(victim.pid, signal.SIGKILL)
        while victim.is_alive and time.monotonic() < deadline + 10:
            time.sleep(0.01)
        with pytest.raises(GodotCrashedError, match="killed by signal 9") as caught:
            vec.step(vec.action_space.sample())
        assert "Godot Engine" in caught.value.log_tail
        vec.reset(seed=0)
    finally:
        vec.close()


def test_leftover_temp_dirs_of_earlier_versions_are_swept(tmp_path: Path) -> None:
    from avalon.sim.engine import LEGACY_DIR_AGE, sweep_legacy_dirs

    old = time.time() - 2 * LEGACY_DIR_AGE

    def folder(name: str, files: dict[str, bytes], stale: bool) -> Path:
        path = tmp_path / name
        path.mkdir()
        for file, data in files.items():
            (path / file).write_bytes(data)
        if stale:
            os.utime(path, (old, old))
        return path

    left = folder("avalon-godot-abc", {"godot.log": b"x", "xvfb.log": b""}, stale=True)
    recent = folder("avalon-godot-new", {"godot.log": b"x"}, stale=False)  # may belong to a running process
    foreign = folder("avalon-godot-mine", {"notes.txt": b"keep"}, stale=True)  # not ours to delete
    other = folder("unrelated", {"godot.log": b"x"}, stale=True)
    assert sweep_legacy_dirs(tmp_path) == 1
    assert not left.exists() and recent.exists() and foreign.exists() and other.exists()
