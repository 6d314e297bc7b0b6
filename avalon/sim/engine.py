"""Finding the Godot binary and running a private Xvfb display.

Both child processes are started in their own process group with a parent-death signal, so they die with the
Python process even when it is killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import re
import shutil
import signal
import subprocess
import warnings
from pathlib import Path

from avalon.sim.errors import GodotNotFoundError, SimulatorError

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent / "godot_project"
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: SIGKILL this child when the Python process that started it dies (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not Linux: rely on close() and atexit
        pass


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

    def __init__(self, log_path: Path, screen: str = "320x240x24") -> None:
        if shutil.which("Xvfb") is None:
            raise GodotNotFoundError("Xvfb is not on PATH (apt-get install xvfb) and no DISPLAY is set")
        read_fd, write_fd = os.pipe()
        self._log = open(log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        os.close(write_fd)
        try:
            with os.fdopen(read_fd, "rb") as pipe:
                number = pipe.readline().strip()
        except OSError:
            number = b""
        if not number:
            self.stop()
            raise SimulatorError(f"Xvfb failed to start; see {log_path}")
        self.display = f":{number.decode()}"

    def stop(self) -> None:
        kill_group(self.process)
        self._log.close()


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
