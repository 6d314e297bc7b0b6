"""Run an agent on the evaluation worlds: one JSON line per episode, resumable, optionally over worker processes.

A run directory holds `run.json` (what was run) and `episodes.jsonl`. Lines are written in the manifest's world
order, each as soon as it and every world before it are done, so an interrupted run leaves a clean prefix (a torn
last line is dropped on resume) and re-running the same command finishes it: the result has the same lines as an
uninterrupted run, apart from `wall_seconds`. A world is never run twice in one directory.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from avalon.constants import RULES_VERSION
from avalon.video import ffmpeg_binary, write_video
from avalon.world.codec import encode_world
from scoring.agents import agent_factory, episode_seed, make_agent
from scoring.evalset import entry_world, manifest_sha256, split_worlds, write_json_atomic

EPISODES = "episodes.jsonl"
RUN = "run.json"


class ManifestMismatchError(RuntimeError):
    """A world regenerated differently from the manifest's hash: results would not be comparable."""


@dataclass(frozen=True)
class RunConfig:
    agent: str
    split: str
    agent_seed: int = 0
    resolution: int = 96
    headless: bool = False  # no rendering: only for agents that ignore observations (the random baseline)
    videos: int = 0  # keep a video of this many episodes per task (the first worlds of each task in the split)
    video_resolution: int = 256  # pixels per side of those videos (a separate rendering of the agent's view)


# Settings that do not change results: a resumed run may differ in them.
NOT_IDENTITY = ("videos", "video_resolution")


def play(env: Any, agent: Any, entry: dict[str, Any], config: RunConfig) -> dict[str, Any]:
    """One episode of `agent` on the manifest world `entry`."""
    world = entry_world(entry)
    spec = world.generate()
    digest = hashlib.sha256(encode_world(spec)).hexdigest()
    if digest != entry["sha256"]:
        raise ManifestMismatchError(
            f"{world.id} does not match the manifest (the generators changed): run `avalon-score verify`"
        )
    privileged = bool(getattr(agent, "privileged", False))
    agent.reset(episode_seed(config.agent_seed, world.id))
    start = time.perf_counter()
    observation, info = env.reset(seed=world.seed, options={"world": spec})
    video = entry.get("video")
    frames = [env.render()] if video else []
    total, steps = 0.0, 0
    while True:
        action = agent.act(observation, info) if privileged else agent.act(observation)
        observation, reward, terminated, truncated, info = env.step(action)
        total += float(reward)
        steps += 1
        if video:
            frames.append(env.render())
        if terminated or truncated:
            break
    if video:
        write_video(frames, Path(video))
    return {
        "world_id": world.id,
        "task": world.task,
        "difficulty": world.difficulty,
        "seed": world.seed,
        "success": bool(info["success"]),
        "score": round(float(info["score"]), 6),
        "return": round(total, 6),
        "steps": steps,
        "wall_seconds": round(time.perf_counter() - start, 3),
        "agent": config.agent,
    }


class _Worker:
    """An env and an agent, owned by one process."""

    def __init__(self, config: RunConfig) -> None:
        from avalon.env import AvalonEnv

        self.config = config
        self.agent = make_agent(config.agent, config.agent_seed)
        debug = bool(getattr(self.agent, "privileged", False))
        action_mode = getattr(self.agent, "action_mode", "vr")  # agents may act through the keyboard-and-mouse mapping
        video: dict[str, Any] = {}
        if config.videos and not config.headless:
            video = {"render_mode": "rgb_array", "render_resolution": config.video_resolution}
        self.env = AvalonEnv(
            "eat",
            resolution=config.resolution,
            headless=config.headless,
            debug=debug,
            action_mode=action_mode,
            **video,
        )

    def __call__(self, entry: dict[str, Any]) -> dict[str, Any]:
        return play(self.env, self.agent, entry, self.config)

    def close(self) -> None:
        self.env.close()


_worker: _Worker | None = None


def _init_worker(config: RunConfig) -> None:
    global _worker
    _worker = _Worker(config)


def _run_in_worker(entry: dict[str, Any]) -> dict[str, Any]:
    assert _worker is not None
    return _worker(entry)


def episodes(
    config: RunConfig, entries: list[dict[str, Any]], workers: int, ray_address: str | None = None
) -> Iterator[dict[str, Any]]:
    """Results for `entries`, in their order, from `workers` processes (1: this process), or from `workers` Ray
    actors when `ray_address` is given ("local" starts a local cluster)."""
    if ray_address is not None:
        yield from _ray_episodes(config, entries, workers, ray_address)
        return
    if workers <= 1:
        worker = _Worker(config)
        try:
            for entry in entries:
                yield worker(entry)
        finally:
            worker.close()
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(config,)) as pool:
        yield from pool.imap(_run_in_worker, entries, chunksize=1)


def _ray_episodes(
    config: RunConfig, entries: list[dict[str, Any]], workers: int, address: str
) -> Iterator[dict[str, Any]]:
    """Each Ray actor owns one worker (an env with its Godot process, and an agent); results come back in order."""
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        raise ValueError("--ray needs Ray: pip install -e '.[ray]'") from None
    started = not ray.is_initialized()
    if started:
        ray.init(address=None if address == "local" else address, num_cpus=workers if address == "local" else None)
    actor_class = ray.remote(num_cpus=1)(_Worker)
    actors: list[Any] = [actor_class.remote(config) for _ in range(max(1, workers))]
    try:
        pool = ActorPool(actors)
        yield from pool.map(lambda actor, entry: actor.__call__.remote(entry), entries)
    finally:
        for actor in actors:
            actor.close.remote()
            ray.kill(actor)
        if started:
            ray.shutdown()


def read_done(path: Path) -> list[dict[str, Any]]:
    """The complete lines of an episodes file; a torn last line (an interrupted write) is cut off the file."""
    if not path.exists():
        return []
    data = path.read_bytes()
    keep = data[: data.rfind(b"\n") + 1]
    if len(keep) != len(data):
        path.write_bytes(keep)
    return [json.loads(line) for line in keep.decode().splitlines() if line.strip()]


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_commit() -> str | None:
    """The git commit of this source tree ("+dirty" when it has uncommitted changes), or None outside a checkout."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def provenance(config: RunConfig) -> dict[str, Any]:
    """What makes results comparable, recorded in run.json: package version, source commit, Godot version and the
    agent's checkpoint hash (agents that load one expose its path as `checkpoint`). A resume must match all four."""
    from avalon import __version__
    from avalon.sim.engine import check_installation

    probe = make_agent(config.agent, config.agent_seed)
    checkpoint = getattr(probe, "checkpoint", None)
    return {
        "package_version": __version__,
        "commit": source_commit(),
        "godot_version": check_installation(config.headless),  # also the project and a display
        "checkpoint_sha256": _file_sha256(checkpoint) if checkpoint else None,
    }


def evaluate(
    config: RunConfig,
    out_dir: Path,
    workers: int = 1,
    progress: bool = True,
    only: set[str] | None = None,
    ray_address: str | None = None,
) -> Path:
    """Run (or finish) `config` into `out_dir`; returns the episodes file. `only`: a subset of the split's world ids
    (for quick checks; it is recorded in run.json)."""
    agent_factory(config.agent)  # a bad agent spec fails here, before anything is written
    entries, unavailable = split_worlds(config.split)
    if only is not None:
        unknown = only - {e["id"] for e in entries}
        if unknown:
            raise ValueError(f"not in the {config.split} split (or unavailable): {', '.join(sorted(unknown))}")
        entries = [e for e in entries if e["id"] in only]
    if config.videos < 0:
        raise ValueError(f"videos must be >= 0 episodes per task, got {config.videos}")
    if config.videos and config.headless:
        raise ValueError("videos need rendering: drop --headless")
    meta = {
        **asdict(config),
        "manifest_sha256": manifest_sha256(),
        "rules_version": RULES_VERSION,
        **provenance(config),
        "unavailable_tasks": unavailable,
    }
    if only is not None:
        meta["only"] = sorted(only)
    out_dir.mkdir(parents=True, exist_ok=True)  # only now: a bad agent, split or missing Godot wrote nothing
    run_path = out_dir / RUN
    if run_path.exists():
        previous = json.loads(run_path.read_text())
        differs = {k: (previous.get(k), v) for k, v in meta.items() if previous.get(k) != v and k not in NOT_IDENTITY}
        if differs:
            raise ValueError(
                f"{out_dir} holds a different run ({', '.join(f'{k}: {a!r} != {b!r}' for k, (a, b) in differs.items())}"
                "): resuming would mix the two, so use another --out"
            )
    write_json_atomic(run_path, meta)
    path = out_dir / EPISODES
    done = {record["world_id"] for record in read_done(path)}
    todo = [e for e in entries if e["id"] not in done]
    if config.videos:
        extension = ".mp4" if ffmpeg_binary() is not None else ".gif"
        per_task: dict[str, int] = {}
        for entry in entries:
            per_task[entry["task"]] = per_task.get(entry["task"], 0) + 1
            if per_task[entry["task"]] <= config.videos and entry["id"] not in done:
                entry["video"] = str(out_dir / "videos" / f"{entry['id']}{extension}")
    bar: Any = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(
            total=len(entries), initial=len(entries) - len(todo), unit="world", desc=f"{config.agent} on {config.split}"
        )
    steps, start = 0, time.perf_counter()
    with path.open("a") as out:
        for record in episodes(config, todo, workers, ray_address):
            if record["world_id"] in done:
                raise RuntimeError(f"{record['world_id']} ran twice")
            done.add(record["world_id"])
            out.write(json.dumps(record) + "\n")
            out.flush()
            steps += record["steps"]
            if bar is not None:
                bar.set_postfix(steps_per_s=f"{steps / (time.perf_counter() - start):.0f}")
                bar.update()
    if bar is not None:
        bar.close()
    return path
