"""A person's keyboard and mouse (the keyboard-and-mouse action mode, the mapping `avalon-play` uses) works every door
and lock and climbs ladders, in the real engine (headless). Doors: aim the crosshair at the part, hold a mouse button
to take it, then look or walk to move it (docs/doors.md); each case ends walking through the doorway. Ladders: hold a
button on the ladder and press W, grip higher with the other button, let the first go, and so on up to the floor
above. The real client, driven by xdotool, opens a barred door in tests/test_human_client.py."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from avalon.constants import DoorMechanics, EntityFlag, Latching
from avalon.env import AvalonEnv
from avalon.human.controls import KM, KM_ACTION_SIZE, REACH
from avalon.oracle.skills import head_basis
from avalon.tasks import generate_world
from avalon.world.builders import door_in_front
from avalon.world.building import SIDE_STEP, Side

pytestmark = pytest.mark.timeout(300)

DOOR = 10  # door_in_front's ids: the door, then its locks in order
DOORWAY_Z = -0.5  # the doorway's approach face (the spawn looks along +z at it from z = -3)
BEYOND_Z = 1.0  # feet past here: through the doorway
WALK_PER_TICK = 0.3  # m: 3 m/s at 10 ticks a second


class Person:
    """Keyboard-and-mouse actions, one tick at a time, with the debug info of the last one."""

    def __init__(self, env: AvalonEnv, world: Any) -> None:
        self.env = env
        _, info = env.reset(seed=0, options={"world": world})
        self.debug = info["debug"]

    def press(self, ticks: int = 1, **pressed: float) -> None:
        action = np.zeros(KM_ACTION_SIZE, np.float32)
        for name, value in pressed.items():
            action[KM[name]] = value
        for _ in range(ticks):
            _, _, terminated, truncated, info = self.env.step(action)
            self.debug = info["debug"]
            assert not (terminated or truncated)

    def feet(self) -> np.ndarray:
        return np.asarray(self.debug["body_position"], np.float64) - [0.0, 1.0, 0.0]

    def entity(self, entity_id: int) -> dict[str, Any]:
        (found,) = [e for e in self.debug["entities"] if e["id"] == entity_id]
        return found

    def flags(self, entity_id: int) -> int:
        return self.entity(entity_id)["flags"]

    def walk_to_z(self, z: float, limit: int = 40) -> None:
        """W (or S) until the feet pass `z`, then stand."""
        for _ in range(limit):
            ahead = z - self.feet()[2]
            if abs(ahead) < 0.15:
                break
            self.press(move_z=-1.0 if ahead > 0 else 1.0)
        self.press(2)

    def walk_to(self, point: Any, limit: int = 80) -> None:
        """Turn toward `point` (on the floor) and walk there (slowing down near it), then stand."""
        for _ in range(limit):
            ahead = np.asarray(point, np.float64) - self.feet()
            distance = math.hypot(ahead[0], ahead[2])
            if distance < 0.1:
                break
            self.aim(np.asarray(point, np.float64) + [0.0, 2.0, 0.0])
            self.press(move_z=-min(1.0, distance / WALK_PER_TICK))
        self.press(3)

    def aim(self, point: Any, side: str | None = None, ticks: int = 30, **held: float) -> None:
        """Turn the mouse until the crosshair points at `point` (within a degree), or with `side`, until that hand's
        reach (where a button press sends it: a little beside and below the crosshair) points there."""
        reach = np.array(REACH) * ([-1.0, 1.0, 1.0] if side == "left" else 1.0)
        for _ in range(ticks):
            head = np.asarray(self.debug["head_position"], np.float64)
            yaw, pitch = _angles(np.asarray(point, np.float64) - head)
            if side is not None:  # correct by the angles between the crosshair and the hand's reach
                now = head_basis(self.debug["head_yaw"], self.debug["head_pitch"]) @ reach
                reach_yaw, reach_pitch = _angles(now)
                yaw += self.debug["head_yaw"] - reach_yaw
                pitch += self.debug["head_pitch"] - reach_pitch
            d_yaw = (yaw - self.debug["head_yaw"] + 180.0) % 360.0 - 180.0
            d_pitch = pitch - self.debug["head_pitch"]
            if abs(d_yaw) < 1.0 and abs(d_pitch) < 1.0:
                return
            self.press(
                look_yaw=float(np.clip(d_yaw / 10.0, -1, 1)), look_pitch=float(np.clip(d_pitch / 5.0, -1, 1)), **held
            )

    def take(self, point: Any, side: str = "right", **held: float) -> int:
        """Aim at `point` and hold that side's button; returns the id that hand then holds (0: nothing)."""
        self.aim(point, side, **held)
        self.press(3, **{f"grasp_{side}": 1.0}, **held)
        return int(self.debug[f"{side}_held_id"])

    def let_go(self) -> None:
        self.press(2)


def _angles(v: np.ndarray) -> tuple[float, float]:
    """(yaw, pitch) in degrees of the direction `v` (yaw 0 looks along -z)."""
    return math.degrees(math.atan2(-v[0], -v[2])), math.degrees(math.atan2(v[1], math.hypot(v[0], v[2])))


@pytest.fixture(scope="module")
def env() -> Iterator[AvalonEnv]:
    made = AvalonEnv(action_mode="keyboard_mouse", debug=True, headless=True)
    try:
        yield made
    finally:
        made.close()


def _walk_through(person: Person) -> None:
    person.aim((0.0, 3.0, 3.0))
    person.walk_to_z(BEYOND_Z + 0.5)
    assert person.flags(DOOR) & EntityFlag.OPEN, "the door is reported open"
    assert person.feet()[2] > BEYOND_Z, f"the body went through the doorway (feet at {person.feet().round(2)})"


def test_a_push_door_opens_by_walking_into_it(env: AvalonEnv) -> None:
    person = Person(env, door_in_front(mechanics=DoorMechanics.PUSH))
    _walk_through(person)


def test_a_pull_door_opens_by_taking_it_and_walking_back(env: AvalonEnv) -> None:
    person = Person(env, door_in_front(mechanics=DoorMechanics.PULL))
    person.walk_to_z(-1.3)
    assert person.take((-0.3, 2.5, DOORWAY_Z)) == DOOR, "the right hand holds the door near its free edge"
    person.press(8, grasp_right=1.0, move_z=1.0)  # S: walk back, the door follows the hand
    person.let_go()
    assert person.flags(DOOR) & EntityFlag.OPEN
    person.walk_to_z(-1.0)
    _walk_through(person)


def test_a_sliding_door_opens_by_taking_its_handle_and_stepping_aside(env: AvalonEnv) -> None:
    person = Person(env, door_in_front("sliding_door", slide_right=True))  # local +x is world -x here
    person.walk_to_z(-1.3)
    assert person.take((0.35, 2.5, DOORWAY_Z - 0.1)) == DOOR
    person.press(4, grasp_right=1.0, move_x=1.0)  # D: step right (world -x, facing +z), the panel slides along
    person.let_go()
    assert person.flags(DOOR) & EntityFlag.OPEN
    person.press(4, move_x=-1.0)  # A: back in front of the doorway, clear of the panel (which a body walking along
    _walk_through(person)  # the wall would push back)


def test_a_latched_door_is_freed_by_taking_it(env: AvalonEnv) -> None:
    person = Person(env, door_in_front(mechanics=DoorMechanics.PUSH, latching=Latching.ONCE))
    person.walk_to_z(-1.3)
    assert person.flags(DOOR) & EntityFlag.LATCHED
    assert person.take((0.0, 2.4, DOORWAY_Z)) == DOOR
    person.let_go()
    assert not person.flags(DOOR) & EntityFlag.LATCHED
    _walk_through(person)


def test_an_auto_latching_door_is_walked_through_while_held(env: AvalonEnv) -> None:
    person = Person(env, door_in_front(mechanics=DoorMechanics.PUSH, latching=Latching.AUTO))
    person.walk_to_z(-1.3)
    # Held by the hand on the hinge's side (the left here), the door swings ahead of the body walking through.
    assert person.take((0.0, 2.4, DOORWAY_Z), "left") == DOOR
    for _ in range(30):  # W while holding: the body pushes the unlatched door and walks through with it
        person.press(grasp_left=1.0, move_z=-1.0)
        if person.feet()[2] > BEYOND_Z:
            break
    person.let_go()
    assert person.flags(DOOR) & EntityFlag.LATCHED, "latched again where it was let go"
    _walk_through(person)


def test_a_button_lock(env: AvalonEnv) -> None:
    person = Person(
        env, door_in_front(mechanics=DoorMechanics.PUSH, latching=Latching.ONCE, locks=[("button_lock", {})])
    )
    person.walk_to_z(-1.3)
    button = person.entity(DOOR + 1)["position"]
    assert person.take((0.0, 2.4, DOORWAY_Z)) == 0, "a locked door cannot be taken"
    person.let_go()
    person.take(button)
    person.let_go()
    assert not person.flags(DOOR + 1) & EntityFlag.LOCKED, "taking the button unlocked it"
    assert person.take((0.0, 2.4, DOORWAY_Z)) == DOOR
    person.let_go()
    _walk_through(person)


def test_a_rotating_bar_is_turned_up_by_looking_up(env: AvalonEnv) -> None:
    person = Person(
        env, door_in_front(mechanics=DoorMechanics.PUSH, latching=Latching.ONCE, locks=[("rotating_bar_lock", {})])
    )
    person.walk_to_z(-1.4)
    pivot = person.entity(DOOR + 1)["position"]
    assert person.take((pivot[0] + 0.55, pivot[1], pivot[2])) == DOOR + 1, "the hand holds the bar near its end"
    person.press(12, grasp_right=1.0, look_pitch=1.0)  # look up: the hand rises, the bar turns up
    person.let_go()
    assert not person.flags(DOOR + 1) & EntityFlag.LOCKED, "turned up, the bar unlocked the door"
    assert person.take((0.0, 2.4, DOORWAY_Z)) == DOOR
    person.let_go()
    _walk_through(person)


@pytest.mark.parametrize("top", [True, False])
def test_a_sliding_bar_is_slid_out(env: AvalonEnv, top: bool) -> None:
    person = Person(
        env,
        door_in_front(mechanics=DoorMechanics.PUSH, latching=Latching.ONCE, locks=[("sliding_bar_lock", {"top": top})]),
    )
    person.walk_to_z(-1.3)
    knob = person.entity(DOOR + 1)["position"]
    held = {} if top else {"crouch": 1.0}  # C: crouch to reach the bottom bar's knob
    if not top:
        person.press(10, crouch=1.0)
    assert person.take(knob, **held) == DOOR + 1, "the hand holds the bar's knob"
    person.press(8, grasp_right=1.0, look_pitch=-1.0 if top else 1.0, **held)  # a top bar goes down, a bottom one up
    person.let_go()
    assert not person.flags(DOOR + 1) & EntityFlag.LOCKED, "slid out, the bar unlocked the door"
    person.press(10)  # stand up
    assert person.take((0.0, 2.4, DOORWAY_Z)) == DOOR
    person.let_go()
    _walk_through(person)


@pytest.mark.parametrize("seed", [0, 3])
def test_a_ladder_is_climbed_to_the_floor_above(env: AvalonEnv, seed: int) -> None:
    world = generate_world("climb", seed, 0.0, "indoor")
    (building,) = world.buildings
    ladder = building.ladders[0]
    dz, dx = SIDE_STEP[Side(ladder.side)]
    x, y, z = building.tile_centre(ladder.storey, ladder.z, ladder.x)
    slab = np.array([x + dx * 0.45, y, z + dz * 0.45])  # the slab leans on the tile's `side` edge
    top = building.origin[1] + building.storeys[ladder.storey + 1].level
    person = Person(env, world)
    person.walk_to((x - dx * 0.05, y, z - dz * 0.05))
    person.aim(slab + [0.0, 2.4, 0.0])  # up the ladder, above the head
    hands = ("left", "right")
    for grip in range(12):
        hand, other = hands[grip % 2], hands[(grip + 1) % 2]
        person.press(3, **{f"grasp_{hand}": 1.0}, **({f"grasp_{other}": 1.0} if grip else {}))  # grip higher
        assert person.debug[f"{hand}_hand_holding"], f"grip {grip}: the {hand} hand holds the ladder"
        person.press(1, **{f"grasp_{hand}": 1.0})  # let the lower hand go
        person.press(6, **{f"grasp_{hand}": 1.0}, move_z=-1.0)  # W: the hand goes down, the body up
        if person.debug["is_on_floor"] and person.feet()[1] > top - 0.1:
            break
    assert person.feet()[1] == pytest.approx(top, abs=0.05), "standing on the floor above"
    assert grip <= 5, f"{grip + 1} grips for a 5 m ladder"
