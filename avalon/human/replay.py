"""`avalon-replay RUN_DIR [--video out.gif]`: re-simulate a recorded play and check it (docs/human_play.md).

The recorded agent actions are stepped through a fresh simulator in a freshly generated copy of the world; every
tick's frame number, privileged state and entity table must match the recording, and so must the outcome and score
the agents' episode bookkeeping computes. Determinism is what makes human data trustworthy: a play that does not
replay is not data. `--video` also writes what the player saw (GIF, or MP4 when ffmpeg is installed).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from avalon.constants import STATE_NAMES, Command
from avalon.entities import kind_name
from avalon.episode import Episode
from avalon.human.recording import RecordingError, read_recording
from avalon.sim.errors import SimulatorError
from avalon.sim.process import GodotProcess
from avalon.sim.protocol import ENTITY_DTYPE, RawObservation
from avalon.tasks import generate_world
from avalon.video import VideoError, write_video
from avalon.world.codec import encode_world


class ReplayMismatch(RecordingError):
    """The simulator did not reproduce the recording."""


@dataclass(frozen=True)
class ReplayResult:
    ticks: int
    outcome: str
    score: float
    video: Path | None


def rescore(metadata: dict[str, object], frames: np.ndarray, states: np.ndarray, proprio: np.ndarray) -> Episode:
    """The agents' episode bookkeeping run over recorded per-tick states (no simulator): score and outcome."""
    episode = Episode(
        str(metadata["task"]),
        int(metadata["seed"]),  # type: ignore[call-overload]
        float(metadata["difficulty"]),  # type: ignore[arg-type]
        int(metadata["frame_limit"]),  # type: ignore[call-overload]
    )
    empty_rgbd = np.zeros((1, 1, 4), np.uint8)
    no_entities = np.zeros(0, ENTITY_DTYPE)
    for t in range(len(states)):
        raw = RawObservation(int(frames[t]), empty_rgbd, proprio[t], states[t], no_entities)
        if t == 0:
            episode.start(raw)
        else:
            if episode.done:
                raise RecordingError(f"the recording goes on after the episode ended (at frame {frames[t - 1]})")
            episode.advance(raw)
    return episode


def _compare(t: int, raw: RawObservation, arrays: dict[str, np.ndarray], tolerance: float) -> None:
    if raw.frame != arrays["frames"][t]:
        raise ReplayMismatch(f"tick {t}: frame {raw.frame}, recorded {arrays['frames'][t]}")
    recorded = arrays["states"][t]
    diff = np.abs(raw.state.astype(np.float64) - recorded)
    if not np.all(diff <= tolerance):
        k = int(np.argmax(diff))
        raise ReplayMismatch(
            f"tick {t}: {STATE_NAMES[k]} is {raw.state[k]:.6g} in the replay but {recorded[k]:.6g} in the recording "
            f"(and {int(np.sum(diff > tolerance))} state value(s) differ): the play does not replay"
        )
    ids = arrays["entity_ids"]
    by_id = {int(e["id"]): e for e in raw.entities}
    for k, ident in enumerate(ids):
        row = arrays["entities"][t, k]
        entity = by_id.get(int(ident))
        if entity is None:
            if not np.isnan(row[0]):
                raise ReplayMismatch(f"tick {t}: entity {ident} is missing from the replay")
            continue
        replayed = np.array([entity["flags"], *entity["position"]], dtype=np.float64)
        if not np.all(np.abs(replayed - row) <= tolerance):
            kind = kind_name(int(entity["kind"]))
            raise ReplayMismatch(
                f"tick {t}: {kind} {ident} is at {replayed[1:].round(4).tolist()} (flags {int(replayed[0])}) in the "
                f"replay but at {row[1:].round(4).tolist()} (flags {int(row[0])}) in the recording"
            )


def replay(
    directory: Path,
    video: Path | None = None,
    resolution: int = 96,
    tolerance: float = 0.0,
    progress: bool = False,
) -> ReplayResult:
    recording = read_recording(directory)
    meta = recording.metadata
    arrays = recording.load_arrays()
    kept = recording.world_bytes()  # a hand-built world kept with the play, else regenerate it
    if kept is not None:
        data = kept
    else:
        spec = generate_world(str(meta["task"]), int(meta["seed"]), float(meta["difficulty"]), meta.get("variant"))
        data = encode_world(spec)
    if hashlib.sha256(data).hexdigest() != meta["world_sha256"]:
        raise RecordingError(
            f"{directory}: the world generator now builds a different {meta['world_id']} than the one played "
            f"(generator version {meta.get('generator_version')}); replay it with the client version "
            f"{meta.get('client_version')}"
        )
    frames_out: list[np.ndarray] = []
    process = GodotProcess(1, resolution, headless=video is None)
    try:
        raw = process.step([(Command.RESET, (int(meta["seed"]), data))])[0]
        assert raw is not None
        _compare(0, raw, arrays, tolerance)
        episode = Episode(str(meta["task"]), int(meta["seed"]), float(meta["difficulty"]), int(meta["frame_limit"]))
        episode.start(raw)
        if video is not None:
            frames_out.append(raw.rgbd[..., :3].copy())
        ticks = tqdm(arrays["actions"], desc="replay", unit="tick", disable=not progress, leave=False)
        for t, action in enumerate(ticks, start=1):
            if episode.done:
                raise ReplayMismatch(f"tick {t}: the replayed episode already ended, but the recording goes on")
            raw = process.step([(Command.ACT, action)])[0]
            assert raw is not None
            _compare(t, raw, arrays, tolerance)
            episode.advance(raw)
            if video is not None:
                frames_out.append(raw.rgbd[..., :3].copy())
    except SimulatorError as error:
        raise RecordingError(f"the simulator failed during the replay: {error}") from None
    finally:
        process.close()
    outcome = "quit" if meta["outcome"] == "quit" else episode.outcome
    if meta["outcome"] != "quit" and not episode.done:
        raise ReplayMismatch(f"the recording ends at tick {len(arrays['actions'])}, before the episode did")
    if outcome != meta["outcome"]:
        raise ReplayMismatch(f"the replay ends in {outcome!r}, the recording says {meta['outcome']!r}")
    if abs(episode.score - float(meta["score"])) > 1e-6:
        raise ReplayMismatch(f"the replay scores {episode.score:.6f}, the recording says {float(meta['score']):.6f}")
    try:
        written = write_video(frames_out, video) if video is not None else None
    except VideoError as error:
        raise RecordingError(str(error)) from None
    return ReplayResult(len(arrays["actions"]), str(meta["outcome"]), float(episode.score), written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="avalon-replay", description="Re-simulate a recorded play and check it.")
    parser.add_argument("run_dir", type=Path, help="a recording: human_data/recordings/<world>/<player>/<run>/")
    parser.add_argument("--video", type=Path, help="also write what the player saw (.gif, or .mp4 with ffmpeg)")
    parser.add_argument("--resolution", type=int, default=128, help="video pixels per side (default 128)")
    parser.add_argument("--tolerance", type=float, default=0.0, help="allowed absolute state difference (default 0)")
    args = parser.parse_args(argv)
    try:
        result = replay(args.run_dir, args.video, args.resolution, args.tolerance, progress=True)
    except RecordingError as error:
        print(f"avalon-replay: FAILED: {error}", file=sys.stderr)
        return 1
    print(f"replay matches the recording: {result.ticks} ticks, outcome {result.outcome}, score {result.score:.4f}")
    if result.video is not None:
        print(f"video: {result.video}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
