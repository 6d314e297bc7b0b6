"""Bridge and protocol logic against the fake engine (tests/fake_godot.py): fast, no Godot needed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, Command
from avalon.sim import protocol
from avalon.sim.errors import GodotCrashedError, GodotReportedError, GodotTimeoutError
from avalon.sim.process import GodotProcess

FAKE = str(Path(__file__).with_name("fake_godot.py"))
ACT = (Command.ACT, np.zeros(ACTION_SIZE, dtype=np.float32))
RESET = (Command.RESET, (7, b"AVWS-not-checked-by-the-fake"))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    # A launcher that runs the fake with this interpreter, so it sees the same packages whatever PATH holds.
    launcher = tmp_path / "fake-godot"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n')
    launcher.chmod(0o755)
    monkeypatch.setenv("AVALON_GODOT", str(launcher))

    def start(mode: str = "normal", **kwargs: object) -> GodotProcess:
        monkeypatch.setenv("FAKE_GODOT_MODE", mode)
        return GodotProcess(headless=True, **kwargs)  # type: ignore[arg-type]

    return start


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not running
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_step_roundtrip(fake) -> None:
    with fake(num_envs=3, resolution=16) as process:
        reset = process.step([RESET, RESET, (Command.IDLE, None)])
        assert reset[2] is None
        assert reset[0] is not None and reset[0].frame == 0 and reset[0].rgbd.shape == (16, 16, 4)
        obs = process.step([ACT, (Command.IDLE, None), ACT])
        assert obs[0] is not None and obs[0].frame == 1 and obs[1] is None
        assert obs[0].entities["id"].tolist() == [1]


def test_close_leaves_nothing_running(fake) -> None:
    process = fake()
    pid = process.pid
    assert pid is not None and pid_alive(pid)
    process.close()
    process.close()  # idempotent
    assert not pid_alive(pid)


def test_crash_raises_typed_error_with_log_tail(fake) -> None:
    process = fake("crash_on_step=2")
    process.step([RESET])
    with pytest.raises(GodotCrashedError, match="exit code 6") as caught:
        process.step([ACT])
    assert "crashing as asked" in caught.value.log_tail
    assert not process.is_alive


def test_hang_times_out_and_kills(fake) -> None:
    process = fake("hang_on_step=1", timeout=1.0)
    pid = process.pid
    start = time.monotonic()
    with pytest.raises(GodotTimeoutError, match="did not answer"):
        process.step([RESET])
    assert time.monotonic() - start < 10
    assert pid is not None and not pid_alive(pid)


def test_reported_error_is_named(fake) -> None:
    process = fake("error_on_reset")
    with pytest.raises(GodotReportedError, match="unknown key 'items\\[0\\].foo'"):
        process.step([RESET])


@pytest.mark.parametrize(("mode", "message"), [("wrong_version", "protocol version"), ("wrong_token", "token")])
def test_handshake_is_checked(fake, mode: str, message: str) -> None:
    with pytest.raises(protocol.ProtocolError, match=message):
        fake(mode)


def test_script_error_fails_fast_with_the_log(fake) -> None:
    start = time.monotonic()
    with pytest.raises(GodotCrashedError, match="could not load its scripts") as error:
        fake("script_error", startup_timeout=60.0)
    assert time.monotonic() - start < 10 and "Parse Error" in error.value.log_tail


def test_wrong_command_count_is_refused(fake) -> None:
    with fake(num_envs=2) as process, pytest.raises(ValueError, match="one command per env"):
        process.step([RESET])


def test_decode_obs_rejects_truncation() -> None:
    with pytest.raises(protocol.ProtocolError, match="truncated or malformed"):
        protocol.decode_obs(b"\x01\x00\x00\x00\x01\x00", num_envs=1, resolution=8)
