"""Generate `godot_project/generated/constants.gd` from `avalon.constants`, and `godot_project/generated/entities.gd`
and `docs/entity_kinds.md` from the entity table (`avalon.entities`).

Run `python -m avalon.codegen` after changing a constant or a kind; `tests/test_codegen.py` and `--check` (the lint
gate) fail while a file is stale.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from enum import Enum, IntEnum
from pathlib import Path

from avalon import constants as c
from avalon import entities as e

ROOT = Path(__file__).resolve().parent.parent
GENERATED_DIR = ROOT / "godot_project" / "generated"
GENERATED_PATH = GENERATED_DIR / "constants.gd"
ENTITIES_PATH = GENERATED_DIR / "entities.gd"
ANIMALS_PATH = GENERATED_DIR / "animals.gd"  # the species rows, apart so that entities.gd stays under 1,000 lines
ENTITY_DOC_PATH = ROOT / "docs" / "entity_kinds.md"

_SCALARS = (
    "PROTOCOL_VERSION", "WORLD_FORMAT_VERSION", "FINE_CELL_SIZE", "MIN_TERRAIN_CELL_SIZE", "MAX_TERRAIN_CELL_SIZE",
    "PACKED_WORLD_VERSION", "MAX_WORLD_BYTES", "RULES_VERSION",
    "PHYSICS_FPS", "GRAVITY", "AGENT_HEIGHT",
    "BODY_RADIUS",
    "HEAD_HEIGHT_MIN", "HEAD_HEIGHT_MAX", "MAX_HEAD_LINEAR_SPEED", "MAX_HEAD_PITCH_SPEED", "MAX_HEAD_YAW_SPEED",
    "MAX_HEAD_ROLL_SPEED", "MAX_HEAD_PITCH", "MAX_HEAD_ROLL", "MAX_HAND_LINEAR_SPEED", "MAX_HAND_ANGULAR_SPEED",
    "ARM_LENGTH", "JUMP_HEIGHT", "FLOOR_MAX_ANGLE", "STARTING_HIT_POINTS", "GRAB_RADIUS", "EAT_RADIUS",
    "MIN_FALL_SPEED", "FALL_DAMAGE_COEFFICIENT", "BODY_MASS", "PLUCK_SPEED", "CAMERA_FOV", "CAMERA_NEAR",
    "CAMERA_FAR", "FOG_BEGIN", "DEPTH_MAX_M", "ACTION_SIZE", "NUM_REAL_ACTIONS", "PROPRIO_SIZE", "STATE_SIZE",
    "CLIMB_EDGE_PROBE", "CLIMB_EDGE_DROP", "CLIMB_LEDGE_OVERSHOOT", "CLIMB_LEDGE_HEAD_CLEARANCE",
    "CLIMB_LEDGE_MIN_STEP", "CLIMB_LEDGE_LIFT", "PUSH_MASS", "PUSH_HEIGHT_FRACTION", "RELEASE_MASS",
    "FREEZE_CHECK_TICKS", "FREEZE_SPEED", "GROUND_HISTORY_TICKS", "GROUND_GRAVITY_MIN", "GROUND_DAMP_SPEED",
    "GROUND_LINEAR_DAMP", "GROUND_ANGULAR_DAMP", "ANIMAL_FREEZE_DISTANCE", "WEAPON_DAMAGE", "ROCK_HIT_SPEED",
    "THROWN_ROCK_DANGER_SPEED", "FALLING_ROCK_DANGER_SPEED", "ANIMAL_INVINCIBLE_TICKS", "ANIMAL_PAIN_FLASH_TICKS",
    "ANIMAL_FALL_DAMAGE_SPEED", "DOOR_OPEN_DEGREES", "DOOR_OPEN_METRES",
)  # fmt: skip


def _gd_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, Enum):
        return _gd_value(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_gd_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_gd_value(k)}: {_gd_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as GDScript")


def _gd_const(name: str, value: object) -> str:
    """One `const` line, or gdformat's multi-line layout when that line would pass gdlint's 100 columns."""
    line = f"const {name} = {_gd_value(value)}"
    if len(line) <= 100:
        return line
    if isinstance(value, (tuple, list)):
        inner = "\t" + ", ".join(_gd_value(v) for v in value)
        if len(inner.expandtabs(4)) <= 100:  # gdformat keeps the items on one indented line when they fit
            return f"const {name} = [\n{inner}\n]"
    return f"const {name} = " + "\n".join(_gd_block(value, 0))


def _gd_block(value: object, depth: int) -> list[str]:
    inner = "\t" * (depth + 1)
    close = "\t" * depth
    if isinstance(value, (tuple, list)):
        items = [inner + _gd_value(v) for v in value]
        return ["[", *(",\n".join(items).split("\n")), close + "]"]
    if isinstance(value, dict):
        body: list[str] = []
        for i, (key, item) in enumerate(value.items()):
            last = i == len(value) - 1
            inline = f"{inner}{_gd_value(key)}: {_gd_value(item)}" + ("" if last else ",")
            if isinstance(item, (list, tuple, dict)) and len(inline.expandtabs(4)) <= 100:
                body.append(inline)  # a short array or dictionary stays on one line, as gdformat writes it
            elif isinstance(item, (dict, list, tuple)):
                block = _gd_block(item, depth + 1)
                body += [f"{inner}{_gd_value(key)}:", inner + block[0], *block[1:-1], block[-1] + ("" if last else ",")]
            else:
                body.append(f"{inner}{_gd_value(key)}: {_gd_value(item)}" + ("" if last else ","))
        return ["{", *body, close + "}"]
    return [_gd_value(value)]


def _enum_lines(prefix: str, enum: type[IntEnum]) -> list[str]:
    return [f"const {prefix}_{member.name} = {int(member)}" for member in enum]


def _index_lines(prefix: str, names: tuple[str, ...]) -> list[str]:
    return [f"const {prefix}_{name.upper()} = {i}" for i, name in enumerate(names)]


def render() -> str:
    lines = [
        "# Generated by `python -m avalon.codegen` from avalon/constants.py. Do not edit.",
        "extends Reference",
        "",
    ]
    lines += [f"const {name} = {_gd_value(getattr(c, name))}" for name in _SCALARS]
    lines.append(f"const HAND_REST_OFFSET = Vector3{c.HAND_REST_OFFSET!r}")
    lines.append("")
    lines += _enum_lines("MSG", c.MessageType)
    lines += _enum_lines("CMD", c.Command)
    lines += _enum_lines("ENTITY_FLAG", c.EntityFlag)
    lines += _enum_lines("HUMAN_KEY", c.HumanKey)
    lines += _enum_lines("HUMAN_STATUS", c.HumanStatus)
    lines += _enum_lines("DOOR_MECHANICS", c.DoorMechanics)
    lines += _enum_lines("LATCHING", c.Latching)
    lines.append("")
    lines += _index_lines("ACTION", c.ACTION_NAMES)
    lines += _index_lines("PROPRIO", c.PROPRIO_NAMES)
    lines += _index_lines("STATE", c.STATE_NAMES)
    return "\n".join(lines) + "\n"


def _kind_row(kind: e.EntityKind) -> dict[str, object]:
    row: dict[str, object] = {
        "id": kind.id,
        "name": kind.name,
        "family": kind.family,
        "script": kind.script,
        "capabilities": sorted(cap.value for cap in kind.capabilities),
        "fields": {f.name: {"type": f.wire, "default": f.default, "limit": f.limit} for f in kind.fields},
        "physics": {fld.name: getattr(kind.physics, fld.name) for fld in fields(kind.physics)},
    }
    if kind.food is not None:
        row["food"] = {fld.name: getattr(kind.food, fld.name) for fld in fields(kind.food)}
    return row


def render_animals() -> str:
    """The species rows for Godot (`A.SPECIES[kind]`): each animal kind's AnimalInfo, plus `invincible`."""
    species: dict[str, dict[str, object]] = {}
    for kind in e.ANIMALS:
        row: dict[str, object] = {fld.name: getattr(kind.animal_info, fld.name) for fld in fields(e.AnimalInfo)}
        row["invincible"] = kind.animal_info.invincible
        species[kind.name] = row
    lines = ["# Generated by `python -m avalon.codegen` from avalon/entities. Do not edit.", "extends Reference", ""]
    lines.append(_gd_const("PREY_KINDS", e.PREY_KINDS))
    lines.append(_gd_const("PREDATOR_KINDS", e.PREDATOR_KINDS))
    lines.append(_gd_const("SPECIES", species))
    return "\n".join(lines) + "\n"


def render_entities() -> str:
    """The entity table for Godot: per kind its id, family, script, capabilities, typed fields, physics and food
    row; the script map Godot builds kinds through; the id of every kind as a constant."""
    lines = [
        "# Generated by `python -m avalon.codegen` from avalon/entities. Do not edit.",
        "extends Reference",
        "",
    ]
    lines += [f"const KIND_{kind.name.upper()} = {kind.id}" for kind in e.KINDS]
    lines += [f"const CAPABILITY_{cap.name} = {_gd_value(cap.value)}" for cap in e.Capability]
    lines += [f"const FAMILY_{family.name} = {_gd_value(family.value)}" for family in e.Family]
    lines.append("")
    lines.append(_gd_const("KIND_NAMES", {kind.id: kind.name for kind in e.KINDS}))
    lines.append(_gd_const("FOOD_KINDS", e.FOOD_KINDS))
    lines.append(_gd_const("SCRIPTS", {kind.name: kind.script for kind in e.KINDS}))
    lines.append(_gd_const("KINDS", {kind.name: _kind_row(kind) for kind in e.KINDS}))
    return "\n".join(lines) + "\n"


def _doc_field(f: e.FieldSpec) -> str:
    default = "" if f.default is None else f" = {_gd_value(f.default)}"
    return f"`{f.name}` {f.wire.upper()}{default}"


def render_entity_doc() -> str:
    """docs/entity_kinds.md: the table of kinds, for people (the wire keys of docs/world_format.md, "items")."""
    lines = [
        "<!-- Generated by `python -m avalon.codegen` from avalon/entities. Do not edit. -->",
        "# Entity kinds",
        "",
        "Every kind a world's `items` may hold (docs/world_format.md), from the entity table in",
        "`avalon/entities/table.py` (docs/entities.md). Ids are append-only and travel in observations. Every field",
        "listed is required on the wire (the Python constructors fill in the defaults); nothing else is allowed.",
        "",
        "| id | kind | family | fields | capabilities | mass, shape (half extents) | what Godot builds |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in e.KINDS:
        p = kind.physics
        mass = "static" if p.mass == 0 else f"{p.mass:g} kg"
        extents = ", ".join(f"{x:g}" for x in p.extents)
        cells = [
            str(kind.id),
            f"`{kind.name}`",
            kind.family.value,
            "; ".join(_doc_field(f) for f in kind.fields) or "none",
            ", ".join(sorted(cap.value for cap in kind.capabilities)) or "none",
            f"{mass}, {p.shape} ({extents} m)",
            f"{kind.doc} (`{kind.script.removeprefix('res://')}`)",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Fields (`= x`: the default the Python constructors use; sizes must be > 0 and at most 100 m):", ""]
    lines += ["| field | kinds | meaning |", "|---|---|---|"]
    meanings: dict[tuple[str, str], list[str]] = {}
    for kind in e.KINDS:
        for f in kind.fields:
            meanings.setdefault((f.name, f.doc), []).append(kind.name)
    for (name, doc), kinds in meanings.items():
        lines.append(f"| `{name}` | {', '.join(kinds)} | {doc} |")
    lines += ["", "Food rows (the original's values; tool odds: P(tool needed) = min(1, odds / d) in EAT):", ""]
    names = [fld.name for fld in fields(e.FoodInfo)]
    lines.append("| food | " + " | ".join(n.replace("_", " ") for n in names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    for kind in e.FOODS:
        values = [getattr(kind.food_info, n) for n in names]
        lines.append(
            f"| `{kind.name}` | " + " | ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values) + " |"
        )
    lines += ["", "Animal rows (the reference's species tables; hit points 100 or more: weapons do no harm):", ""]
    names = [fld.name for fld in fields(e.AnimalInfo)]
    lines.append("| animal | " + " | ".join(n.replace("_", " ") for n in names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    for kind in e.ANIMALS:
        values = [getattr(kind.animal_info, n) for n in names]
        cells = [
            ", ".join(f"{x:g}" for x in v) if isinstance(v, tuple) else f"{v:g}" if isinstance(v, float) else str(v)
            for v in values
        ]
        lines.append(f"| `{kind.name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    """Every generated file and its current text."""
    return {
        GENERATED_PATH: render(),
        ENTITIES_PATH: render_entities(),
        ANIMALS_PATH: render_animals(),
        ENTITY_DOC_PATH: render_entity_doc(),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--check"]:
        stale = [path.name for path, text in outputs().items() if (path.read_text() if path.exists() else "") != text]
        if stale:
            print(f"{', '.join(stale)} stale: run `python -m avalon.codegen`", file=sys.stderr)
            return 1
        return 0
    if args:
        print("usage: python -m avalon.codegen [--check]", file=sys.stderr)
        return 2
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
