"""Doors and locks in world specs (no Godot): good ones pass the world checks and the codec, bad ones are refused
with a message naming the problem (docs/doors.md)."""

from __future__ import annotations

import pytest

from avalon.constants import DoorMechanics, Latching
from avalon.world.builders import flat_world
from avalon.world.codec import decode_world, encode_world
from avalon.world.spec import Item
from avalon.world.validate import InvalidWorldError, check_world

APPLE = Item.food("apple", 1, (3.0, 0.5, 3.0))


def _world(*items: Item):
    return flat_world(items=(APPLE, *items))


def test_doors_with_locks_pass_and_round_trip() -> None:
    door = Item.hinge_door(10, (0.0, 0.0, 0.0), mechanics=DoorMechanics.PUSH, latching=Latching.ONCE)
    sliding = Item.sliding_door(20, (4.0, 0.0, 0.0), 90.0, slide_right=False, latching=Latching.AUTO)
    locks = (
        Item.lock("button_lock", 11, door),
        Item.lock("rotating_bar_lock", 12, door),
        Item.lock("sliding_bar_lock", 13, door, top=True),
        Item.lock("sliding_bar_lock", 14, door, top=False),
        Item.lock("sliding_bar_lock", 21, sliding, top=True),
    )
    world = _world(door, sliding, *locks)
    check_world(world)
    assert decode_world(encode_world(world)) == world
    assert locks[0]["door"] == 10 and locks[0].position == door.position


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ((Item.hinge_door(10, (0, 0, 0), mechanics=7),), "mechanics 7 is not one of"),
        ((Item.sliding_door(10, (0, 0, 0), latching=3),), "latching 3 is not one of"),
        ((Item.of("button_lock", 11, (0, 0, 0), door=99),), "its door 99 must be a hinge or sliding door.*no such"),
        (
            (Item.rock(5, (0, 0.25, 0)), Item.of("button_lock", 11, (0, 0, 0), door=5)),
            "item 5 is a rock",
        ),
        (
            (Item.hinge_door(10, (0, 0, 0), mechanics=DoorMechanics.BOTH, latching=Latching.ONCE),)
            + (Item.of("sliding_bar_lock", 11, (0, 0, 0), door=10, top=False),),
            "sliding bars are never on a hinge door that can be pulled",
        ),
        (
            (Item.hinge_door(10, (0, 0, 0), mechanics=DoorMechanics.PULL, latching=Latching.ONCE),)
            + (Item.of("sliding_bar_lock", 11, (0, 0, 0), door=10, top=True),),
            "sliding bars are never on a hinge door that can be pulled",
        ),
        (
            (Item.hinge_door(10, (0, 0, 0)), Item.of("button_lock", 11, (0, 0, 0), door=10)),
            "has a lock, so it must latch",
        ),
        (
            (Item.hinge_door(10, (0, 0, 0), latching=Latching.AUTO),)
            + (Item.of("button_lock", 11, (0, 0, 0), door=10), Item.of("button_lock", 12, (0, 0, 0), door=10)),
            "already has a button",
        ),
    ],
)
def test_bad_doors_and_locks_are_refused(items: tuple[Item, ...], message: str) -> None:
    with pytest.raises(InvalidWorldError, match=message):
        check_world(_world(*items))


def test_a_lock_before_its_door_is_refused() -> None:
    door = Item.hinge_door(10, (0, 0, 0), latching=Latching.ONCE)
    with pytest.raises(InvalidWorldError, match="must be a hinge or sliding door before it; item 10 is a hinge_door"):
        check_world(_world(Item.lock("button_lock", 11, door), door))


def test_door_fields_are_typed() -> None:
    with pytest.raises(ValueError, match="'hinge_right' must be a bool"):
        Item.of("hinge_door", 10, (0, 0, 0), hinge_right=1)
    with pytest.raises(ValueError, match="needs field 'door'"):
        Item("rotating_bar_lock", 11, (0.0, 0.0, 0.0))
