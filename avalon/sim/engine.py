"""Finding the Godot binary, starting child processes that die with us, and running a private Xvfb display.

Child processes (Godot, Xvfb) are started in their own process group with a parent-death signal, so they die with
the Python process even when it is killed with SIGKILL. Linux sends that signal when the *thread* that started the
child ends, so every child is started from one long-lived launcher thread (`spawn`), never from the caller's thread:
an env made in a worker thread outlives the thread. Their logs are unlinked temporary files (`LogFile`), so nothing
is left on disk however the process ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from queue import SimpleQueue
from typing import Any, TypeVar

from avalon.sim.errors import GodotNotFoundError, SimulatorError

PROJECT_ENV = "AVALON_GODOT_PROJECT"  # overrides where the Godot project is looked for
_CHECKOUT_PROJECT = Path(__file__).resolve().parent.parent.parent / "godot_project"


def project_dir() -> Path:
    """The Godot project: `$AVALON_GODOT_PROJECT`, else the checkout's `godot_project/` (a source or editable
    install), else the `avalon_godot` package an installed wheel carries. Raises GodotNotFoundError, naming the fix,
    when none holds a project.godot."""
    configured = os.environ.get(PROJECT_ENV)
    candidates = [Path(configured)] if configured else [_CHECKOUT_PROJECT]
    if not configured:
        spec = importlib.util.find_spec("avalon_godot")
        if spec is not None and spec.submodule_search_locations:
            candidates += [Path(location) for location in spec.submodule_search_locations]
    for candidate in candidates:
        if (candidate / "project.godot").is_file():
            return candidate
    where = f"{PROJECT_ENV}={configured!r}" if configured else " or ".join(str(c) for c in candidates)
    raise GodotNotFoundError(
        f"the Godot project (project.godot) is missing: looked in {where}. Reinstall the package "
        "(`pip install avalon-bench`: the wheel carries it), or point AVALON_GODOT_PROJECT at a godot_project folder."
    )


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: SIGKILL this child when the Python process that started it dies (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not Linux: rely on close() and atexit
        pass


T = TypeVar("T")


class _Launcher:
    """Runs callables (process starts) on one daemon thread that lives as long as the Python process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = SimpleQueue()
        self._thread: threading.Thread | None = None

    def run(self, job: Callable[[], T]) -> T:
        if threading.current_thread() is self._thread:
            return job()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._jobs = SimpleQueue()
                self._thread = threading.Thread(target=self._serve, name="avalon-launcher", daemon=True)
                self._thread.start()
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future.result()

    def _serve(self) -> None:
        while True:
            job, future = self._jobs.get()
            try:
                future.set_result(job())
            except BaseException as error:  # handed to the caller's thread
                future.set_exception(error)


_LAUNCHER = _Launcher()


def spawn(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """`subprocess.Popen(args, **kwargs)` in its own session, with the parent-death signal, from the launcher
    thread, so the child dies with this process however it ends, and not before."""
    return _LAUNCHER.run(lambda: subprocess.Popen(args, start_new_session=True, preexec_fn=die_with_parent, **kwargs))


class LogFile:
    """A child's log: an unlinked, append-only temporary file (nothing on disk survives us); `tail` reads it
    without moving the offset the child writes at."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(mode="a+b", prefix="avalon-log-")  # noqa: SIM115 (closed in close)

    def read(self, limit: int = 1 << 20) -> bytes:
        """The last `limit` bytes (b"" once closed)."""
        try:
            size = os.fstat(self.file.fileno()).st_size
            start = max(0, size - limit)
            return os.pread(self.file.fileno(), size - start, start)
        except (OSError, ValueError):
            return b""

    def head(self, limit: int = 1 << 16) -> bytes:
        try:
            return os.pread(self.file.fileno(), limit, 0)
        except (OSError, ValueError):
            return b""

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.read(1 << 16).decode(errors="replace").splitlines()[-lines:])

    def close(self) -> None:
        self.file.close()


LEGACY_DIR_PREFIX = "avalon-godot-"  # per-process temp dirs of earlier versions, left behind by killed processes
LEGACY_DIR_AGE = 600.0  # s: untouched for this long, such a dir belongs to no live process


def sweep_legacy_dirs(root: Path | None = None) -> int:
    """Remove `avalon-godot-*` temp dirs that earlier versions left behind; returns how many."""
    root = Path(tempfile.gettempdir()) if root is None else root
    removed = 0
    now = time.time()
    for path in root.glob(LEGACY_DIR_PREFIX + "*"):
        try:
            if not path.is_dir() or path.is_symlink() or now - path.stat().st_mtime < LEGACY_DIR_AGE:
                continue
            if any(child.is_dir() or child.suffix != ".log" for child in path.iterdir()):
                continue  # not what we made: leave it alone
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    return removed


def find_godot(headless: bool) -> str:
    """`$AVALON_GODOT` if set, else `godot3-server` (headless) or `godot3` from PATH."""
    configured = os.environ.get("AVALON_GODOT")
    if configured:
        path = shutil.which(configured) or configured
        if not Path(path).exists():
            raise GodotNotFoundError(f"AVALON_GODOT={configured!r} does not exist")
    else:
        name = "godot3-server" if headless else "godot3"
        found = shutil.which(name)
        if found is None:
            raise GodotNotFoundError(
                f"`{name}` is not on PATH. On Debian/Ubuntu: `apt-get install godot3 godot3-server xvfb` "
                "(or run `make setup`); elsewhere point AVALON_GODOT at a Godot 3.2+ binary."
            )
        path = found
    check_godot_version(path)
    return path


def check_installation(headless: bool) -> str:
    """Everything a simulator start needs, checked in well under a second: the Godot binary (and its version), the
    Godot project, and for rendering a display or Xvfb. Returns the Godot version; raises GodotNotFoundError naming
    what to install."""
    version = check_godot_version(find_godot(headless))
    project_dir()
    if not headless and not os.environ.get("DISPLAY") and shutil.which("Xvfb") is None:
        raise GodotNotFoundError(
            "rendering needs a display: Xvfb is not on PATH (apt-get install xvfb) and no DISPLAY is set"
        )
    return version


@functools.lru_cache(maxsize=8)
def check_godot_version(path: str) -> str:
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GodotNotFoundError(f"cannot run {path} --version: {error}") from None
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", result.stdout)
    if match is None:
        raise GodotNotFoundError(f"{path} --version printed no version: {result.stdout!r} {result.stderr[-300:]!r}")
    major, minor = int(match.group(1)), int(match.group(2))
    if major != 3 or minor < 2:
        raise GodotNotFoundError(f"{path} is Godot {match.group(0)}; Avalon needs Godot 3.2 or a newer 3.x")
    if minor > 2:
        warnings.warn(f"Godot {match.group(0)}: Avalon is tested on 3.2.3", stacklevel=2)
    return match.group(0)


def godot_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LANG"] = "en_US.UTF-8"  # with C locales Godot logs errors
    # Mesa llvmpipe renders on its own threads by default; at our small resolutions the hand-offs cost more than
    # they save: rendering on Godot's thread measured ~20% more steps/s for one process on 2 cores (make bench).
    env.setdefault("LP_NUM_THREADS", "0")
    return env


class Xvfb:
    """A private X display for rendering without a screen."""

    def __init__(self, screen: str = "320x240x24") -> None:
        if shutil.which("Xvfb") is None:
            raise GodotNotFoundError("Xvfb is not on PATH (apt-get install xvfb) and no DISPLAY is set")
        read_fd, write_fd = os.pipe()
        self.log = LogFile()
        try:
            self.process = spawn(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,),
                stdout=self.log.file,
                stderr=subprocess.STDOUT,
            )
        finally:
            os.close(write_fd)
        try:
            with os.fdopen(read_fd, "rb") as pipe:
                number = pipe.readline().strip()
        except OSError:
            number = b""
        if not number:
            tail = self.log.tail()
            self.stop()
            raise SimulatorError("Xvfb failed to start", tail)
        self.display = f":{number.decode()}"

    def stop(self) -> None:
        kill_group(self.process)
        self.log.close()


def kill_group(process: subprocess.Popen[bytes], grace: float = 0.0) -> None:
    """Terminate a child started with start_new_session=True, and everything it started."""
    if process.poll() is None and grace > 0:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
