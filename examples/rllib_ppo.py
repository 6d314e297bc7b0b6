"""RLlib's PPO on an Avalon task, with env runners on a Ray cluster (a local one by default).

    pip install "avalon-bench[rllib]"            # or, in a checkout: pip install -e ".[rllib]"
    python examples/rllib_ppo.py --iterations 2  # a local Ray cluster, one env runner with 2 envs in one Godot
    python examples/rllib_ppo.py --address auto --env-runners 8 --iterations 1000   # an existing cluster

What makes it work unmodified:
- the env id is given as "avalon:avalon/Eat-v0", so each Ray worker imports `avalon` (which registers the ids);
- `gym_env_vectorize_mode="vector_entry_point"` gives each env runner Avalon's batched vector env (all its envs in
  one Godot process) instead of one process per env;
- `observation_mode="rgb"` makes the observation a plain image, which RLlib's default CNN encoder takes (its
  built-in filters cover 96, 84, 64 and 42 pixels square) once a connector scales the uint8 pixels to floats;
  "rgbd" adds depth as a fourth channel.
Every Godot process belongs to an env runner and ends with it (`algo.stop()`, or the runner's death).
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def scale_images():  # type: ignore[no-untyped-def]
    """An env-to-module connector: uint8 pixels -> float32 in [0, 1] (RLlib's CNN encoder takes floats)."""
    import gymnasium as gym
    import numpy as np
    from ray.rllib.connectors.env_to_module.observation_preprocessor import SingleAgentObservationPreprocessor

    class ScaleImages(SingleAgentObservationPreprocessor):
        def recompute_output_observation_space(self, input_observation_space, input_action_space):  # type: ignore[no-untyped-def]
            return gym.spaces.Box(0.0, 1.0, input_observation_space.shape, np.float32)

        def preprocess(self, observation, episode):  # type: ignore[no-untyped-def]
            return observation.astype(np.float32) / 255.0

    return ScaleImages()


def build(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from ray.rllib.algorithms.ppo import PPOConfig

    config = (
        PPOConfig()
        .environment(
            f"avalon:avalon/{args.task.capitalize()}-v0",
            env_config={
                "difficulty": args.difficulty,
                "observation_mode": "rgb",
                "resolution": args.resolution,
                "time_limit": args.time_limit,
                "num_processes": 1,  # each env runner: all its envs in one Godot process
            },
        )
        .env_runners(
            num_env_runners=args.env_runners,
            num_envs_per_env_runner=args.envs_per_runner,
            gym_env_vectorize_mode="vector_entry_point",
            rollout_fragment_length="auto",
            env_to_module_connector=lambda env, spaces=None, device=None: scale_images(),
        )
        .fault_tolerance(restart_failed_env_runners=False)  # an env error ends the run instead of 0-step iterations
        .learners(num_learners=0)  # the driver learns; add GPU learners on a real cluster
        .training(
            train_batch_size_per_learner=args.batch_size,
            minibatch_size=args.minibatch_size,
            num_epochs=args.epochs,
            lr=args.learning_rate,
        )
        .debugging(seed=args.seed)
    )
    return config.build_algo()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", default="eat", help="an implemented task: eat or move (default: eat)")
    parser.add_argument("--difficulty", type=float, default=0.0, help="world difficulty in [0, 1] (default: 0)")
    parser.add_argument("--resolution", type=int, default=64, choices=(42, 64, 84, 96), help="pixels (default: 64)")
    parser.add_argument("--time-limit", default="training", help="evaluation, training or frames (default: training)")
    parser.add_argument("--iterations", type=int, default=2, help="training iterations (default: 2)")
    parser.add_argument("--env-runners", type=int, default=1, help="Ray env-runner actors (default: 1)")
    parser.add_argument("--envs-per-runner", type=int, default=2, help="envs per runner, one Godot (default: 2)")
    parser.add_argument("--batch-size", type=int, default=256, help="env steps per iteration (default: 256)")
    parser.add_argument("--minibatch-size", type=int, default=64, help="(default: 64)")
    parser.add_argument("--epochs", type=int, default=1, help="passes over each batch (default: 1)")
    parser.add_argument("--learning-rate", type=float, default=3e-4, help="(default: 3e-4)")
    parser.add_argument("--seed", type=int, default=0, help="(default: 0)")
    parser.add_argument("--address", default=None, help="a Ray cluster address; default: start a local cluster")
    parser.add_argument("--num-cpus", type=int, default=None, help="CPUs of the local cluster (default: all)")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.env_runners < 0 or args.envs_per_runner < 1:
        parser.error("--iterations and --envs-per-runner must be >= 1, --env-runners >= 0")

    import ray

    ray.init(address=args.address, num_cpus=args.num_cpus if args.address is None else None)
    algo = None
    try:
        algo = build(args)
        print(json.dumps({"remote_env_runners": algo.env_runner_group.num_healthy_remote_env_runners()}), flush=True)
        for iteration in range(1, args.iterations + 1):
            start = time.perf_counter()
            result = algo.train()
            runners = result.get("env_runners", {})
            line = {
                "iteration": iteration,
                "env_steps": result.get(
                    "num_env_steps_sampled_lifetime", runners.get("num_env_steps_sampled_lifetime")
                ),
                "episode_return_mean": runners.get("episode_return_mean"),
                "seconds": round(time.perf_counter() - start, 1),
            }
            print(json.dumps(line), flush=True)
    finally:
        if algo is not None:
            algo.stop()
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
