"""HUNT's and THROW's plan without the engine: which weapon it fetches."""

from __future__ import annotations

from typing import Any

from avalon.constants import AGENT_HEIGHT
from avalon.oracle.hunt import HuntPlan
from avalon.oracle.skills import Motor

FEET = 5.0  # m, the feet's height on the pit's rim


def _debug(*entities: tuple[int, str, tuple[float, float, float]]) -> dict[str, Any]:
    return {
        "body_position": (0.0, FEET + AGENT_HEIGHT / 2.0, 0.0),
        "entities": [{"id": i, "kind": kind, "position": position, "flags": 0} for i, kind, position in entities],
    }


def _weapon_id(debug: dict[str, Any]) -> int | None:
    plan = HuntPlan(Motor(None))
    weapon = plan._weapon(debug, debug["body_position"])
    return None if weapon is None else int(weapon["id"])


def test_a_rock_on_the_rim_is_fetched_before_a_nearer_one_in_the_pit() -> None:
    debug = _debug((1, "rock", (1.0, FEET - 2.75, 0.0)), (2, "rock", (4.0, FEET + 0.25, 0.0)))
    assert _weapon_id(debug) == 2


def test_a_stick_on_the_rim_is_fetched_before_a_rock_in_the_pit() -> None:
    debug = _debug((1, "rock", (1.0, FEET - 2.75, 0.0)), (2, "stick", (4.0, FEET + 0.1, 0.0)))
    assert _weapon_id(debug) == 2


def test_a_rock_in_the_pit_is_fetched_when_no_other_weapon_is_left() -> None:
    debug = _debug((1, "rock", (1.0, FEET - 2.75, 0.0)), (3, "turtle", (2.0, FEET - 2.5, 0.0)))
    assert _weapon_id(debug) == 1
