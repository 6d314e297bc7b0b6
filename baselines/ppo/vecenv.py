"""An SB3 `VecEnv` over `avalon.make_vec`: batched Godot processes, observations preprocessed as in the original,
actions squashed without its clip-before-tanh bug."""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces
from stable_baselines3.common.vec_env.base_vec_env import VecEnv, VecEnvStepReturn

from avalon.constants import PROPRIO_SIZE
from avalon.env import TaskSpec
from avalon.vector import make_vec
from baselines.common import SQUASH_LIMIT, preprocess_proprio, preprocess_rgbd, squash_action


class AvalonSB3VecEnv(VecEnv):
    """Observation: Dict(rgbd=(4, R, R) uint8, proprio=(51,) float32 in [-1, 1]). Action: the policy's raw output in
    [-4, 4] (SB3 clips to the space), turned into the env action by tanh. Episodes auto-reset in the same step; the
    last observation of an ended episode is in `infos[i]["terminal_observation"]`, as SB3 expects, and its task, success
    and score in `infos[i]["episode_task"]`, `["episode_success"]` and `["episode_score"]`."""

    def __init__(self, task: TaskSpec = "eat", num_envs: int = 16, **kwargs: Any) -> None:
        self.venv = make_vec(task, num_envs, autoreset_mode="same_step", **kwargs)
        r = self.venv.resolution
        observation_space = spaces.Dict(
            {
                "rgbd": spaces.Box(0, 255, (4, r, r), np.uint8),
                "proprio": spaces.Box(-1.0, 1.0, (PROPRIO_SIZE,), np.float32),
            }
        )
        action_space = spaces.Box(-SQUASH_LIMIT, SQUASH_LIMIT, self.venv.single_action_space.shape, np.float32)
        self.render_mode = None
        super().__init__(num_envs, observation_space, action_space)
        self._actions: np.ndarray | None = None
        self._seed: int | None = None

    @property
    def curriculum(self) -> Any:
        return self.venv.curriculum

    @staticmethod
    def _convert(obs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"rgbd": preprocess_rgbd(obs["rgbd"]), "proprio": preprocess_proprio(obs["proprio"])}

    def reset(self) -> dict[str, np.ndarray]:
        obs, _ = self.venv.reset(seed=self._seed)
        self._seed = None
        return self._convert(obs)

    def step_async(self, actions: np.ndarray) -> None:
        self._actions = squash_action(np.asarray(actions, dtype=np.float32))

    def step_wait(self) -> VecEnvStepReturn:
        assert self._actions is not None, "step_async first"
        obs, rewards, terminated, truncated, info = self.venv.step(self._actions)
        dones = terminated | truncated
        infos: list[dict[str, Any]] = [{} for _ in range(self.num_envs)]
        final = info.get("final_obs")
        for i in range(self.num_envs):
            if dones[i]:
                assert final is not None
                last = self._convert({k: final[k][i : i + 1] for k in final})
                infos[i]["terminal_observation"] = {key: value[0] for key, value in last.items()}
                infos[i]["TimeLimit.truncated"] = bool(truncated[i] and not terminated[i])
                final_info = info.get("final_info", {})
                infos[i]["episode_success"] = bool(final_info.get("success", np.zeros(self.num_envs))[i])
                infos[i]["episode_score"] = float(final_info.get("score", np.zeros(self.num_envs))[i])
                infos[i]["episode_task"] = str(final_info["task"][i])
        return self._convert(obs), rewards.astype(np.float32), dones, infos

    def close(self) -> None:
        self.venv.close()

    def seed(self, seed: int | None = None) -> list[int | None]:
        self._seed = seed
        return [seed] * self.num_envs

    # SB3 calls these for wrappers; nothing here needs them.
    def get_attr(self, attr_name: str, indices: Any = None) -> list[Any]:
        return [getattr(self, attr_name)] * self.num_envs

    def set_attr(self, attr_name: str, value: Any, indices: Any = None) -> None:
        setattr(self, attr_name, value)

    def env_method(self, method_name: str, *args: Any, indices: Any = None, **kwargs: Any) -> list[Any]:
        raise NotImplementedError(f"AvalonSB3VecEnv has no per-env method {method_name!r}")

    def env_is_wrapped(self, wrapper_class: Any, indices: Any = None) -> list[bool]:
        return [False] * self.num_envs
