"""Human reference scores: every `*.json` under a directory (default `human_data/reference/`), each with provenance.

A file holds {"format": 1, "provenance": {"source": ..., "collected": ..., ...}, "plays": {world_id: [{"player": ...,
"score": ..., "run_id": ... (optional)}, ...]}}; `avalon-human scores` writes such files from recordings.
human_score[w] is the mean over all plays of w across files. The repository ships no human numbers
until people have played: a missing or empty directory is a normal state, and the report says so
instead of inventing a reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scoring.normalize import ScoringInputError, check_keys, finite_score, read_json_object

REFERENCE_FORMAT = 1
OPTIONAL_PLAY_KEYS = ("run_id",)  # the recording a play came from (avalon-human scores writes it)


@dataclass(frozen=True)
class Play:
    player: str
    score: float
    file: Path


@dataclass(frozen=True)
class ReferenceFile:
    path: Path
    provenance: dict[str, Any]
    worlds: int
    plays: int


@dataclass(frozen=True)
class HumanReference:
    files: tuple[ReferenceFile, ...]
    plays: dict[str, tuple[Play, ...]]

    def scores(self) -> dict[str, float]:
        """human_score per world: the mean over every play of it."""
        return {world_id: float(np.mean([play.score for play in plays])) for world_id, plays in self.plays.items()}


def _load_file(path: Path) -> tuple[ReferenceFile, dict[str, list[Play]]]:
    data = read_json_object(path)
    check_keys(data, ("format", "provenance", "plays"), str(path))
    if data["format"] != REFERENCE_FORMAT:
        raise ScoringInputError(f"{path}: format {data['format']!r} is not the supported {REFERENCE_FORMAT}")
    provenance = data["provenance"]
    if not isinstance(provenance, dict):
        raise ScoringInputError(f"{path}: 'provenance' must be an object with 'source' and 'collected'")
    for key in ("source", "collected"):
        if not isinstance(provenance.get(key), str) or not provenance[key].strip():
            raise ScoringInputError(f"{path}: provenance needs a non-empty string {key!r}, got {provenance.get(key)!r}")
    if not isinstance(data["plays"], dict):
        raise ScoringInputError(f"{path}: 'plays' must be an object of world id -> list of plays")
    plays: dict[str, list[Play]] = {}
    for world_id, entries in data["plays"].items():
        where = f"{path}: world {world_id}"
        if not world_id:
            raise ScoringInputError(f"{path}: empty world id in 'plays'")
        if not isinstance(entries, list) or not entries:
            raise ScoringInputError(f"{where}: expected a non-empty list of plays, got {entries!r}")
        for n, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ScoringInputError(f"{where}, play {n}: expected an object with 'player' and 'score'")
            check_keys(
                {k: v for k, v in entry.items() if k not in OPTIONAL_PLAY_KEYS},
                ("player", "score"),
                f"{where}, play {n}",
            )
            if not isinstance(entry["player"], str) or not entry["player"]:
                raise ScoringInputError(f"{where}, play {n}: 'player' must be a non-empty string")
            plays.setdefault(world_id, []).append(Play(entry["player"], finite_score(entry["score"], where), path))
    summary = ReferenceFile(path, provenance, len(plays), sum(len(entries) for entries in plays.values()))
    return summary, plays


def load_human_reference(directory: Path | None) -> HumanReference:
    """All reference files under `directory` (recursively, sorted), merged; empty when it is None or missing.

    A player counts once per world: a second play of the same world by the same player, in one file or across two
    (say the same file copied twice), is an error rather than a silent double weight."""
    if directory is None or not directory.exists():
        return HumanReference((), {})
    if not directory.is_dir():
        raise ScoringInputError(f"{directory}: the human reference must be a directory of *.json files")
    files: list[ReferenceFile] = []
    merged: dict[str, list[Play]] = {}
    for path in sorted(directory.rglob("*.json")):
        summary, plays = _load_file(path)
        files.append(summary)
        for world_id, entries in plays.items():
            known = {play.player: play.file for play in merged.get(world_id, [])}
            for play in entries:
                if play.player in known:
                    raise ScoringInputError(
                        f"{path}: player {play.player!r} already has a play of world {world_id} "
                        f"(in {known[play.player]}); a reference counts one play per player per world"
                    )
                known[play.player] = path
            merged.setdefault(world_id, []).extend(entries)
    return HumanReference(tuple(files), {world_id: tuple(plays) for world_id, plays in merged.items()})
