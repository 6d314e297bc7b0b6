"""The public Gymnasium environment: one Avalon world at a time, simulated by one Godot process."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple, TypeAlias

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from avalon.constants import DEFAULT_RESOLUTION, Command
from avalon.curriculum import Curriculum
from avalon.episode import Episode, InvalidActionError, action_space, observation_space, prepare_action
from avalon.human.controls import KM_ACTION_SIZE, KeyboardMouseController
from avalon.sim.errors import GodotCrashedError, SimulatorError
from avalon.sim.process import GodotProcess, dead_process_error
from avalon.sim.protocol import RawObservation
from avalon.tasks import MAX_SEED, Task, frame_limit, generate_world, resolve_task
from avalon.tasks.protocols import resolve_tasks
from avalon.world.codec import encode_world
from avalon.world.spec import WorldSpec
from avalon.world.validate import check_world

ACTION_MODES = ("vr", "keyboard_mouse")
TIME_LIMITS = ("evaluation", "training")
DEBUG_FRAME_LIMIT = 3000  # worlds passed in directly whose task is not a benchmark task
CURRICULUM = "curriculum"  # the `difficulty` that draws each world's difficulty from a shared Curriculum
# What an env is made of: one task (Task, name or id), a protocol name, or a list or tuple of tasks.
TaskSpec: TypeAlias = Task | str | int | Sequence[Task | str | int]


def check_difficulty(difficulty: object) -> float:
    if isinstance(difficulty, bool):  # a bool is an int to Python, and True would silently mean 1.0
        raise ValueError(f"difficulty must be a number in [0, 1], got {difficulty!r}")
    if isinstance(difficulty, str):
        raise ValueError(
            f"difficulty must be a number in [0, 1] or {CURRICULUM!r}, got {difficulty!r}"
            if difficulty != CURRICULUM
            else f"difficulty {CURRICULUM!r} needs an env made with difficulty={CURRICULUM!r}"
        )
    try:
        value = float(difficulty)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"difficulty must be a number in [0, 1], got {difficulty!r}") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"difficulty must be in [0, 1], got {difficulty!r}")
    return value


def check_time_limit(time_limit: object) -> str | int:
    """ "evaluation", "training", or a positive number of frames (an int, or its digits as text)."""
    if isinstance(time_limit, str) and time_limit.isdigit():
        time_limit = int(time_limit)
    if isinstance(time_limit, (int, np.integer)) and not isinstance(time_limit, bool) and time_limit > 0:
        return int(time_limit)
    if isinstance(time_limit, str) and time_limit in TIME_LIMITS:
        return time_limit
    raise ValueError(f"time_limit must be one of {TIME_LIMITS} or a positive number of frames, got {time_limit!r}")


def check_options(action_mode: str, time_limit: object, resolution: int, timeout: object = 60.0) -> None:
    if action_mode not in ACTION_MODES:
        raise ValueError(f"action_mode must be one of {ACTION_MODES}, got {action_mode!r}")
    check_time_limit(time_limit)
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or not 8 <= resolution <= 1024:
        raise ValueError(f"resolution must be an int in [8, 1024], got {resolution!r}")
    check_timeout(timeout)


OBSERVATION_MODES = ("dict", "rgbd", "rgb")


def check_observation_mode(mode: object) -> str:
    if mode not in OBSERVATION_MODES:
        raise ValueError(f"observation_mode must be one of {OBSERVATION_MODES}, got {mode!r}")
    return str(mode)


def select_observation(observation: dict[str, np.ndarray], mode: str) -> Any:
    """The observation in `mode`: the dict, or only its image (RGB-D, or RGB) for image-only learners."""
    if mode == "rgbd":
        return observation["rgbd"]
    if mode == "rgb":
        return np.ascontiguousarray(observation["rgbd"][..., :3])
    return observation


def check_render_resolution(resolution: object, render_mode: str | None, headless: bool) -> int:
    """0 (render() gives the observation's RGB), or the pixels of a separate rendering for render()."""
    if resolution is None:
        return 0
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or not 8 <= resolution <= 2048:
        raise ValueError(f"render_resolution must be None or an int in [8, 2048], got {resolution!r}")
    if render_mode != "rgb_array":
        raise ValueError("render_resolution needs render_mode='rgb_array'")
    if headless:
        raise ValueError("render_resolution needs rendering: it cannot be used with headless=True")
    return int(resolution)


def check_timeout(timeout: object) -> float:
    """Seconds to wait for Godot: a positive, finite number."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float, np.integer, np.floating)):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if not math.isfinite(float(timeout)) or float(timeout) <= 0.0:
        raise ValueError(f"timeout must be a positive, finite number of seconds, got {timeout!r}")
    return float(timeout)


def check_reset_seed(seed: object) -> int | None:
    """None, or a world seed in [0, 2**63 - 1]."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be None or an int in [0, 2**63 - 1], got {seed!r}")
    return int(seed)


def mode_action_space(action_mode: str) -> spaces.Box:
    """The action space of an action mode: the agent's 21 values, or the keyboard-and-mouse 11."""
    if action_mode == "keyboard_mouse":
        return spaces.Box(-1.0, 1.0, (KM_ACTION_SIZE,), np.float32)
    return action_space()


def check_km_action(action: object) -> np.ndarray:
    array = np.asarray(action, dtype=np.float32)
    if array.shape != (KM_ACTION_SIZE,) or not np.all(np.isfinite(array)):
        raise InvalidActionError(
            f"a keyboard_mouse action is {KM_ACTION_SIZE} finite floats (avalon.human.controls.KM_ACTION_NAMES), "
            f"got shape {array.shape}"
        )
    return array


class NewWorld(NamedTuple):
    task: str
    difficulty: float
    frame_limit: int
    spec: WorldSpec
    data: bytes  # the encoded world sent to Godot
    on_curriculum: bool  # difficulty drawn from the curriculum: the episode's end updates it


class WorldSource:
    """Turns reset arguments into a `NewWorld`: task, difficulty (fixed or drawn from the curriculum), world.

    `task` is one task, a protocol name ("multi_task_easy", see avalon.tasks.protocols) or a list or tuple of tasks:
    with several, each world's task is drawn uniformly over them by the env's seeded RNG (`draw_task`), unless the
    reset forces one. `difficulty` is a float, or "curriculum" to draw each world's difficulty from `curriculum` (a
    new `Curriculum` when None) for the world's task; None means "curriculum" when a curriculum is given, else 0.0.
    """

    def __init__(
        self,
        task: TaskSpec,
        difficulty: float | str | None,
        time_limit: str | int,
        curriculum: Curriculum | None = None,
    ) -> None:
        self.tasks = resolve_tasks(task)
        if curriculum is not None and not isinstance(curriculum, Curriculum):
            raise TypeError(f"curriculum must be an avalon.curriculum.Curriculum, got {type(curriculum).__name__}")
        if difficulty is None:
            difficulty = CURRICULUM if curriculum is not None else 0.0
        self.curriculum: Curriculum | None = None
        self.difficulty: float | None = None  # the fixed difficulty; None on the curriculum
        if isinstance(difficulty, str) and difficulty == CURRICULUM:
            self.curriculum = curriculum if curriculum is not None else Curriculum()
        elif curriculum is not None:
            raise ValueError(
                f"curriculum= is only used with difficulty={CURRICULUM!r} (or no difficulty), got {difficulty!r}"
            )
        else:
            self.difficulty = check_difficulty(difficulty)
        self.time_limit = check_time_limit(time_limit)

    def frame_limit(self, task: Task | str, difficulty: float) -> int:
        if isinstance(self.time_limit, int):
            return self.time_limit
        return frame_limit(task, difficulty, self.time_limit)

    def draw_task(self, rng: np.random.Generator) -> Task:
        """The task of a new world: uniform over `tasks` with `rng` (no draw, so the stream is unchanged, when there
        is only one)."""
        if len(self.tasks) == 1:
            return self.tasks[0]
        return self.tasks[int(rng.integers(len(self.tasks)))]

    def make(self, seed: int, options: dict[str, Any] | None, rng: np.random.Generator) -> NewWorld:
        """The world of this reset; `rng` (the env's seeded generator) draws the task (when there are several and
        the reset forces none), then the curriculum's difficulty."""
        options = dict(options or {})
        world = options.pop("world", None)
        forced = options.pop("task", None)
        forced_task = resolve_task(forced) if forced is not None else None
        requested = options.pop("difficulty", CURRICULUM if self.difficulty is None else self.difficulty)
        if options:
            raise ValueError(f"unknown reset option(s) {sorted(options)}; known: task, difficulty, world")
        on_curriculum = self.curriculum is not None and isinstance(requested, str) and requested == CURRICULUM
        difficulty = 0.0 if on_curriculum else check_difficulty(requested)
        if world is not None:
            if not isinstance(world, WorldSpec):
                raise TypeError(f"options['world'] must be a WorldSpec, got {type(world).__name__}")
            check_world(world)  # InvalidWorldError (a ValueError) naming the problem, before Godot sees it
            try:
                limit = self.frame_limit(resolve_task(world.task), world.difficulty)
            except ValueError:
                limit = DEBUG_FRAME_LIMIT
            return NewWorld(world.task, world.difficulty, limit, world, encode_world(world), False)
        task = forced_task if forced_task is not None else self.draw_task(rng)
        if on_curriculum:
            assert self.curriculum is not None
            difficulty = self.curriculum.sample(task, rng)
        spec = generate_world(task, seed, difficulty)
        limit = self.frame_limit(task, difficulty)
        return NewWorld(task.name.lower(), difficulty, limit, spec, encode_world(spec), on_curriculum)


class AvalonEnv(gym.Env[dict[str, Any], np.ndarray]):
    """`gymnasium.make("avalon/Eat-v0", difficulty=0.5, resolution=96)`.

    Observation: Dict(rgbd=(R, R, 4) uint8 with depth in the 4th channel, proprio=(51,) float32); with
    `observation_mode="rgbd"` or `"rgb"` only the image, a Box (R, R, 4) or (R, R, 3), which image-only learners
    (SB3's CnnPolicy, RLlib's default models) take as it is.
    Action: Box(-1, 1, (21,)): head, left hand, right hand deltas (each 3-vector projected into the unit ball), then
    left grasp, right grasp, jump (pressed when > 0). `action_mode="keyboard_mouse"`: Box(-1, 1, (11,)), the human
    client's layout (move x/z, look pitch/yaw, then grasp, throw, jump, eat, crouch buttons; see
    avalon.human.controls). Reward: change in hit points minus 1e-4 per step.
    `reset(seed=s, options={"difficulty": d, "task": t})` builds the world of (task, s, d).
    `task` may also be several tasks: a protocol name ("multi_task_easy", avalon.tasks.protocols) or a list or tuple
    of tasks, e.g. `AvalonEnv(task=("eat", "move"))`; each reset then draws its task uniformly over them with the
    env's seeded RNG (the same seed gives the same task), unless `options={"task": t}` forces one; `info["task"]`
    names the episode's task and its time limit is that task's.
    `difficulty="curriculum"` draws each world's difficulty from U(0, current) of an adaptive per-task curriculum
    (`env.curriculum`, see avalon.curriculum) that every ended episode moves up (success) or down (failure); pass
    `curriculum=` to share one Curriculum between envs or to resume a saved one. `info["difficulty"]` is the drawn
    value; `reset(options={"difficulty": d})` forces d for that episode, which then leaves the curriculum unchanged.
    With `debug=True`, `info["debug"]` carries privileged state (positions of the body, hands and entities).
    `render_mode="rgb_array"` makes `render()` return the agent's view: the observation's RGB, or with
    `render_resolution=S` a separate S x S rendering of the same view (for watchable videos, e.g. gymnasium's
    RecordVideo; it costs one more draw per step).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(
        self,
        task: TaskSpec = "eat",
        difficulty: float | str | None = None,
        resolution: int = DEFAULT_RESOLUTION,
        action_mode: str = "vr",
        time_limit: str | int = "evaluation",
        render_mode: str | None = None,
        debug: bool = False,
        headless: bool = False,
        timeout: float = 60.0,
        curriculum: Curriculum | None = None,
        observation_mode: str = "dict",
        render_resolution: int | None = None,
    ) -> None:
        check_options(action_mode, time_limit, resolution, timeout)
        check_observation_mode(observation_mode)
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be None or one of {self.metadata['render_modes']}")
        self.render_resolution = check_render_resolution(render_resolution, render_mode, headless)
        self.observation_mode = observation_mode
        self.worlds = WorldSource(task, difficulty, time_limit, curriculum)
        self.resolution = int(resolution)
        self.render_mode = render_mode
        self.debug = debug
        self.headless = headless
        self.timeout = timeout
        self.observation_space: spaces.Space[Any] = observation_space(self.resolution, observation_mode)
        self.action_mode = action_mode
        self.action_space = mode_action_space(action_mode)
        self._controller = KeyboardMouseController() if action_mode == "keyboard_mouse" else None
        self._last_proprio: np.ndarray | None = None
        self._last_state: np.ndarray | None = None  # for the keyboard-and-mouse mapping (which hands climb)
        self._last_render: np.ndarray | None = None
        self._process: GodotProcess | None = None
        self._episode: Episode | None = None
        self._on_curriculum = False  # the current episode's end updates the curriculum

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        seed = check_reset_seed(seed)
        super().reset(seed=seed)
        world_seed = seed if seed is not None else int(self.np_random.integers(0, 2**31 - 1))
        new = self.worlds.make(world_seed, options, self.np_random)
        raw = self._simulate(Command.RESET, (world_seed, new.data))
        self._episode = Episode(new.task, world_seed, new.difficulty, new.frame_limit, debug=self.debug, world=new.spec)
        self._on_curriculum = new.on_curriculum
        self._last_proprio = raw.proprio
        self._last_state = raw.state
        self._last_render = raw.render
        if self._controller is not None:
            self._controller.reset()
        observation, info = self._episode.start(raw)
        return select_observation(observation, self.observation_mode), info

    def step(self, action: np.ndarray) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
        if self._episode is None or self._episode.done:
            raise RuntimeError("call reset() before step() (the episode has ended or never started)")
        if self._controller is not None:
            assert self._last_proprio is not None
            action = self._controller.action(check_km_action(action), self._last_proprio, self._last_state)
        wire = prepare_action(action)
        raw = self._simulate(Command.ACT, wire)
        self._last_proprio = raw.proprio
        self._last_state = raw.state
        self._last_render = raw.render
        observation, reward, terminated, truncated, info = self._episode.advance(raw)
        if (terminated or truncated) and self._on_curriculum and self.curriculum is not None:
            self.curriculum.update(self._episode.task, info["success"])
        return select_observation(observation, self.observation_mode), reward, terminated, truncated, info

    def render(self) -> Any:  # an np.ndarray, or None (gymnasium types it as its RenderFrame)
        """The agent's view as RGB (`render_resolution` pixels when set, else the observation's), or None before the
        first reset or without `render_mode="rgb_array"`."""
        if self.render_mode != "rgb_array" or self._episode is None or self._episode.last_rgbd is None:
            return None
        if self._last_render is not None:
            return self._last_render.copy()
        return self._episode.last_rgbd[..., :3].copy()

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
            self._process = None

    @property
    def curriculum(self) -> Curriculum | None:
        """The curriculum drawing this env's difficulties (None with a fixed difficulty)."""
        return self.worlds.curriculum

    @property
    def tasks(self) -> tuple[Task, ...]:
        """The tasks this env draws its worlds' tasks from (one for a single-task env)."""
        return self.worlds.tasks

    @property
    def process(self) -> GodotProcess | None:
        """The simulator process (None before the first reset or after a crash)."""
        return self._process

    def _simulate(self, command: Command, data: object) -> RawObservation:
        if self._process is None or not self._process.is_alive:
            died = None
            if self._process is not None:  # it exited (was killed?) since the last step
                died = dead_process_error(self._process)
                self._process.close()
                self._process = None
            if command != Command.RESET:
                self._episode = None
                raise died or GodotCrashedError("the simulator is not running: call reset() to start it")
            self._process = GodotProcess(
                1,
                self.resolution,
                headless=self.headless,
                timeout=self.timeout,
                render_resolution=self.render_resolution,
            )
        try:
            raw = self._process.step([(command, data)])[0]
        except SimulatorError:
            self._process = None  # already closed by the process; the next reset starts a fresh one
            self._episode = None
            raise
        if raw is None:
            raise RuntimeError("simulator returned no observation for an active environment")
        return raw
