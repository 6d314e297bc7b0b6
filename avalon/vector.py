"""`avalon.make_vec(...)`: a Gymnasium VectorEnv over batched Godot processes.

`num_envs` environments are spread over `num_processes` Godot processes, each hosting several envs in one lock-step
loop. A step sends every process its actions first and then collects the replies, so processes simulate in
parallel. Autoreset follows Gymnasium's NEXT_STEP mode: the step after an episode ends resets that env.

With `difficulty="curriculum"`, one `Curriculum` object in this Python process (`env.curriculum`) serves all envs:
the simulator processes only run the worlds they are sent, while the world difficulties are drawn and the
curriculum updated here, in the one thread that steps the vector env. Every episode end (whichever process hosts
the env) updates it with that episode's `info["success"]`, and every (auto)reset draws from it, so progress is shared
by all envs instead of being per worker as in the original.

Made with several tasks (a protocol name such as "multi_task_easy", or a list of tasks), every env draws each new
world's task uniformly over them with its own seeded generator, then the difficulty from that task's curriculum: the
curriculum keeps one value per task, shared by all envs.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from avalon.constants import DEFAULT_RESOLUTION, PROPRIO_SIZE, STATE_SIZE, Command
from avalon.curriculum import Curriculum
from avalon.env import (
    TaskSpec,
    WorldSource,
    check_km_action,
    check_observation_mode,
    check_options,
    check_reset_seed,
    mode_action_space,
    select_observation,
)
from avalon.episode import Episode, observation_space, prepare_action
from avalon.human.controls import KeyboardMouseController
from avalon.sim.errors import GodotCrashedError, SimulatorError
from avalon.sim.process import GodotProcess, dead_process_error
from avalon.sim.protocol import CommandSpec, RawObservation
from avalon.tasks import Task


class AvalonVectorEnv(VectorEnv[dict[str, np.ndarray], np.ndarray, np.ndarray]):
    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(
        self,
        task: TaskSpec = "eat",
        num_envs: int = 2,
        difficulty: float | str | None = None,
        resolution: int = DEFAULT_RESOLUTION,
        num_processes: int | None = None,
        action_mode: str = "vr",
        time_limit: str | int = "evaluation",
        debug: bool = False,
        headless: bool = False,
        timeout: float = 60.0,
        curriculum: Curriculum | None = None,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        observation_mode: str = "dict",
    ) -> None:
        check_options(action_mode, time_limit, resolution, timeout)
        names = {"next_step": AutoresetMode.NEXT_STEP, "same_step": AutoresetMode.SAME_STEP}
        mode = names.get(autoreset_mode, autoreset_mode) if isinstance(autoreset_mode, str) else autoreset_mode
        if mode not in (AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP):
            raise ValueError(f"autoreset_mode must be next_step or same_step, got {autoreset_mode!r}")
        self.metadata = {**self.metadata, "autoreset_mode": mode}
        if num_envs < 1:
            raise ValueError(f"num_envs must be >= 1, got {num_envs}")
        if num_processes is None:
            num_processes = min(num_envs, os.cpu_count() or 1)
        if not 1 <= num_processes <= num_envs:
            raise ValueError(f"num_processes must be in [1, num_envs={num_envs}], got {num_processes}")
        self.worlds = WorldSource(task, difficulty, time_limit, curriculum)
        self.num_envs = num_envs
        self.resolution = int(resolution)
        self.debug = debug
        self.headless = headless
        self.timeout = timeout
        per_process = math.ceil(num_envs / num_processes)
        self._slots = [(p, k) for p in range(num_processes) for k in range(per_process)][:num_envs]
        self._sizes = [sum(1 for p, _ in self._slots if p == q) for q in range(num_processes)]
        self._processes: list[GodotProcess | None] = [None] * num_processes
        self._episodes: list[Episode | None] = [None] * num_envs
        self._needs_reset = np.ones(num_envs, dtype=bool)
        self._on_curriculum = np.zeros(num_envs, dtype=bool)  # which episodes update the curriculum when they end
        self.observation_mode = check_observation_mode(observation_mode)
        self.single_observation_space = observation_space(self.resolution, observation_mode)
        self.action_mode = action_mode
        self.single_action_space = mode_action_space(action_mode)
        self._controllers: list[KeyboardMouseController] | None = None
        if action_mode == "keyboard_mouse":
            self._controllers = [KeyboardMouseController() for _ in range(num_envs)]
        self._proprio = np.zeros((num_envs, PROPRIO_SIZE), dtype=np.float32)  # the last observation's, for them
        self._state = np.zeros((num_envs, STATE_SIZE), dtype=np.float32)  # its state (which hands climb), for them
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        # One generator per env, seeded as gymnasium seeds a single env (reset(seed=s + i) for env i), so this vector
        # env plays the same worlds, autoresets included, as gymnasium's SyncVectorEnv of AvalonEnvs.
        self._rngs = [seeding.np_random()[0] for _ in range(num_envs)]

    # -- Gymnasium API -----------------------------------------------------------------------------------------

    def reset(
        self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        seeds: list[int | None]
        if seed is None:
            seeds = [None] * self.num_envs
        elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            seeds = [check_reset_seed(seed + i) for i in range(self.num_envs)]
        elif isinstance(seed, (list, tuple, np.ndarray)) and len(seed) == self.num_envs:
            seeds = [check_reset_seed(s) for s in seed]
        else:
            raise ValueError(f"seed must be None, an int or {self.num_envs} ints (one per env), got {seed!r}")
        for i, env_seed in enumerate(seeds):
            if env_seed is not None:
                self._rngs[i] = seeding.np_random(env_seed)[0]
        commands = [self._reset_command(i, s, options) for i, s in enumerate(seeds)]
        obs, _, _, _, infos = self._run(commands, resetting=np.ones(self.num_envs, dtype=bool))
        if self._controllers is not None:
            self._proprio = obs["proprio"].copy()
            for controller in self._controllers:
                controller.reset()
        return select_observation(obs, self.observation_mode), infos

    def step(
        self, actions: np.ndarray
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        actions = np.asarray(actions, dtype=np.float32)
        if actions.shape != self.action_space.shape:
            raise ValueError(f"actions must have shape {self.action_space.shape}, got {actions.shape}")
        resetting = self._needs_reset.copy()
        commands: list[CommandSpec] = []
        for i in range(self.num_envs):
            if resetting[i]:
                commands.append(self._reset_command(i, None, None))
                if self._controllers is not None:
                    self._controllers[i].reset()
            elif self._controllers is not None:
                action = self._controllers[i].action(check_km_action(actions[i]), self._proprio[i], self._state[i])
                commands.append((Command.ACT, prepare_action(action)))
            else:
                commands.append((Command.ACT, prepare_action(actions[i])))
        obs, rewards, terminated, truncated, infos = self._run(commands, resetting)
        ended = terminated | truncated
        if self.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP and ended.any():
            obs, infos = self._reset_ended(ended, obs, infos)
        if self._controllers is not None:
            self._proprio = obs["proprio"].copy()
            if self.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP:
                for k in np.flatnonzero(ended):
                    self._controllers[int(k)].reset()
        return select_observation(obs, self.observation_mode), rewards, terminated, truncated, infos

    def _reset_ended(
        self, ended: np.ndarray, obs: dict[str, np.ndarray], infos: dict[str, Any]
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """SAME_STEP autoreset: a second exchange resets the envs that just ended (the others idle, untouched); their
        last observation and info move to `infos["final_obs"]` / `infos["final_info"]`, as Gymnasium specifies."""
        final_obs = select_observation({key: value.copy() for key, value in obs.items()}, self.observation_mode)
        commands: list[CommandSpec] = [
            self._reset_command(i, None, None) if ended[i] else (Command.IDLE, None) for i in range(self.num_envs)
        ]
        raws = self._exchange(commands)
        reset_infos: dict[str, Any] = {}
        for i, raw in enumerate(raws):
            if not ended[i]:
                continue
            episode = self._episodes[i]
            assert episode is not None and raw is not None
            start, info = episode.start(raw)
            obs["rgbd"][i], obs["proprio"][i] = start["rgbd"], start["proprio"]
            reset_infos = self._add_info(reset_infos, info, i)
        self._needs_reset[:] = False
        infos = {**infos, "final_obs": final_obs, "final_info": dict(infos), "_final_obs": ended, "_final_info": ended}
        for key, value in reset_infos.items():
            if not key.startswith("_"):
                infos[key] = np.where(ended, value, infos[key]) if key in infos else value
        return obs, infos

    @property
    def curriculum(self) -> Curriculum | None:
        """The curriculum shared by all envs (None with a fixed difficulty)."""
        return self.worlds.curriculum

    @property
    def tasks(self) -> tuple[Task, ...]:
        """The tasks every env draws its worlds' tasks from (one for a single-task vector env)."""
        return self.worlds.tasks

    def close_extras(self, **kwargs: Any) -> None:
        if not hasattr(self, "_processes"):  # __init__ refused its arguments before starting anything
            return
        for process in self._processes:
            if process is not None:
                process.close()
        self._processes = [None] * len(self._processes)

    # -- internals ---------------------------------------------------------------------------------------------

    def _reset_command(self, i: int, seed: int | None, options: dict[str, Any] | None) -> CommandSpec:
        world_seed = int(seed) if seed is not None else int(self._rngs[i].integers(0, 2**31 - 1))
        new = self.worlds.make(world_seed, options, self._rngs[i])
        self._episodes[i] = Episode(
            new.task, world_seed, new.difficulty, new.frame_limit, debug=self.debug, world=new.spec
        )
        self._on_curriculum[i] = new.on_curriculum
        return (Command.RESET, (world_seed, new.data))

    def _ensure_processes(self) -> None:
        for p, process in enumerate(self._processes):
            if process is None or not process.is_alive:
                if process is not None:
                    process.close()
                self._processes[p] = GodotProcess(
                    self._sizes[p], self.resolution, headless=self.headless, timeout=self.timeout
                )

    def _run(
        self, commands: list[CommandSpec], resetting: np.ndarray
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        if not all(process is not None and process.is_alive for process in self._processes):
            if not resetting.all():
                dead = next((p for p in self._processes if p is not None and not p.is_alive), None)
                error = dead_process_error(dead) if dead is not None else None
                self.close_extras()
                self._needs_reset[:] = True
                raise error or GodotCrashedError("the simulator processes are not running: call reset()")
            self._ensure_processes()
        raws = self._exchange(commands)
        rgbd = np.empty((self.num_envs, self.resolution, self.resolution, 4), dtype=np.uint8)
        proprio = np.empty((self.num_envs, PROPRIO_SIZE), dtype=np.float32)
        rewards = np.zeros(self.num_envs, dtype=np.float64)
        terminated = np.zeros(self.num_envs, dtype=bool)
        truncated = np.zeros(self.num_envs, dtype=bool)
        infos: dict[str, Any] = {}
        for i, raw in enumerate(raws):
            episode = self._episodes[i]
            assert episode is not None and raw is not None
            if resetting[i]:
                obs, info = episode.start(raw)
            else:
                obs, rewards[i], terminated[i], truncated[i], info = episode.advance(raw)
                if (terminated[i] or truncated[i]) and self._on_curriculum[i] and self.curriculum is not None:
                    self.curriculum.update(episode.task, info["success"])
            rgbd[i] = obs["rgbd"]
            proprio[i] = obs["proprio"]
            self._state[i] = raw.state
            infos = self._add_info(infos, info, i)
        self._needs_reset = terminated | truncated
        return {"rgbd": rgbd, "proprio": proprio}, rewards, terminated, truncated, infos

    def _exchange(self, commands: list[CommandSpec]) -> list[RawObservation | None]:
        per_process: list[list[CommandSpec]] = [[] for _ in self._processes]
        for (p, _), command in zip(self._slots, commands, strict=True):
            per_process[p].append(command)
        try:
            for p, process in enumerate(self._processes):
                assert process is not None
                process.step_async(per_process[p])
            replies = [process.step_wait() for process in self._processes if process is not None]
        except SimulatorError:
            self.close_extras()
            self._needs_reset[:] = True
            raise
        out: list[RawObservation | None] = []
        for p, k in self._slots:
            out.append(replies[p][k])
        return out


def make_vec(task: TaskSpec = "eat", num_envs: int = 2, **kwargs: Any) -> AvalonVectorEnv:
    """A vector env of `num_envs` Avalon environments over batched Godot processes, of one task or drawing each
    world's task from several (a protocol name or a list of tasks, as `AvalonEnv`)."""
    return AvalonVectorEnv(task, num_envs, **kwargs)
