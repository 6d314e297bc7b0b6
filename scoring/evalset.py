"""The fixed evaluation set (docs/scoring.md), regenerated from its recipe and checked against a manifest.

Recipe: 50 worlds per task; tasks in the original's evaluation order, each owning a block of 50 consecutive seeds
(eat 0-49, move 50-99, ...). Each block is in the original's order: forced coverage worlds first (EAT:
one per food at d=0.5; FIGHT: one per predator at d=1; HUNT: one per prey at d=1), then 80 % of the remaining worlds
evenly spread over [0, 1] (rounded to 2 decimals), then the other 20 % at d=1 last. World ids are
`task__seed__difficulty`. Splits: `test` (all 1000) and `minival` (one world per task: the non-forced world whose
difficulty is nearest 0.5).

The committed manifest (`scoring/data/manifest.json`) lists every world with the SHA-256 of its encoded WorldSpec.
`avalon-score verify` regenerates the worlds and compares: a generator change that alters a world shows up as a
manifest change in review. Tasks without a generator yet are in the manifest as unavailable (no hash) and join the
set when they land (`avalon-score manifest --write`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from avalon.entities import FOOD_KINDS
from avalon.tasks import generate_world, implemented_tasks
from avalon.world.codec import encode_world

MANIFEST_PATH = Path(__file__).resolve().parent / "data" / "manifest.json"
MANIFEST_FORMAT = 1
WORLDS_PER_TASK = 50
START_SEED = 0
HARD_FRACTION = 0.2  # of the non-forced worlds, at difficulty 1
SPLITS = ("test", "minival")

# The order of the original evaluation set's seed blocks (its export notebook), not the Task enum order.
TASK_ORDER = (
    "eat", "move", "jump", "climb", "descend", "scramble", "stack", "bridge", "push", "throw",
    "hunt", "fight", "avoid", "explore", "open", "carry", "navigate", "find", "survive", "gather",
)  # fmt: skip
PREDATORS = ("bee", "snake", "hawk", "hippo", "alligator", "eagle", "wolf", "jaguar", "bear")
PREY = ("frog", "turtle", "mouse", "rabbit", "pigeon", "squirrel", "crow", "deer")
FORCED: dict[str, tuple[float, tuple[str, ...]]] = {
    "eat": (0.5, FOOD_KINDS),
    "fight": (1.0, PREDATORS),
    "hunt": (1.0, PREY),
}


@dataclass(frozen=True)
class EvalWorld:
    task: str
    seed: int
    difficulty: float
    variant: str | None = None  # the forced food / predator / prey of a coverage world
    minival: bool = False

    @property
    def id(self) -> str:
        return world_id(self.task, self.seed, self.difficulty)

    def generate(self) -> Any:
        return generate_world(self.task, self.seed, self.difficulty, self.variant)


def world_id(task: str, seed: int, difficulty: float) -> str:
    return f"{task}__{seed}__{difficulty:g}"


def task_worlds(task: str, first_seed: int, count: int = WORLDS_PER_TASK) -> list[EvalWorld]:
    """One task's block: forced coverage worlds, then 80 % of the rest evenly over [0, 1], then 20 % at d=1."""
    forced_difficulty, variants = FORCED.get(task, (0.0, ()))
    plan: list[tuple[float, str | None]] = [(forced_difficulty, v) for v in variants]
    remaining = count - len(plan)
    hard = round(HARD_FRACTION * remaining)
    spread = [round(float(d), 2) for d in np.linspace(0.0, 1.0, remaining - hard)]
    plan += [(d, None) for d in spread] + [(1.0, None)] * hard
    nearest = min(range(len(variants), count), key=lambda k: (abs(plan[k][0] - 0.5), k))
    return [
        EvalWorld(task, first_seed + k, difficulty, variant, minival=k == nearest)
        for k, (difficulty, variant) in enumerate(plan)
    ]


def recipe_worlds() -> list[EvalWorld]:
    """All 1000 worlds of the recipe, available or not, in seed order."""
    worlds: list[EvalWorld] = []
    for index, task in enumerate(TASK_ORDER):
        worlds += task_worlds(task, START_SEED + index * WORLDS_PER_TASK)
    return worlds


def available_tasks() -> set[str]:
    return {t.name.lower() for t in implemented_tasks()}


def world_hash(world: EvalWorld) -> str:
    return hashlib.sha256(encode_world(world.generate())).hexdigest()


def build_manifest(progress: bool = False) -> dict[str, Any]:
    """The manifest for the current generators: every recipe world, with a hash where its task is implemented."""
    available = available_tasks()
    worlds = recipe_worlds()
    iterator: Any = worlds
    if progress:
        from tqdm import tqdm

        iterator = tqdm(worlds, desc="generating worlds", unit="world")
    entries = []
    for world in iterator:
        entry: dict[str, Any] = {"id": world.id, **asdict(world)}
        entry["available"] = world.task in available
        entry["sha256"] = world_hash(world) if entry["available"] else None
        entries.append(entry)
    return {
        "format": MANIFEST_FORMAT,
        "recipe": {
            "worlds_per_task": WORLDS_PER_TASK,
            "start_seed": START_SEED,
            "task_order": list(TASK_ORDER),
            "hard_fraction": HARD_FRACTION,
            "forced": {task: {"difficulty": d, "variants": list(v)} for task, (d, v) in FORCED.items()},
        },
        "worlds": entries,
    }


def write_text_atomic(path: Path, text: str) -> None:
    """Write text through a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: Any) -> None:
    """`write_text_atomic` of `data` as indented JSON."""
    write_text_atomic(path, json.dumps(data, indent=1) + "\n")


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"no evaluation manifest at {path}: run `avalon-score manifest --write`") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"{path}: manifest format {manifest.get('format')!r}, expected {MANIFEST_FORMAT}")
    return manifest


def manifest_sha256(path: Path = MANIFEST_PATH) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def split_worlds(split: str, manifest: dict[str, Any] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """(the available manifest entries of a split, in manifest order; the tasks of the split that are unavailable)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
    manifest = manifest if manifest is not None else load_manifest()
    entries = [w for w in manifest["worlds"] if split == "test" or w["minival"]]
    unavailable = sorted({w["task"] for w in entries if not w["available"]}, key=TASK_ORDER.index)
    return [w for w in entries if w["available"]], unavailable


def entry_world(entry: dict[str, Any]) -> EvalWorld:
    return EvalWorld(entry["task"], entry["seed"], entry["difficulty"], entry["variant"], entry["minival"])


def verify(manifest: dict[str, Any] | None = None, progress: bool = False) -> list[str]:
    """Regenerate the set and compare with the manifest; returns the problems (empty when all is well)."""
    manifest = manifest if manifest is not None else load_manifest()
    current = build_manifest(progress=progress)
    problems: list[str] = []
    if manifest["recipe"] != current["recipe"]:
        problems.append("the recipe differs from the manifest's: regenerate it with `avalon-score manifest --write`")
    recorded = {w["id"]: w for w in manifest["worlds"]}
    now = {w["id"]: w for w in current["worlds"]}
    for missing in sorted(set(recorded) ^ set(now)):
        where = "manifest" if missing in recorded else "recipe"
        problems.append(f"{missing}: only in the {where}")
    changed = [i for i in now if i in recorded and recorded[i]["sha256"] != now[i]["sha256"]]
    for i in changed:
        old, new = recorded[i], now[i]
        if old["available"] != new["available"]:
            state = "now has a generator" if new["available"] else "lost its generator"
            problems.append(f"{i}: task {new['task']} {state}")
        else:
            problems.append(f"{i}: encoded world changed (sha256 {old['sha256'][:12]} -> {new['sha256'][:12]})")
    return problems
