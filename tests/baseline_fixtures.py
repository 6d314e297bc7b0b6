"""Random-baseline files that tests write (fixtures, not measurements): format 2, with each task's current manifest
hash in the provenance, as `avalon-score baseline random` records it."""

from __future__ import annotations

from typing import Any

from scoring.evalset import task_manifest_sha256


def random_baseline(scores: dict[str, list[float]], **provenance: Any) -> dict[str, Any]:
    tasks = sorted({world_id.split("__")[0] for world_id in scores})
    return {
        "format": 2,
        "provenance": {
            "policy": "fixture",
            **provenance,
            "tasks": {t: {"manifest_sha256": task_manifest_sha256(t)} for t in tasks},
        },
        "scores": scores,
    }
