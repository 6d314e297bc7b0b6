"""The recording format: one directory per play, `<root>/<world_id>/<player_id>/<run_id>/`.

- `metadata.json`: who played what, with which client, when and how it ended. Written when the play starts with
  `"status": "in_progress"`; rewritten (through a temporary file and a rename) with `"status": "complete"` only after
  the tick data is safely on disk. A killed client leaves `in_progress`; an exception or Ctrl-C in the client leaves
  `unfinished`. Only `complete` plays are data.
- `play.npz` (written to a temporary name, then renamed): per tick, in the agent's spaces —
  `actions` (T, 21) float32, the agent action sent to the simulator (replayable, usable for imitation learning);
  `km_actions` (T, 11) float32, the keyboard-and-mouse action it came from; `frames` (T+1,) int32; `states` (T+1,
  STATE_SIZE) float32, the privileged state the score is computed from; `proprio` (T+1, 51) float32;
  `entity_ids` (n,) uint32 and `entities` (T+1, n, 4) float32 (flags, x, y, z; NaN once an entity is gone).
  Row 0 of the per-frame arrays is the state after the reset. Its SHA-256 is in the metadata.
- `world.bin` (only for worlds that no generator rebuilds, such as `avalon-play --world-file` plays): the played
  world's `encode_world` bytes, written with the tick data; the metadata names it (`world_file`) and its SHA-256 is
  the metadata's `world_sha256`, so `avalon-replay` can replay such plays too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from avalon.constants import ACTION_SIZE, PROPRIO_SIZE, STATE_SIZE
from avalon.human.controls import KM_ACTION_SIZE
from avalon.sim.protocol import RawObservation

RECORDING_FORMAT = 1
DEFAULT_ROOT = Path("human_data") / "recordings"
OUTCOMES = ("success", "death", "timeout", "failure", "quit")
STATUSES = ("in_progress", "complete", "unfinished")
PLAYER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
METADATA = "metadata.json"
PLAY = "play.npz"
WORLD = "world.bin"


class RecordingError(ValueError):
    """A recording that is missing, unfinished, tampered with or not in this format."""


def check_player(player: str) -> str:
    if not PLAYER_PATTERN.match(player or ""):
        raise ValueError(
            f"player id {player!r} must be 1-64 characters of letters, digits, '_', '.' or '-', starting with a "
            "letter or digit (it becomes a directory name; use a pseudonym, not a real name)"
        )
    return player


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same directory and a rename: readers see the old file or the new one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, (json.dumps(data, indent=1) + "\n").encode())


class RecordingWriter:
    """Collects one play tick by tick and writes it as described above."""

    def __init__(
        self, root: Path, world_id: str, player: str, metadata: dict[str, Any], world: bytes | None = None
    ) -> None:
        """`world`: the played world's bytes, kept with the play when no generator can rebuild it."""
        check_player(player)
        self._world = world
        self.run_id = uuid.uuid4().hex[:16]
        self.directory = Path(root) / world_id / player / self.run_id
        self.directory.mkdir(parents=True, exist_ok=False)
        self.metadata: dict[str, Any] = {
            "format": RECORDING_FORMAT,
            "run_id": self.run_id,
            "player": player,
            "world_id": world_id,
            **metadata,
            "status": "in_progress",
            "started_at": now_iso(),
            "ended_at": None,
            "outcome": None,
        }
        if world is not None:
            self.metadata["world_file"] = WORLD
        write_json(self.directory / METADATA, self.metadata)
        self._actions: list[np.ndarray] = []
        self._km_actions: list[np.ndarray] = []
        self._frames: list[int] = []
        self._states: list[np.ndarray] = []
        self._proprio: list[np.ndarray] = []
        self._entities: list[dict[int, np.ndarray]] = []
        self._entity_ids: list[int] = []

    @property
    def ticks(self) -> int:
        return len(self._actions)

    def observe(self, raw: RawObservation) -> None:
        """The state after the reset (first call) or after the last `act`."""
        if len(self._states) != len(self._actions):
            raise RuntimeError("observe() must follow the reset or an act()")
        self._frames.append(int(raw.frame))
        self._states.append(raw.state.astype(np.float32))
        self._proprio.append(raw.proprio.astype(np.float32))
        rows = {}
        for entity in raw.entities:
            ident = int(entity["id"])
            if ident not in self._entity_ids:
                self._entity_ids.append(ident)
            rows[ident] = np.array([entity["flags"], *entity["position"]], dtype=np.float32)
        self._entities.append(rows)

    def act(self, action: np.ndarray, km_action: np.ndarray) -> None:
        if len(self._states) != len(self._actions) + 1:
            raise RuntimeError("act() must follow an observe()")
        self._actions.append(np.asarray(action, dtype=np.float32).copy())
        self._km_actions.append(np.asarray(km_action, dtype=np.float32).copy())

    def arrays(self) -> dict[str, np.ndarray]:
        ids = np.array(self._entity_ids, dtype=np.uint32)
        entities = np.full((len(self._entities), len(ids), 4), np.nan, dtype=np.float32)
        for t, rows in enumerate(self._entities):
            for k, ident in enumerate(self._entity_ids):
                if ident in rows:
                    entities[t, k] = rows[ident]
        return {
            "actions": np.array(self._actions, dtype=np.float32).reshape(-1, ACTION_SIZE),
            "km_actions": np.array(self._km_actions, dtype=np.float32).reshape(-1, KM_ACTION_SIZE),
            "frames": np.array(self._frames, dtype=np.int32),
            "states": np.array(self._states, dtype=np.float32).reshape(-1, STATE_SIZE),
            "proprio": np.array(self._proprio, dtype=np.float32).reshape(-1, PROPRIO_SIZE),
            "entity_ids": ids,
            "entities": entities,
        }

    def finish(self, outcome: str, summary: dict[str, Any]) -> Path:
        """Write the tick data, then mark the play complete. Returns the run directory."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, got {outcome!r}")
        if len(self._states) != len(self._actions) + 1:
            raise RuntimeError("finish() needs the observation of the last action")
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **self.arrays())  # type: ignore[arg-type]
        data = buffer.getvalue()
        if self._world is not None:
            write_atomic(self.directory / WORLD, self._world)
        write_atomic(self.directory / PLAY, data)
        self.metadata.update(summary)
        self.metadata.update(
            {
                "status": "complete",
                "outcome": outcome,
                "ended_at": now_iso(),
                "ticks": self.ticks,
                "play_sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        write_json(self.directory / METADATA, self.metadata)
        return self.directory

    def abandon(self, reason: str) -> None:
        """Mark the play unfinished (the client failed or was interrupted): it is kept, never counted."""
        self.metadata.update({"status": "unfinished", "ended_at": now_iso(), "unfinished_reason": reason})
        with contextlib.suppress(OSError):
            write_json(self.directory / METADATA, self.metadata)


@dataclass(frozen=True)
class Recording:
    directory: Path
    metadata: dict[str, Any]

    @property
    def status(self) -> str:
        status = self.metadata.get("status")
        return status if status in STATUSES else "unfinished"

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    def load_arrays(self) -> dict[str, np.ndarray]:
        """The tick data, after checking it is complete and matches the checksum in the metadata."""
        if not self.complete:
            raise RecordingError(f"{self.directory}: the play is {self.status}, not complete (nothing to replay)")
        path = self.directory / PLAY
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise RecordingError(f"{path} is missing although the metadata says the play is complete") from None
        if hashlib.sha256(data).hexdigest() != self.metadata.get("play_sha256"):
            raise RecordingError(f"{path} does not match the play_sha256 in {METADATA}: the recording was modified")
        with np.load(io.BytesIO(data)) as npz:
            arrays = {key: npz[key] for key in npz.files}
        expected = {"actions", "km_actions", "frames", "states", "proprio", "entity_ids", "entities"}
        if set(arrays) != expected:
            raise RecordingError(f"{path}: arrays {sorted(arrays)}, expected {sorted(expected)}")
        ticks = len(arrays["actions"])
        if arrays["actions"].shape != (ticks, ACTION_SIZE) or arrays["states"].shape != (ticks + 1, STATE_SIZE):
            raise RecordingError(
                f"{path}: {ticks} actions of shape {arrays['actions'].shape[1:]} and states of shape "
                f"{arrays['states'].shape}: expected ({ticks}, {ACTION_SIZE}) and ({ticks + 1}, {STATE_SIZE})"
            )
        return arrays

    def world_bytes(self) -> bytes | None:
        """The played world's bytes kept with the play (`world.bin`), checked against `world_sha256`; None when the
        play was of a generated world (rebuild it from task, seed and difficulty)."""
        name = self.metadata.get("world_file")
        if name is None:
            return None
        if name != WORLD:
            raise RecordingError(f"{self.directory}: world_file must be {WORLD!r}, got {name!r}")
        path = self.directory / WORLD
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise RecordingError(f"{path} is missing although the metadata names it") from None
        if hashlib.sha256(data).hexdigest() != self.metadata.get("world_sha256"):
            raise RecordingError(f"{path} does not match the world_sha256 in {METADATA}: the recording was modified")
        return data


def read_recording(directory: Path) -> Recording:
    path = Path(directory) / METADATA
    try:
        metadata = json.loads(path.read_text())
    except FileNotFoundError:
        raise RecordingError(f"{directory} is not a recording: no {METADATA}") from None
    except json.JSONDecodeError as error:
        raise RecordingError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(metadata, dict) or metadata.get("format") != RECORDING_FORMAT:
        raise RecordingError(f"{path}: not a recording of format {RECORDING_FORMAT}")
    return Recording(Path(directory), metadata)


def iter_recordings(root: Path) -> Iterator[Recording]:
    """Every run directory under `root` (`<world>/<player>/<run>/metadata.json`), sorted by path."""
    for path in sorted(Path(root).glob(f"*/*/*/{METADATA}")):
        yield read_recording(path.parent)
