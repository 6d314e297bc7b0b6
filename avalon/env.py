"""The public Gymnasium environment: one Avalon world at a time, simulated by one Godot process."""

from __future__ import annotations

import math
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from avalon.constants import DEFAULT_RESOLUTION, Command
from avalon.episode import Episode, action_space, observation_space, prepare_action
from avalon.sim.errors import SimulatorError
from avalon.sim.process import GodotProcess
from avalon.sim.protocol import RawObservation
from avalon.tasks import Task, frame_limit, generate_world, resolve_task
from avalon.world.codec import encode_world
from avalon.world.spec import WorldSpec

ACTION_MODES = ("vr", "keyboard_mouse")
TIME_LIMITS = ("evaluation", "training")
DEBUG_FRAME_LIMIT = 3000  # worlds passed in directly whose task is not a benchmark task


def check_difficulty(difficulty: object) -> float:
    if isinstance(difficulty, str):
        raise ValueError(
            f"difficulty must be a number in [0, 1], got {difficulty!r}"
            + (" (the curriculum is not available yet)" if difficulty == "curriculum" else "")
        )
    try:
        value = float(difficulty)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"difficulty must be a number in [0, 1], got {difficulty!r}") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"difficulty must be in [0, 1], got {difficulty!r}")
    return value


def check_options(action_mode: str, time_limit: str, resolution: int) -> None:
    if action_mode not in ACTION_MODES:
        raise ValueError(f"action_mode must be one of {ACTION_MODES}, got {action_mode!r}")
    if action_mode == "keyboard_mouse":
        raise NotImplementedError("action_mode='keyboard_mouse' arrives with the human client; use 'vr'")
    if time_limit not in TIME_LIMITS:
        raise ValueError(f"time_limit must be one of {TIME_LIMITS}, got {time_limit!r}")
    if not isinstance(resolution, (int, np.integer)) or not 8 <= int(resolution) <= 1024:
        raise ValueError(f"resolution must be an int in [8, 1024], got {resolution!r}")


class WorldSource:
    """Turns reset arguments into (task, seed, difficulty, frame limit, encoded world)."""

    def __init__(self, task: str | Task, difficulty: float, time_limit: str) -> None:
        self.task = resolve_task(task)
        self.difficulty = check_difficulty(difficulty)
        self.time_limit = time_limit

    def make(self, seed: int, options: dict[str, Any] | None) -> tuple[str, float, int, WorldSpec, bytes]:
        options = dict(options or {})
        world = options.pop("world", None)
        task = resolve_task(options.pop("task", self.task))
        difficulty = check_difficulty(options.pop("difficulty", self.difficulty))
        if options:
            raise ValueError(f"unknown reset option(s) {sorted(options)}; known: task, difficulty, world")
        if world is not None:
            if not isinstance(world, WorldSpec):
                raise TypeError(f"options['world'] must be a WorldSpec, got {type(world).__name__}")
            try:
                limit = frame_limit(resolve_task(world.task), world.difficulty, self.time_limit)
            except ValueError:
                limit = DEBUG_FRAME_LIMIT
            return world.task, world.difficulty, limit, world, encode_world(world)
        spec = generate_world(task, seed, difficulty)
        limit = frame_limit(task, difficulty, self.time_limit)
        return task.name.lower(), difficulty, limit, spec, encode_world(spec)


class AvalonEnv(gym.Env[dict[str, Any], np.ndarray]):
    """`gymnasium.make("avalon/Eat-v0", difficulty=0.5, resolution=96)`.

    Observation: Dict(rgbd=(R, R, 4) uint8 with depth in the 4th channel, proprio=(51,) float32).
    Action: Box(-1, 1, (21,)): head, left hand, right hand deltas (each 3-vector projected into the unit ball), then
    left grasp, right grasp, jump (pressed when > 0). Reward: change in hit points minus 1e-4 per step.
    `reset(seed=s, options={"difficulty": d, "task": t})` builds the world of (task, s, d).
    With `debug=True`, `info["debug"]` carries privileged state (positions of the body, hands and entities).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(
        self,
        task: str | Task = "eat",
        difficulty: float = 0.0,
        resolution: int = DEFAULT_RESOLUTION,
        action_mode: str = "vr",
        time_limit: str = "evaluation",
        render_mode: str | None = None,
        debug: bool = False,
        headless: bool = False,
        timeout: float = 60.0,
    ) -> None:
        check_options(action_mode, time_limit, resolution)
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be None or one of {self.metadata['render_modes']}")
        self.worlds = WorldSource(task, difficulty, time_limit)
        self.resolution = int(resolution)
        self.render_mode = render_mode
        self.debug = debug
        self.headless = headless
        self.timeout = timeout
        self.observation_space: spaces.Dict = observation_space(self.resolution)
        self.action_space = action_space()
        self._process: GodotProcess | None = None
        self._episode: Episode | None = None

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        super().reset(seed=seed)
        world_seed = int(seed) if seed is not None else int(self.np_random.integers(0, 2**31 - 1))
        task, difficulty, limit, spec, world = self.worlds.make(world_seed, options)
        raw = self._simulate(Command.RESET, (world_seed, world))
        self._episode = Episode(task, world_seed, difficulty, limit, debug=self.debug, world=spec)
        return self._episode.start(raw)

    def step(self, action: np.ndarray) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
        if self._episode is None or self._episode.done:
            raise RuntimeError("call reset() before step() (the episode has ended or never started)")
        wire = prepare_action(action)
        return self._episode.advance(self._simulate(Command.ACT, wire))

    def render(self) -> np.ndarray | None:
        if self.render_mode != "rgb_array" or self._episode is None or self._episode.last_rgbd is None:
            return None
        return self._episode.last_rgbd[..., :3].copy()

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
            self._process = None

    @property
    def process(self) -> GodotProcess | None:
        """The simulator process (None before the first reset or after a crash)."""
        return self._process

    def _simulate(self, command: Command, data: object) -> RawObservation:
        if self._process is None or not self._process.is_alive:
            if self._process is not None:
                self._process.close()
            if command != Command.RESET:
                raise RuntimeError("the simulator is not running: call reset()")
            self._process = GodotProcess(1, self.resolution, headless=self.headless, timeout=self.timeout)
        try:
            raw = self._process.step([(command, data)])[0]
        except SimulatorError:
            self._process = None  # already closed by the process; the next reset starts a fresh one
            self._episode = None
            raise
        if raw is None:
            raise RuntimeError("simulator returned no observation for an active environment")
        return raw
