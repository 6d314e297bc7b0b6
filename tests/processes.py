"""Finding the processes a test started, and only those: other Avalon runs on the same machine are not ours.

A test puts a unique tag in the environment of the command it starts (`tagged_env`); every process that command
starts (Godot, Xvfb, workers) inherits it, even after being reparented when its parent dies. `tagged_pids` lists
the live processes that carry the tag.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

TAG = "AVALON_TEST_PROCESS_TAG"


def tagged_env(extra: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
    """A copy of this environment with a fresh tag (and `extra`), and the tag."""
    tag = uuid.uuid4().hex
    return {**os.environ, **(extra or {}), TAG: tag}, tag


def tagged_pids(tag: str) -> set[int]:
    """Live (not zombie) processes whose environment carries `tag`."""
    needle = f"{TAG}={tag}".encode()
    found = set()
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
        except OSError:  # gone, or not ours to read
            continue
        found.add(int(entry.name))
    return found
