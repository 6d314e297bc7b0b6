"""The oracle's door skill (avalon/oracle/doors.py): its mirrored geometry matches where the engine puts the locks,
it gives up with a reason instead of looping, and in the real engine it works a representative set of doors and
locks (tests/door_worlds.py), walks through and the food plan then eats the apple beyond the wall.
`PYTHONPATH=. python -m tests.door_worlds` plays every combination."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, DoorMechanics, Latching
from avalon.env import AvalonEnv
from avalon.oracle.door_geometry import DoorFrame, DoorGeometry, LockGeometry
from avalon.oracle.doors import DoorSkill, Stage
from avalon.oracle.skills import Motor
from avalon.world.builders import flat_world
from avalon.world.spec import Item
from tests.door_worlds import AUTO, ONCE, DoorCase, play

# One of each kind of door, hinge side, mechanics and lock, and the reference's lock sets (all of them: ALL_CASES).
CASES = (
    DoorCase("push"),
    DoorCase("pull", AUTO, True, locks=("rotating", "button")),  # the bar needs 75 degrees on a pull door
    DoorCase("both", AUTO, True, locks=("rotating", "button"), yaw=90.0, x=1.0),
    DoorCase("sliding", ONCE, True, locks=("bottom",)),
    DoorCase("sliding", AUTO, locks=("top",), yaw=180.0),
    DoorCase("push", AUTO, locks=("rotating", "bottom", "button")),
    DoorCase("push", ONCE, True, locks=("bottom", "top"), spawn=(2.0, 1.0, 90.0)),
    DoorCase("pull", ONCE, locks=("rotating",), yaw=-135.0),
)


@pytest.fixture(scope="module")
def env() -> Iterator[AvalonEnv]:
    with AvalonEnv(debug=True, headless=True) as env:
        yield env


@pytest.mark.godot
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_skill_opens_the_door_walks_through_and_the_apple_is_eaten(env: AvalonEnv, case: DoorCase) -> None:
    outcome = play(env, case)
    assert outcome.skill.succeeded, outcome.describe()
    assert outcome.door_open, outcome.describe()
    assert outcome.far_side, outcome.describe()
    assert outcome.ate, outcome.describe()


@pytest.mark.godot
def test_the_mirrored_geometry_is_where_the_engine_puts_the_locks(env: AvalonEnv) -> None:
    push = Item.hinge_door(10, (-3.0, 0.0, 2.0), 30.0, mechanics=DoorMechanics.PUSH, latching=Latching.ONCE)
    pull = Item.hinge_door(20, (3.0, 0.0, -2.0), -100.0, mechanics=DoorMechanics.PULL, hinge_right=True, latching=AUTO)
    sliding = Item.sliding_door(30, (0.0, 0.0, 4.0), 180.0, slide_right=False, latching=ONCE)
    locks = [
        Item.lock("button_lock", 11, push),
        Item.lock("rotating_bar_lock", 12, push),
        Item.lock("sliding_bar_lock", 13, push, top=True),
        Item.lock("sliding_bar_lock", 14, push, top=False),
        Item.lock("button_lock", 21, pull),
        Item.lock("rotating_bar_lock", 22, pull),
        Item.lock("rotating_bar_lock", 31, sliding),
        Item.lock("sliding_bar_lock", 32, sliding, top=True),
        Item.lock("sliding_bar_lock", 33, sliding, top=False),
    ]
    world = flat_world(20, items=(push, pull, sliding, *locks, Item.food("apple", 1, (8.0, 0.5, 8.0))))
    _, info = env.reset(seed=0, options={"world": world})
    reported = {int(e["id"]): np.asarray(e["position"], dtype=np.float64) for e in info["debug"]["entities"]}
    doors = {door.id: DoorGeometry.of(door) for door in (push, pull, sliding)}
    for lock in locks:
        door = doors[int(lock["door"])]
        where = door.frame.world(LockGeometry.of(lock, door).origin)
        np.testing.assert_allclose(where, reported[lock.id], atol=1e-3, err_msg=f"{lock.kind} {lock.id}")


def _still_debug(door: Item) -> dict[str, Any]:
    """Debug info of a world where nothing ever moves: the body 2 m in front of the door, the door shut."""
    frame = DoorFrame(np.asarray(door.position, dtype=np.float64), float(door.yaw))
    body = frame.world((0.0, 1.0, 2.0))
    return {
        "body_position": body,
        "head_position": body + np.array([0.0, 1.0, 0.0]),
        "right_hand_position": body + np.array([0.5, 0.5, -0.5]),
        "head_yaw": float(door.yaw),
        "head_pitch": 0.0,
        "right_held_id": 0,
        "entities": [{"id": door.id, "kind": door.kind, "position": door.position, "yaw": door.yaw, "flags": 0}],
    }


def test_the_skill_gives_up_with_a_reason_when_nothing_moves() -> None:
    door = Item.hinge_door(10, (0.0, 0.0, 0.0), mechanics=DoorMechanics.PULL)
    skill = DoorSkill(Motor(None), door, goal=(0.0, 0.0, -2.0))
    debug = _still_debug(door)
    for _ in range(skill.max_steps + 1):
        skill.act(np.zeros(ACTION_SIZE, dtype=np.float32), debug)
        if skill.done:
            break
    assert skill.stage is Stage.FAILED and not skill.succeeded
    assert skill.failure is not None and "could not take hold" in skill.failure


def test_the_skill_gives_up_after_its_step_budget() -> None:
    door = Item.sliding_door(10, (0.0, 0.0, 0.0), latching=Latching.AUTO)
    skill = DoorSkill(Motor(None), door, max_steps=20)
    debug = _still_debug(door)
    for _ in range(21):
        skill.act(np.zeros(ACTION_SIZE, dtype=np.float32), debug)
    assert skill.done and skill.failure == "gave up after 20 steps in stage door"


def test_locks_of_other_doors_are_left_alone_and_the_order_is_fixed() -> None:
    door = Item.hinge_door(10, (0.0, 0.0, 0.0), mechanics=DoorMechanics.PUSH, latching=Latching.ONCE)
    other = Item.hinge_door(20, (5.0, 0.0, 0.0), latching=Latching.ONCE)
    locks = (
        Item.lock("sliding_bar_lock", 11, door, top=False),
        Item.lock("button_lock", 21, other),
        Item.lock("sliding_bar_lock", 12, door, top=True),
        Item.lock("button_lock", 13, door),
        Item.lock("rotating_bar_lock", 14, door),
    )
    skill = DoorSkill(Motor(None), door, locks)
    assert [lock.id for lock in skill._locks] == [13, 14, 12, 11]
