"""The oracle's throwing skill in the real engine: its flight model matches a released rock's path, and its throws
reach a target at several distances."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from avalon.env import AvalonEnv
from avalon.oracle.skills import RIGHT_GRASP, RIGHT_HAND, Motor, entity, head_basis
from avalon.oracle.throwing import Throw, aim, trajectory
from avalon.world.builders import flat_world
from avalon.world.spec import Item, WorldSpec

pytestmark = pytest.mark.godot

ROCK, APPLE, TARGET = 1, 2, 3


def _world(target: tuple[float, float, float]) -> WorldSpec:
    items = [
        Item.rock(ROCK, (0.45, 0.25, -0.7), size=0.5),
        Item.food("apple", APPLE, (20.0, 0.5, 20.0)),  # far away: the episode goes on
        Item.block(TARGET, target, (0.5, 0.5, 0.5)),
    ]
    return flat_world(60, items=items)


def _pick_up_rock(env: AvalonEnv, info: dict[str, Any]) -> dict[str, Any]:
    """Crouch, grab the rock at the right foot, stand up with it, the hand back beside the head."""
    action = np.zeros(21, np.float32)
    for _ in range(30):
        debug = info["debug"]
        if debug["right_held_id"] == ROCK:
            break
        rock = entity(debug, ROCK)
        assert rock is not None
        goal = np.asarray(rock["position"]) + [0.0, 0.2, 0.0]
        hand = np.asarray(debug["right_hand_position"])
        action[:] = 0.0
        action[1] = -1.0 if debug["head_position"][1] > 0.9 else 0.0
        local = head_basis(debug["head_yaw"], debug["head_pitch"]).T @ (goal - hand)
        action[RIGHT_HAND] = local / max(1.0, float(np.linalg.norm(local)))
        action[RIGHT_GRASP] = 1.0 if float(np.linalg.norm(goal - hand)) < 0.2 else 0.0
        info = env.step(action)[-1]
    assert info["debug"]["right_held_id"] == ROCK, "could not pick the rock up"
    for _ in range(20):
        debug = info["debug"]
        action[:] = 0.0
        action[1], action[RIGHT_GRASP] = 1.0, 1.0
        goal = np.asarray(debug["head_position"]) + [0.3, -0.1, 0.4]
        local = head_basis(debug["head_yaw"], debug["head_pitch"]).T @ (goal - np.asarray(debug["right_hand_position"]))
        action[RIGHT_HAND] = local / max(1.0, float(np.linalg.norm(local)))
        info = env.step(action)[-1]
    return info


def _rock_path(env: AvalonEnv, info: dict[str, Any], steps: int) -> np.ndarray:
    path = []
    for _ in range(steps):
        rock = entity(info["debug"], ROCK)
        assert rock is not None
        path.append(np.asarray(rock["position"], dtype=np.float64))
        info = env.step(np.zeros(21, np.float32))[-1]
    return np.array(path)


def test_flight_model_matches_a_released_rock() -> None:
    with AvalonEnv(debug=True, headless=True) as env:
        _, info = env.reset(seed=0, options={"world": _world((25.0, 0.25, 25.0))})
        info = _pick_up_rock(env, info)
        debug = info["debug"]
        swing = np.array([0.0, 0.45, -0.8])  # m this step: released at (0, 4.5, -8) m/s
        action = np.zeros(21, np.float32)
        action[RIGHT_HAND] = head_basis(debug["head_yaw"], debug["head_pitch"]).T @ swing
        rock = entity(debug, ROCK)
        assert rock is not None
        start = np.asarray(rock["position"], dtype=np.float64)
        info = env.step(action)[-1]
        path = np.vstack([start, _rock_path(env, info, 9)])
    model = trajectory(start, swing * 10.0, 9)
    error = np.abs(path - model).max()
    assert error < 0.01, f"the model is {error:.3f} m off the engine's flight:\n{np.round(path - model, 3)}"


@pytest.mark.parametrize("distance", [4.0, 7.0, 10.0])
def test_throw_reaches_a_target(distance: float) -> None:
    target = np.array([1.0, 0.25, -distance])
    assert aim(np.array([0.3, 1.7, 0.0]), target).miss < 0.1, "within range by the model"
    with AvalonEnv(debug=True, headless=True) as env:
        _, info = env.reset(seed=0, options={"world": _world(tuple(target))})
        info = _pick_up_rock(env, info)
        throw = Throw(Motor(None), TARGET)
        for _ in range(60):
            action = np.zeros(21, np.float32)
            going = throw.act(action, info["debug"])
            info = env.step(action)[-1]
            if not going:
                break
        assert throw.thrown, "never threw"
        path = _rock_path(env, info, 25)
    closest = float(np.linalg.norm(path - target, axis=1).min())
    # Two 0.5 m cubes touch when their centres are 0.5 m apart face to face.
    assert closest < 0.45, f"the rock passed {closest:.2f} m from the target's centre"
