"""Recordings that tests make without a person, always labelled as fixtures (`"fixture"` in their metadata).

A scripted policy plays through the real headless simulator and the same RecordingWriter and metadata as the
client, so replay and scoring see exactly the format a person's play has. None of this is human data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from avalon.constants import Command
from avalon.episode import Episode, prepare_action
from avalon.human.client import PlayWorld, recording_metadata
from avalon.human.controls import KM, KM_ACTION_SIZE, KeyboardMouseController
from avalon.human.recording import RecordingWriter
from avalon.oracle import Oracle
from avalon.sim.process import GodotProcess
from avalon.world.codec import encode_world

FIXTURE_LABEL = "test fixture: scripted play, not a person"

Policy = Callable[[dict[str, Any], np.ndarray], tuple[np.ndarray, np.ndarray]]  # (info, proprio) -> (action, km)


def oracle_policy() -> Policy:
    oracle = Oracle()
    return lambda info, proprio: (oracle.act(info), np.zeros(KM_ACTION_SIZE, np.float32))


def grab_and_eat_policy() -> Policy:
    """What a person does at EAT d=0: hold the right button, step forward twice, press F."""
    controller = KeyboardMouseController()
    ticks = [0]

    def policy(info: dict[str, Any], proprio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        km = np.zeros(KM_ACTION_SIZE, np.float32)
        km[KM["grasp_right"]] = 1.0
        km[KM["move_z"]] = -1.0 if ticks[0] < 2 else 0.0
        km[KM["eat"]] = 1.0 if ticks[0] >= 8 else 0.0
        ticks[0] += 1
        return controller.action(km, proprio), km

    return policy


def record_play(
    root: Path,
    world: PlayWorld,
    policy: Policy,
    player: str = "fixture-bot",
    quit_after: int | None = None,
    finish: bool = True,
    max_ticks: int = 2000,
) -> RecordingWriter:
    """Play `world` headless with `policy` and record it; `quit_after` ticks gives up, `finish=False` leaves the play
    in progress as a killed client would."""
    process = GodotProcess(1, 16, headless=True)
    try:
        raw = process.step([(Command.RESET, (world.seed, encode_world(world.spec)))])[0]
        assert raw is not None
        writer = RecordingWriter(root, world.world_id, player, recording_metadata(world, process, FIXTURE_LABEL))
        writer.observe(raw)
        episode = Episode(world.task, world.seed, world.difficulty, world.frame_limit, debug=True, world=world.spec)
        _, info = episode.start(raw)
        outcome = None
        for tick in range(max_ticks):
            if quit_after is not None and tick == quit_after:
                outcome = "quit"
                break
            action, km = policy(info, raw.proprio)
            wire = prepare_action(action)
            raw = process.step([(Command.ACT, wire)])[0]
            assert raw is not None
            writer.act(wire, km)
            writer.observe(raw)
            _, _, terminated, truncated, info = episode.advance(raw)
            if terminated or truncated:
                outcome = episode.outcome
                break
        assert outcome is not None, f"the scripted play of {world.world_id} did not end in {max_ticks} ticks"
        if finish:
            summary = {"score": episode.score, "success": episode.success, "frames": raw.frame}
            writer.finish(outcome, {**summary, "hit_points": episode.hit_points})
        return writer
    finally:
        process.close()
