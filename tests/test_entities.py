"""The entity table (avalon/entities): append-only ids, a script per kind, typed Item fields, capabilities."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from avalon.entities import (
    BOOL,
    FOOD_KINDS,
    INT,
    KIND_BY_ID,
    KIND_BY_NAME,
    KINDS,
    REAL,
    VECTOR3,
    Capability,
    Family,
    kind,
    kind_name,
)
from avalon.entities.table import _check_table
from avalon.world.builders import flat_world
from avalon.world.codec import decode_world, encode_world
from avalon.world.spec import Item

ROOT = Path(__file__).resolve().parent.parent
PAST_IDS = Path(__file__).resolve().parent / "data" / "entity_ids.txt"


def _past_ids() -> dict[int, str]:
    rows = [line.split() for line in PAST_IDS.read_text().splitlines() if line and not line.startswith("#")]
    return {int(ident): name for ident, name in rows}


def test_released_ids_never_change() -> None:
    past = _past_ids()
    for ident, name in past.items():
        assert ident in KIND_BY_ID, f"kind id {ident} ({name}) was released; it may be retired, never removed"
        assert KIND_BY_ID[ident].name == name, f"kind id {ident} was {name}, now {KIND_BY_ID[ident].name}"
    for row in KINDS:
        if row.id not in past:
            assert row.id > max(past), f"new kind {row.name} takes id {row.id}; new ids come after {max(past)}"


def test_table_checks_reject_reused_and_reordered_ids() -> None:
    apple, banana = KIND_BY_NAME["apple"], KIND_BY_NAME["banana"]
    with pytest.raises(ValueError, match="unique"):
        _check_table((apple, apple))
    with pytest.raises(ValueError, match="id order"):
        _check_table((banana, apple))


def test_every_kind_has_its_script_and_the_generated_map_points_at_it() -> None:
    generated = (ROOT / "godot_project" / "generated" / "entities.gd").read_text()
    scripts = dict(re.findall(r'^\t"(\w+)": "(res://entities/[\w/]+\.gd)",?$', generated, re.MULTILINE))
    assert set(scripts) == set(KIND_BY_NAME)
    for row in KINDS:
        assert scripts[row.name] == row.script == f"res://entities/{row.family.value}/{row.name}.gd"
        path = ROOT / "godot_project" / row.script.removeprefix("res://")
        assert path.is_file(), f"{row.name}: no script at {path.relative_to(ROOT)}"
        base = "item.gd" if row.family != Family.STATIC else "static/static_entity.gd"
        text = path.read_text()
        assert f'extends "res://entities/{row.family.value}/' in text or base in text


def test_foods_first_in_reference_order_with_food_rows() -> None:
    assert FOOD_KINDS[0] == "apple" and FOOD_KINDS[-1] == "carrot" and len(FOOD_KINDS) == 10
    assert all(KIND_BY_NAME[name].can(Capability.EDIBLE) for name in FOOD_KINDS)
    assert KIND_BY_NAME["fruit_tree"].can(Capability.CLIMBABLE)
    assert not KIND_BY_NAME["altar"].can(Capability.CLIMBABLE) and not KIND_BY_NAME["block"].can(Capability.CLIMBABLE)
    assert kind_name(10) == "rock" and kind_name(999) == "unknown"
    with pytest.raises(ValueError, match="known kinds: apple"):
        kind("dragon")


def test_item_fields_are_validated_against_the_kind() -> None:
    with pytest.raises(ValueError, match="cannot have field 'length'"):
        Item("rock", 1, (0.0, 0.0, 0.0), fields={"size": 0.5, "length": 2.0})
    with pytest.raises(ValueError, match="needs field 'height' \\(real\\)"):
        Item("fruit_tree", 1, (0.0, 0.0, 0.0))
    with pytest.raises(ValueError, match="unknown item kind 'dragon'"):
        Item("dragon", 1, (0.0, 0.0, 0.0))
    with pytest.raises(ValueError, match="'attached' must be a bool"):
        Item("apple", 1, (0.0, 0.5, 0.0), fields={"attached": 1, "opened": True, "buried": False})
    with pytest.raises(ValueError, match="'color' must be an int"):
        Item.block(1, (0.0, 0.5, 0.0), (1.0, 1.0, 1.0), color=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'size' must be 3 real numbers"):
        Item("altar", 1, (0.0, 0.5, 0.0), fields={"size": (1.0, 2.0)})
    with pytest.raises(ValueError, match="'size' must be a real number"):
        Item("rock", 1, (0.0, 0.5, 0.0), fields={"size": "big"})


def test_items_read_their_fields_and_capabilities() -> None:
    apple = Item.food("apple", 1, (0.0, 0.5, 0.0), attached=False)
    assert apple["opened"] is True and apple.fields == {"attached": False, "opened": True, "buried": False}
    assert apple.is_food and apple.can(Capability.GRABBABLE) and not apple.is_static
    with pytest.raises(KeyError, match="apple has no field 'size'"):
        apple["size"]
    rock = Item.rock(2, (1.0, 0.25, 0.0))
    assert rock["size"] == 0.5 and rock.is_tool and rock.can(Capability.WEAPON) and not rock.is_food
    assert Item.of("stick", 3, (0.0, 0.05, 0.0))["length"] == pytest.approx(1.6)
    assert hash(apple) == hash(Item.food("apple", 1, (0.0, 0.5, 0.0)))


def test_every_kind_round_trips_through_the_codec() -> None:
    # One item of every kind in the table, from its defaults (fields without one get a value of their wire type).
    given = {BOOL: True, REAL: 2.0, INT: 0, VECTOR3: (1.0, 1.3, 1.0)}
    items = [
        Item.of(
            row.name,
            n + 1,
            (float(n) - 7.0, 2.0, -3.0),
            **{f.name: given[f.wire] for f in row.fields if f.default is None},
        )
        for n, row in enumerate(KINDS)
    ]
    assert {item.kind for item in items} == set(KIND_BY_NAME)
    world = flat_world(items=items)
    decoded = decode_world(encode_world(world))
    assert decoded == world and [item.fields for item in decoded.items] == [item.fields for item in items]
