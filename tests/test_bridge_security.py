"""The simulator bridge under attack: a rogue local process that finds the bridge's port and token, junk bytes, an
oversized message, envs made in threads, every way the Python process can end. The bridge is never taken, and
nothing is left running or on disk. (Corrupt and hostile input: tests/test_bridge_inputs.py.)

The rogue tests run twice: against the fake engine, which waits before connecting so the rogue is certainly first,
and against the real Godot, where the rogue races it as the original attack did.
"""

from __future__ import annotations

import contextlib
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

from avalon.constants import ACTION_SIZE, Command, MessageType
from avalon.env import AvalonEnv
from avalon.sim import protocol
from avalon.sim.errors import ProtocolError, SimulatorError
from avalon.sim.process import TOKEN_ENV, GodotProcess

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
