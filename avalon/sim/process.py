"""One Godot process hosting K environments, spoken to over loopback TCP (docs/protocol.md).

`GodotProcess` knows nothing about tasks: it starts Godot (and Xvfb when rendering without a display), checks the
handshake, sends STEP messages and parses OBS replies. Every read has a timeout; any failure kills the process and
raises a typed error with the log tail; `close()`, garbage collection and interpreter exit leave nothing running.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from avalon.constants import MessageType
from avalon.sim import protocol
from avalon.sim.engine import PROJECT_DIR, Xvfb, die_with_parent, find_godot, godot_env, kill_group
from avalon.sim.errors import (
    GodotCrashedError,
    GodotReportedError,
    GodotTimeoutError,
    SimulatorError,
)
from avalon.sim.protocol import CommandSpec, ProtocolError, RawObservation

log = logging.getLogger(__name__)

_LIVE: weakref.WeakSet[GodotProcess] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for process in list(_LIVE):
        process.close()


class GodotProcess:
    """A Godot simulator process with `num_envs` environments at `resolution` pixels.

    headless=True runs `godot3-server` (no rendering, rgbd is all zeros): for game-rule tests and privileged
    rollouts. Otherwise `godot3` renders with GLES2, on `$DISPLAY` if set, else on a private Xvfb display.
    human=True (one env, needs `$DISPLAY`) opens a `window`-pixel window where a person plays env 0: every OBS is
    then preceded by an INPUT message (`last_input`), and `send_hud` sets what the window shows.
    """

    def __init__(
        self,
        num_envs: int = 1,
        resolution: int = 96,
        headless: bool = False,
        timeout: float = 60.0,
        startup_timeout: float = 60.0,
        use_display: bool | None = None,
        human: bool = False,
        window: int = 720,
    ) -> None:
        if human and (headless or num_envs != 1):
            raise ValueError("human mode needs exactly one env and rendering (headless=False)")
        if human and not os.environ.get("DISPLAY"):
            raise SimulatorError("playing needs a display: $DISPLAY is not set (run it from a desktop session)")
        if num_envs < 1:
            raise ValueError(f"num_envs must be >= 1, got {num_envs}")
        if not 8 <= resolution <= 1024:
            raise ValueError(f"resolution must be in [8, 1024] pixels, got {resolution}")
        self.num_envs = num_envs
        self.resolution = resolution
        self.headless = headless
        self.human = human
        self.window = window
        self.last_input = protocol.HumanInput()
        self.timeout = timeout
        self._closed = False
        self._pending = False
        self._xvfb: Xvfb | None = None
        self._sock: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._dir = Path(tempfile.mkdtemp(prefix="avalon-godot-"))
        self.log_path = self._dir / "godot.log"
        _LIVE.add(self)
        try:
            self._start(startup_timeout, use_display)
        except BaseException:
            self.close()
            raise

    # -- lifecycle ---------------------------------------------------------------------------------------------

    def _script_failed(self) -> bool:
        """A GDScript that fails to parse leaves Godot running without ever connecting: spot it in the log."""
        try:
            with open(self.log_path, "rb") as log:
                text = log.read(1 << 16)
        except OSError:
            return False
        return b"SCRIPT ERROR" in text or b"Parse Error" in text

    def _start(self, startup_timeout: float, use_display: bool | None) -> None:
        binary = find_godot(self.headless)
        env = godot_env()
        args = [binary, "--path", str(PROJECT_DIR), "--audio-driver", "Dummy", "--fixed-fps", "10"]
        if not self.headless:
            if use_display is None:
                use_display = bool(os.environ.get("DISPLAY"))
            if not use_display:
                self._xvfb = Xvfb(self._dir / "xvfb.log")
                env["DISPLAY"] = self._xvfb.display
            size = f"{self.window}x{self.window}" if self.human else "64x64"
            args += ["--video-driver", "GLES2", "--resolution", size]
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.2)
        token = secrets.token_bytes(protocol.TOKEN_BYTES)
        args += [
            "--",
            f"--avalon-port={listener.getsockname()[1]}",
            f"--avalon-token={token.hex()}",
            f"--avalon-envs={self.num_envs}",
            f"--avalon-resolution={self.resolution}",
        ]
        if self.headless:
            args.append("--avalon-headless")
        if self.human:
            args.append("--avalon-human")
        with open(self.log_path, "wb") as log_file:
            self._process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        deadline = time.monotonic() + startup_timeout
        try:
            while True:
                try:
                    self._sock, _ = listener.accept()
                    break
                except TimeoutError:
                    if self._process.poll() is not None:
                        raise GodotCrashedError(
                            f"Godot exited with code {self._process.returncode} before connecting", self.log_tail()
                        ) from None
                    if self._script_failed():
                        raise GodotCrashedError(
                            "Godot could not load its scripts (a broken godot_project?)", self.log_tail()
                        ) from None
                    if time.monotonic() > deadline:
                        raise GodotTimeoutError(
                            f"Godot did not connect within {startup_timeout:.0f} s", self.log_tail()
                        ) from None
        finally:
            listener.close()
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock.settimeout(startup_timeout)
        message_type, payload = self._read_message()
        if message_type != MessageType.HELLO:
            raise ProtocolError(f"expected HELLO from Godot, got message type {message_type}")
        hello = protocol.decode_hello(payload)
        protocol.check_hello(hello, token, self.num_envs, self.resolution)
        self.godot_version = hello.godot_version
        self._sock.settimeout(self.timeout)

    def close(self) -> None:
        """Stop Godot (politely, then by force) and Xvfb, and remove the temporary files. Idempotent."""
        if self._closed:
            return
        self._closed = True
        _LIVE.discard(self)
        if self._sock is not None:
            with contextlib.suppress(OSError):
                if not self._pending and self._process is not None and self._process.poll() is None:
                    self._sock.sendall(protocol.frame(MessageType.CLOSE, b""))
            with contextlib.suppress(OSError):
                self._sock.close()
        if self._process is not None:
            kill_group(self._process, grace=2.0)
        if self._xvfb is not None:
            self._xvfb.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> GodotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def is_alive(self) -> bool:
        return not self._closed and self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # -- stepping ----------------------------------------------------------------------------------------------

    def step_async(self, commands: Sequence[CommandSpec]) -> None:
        """Send one STEP (a command per env). Pair with `step_wait`."""
        if self._closed or self._sock is None:
            raise SimulatorError("this Godot process is closed")
        if self._pending:
            raise SimulatorError("step_async called twice without step_wait")
        if len(commands) != self.num_envs:
            raise ValueError(f"need one command per env ({self.num_envs}), got {len(commands)}")
        message = protocol.encode_step(commands)
        try:
            self._sock.sendall(message)
        except OSError as error:
            self._fail(GodotCrashedError, f"sending to Godot failed: {error}")
        self._pending = True

    def step_wait(self) -> list[RawObservation | None]:
        if not self._pending:
            raise SimulatorError("step_wait called without step_async")
        message_type, payload = self._read_message()
        if self.human:
            if message_type != MessageType.INPUT:
                self._fail(GodotCrashedError, f"expected INPUT, got message type {message_type}")
            try:
                self.last_input = protocol.decode_input(payload)
            except ProtocolError as error:
                self._fail(GodotCrashedError, str(error))
            message_type, payload = self._read_message()
        self._pending = False
        if message_type != MessageType.OBS:
            self._fail(GodotCrashedError, f"expected OBS, got message type {message_type}")
        try:
            return protocol.decode_obs(payload, self.num_envs, self.resolution)
        except ProtocolError as error:
            self._fail(GodotCrashedError, str(error))

    def send_hud(self, fields: dict[str, object]) -> None:
        """Human mode: update what the window shows (applied before the next STEP); see human/human_view.gd."""
        if not self.human:
            raise SimulatorError("send_hud needs a process started with human=True")
        if self._closed or self._sock is None:
            raise SimulatorError("this Godot process is closed")
        try:
            self._sock.sendall(protocol.encode_hud(fields))
        except OSError as error:
            self._fail(GodotCrashedError, f"sending to Godot failed: {error}")

    def step(self, commands: Sequence[CommandSpec]) -> list[RawObservation | None]:
        self.step_async(commands)
        return self.step_wait()

    # -- reading -----------------------------------------------------------------------------------------------

    def _read_message(self) -> tuple[int, bytes]:
        header = self._read_exact(protocol.HEADER.size)
        length, message_type = protocol.HEADER.unpack(header)
        payload = self._read_exact(length - 1)
        if message_type == MessageType.ERROR:
            self._fail(GodotReportedError, f"Godot reported: {protocol.decode_error(payload)}")
        return message_type, payload

    def _read_exact(self, size: int) -> bytes:
        assert self._sock is not None
        buffer = bytearray(size)
        view = memoryview(buffer)
        received = 0
        while received < size:
            try:
                n = self._sock.recv_into(view[received:], size - received)
            except TimeoutError:
                self._fail(GodotTimeoutError, f"Godot did not answer within {self._sock.gettimeout():.0f} s")
            except OSError as error:
                self._fail(GodotCrashedError, f"connection to Godot failed: {error}")
            if n == 0:
                self._fail(GodotCrashedError, "Godot closed the connection")
            received += n
        return bytes(buffer)

    def _fail(self, error_type: type[SimulatorError], message: str) -> NoReturn:
        """Kill everything and raise; the caller's next reset starts a fresh process."""
        exit_code = None
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=0.5)
            exit_code = self._process.poll()
        if exit_code is not None and error_type is GodotCrashedError:
            message = f"{message} (exit code {exit_code})"
        tail = self.log_tail()
        self._pending = False
        self.close()
        raise error_type(message, tail)
