"""The data-collection session (`avalon-play --session --player NAME`), as the original's server assigned
worlds: a few practice worlds first, then evaluation worlds that still have fewer than `MAX_VALID_PLAYS`
valid plays and that this player has never played (any recording of it, even a quit), drawn uniformly. Progress is
saved after every world in `<recordings>/../sessions/<player>.json`, so a session can stop and resume any time.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from avalon.human.client import PlayWorld, Window, custom_world, evaluation_world, play, result_banner
from avalon.human.recording import iter_recordings, now_iso, write_json
from avalon.tasks import implemented_tasks

MAX_VALID_PLAYS = 5  # per evaluation world, as the original collected
PRACTICE_SEED = 1_000_000_000  # practice worlds use seeds far away from the evaluation set's
PRACTICE_DIFFICULTIES = (0.0, 0.2, 0.4, 0.6, 0.8)
SESSION_FORMAT = 1


def practice_world(index: int) -> PlayWorld:
    tasks = [task.name.lower() for task in implemented_tasks()]
    task = tasks[index % len(tasks)]
    difficulty = PRACTICE_DIFFICULTIES[min(index // len(tasks), len(PRACTICE_DIFFICULTIES) - 1)]
    return custom_world(task, PRACTICE_SEED + index, difficulty, practice=True)


def next_world_id(root: Path, player: str, rng: random.Random) -> str | None:
    """An evaluation world with fewer than MAX_VALID_PLAYS valid plays (complete, not quit) that `player` never
    played (any recording of it), or None."""
    from scoring.evalset import load_manifest

    counts: Counter[str] = Counter()
    mine: set[str] = set()
    for recording in iter_recordings(root):
        meta = recording.metadata
        if recording.complete and meta.get("evaluation_world") and meta.get("outcome") != "quit":
            counts[meta["world_id"]] += 1
        if meta.get("player") == player:
            mine.add(meta["world_id"])
    candidates = [
        entry["id"]
        for entry in load_manifest()["worlds"]
        if entry["available"] and counts[entry["id"]] < MAX_VALID_PLAYS and entry["id"] not in mine
    ]
    return rng.choice(candidates) if candidates else None


def session_path(root: Path, player: str) -> Path:
    return Path(root).resolve().parent / "sessions" / f"{player}.json"


def load_session(path: Path, player: str) -> dict[str, Any]:
    if not path.exists():
        return {"format": SESSION_FORMAT, "player": player, "practice_done": 0, "plays": []}
    state: dict[str, Any] = json.loads(path.read_text())
    if state.get("format") != SESSION_FORMAT or state.get("player") != player:
        raise ValueError(f"{path} is not a session file of player {player!r}")
    return state


def run_session(
    args: argparse.Namespace, window_factory: Callable[[], Window], rng: random.Random | None = None
) -> int:
    root = Path(args.recordings)
    path = session_path(root, args.player)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = load_session(path, args.player)
    rng = rng or random.Random()
    window = window_factory()
    played = 0
    try:
        args.screenshots.mkdir(parents=True, exist_ok=True)
        window.send_hud(screenshot_dir=str(args.screenshots.resolve()))
        practice_left = max(0, args.practice - state["practice_done"])
        welcome = (
            f"Welcome, {args.player}.\n\n"
            + (f"{practice_left} practice world(s) first, then evaluation worlds.\n" if practice_left else "")
            + "Esc pauses and shows the controls. Close the window to stop;\nyour progress is kept.\n\n"
            + "Press Enter to begin"
        )
        if not window.wait_for_enter(welcome):
            return 0
        while True:
            if state["practice_done"] < args.practice:
                index = state["practice_done"]
                world = practice_world(index)
                title = f"Practice {index + 1} of {args.practice}: {world.task.upper()}"
            else:
                if args.max_worlds and played >= args.max_worlds:
                    window.wait_for_enter("That was the last world of this session. Thank you!\n\nPress Enter", 30)
                    break
                world_id = next_world_id(root, args.player, rng)
                if world_id is None:
                    window.wait_for_enter("You have played every world that still needs plays. Thank you!", 30)
                    break
                world = evaluation_world(world_id)
                title = f"Evaluation world {played + 1}: {world.task.upper()}"
            result = play(window, world, args.player, root, title, args.fixture)
            if result is None:
                break
            if world.practice:
                state["practice_done"] += 1
            else:
                played += 1
            state["plays"].append(
                {
                    "world_id": world.world_id,
                    "run_id": result.directory.name,
                    "practice": world.practice,
                    "outcome": result.outcome,
                    "score": result.score,
                    "ended_at": now_iso(),
                }
            )
            write_json(path, state)
            print(f"{world.world_id}: {result.outcome}, score {result.score:.4f} ({result.directory})")
            if result.window_closed or not window.wait_for_enter(result_banner(result, "Press Enter to go on")):
                break
    finally:
        window.close()
    print(f"session of {args.player}: {played} evaluation world(s) this sitting; progress in {path}")
    return 0
