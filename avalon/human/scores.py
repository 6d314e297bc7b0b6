"""`avalon-human`: turn recordings into the human reference the scoring module reads (docs/human_play.md).

    avalon-human list                  # every recording: world, player, status, outcome, score
    avalon-human scores [--replay]     # -> human_data/reference/human_scores.json

Each complete play of an evaluation world is scored with the agents' own episode bookkeeping over its recorded
states, and the result must equal the score the client recorded. As in the original, plays the
player gave up (quits) are not averaged in but counted; unfinished plays (killed or crashed clients) are ignored and
counted; practice and custom worlds are not evaluation data; a player counts once per world (their first complete
play). Recordings a test harness made carry a `fixture` label and are refused unless `--include-fixtures`, and then
the provenance says so. `--replay` also re-simulates every counted play and drops (and reports) any that diverge.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from avalon.human.recording import DEFAULT_ROOT, Recording, RecordingError, iter_recordings, now_iso, write_json
from avalon.human.replay import replay, rescore

DEFAULT_OUT = Path("human_data") / "reference" / "human_scores.json"


def score_recording(recording: Recording) -> float:
    """The play's score recomputed from its states; it must agree with what the client recorded."""
    meta = recording.metadata
    arrays = recording.load_arrays()
    episode = rescore(meta, arrays["frames"], arrays["states"], arrays["proprio"])
    if meta["outcome"] != "quit":
        if not episode.done:
            raise RecordingError(f"{recording.directory}: the recorded states end before the episode did")
        if episode.outcome != meta["outcome"]:
            raise RecordingError(f"{recording.directory}: recorded outcome {meta['outcome']!r} does not fit its states")
    if abs(episode.score - float(meta["score"])) > 1e-6:
        raise RecordingError(
            f"{recording.directory}: recorded score {meta['score']} but its states score {episode.score:.6f}"
        )
    return float(episode.score)


def build_reference(
    root: Path, include_fixtures: bool = False, verify_replay: bool = False, progress: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """(the reference file's content, problems found). Problems are plays left out with the reason."""
    counts: Counter[str] = Counter()
    per_world: dict[str, Counter[str]] = defaultdict(Counter)
    problems: list[str] = []
    kept: dict[str, list[tuple[str, Recording, float]]] = defaultdict(list)
    fixtures: set[str] = set()
    recordings = sorted(iter_recordings(root), key=lambda r: (str(r.metadata.get("started_at")), str(r.directory)))
    for recording in tqdm(recordings, desc="replaying", unit="play", disable=not (verify_replay and progress)):
        meta = recording.metadata
        world = str(meta.get("world_id"))
        if not recording.complete:
            counts["unfinished"] += 1
            per_world[world]["unfinished"] += 1
            continue
        if not meta.get("evaluation_world"):
            counts["not_evaluation_world"] += 1
            continue
        if meta.get("fixture"):
            if not include_fixtures:
                counts["fixtures_refused"] += 1
                continue
            fixtures.add(str(meta["fixture"]))
        if meta.get("outcome") == "quit":
            counts["quits"] += 1
            per_world[world]["quits"] += 1
            continue
        try:
            score = score_recording(recording)
            if verify_replay:
                replay(recording.directory)
        except RecordingError as error:
            counts["invalid"] += 1
            problems.append(str(error))
            continue
        if any(player == meta["player"] for player, _, _ in kept[world]):
            counts["repeat_plays"] += 1
            continue
        kept[world].append((str(meta["player"]), recording, score))
        counts["valid"] += 1
        per_world[world]["valid"] += 1
    starts = [str(r.metadata.get("started_at")) for _, plays in kept.items() for _, r, _ in plays]
    provenance: dict[str, Any] = {
        "source": "avalon-human scores" + (" (FIXTURE recordings included: not human data)" if fixtures else ""),
        "collected": f"{min(starts)} .. {max(starts)}" if starts else "no plays",
        "generated_at": now_iso(),
        "recordings": str(root),
        "replay_verified": verify_replay,
        "players": len({player for plays in kept.values() for player, _, _ in plays}),
        "client_versions": sorted({str(r.metadata.get("client_version")) for p in kept.values() for _, r, _ in p}),
        "counts": dict(sorted(counts.items())),
        "per_world": {world: dict(sorted(c.items())) for world, c in sorted(per_world.items())},
    }
    if fixtures:
        provenance["fixtures"] = sorted(fixtures)
    plays = {
        world: [{"player": player, "score": score, "run_id": r.metadata["run_id"]} for player, r, score in entries]
        for world, entries in sorted(kept.items())
    }
    return {"format": 1, "provenance": provenance, "plays": plays}, problems


def list_recordings(root: Path) -> list[str]:
    rows = []
    for r in iter_recordings(root):
        m = r.metadata
        score = f"{m['score']:.4f}" if isinstance(m.get("score"), (int, float)) else "-"
        kind = "fixture" if m.get("fixture") else ("eval" if m.get("evaluation_world") else "practice/custom")
        rows.append(
            f"{m.get('world_id', '?'):24} {m.get('player', '?'):16} {r.status:11} {str(m.get('outcome') or '-'):8} "
            f"{score:>8} {kind:15} {r.directory.name}"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="avalon-human", description="Human recordings -> human reference scores.")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="list recordings")
    listing.add_argument("--recordings", type=Path, default=DEFAULT_ROOT)
    scores = sub.add_parser("scores", help="write the human reference file the scoring report reads")
    scores.add_argument("--recordings", type=Path, default=DEFAULT_ROOT)
    scores.add_argument("--out", type=Path, default=DEFAULT_OUT)
    scores.add_argument("--replay", action="store_true", help="re-simulate every counted play (slow, thorough)")
    scores.add_argument("--include-fixtures", action="store_true", help="count recordings made by test harnesses")
    args = parser.parse_args(argv)
    if not args.recordings.is_dir():
        print(
            f"avalon-human: no recordings directory at {args.recordings} (play with avalon-play first)", file=sys.stderr
        )
        return 2
    if args.command == "list":
        rows = list_recordings(args.recordings)
        print("\n".join(rows) if rows else f"no recordings under {args.recordings}")
        return 0
    reference, problems = build_reference(args.recordings, args.include_fixtures, args.replay, progress=True)
    for problem in problems:
        print(f"left out: {problem}", file=sys.stderr)
    counts = reference["provenance"]["counts"]
    if not reference["plays"]:
        print(f"avalon-human: no valid plays of evaluation worlds under {args.recordings} ({counts}); nothing written")
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_json(args.out, reference)
    valid = sum(len(plays) for plays in reference["plays"].values())
    print(f"wrote {args.out}: {valid} play(s) of {len(reference['plays'])} world(s); counts {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
