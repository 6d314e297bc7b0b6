"""The fixed evaluation set (docs/scoring.md), regenerated from its recipe and checked against a manifest.

Recipe: 50 worlds per task; tasks in the original's evaluation order, each owning a block of 50 consecutive seeds
(eat 0-49, move 50-99, ...). Each block is in the original's order: forced coverage worlds first (EAT:
one per food at d=0.5; FIGHT: one per predator at d=1; HUNT: one per prey at d=1), then 80 % of the remaining worlds
evenly spread over [0, 1] (rounded to 2 decimals), then the other 20 % at d=1 last. World ids are
`task__seed__difficulty`. Splits: `test` (all 1000) and `minival` (one world per task: the non-forced world whose
difficulty is nearest 0.5).

The committed manifest is one file per task (`scoring/data/manifest/<task>.json`: every world of the task's block
with the SHA-256 of its encoded WorldSpec) plus `recipe.json` (the recipe above). `avalon-score verify` regenerates
the worlds and compares: a generator change that alters a world shows up in review as a change of that task's file
only. Tasks without a generator yet have no file; their worlds are unavailable and join the set when they land
(`avalon-score manifest --write`). `load_manifest` returns the whole set as one object.
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
from avalon.tasks import TASKS, generate_world, generator_version, implemented_tasks
from avalon.world.codec import encode_world

MANIFEST_DIR = Path(__file__).resolve().parent / "data" / "manifest"
RECIPE_FILE = "recipe.json"
MANIFEST_FORMAT = 2  # 2: one file per task
WORLDS_PER_TASK = 50
START_SEED = 0
HARD_FRACTION = 0.2  # of the non-forced worlds, at difficulty 1
SPLITS = ("test", "minival")

# The order of the original evaluation set's seed blocks (its export notebook), not the Task enum order.
TASK_ORDER: tuple[str, ...] = tuple(t.name.lower() for t in sorted(TASKS, key=lambda t: TASKS[t].evaluation_block))
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


def recipe() -> dict[str, Any]:
    return {
        "worlds_per_task": WORLDS_PER_TASK,
        "start_seed": START_SEED,
        "task_order": list(TASK_ORDER),
        "hard_fraction": HARD_FRACTION,
        "forced": {task: {"difficulty": d, "variants": list(v)} for task, (d, v) in FORCED.items()},
    }


def build_manifest(progress: bool = False, tasks: Any = None) -> dict[str, Any]:
    """The manifest for the current generators: every recipe world, with a hash where its task is implemented.
    `tasks`: hash only these (the others' entries are left unavailable), e.g. for one task's file."""
    available = available_tasks() if tasks is None else available_tasks() & set(tasks)
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
    return {"format": MANIFEST_FORMAT, "recipe": recipe(), "worlds": entries}


def manifest_files(manifest: dict[str, Any]) -> dict[str, Any]:
    """The committed files of a manifest: file name -> content (recipe.json, then one file per available task)."""
    files: dict[str, Any] = {RECIPE_FILE: {"format": manifest["format"], "recipe": manifest["recipe"]}}
    for task in TASK_ORDER:
        worlds = [w for w in manifest["worlds"] if w["task"] == task]
        if worlds and all(w["available"] for w in worlds):
            files[f"{task}.json"] = {
                "format": manifest["format"],
                "task": task,
                "generator_version": generator_version(task),
                "worlds": [{k: v for k, v in w.items() if k != "available"} for w in worlds],
            }
    return files


def write_manifest(manifest: dict[str, Any], directory: Path | None = None) -> list[Path]:
    """Writes the manifest's files (each atomically) and removes task files the manifest no longer has."""
    directory = MANIFEST_DIR if directory is None else directory
    files = manifest_files(manifest)
    written = []
    for name, content in files.items():
        write_json_atomic(directory / name, content)
        written.append(directory / name)
    for stale in sorted(directory.glob("*.json")):
        if stale.name not in files:
            stale.unlink()
    return written


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


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"no evaluation manifest file {path}: run `avalon-score manifest --write`") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    if data.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"{path}: manifest format {data.get('format')!r}, expected {MANIFEST_FORMAT}")
    return data


def load_manifest(directory: Path | None = None) -> dict[str, Any]:
    """The whole evaluation set from the committed files: every recipe world in seed order, with `available` and
    `sha256` from its task's file (unavailable, no hash, when the task has none)."""
    directory = MANIFEST_DIR if directory is None else directory
    head = _read_json(directory / RECIPE_FILE)
    recorded: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name == RECIPE_FILE:
            continue
        data = _read_json(path)
        if data.get("task") != path.stem:
            raise ValueError(f"{path}: names task {data.get('task')!r}, expected {path.stem!r}")
        for world in data["worlds"]:
            recorded[world["id"]] = world
    worlds = []
    for world in recipe_worlds():
        entry = recorded.get(world.id)
        if entry is None:
            worlds.append({"id": world.id, **asdict(world), "available": False, "sha256": None})
        else:
            worlds.append({**entry, "available": True})
    return {"format": head["format"], "recipe": head["recipe"], "worlds": worlds}


def manifest_sha256(directory: Path | None = None) -> str:
    """One hash of the whole committed manifest (recipe and every task file, by name): a run's identity."""
    directory = MANIFEST_DIR if directory is None else directory
    digest = hashlib.sha256()
    for name in [RECIPE_FILE, *(f"{task}.json" for task in TASK_ORDER)]:
        path = directory / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def task_manifest_sha256(task: str, directory: Path | None = None) -> str | None:
    """The hash of one task's manifest file (None when the task has none): what its random baseline was made on."""
    path = (MANIFEST_DIR if directory is None else directory) / f"{task}.json"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


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
