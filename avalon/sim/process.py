"""One Godot process hosting K environments, spoken to over loopback TCP (docs/protocol.md).

`GodotProcess` knows nothing about tasks: it starts Godot (and Xvfb when rendering without a display), checks the
handshake, sends STEP messages and parses OBS replies. Every read has a timeout and every announced length is
capped before anything is allocated; any failure kills the process and raises a typed error with the log tail;
`close()`, garbage collection and interpreter exit leave nothing running, and nothing is left on disk.

The bridge is authenticated twice: the listener accepts only connections made by the Godot process it started (on
Linux, the connecting socket's owner is looked up in /proc and must be in Godot's session; anything else is closed
unread while the listener keeps waiting), and Godot's HELLO must carry a random token that reaches Godot through its
environment, which other users cannot read, never through its command line, which they can.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import secrets
import socket
import subprocess
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from avalon.constants import MessageType
from avalon.sim import protocol
from avalon.sim.engine import (
    LogFile,
    Xvfb,
    find_godot,
    godot_env,
    kill_group,
    project_dir,
    spawn,
    sweep_legacy_dirs,
)
from avalon.sim.errors import (
    GodotCrashedError,
    GodotReportedError,
    GodotTimeoutError,
    SimulatorError,
)
from avalon.sim.protocol import CommandSpec, ProtocolError, RawObservation

log = logging.getLogger(__name__)

_LIVE: weakref.WeakSet[GodotProcess] = weakref.WeakSet()
TOKEN_ENV = "AVALON_TOKEN"  # how the token reaches Godot (docs/protocol.md, "Handshake")
_swept = False  # leftover temp dirs of earlier versions are swept once per Python process
HANDSHAKE_SECONDS = 10.0  # for the HELLO, once Godot's own connection is accepted


@atexit.register
def _close_all() -> None:
    for process in list(_LIVE):
        process.close()


def _socket_inode(local: tuple[str, int], remote: tuple[str, int]) -> int | None:
    """The inode of the IPv4 loopback TCP socket bound to `local` and connected to `remote`, from /proc/net/tcp
    (None when there is no such table, as off Linux, or no such socket)."""

    def encode(address: tuple[str, int]) -> str:
        packed = socket.inet_aton(address[0])
        return f"{int.from_bytes(packed, 'little'):08X}:{address[1]:04X}"

    wanted = (encode(local), encode(remote))
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 9 and (fields[1], fields[2]) == wanted:
            return int(fields[9])
    return None


def _session_pids(session: int) -> list[int]:
    """Live processes whose session id is `session` (the children started with start_new_session=True lead one)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if len(fields) > 3 and int(fields[3]) == session:
            pids.append(int(stat.parent.name))
    return pids


def connection_is_from_session(connection: socket.socket, session: int) -> bool:
    """Whether the peer of an accepted loopback connection is a process of the session `session` (Godot, started
    in its own session, and anything it started). Where /proc cannot tell (not Linux), True: the token decides."""
    if not Path("/proc/net/tcp").exists():
        return True
    peer, here = connection.getpeername(), connection.getsockname()
    inode = _socket_inode(peer, here)
    if inode is None:
        return False  # the peer already closed, or is not on IPv4 loopback: not Godot
    link = f"socket:[{inode}]"
    for pid in _session_pids(session):
        try:
            descriptors = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in descriptors:
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == link:
                    return True
    return False


def dead_process_error(process: GodotProcess) -> GodotCrashedError:
    """The error for a Godot process found dead between steps (killed, or crashed while idle), with its log tail;
    call before closing it."""
    code = process.exit_code
    how = f"exit code {code}" if code is None or code >= 0 else f"killed by signal {-code}"
    return GodotCrashedError(f"the Godot process exited between steps ({how}); reset() starts a new one",
                             process.log_tail())  # fmt: skip


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
        render_resolution: int = 0,
    ) -> None:
        if human and (headless or num_envs != 1):
            raise ValueError("human mode needs exactly one env and rendering (headless=False)")
        if human and not os.environ.get("DISPLAY"):
            raise SimulatorError("playing needs a display: $DISPLAY is not set (run it from a desktop session)")
        if num_envs < 1:
            raise ValueError(f"num_envs must be >= 1, got {num_envs}")
        if not 8 <= resolution <= 1024:
            raise ValueError(f"resolution must be in [8, 1024] pixels, got {resolution}")
        if render_resolution and (headless or not 8 <= render_resolution <= 2048):
            raise ValueError(
                f"render_resolution must be 0, or in [8, 2048] pixels with rendering, got {render_resolution}"
            )
        self.render_resolution = render_resolution
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
        self._log = LogFile()
        self.rejected_connections = 0  # connections to the listener that were not Godot's (closed unread)
        _LIVE.add(self)
        try:
            self._start(startup_timeout, use_display)
        except BaseException:
            self.close()
            raise

    # -- lifecycle ---------------------------------------------------------------------------------------------

    def _script_failed(self) -> bool:
        """A GDScript that fails to parse leaves Godot running without ever connecting: spot it in the log."""
        text = self._log.head()
        return b"SCRIPT ERROR" in text or b"Parse Error" in text

    def _start(self, startup_timeout: float, use_display: bool | None) -> None:
        global _swept
        if not _swept:
            _swept = True
            removed = sweep_legacy_dirs()
            if removed:
                log.info("removed %d temporary folders that earlier Avalon versions left behind", removed)
        binary = find_godot(self.headless)
        project = project_dir()
        env = godot_env()
        args = [binary, "--path", str(project), "--audio-driver", "Dummy", "--fixed-fps", "10"]
        if not self.headless:
            if use_display is None:
                use_display = bool(os.environ.get("DISPLAY"))
            if not use_display:
                self._xvfb = Xvfb()
                env["DISPLAY"] = self._xvfb.display
            size = f"{self.window}x{self.window}" if self.human else "64x64"
            args += ["--video-driver", "GLES2", "--resolution", size]
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.2)
        token = secrets.token_bytes(protocol.TOKEN_BYTES)
        env[TOKEN_ENV] = token.hex()
        args += [
            "--",
            f"--avalon-port={listener.getsockname()[1]}",
            f"--avalon-envs={self.num_envs}",
            f"--avalon-resolution={self.resolution}",
        ]
        if self.render_resolution:
            args.append(f"--avalon-render-resolution={self.render_resolution}")
        if self.headless:
            args.append("--avalon-headless")
        if self.human:
            args.append("--avalon-human")
        try:
            self._process = spawn(
                args, stdin=subprocess.DEVNULL, stdout=self._log.file, stderr=subprocess.STDOUT, env=env
            )
            self._sock = self._accept_godot(listener, startup_timeout)
        finally:
            listener.close()
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock.settimeout(min(startup_timeout, HANDSHAKE_SECONDS))
        message_type, payload = self._read_message({MessageType.HELLO})
        try:
            hello = protocol.decode_hello(payload)
            protocol.check_hello(hello, token, self.num_envs, self.resolution)
        except ProtocolError as error:
            self._fail(ProtocolError, f"handshake: {error}")
        self.godot_version = hello.godot_version
        self._sock.settimeout(self.timeout)

    def _accept_godot(self, listener: socket.socket, startup_timeout: float) -> socket.socket:
        """The first connection that Godot itself made; others are closed unread while we keep waiting."""
        assert self._process is not None
        deadline = time.monotonic() + startup_timeout
        while True:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                connection = None
            if connection is not None:
                if connection_is_from_session(connection, self._process.pid):
                    return connection
                self.rejected_connections += 1
                log.warning("closed a connection to the Godot bridge that did not come from Godot")
                with contextlib.suppress(OSError):
                    connection.close()
            if self._process.poll() is not None:
                raise GodotCrashedError(
                    f"Godot exited with code {self._process.returncode} before connecting", self.log_tail()
                )
            if self._script_failed():
                raise GodotCrashedError("Godot could not load its scripts (a broken godot_project?)", self.log_tail())
            if time.monotonic() > deadline:
                raise GodotTimeoutError(f"Godot did not connect within {startup_timeout:.0f} s", self.log_tail())

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
        self._log.close()

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
    def exit_code(self) -> int | None:
        """Godot's exit code (negative: the signal that killed it), or None while it runs."""
        return None if self._process is None else self._process.poll()

    @property
    def is_alive(self) -> bool:
        return not self._closed and self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of Godot's log ("" once closed)."""
        return self._log.tail(lines)

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
        if self.human:
            message_type, payload = self._read_message({MessageType.INPUT})
            try:
                self.last_input = protocol.decode_input(payload)
            except ProtocolError as error:
                self._fail(GodotCrashedError, str(error))
        message_type, payload = self._read_message({MessageType.OBS})
        self._pending = False
        try:
            return protocol.decode_obs(payload, self.num_envs, self.resolution, self.render_resolution)
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

    def _read_message(self, expected: set[MessageType]) -> tuple[int, bytes]:
        """The next message, which must be of an `expected` type (or an ERROR). Its announced length is checked
        against that type's cap before the payload is read, so a bad peer cannot make us allocate much."""
        header = self._read_exact(protocol.HEADER.size)
        length, message_type = protocol.HEADER.unpack(header)
        if message_type != MessageType.ERROR and message_type not in expected:
            names = " or ".join(sorted(MessageType(t).name for t in expected))
            self._fail(ProtocolError, f"expected {names} from Godot, got message type {message_type}")
        cap = protocol.max_message_length(
            MessageType(message_type), self.num_envs, self.resolution, self.render_resolution
        )
        if not 1 <= length <= cap:
            self._fail(
                ProtocolError,
                f"Godot announced a {MessageType(message_type).name} of {length} bytes (allowed: 1 to {cap})",
            )
        payload = self._read_exact(length - 1)
        if message_type == MessageType.ERROR:
            try:
                reason = protocol.decode_error(payload)
            except ProtocolError as error:
                reason = str(error)
            self._fail(GodotReportedError, f"Godot reported: {reason}")
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
