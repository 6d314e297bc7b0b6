"""A person's keyboard and mouse (the keyboard-and-mouse action mode, the mapping `avalon-play` uses) can do what the
heavy-object tasks need, in the real engine: push a boulder by walking into it, and carry a log, lay it over a chasm
too wide to jump and walk across on it. (Stacking a stone is driven through the real client in test_human_client.)"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from avalon.env import AvalonEnv
from avalon.human.controls import KM, KM_ACTION_SIZE
from avalon.world.builders import chasm_in_front, flat_world
from avalon.world.spec import Item

pytestmark = pytest.mark.timeout(300)


def km(**pressed: float) -> np.ndarray:
    action = np.zeros(KM_ACTION_SIZE, np.float32)
    for name, value in pressed.items():
        action[KM[name]] = value
    return action


@pytest.fixture(scope="module")
def env() -> Iterator[AvalonEnv]:
    made = AvalonEnv(action_mode="keyboard_mouse", debug=True, headless=True)
    try:
        yield made
    finally:
        made.close()


def play(env: AvalonEnv, world: object, keys: list[tuple[str, np.ndarray, int]]) -> list[dict]:
    """Resets into `world` and presses each (name, km action, ticks); returns each tick's debug info."""
    _, info = env.reset(seed=0, options={"world": world})
    seen = [info["debug"]]
    for _name, action, ticks in keys:
        for _ in range(ticks):
            _, _, terminated, truncated, info = env.step(action)
            seen.append(info["debug"])
            assert not (terminated or truncated)
    return seen


def position(debug: dict, item_id: int) -> np.ndarray:
    (entity,) = [e for e in debug["entities"] if e["id"] == item_id]
    return np.asarray(entity["position"], dtype=np.float64)


def test_walking_into_a_boulder_pushes_it(env: AvalonEnv) -> None:
    boulder = Item.of("boulder", 1, (0.0, 0.7, -1.5), mass=600.0)
    world = flat_world(30, items=[boulder, Item.food("apple", 2, (0.0, 0.5, 5.0))])
    seen = play(env, world, [("W", km(move_z=-1.0), 30)])
    start, end = position(seen[0], 1), position(seen[-1], 1)
    assert start[2] - end[2] > 2.0, f"the boulder moved only {start[2] - end[2]:.2f} m ahead of the body"
    assert abs(end[0] - start[0]) < 0.5 and end[1] == pytest.approx(start[1], abs=0.1)
    assert seen[-1]["body_position"][2] < -2.0, "the body followed it"


def test_a_log_carried_over_a_chasm_is_walked_across(env: AvalonEnv) -> None:
    """The log lies along the way (from 1.3 to 7.7 m ahead); the chasm's rims are 9 and 13 m ahead, 4 m apart (wider
    than the body jumps). Walk to the log, look down at its end and hold the left button, look up (it stays level),
    walk 6.9 m, let go: it falls across both rims; then walk (and jump onto it) to the far side."""
    log = Item.of("log", 1, (0.0, 3.7, -4.5), yaw=90.0)  # the log's axis, its local x, turned onto -z
    world = chasm_in_front(gap=4.0, depth=3.0, near=9.0, size=40, items=[log, Item.food("apple", 2, (0.0, 3.5, -16))])
    seen = play(
        env,
        world,
        [
            ("W", km(move_z=-1.0), 8),  # up to the log's end, which stops the body
            ("look down", km(look_pitch=-1.0), 6),
            ("take it", km(grasp_left=1.0), 4),
            ("look up", km(grasp_left=1.0, look_pitch=1.0), 6),
            ("carry", km(grasp_left=1.0, move_z=-1.0), 23),
            ("let go", km(), 15),
            ("cross", km(move_z=-1.0, jump=1.0), 20),
            ("walk on", km(move_z=-1.0), 4),
            ("stand", km(), 12),
        ],
    )
    held = [d["left_held_id"] for d in seen]
    assert held.count(1) >= 30, "the left hand carried the log"
    released = len(held) - 1 - held[::-1].index(1)
    laid = position(seen[released + 14], 1)
    assert laid[2] + 3.2 > -9.0 and laid[2] - 3.2 < -13.0, f"the log spans both rims: {laid.round(2)}"
    assert laid[1] == pytest.approx(3.7, abs=0.1), "it rests on the rims (its axis 0.7 m above them)"
    body = seen[-1]["body_position"]
    assert body[2] < -13.5 and body[1] - 1.0 == pytest.approx(3.0, abs=0.1), f"across, on the far rim: {body}"
    assert min(d["body_position"][1] for d in seen) > 3.9, "the body never went down into the chasm"
