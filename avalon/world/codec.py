"""Binary encoding of a `WorldSpec` (docs/world_format.md): a checked header around one Godot 3 Variant.

`encode_world` / `decode_world` are the entry points; the Variant layer lives in `avalon.world.variant`. Decoding
checks magic, version, length and the payload's SHA-256, then every key and type, and raises `CorruptWorldError`
naming the problem.
"""

from __future__ import annotations

import hashlib
import math
import struct
from typing import Any

import numpy as np

from avalon.constants import WORLD_FORMAT_VERSION
from avalon.entities import BOOL, INT, KIND_BY_NAME, REAL, VECTOR3
from avalon.world.building import LOOK_COLORS, Building, Ladder, Ramp, Storey, building_boxes
from avalon.world.spec import Item, Spawn, Terrain, Trees, WorldSpec
from avalon.world.variant import CorruptWorldError, Vector3, decode_variant, encode_variant

__all__ = ["CorruptWorldError", "Vector3", "decode_variant", "decode_world", "encode_variant", "encode_world"]

MAGIC = b"AVWS"
HEADER = struct.Struct("<4sHHI32s")  # magic, version, reserved, payload length, sha256(payload)


# --- WorldSpec <-> Variant ------------------------------------------------------------------------------------------


def _v3(value: Any) -> Vector3:
    return Vector3(*(float(v) for v in value))


def _item_to_dict(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "kind": item.kind, "position": _v3(item.position), "yaw": item.yaw}
    for spec_field in item.entity.fields:  # the table's field order, so the bytes are deterministic
        value = item.fields[spec_field.name]
        out[spec_field.name] = _v3(value) if spec_field.wire == VECTOR3 else value
    return out


def _building_to_dict(building: Building) -> dict[str, Any]:
    """A building's tiles (what the spec holds) and its boxes (what Godot builds: `building_boxes` of the tiles)."""
    storeys = building.storeys
    nz, nx = building.shape
    boxes = building_boxes(building)
    rows = np.concatenate([boxes.centres, boxes.sizes, boxes.angles], axis=1) if len(boxes) else np.zeros((0, 8))
    return {
        "origin": _v3(building.origin),
        "size_x": nx,
        "size_z": nz,
        "levels": np.array([s.level for s in storeys], np.float32),
        "inner_heights": np.array([s.inner_height for s in storeys], np.float32),
        "tiles": np.concatenate([s.tiles.reshape(-1) for s in storeys]).astype(np.uint8),
        "floor": np.concatenate([s.floor.reshape(-1) for s in storeys]).astype(np.float32),
        "climbable": np.concatenate([s.climbable.reshape(-1) for s in storeys]).astype(np.uint8),
        "ceiling": np.concatenate([s.ceiling.reshape(-1) for s in storeys]).astype(np.uint8),
        "ladders": np.array([(a.storey, a.z, a.x, a.side) for a in building.ladders], np.int32).reshape(-1),
        "ramps": np.array([(r.storey, r.z, r.x, r.rises, r.length) for r in building.ramps], np.int32).reshape(-1),
        "boxes": np.ascontiguousarray(rows, np.float32).reshape(-1),
        "box_kinds": np.ascontiguousarray(boxes.kinds, np.uint8),
        "box_looks": np.ascontiguousarray(boxes.looks, np.uint8),
        "palette": np.array(LOOK_COLORS, np.float32),
    }


def spec_to_variant(spec: WorldSpec) -> dict[str, Any]:
    """The payload Dictionary of docs/world_format.md, in a fixed key order. `buildings` is there only when the
    world has any, so the bytes of worlds without buildings are unchanged."""
    out = _spec_to_variant(spec)
    if spec.buildings:
        out["buildings"] = [_building_to_dict(b) for b in spec.buildings]
    return out


def _spec_to_variant(spec: WorldSpec) -> dict[str, Any]:
    terrain, trees = spec.terrain, spec.trees
    return {
        "version": WORLD_FORMAT_VERSION,
        "task": spec.task,
        "seed": spec.seed & 0x7FFFFFFF,
        "difficulty": spec.difficulty,
        "generator_version": spec.generator_version,
        "terrain": {
            "points_x": terrain.points_x,
            "points_z": terrain.points_z,
            "origin": _v3(terrain.origin),
            "cell_size": terrain.cell_size,
            "heights": np.ascontiguousarray(terrain.heights, np.float32).reshape(-1),
            "cell_colors": np.ascontiguousarray(terrain.cell_colors, np.uint8).reshape(-1),
            "climbable": np.ascontiguousarray(terrain.climbable, np.uint8).reshape(-1),
            "palette": np.array(terrain.palette, np.float32).reshape(-1, 4),
            "water_height": terrain.water_height,
        },
        "trees": {
            "positions": np.ascontiguousarray(trees.positions, np.float32).reshape(-1, 3),
            "heights": np.ascontiguousarray(trees.heights, np.float32),
            "kinds": np.ascontiguousarray(trees.kinds, np.uint8),
        },
        "items": [_item_to_dict(item) for item in spec.items],
        "spawn": {"position": _v3(spec.spawn.position), "yaw": spec.spawn.yaw, "pitch": spec.spawn.pitch},
    }


def encode_world(spec: WorldSpec) -> bytes:
    """Header (magic, version, length, sha256) + payload; byte-for-byte deterministic."""
    payload = encode_variant(spec_to_variant(spec))
    return HEADER.pack(MAGIC, WORLD_FORMAT_VERSION, 0, len(payload), hashlib.sha256(payload).digest()) + payload


_TYPE_NAMES = {
    bool: "BOOL",
    int: "INT",
    float: "REAL",
    str: "STRING",
    Vector3: "VECTOR3",
    dict: "DICTIONARY",
    list: "ARRAY",
    bytes: "POOL_BYTE_ARRAY",
}


def _type_name(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.ndim == 2:
            return "POOL_VECTOR3_ARRAY" if value.shape[1] == 3 else "POOL_COLOR_ARRAY"
        if value.dtype == np.uint8:
            return "POOL_BYTE_ARRAY"
        return "POOL_REAL_ARRAY" if value.dtype == np.float32 else "POOL_INT_ARRAY"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Fields:
    """Reads the keys of one decoded Dictionary, checking types; `done()` rejects keys nobody read."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise CorruptWorldError(f"{where} must be a DICTIONARY, got {_type_name(value)}")
        self.value, self.where, self.read = value, where, set[str]()

    def get(self, key: str, expected: str) -> Any:
        if key not in self.value:
            raise CorruptWorldError(f"missing key '{key}' in {self.where}")
        self.read.add(key)
        value = self.value[key]
        actual = _type_name(value)
        if actual != expected:
            raise CorruptWorldError(f"wrong type for '{key}' in {self.where}: expected {expected}, got {actual}")
        if (expected == "REAL" and not math.isfinite(value)) or (
            expected == "VECTOR3" and not all(math.isfinite(v) for v in value)
        ):
            raise CorruptWorldError(f"'{key}' in {self.where} is not finite: {value}")
        return value

    def done(self) -> None:
        unknown = sorted(set(self.value) - self.read)
        if unknown:
            raise CorruptWorldError(f"unknown key '{unknown[0]}' in {self.where}")


_WIRE_NAMES = {BOOL: "BOOL", REAL: "REAL", INT: "INT", VECTOR3: "VECTOR3"}


def _item_from_dict(value: Any, where: str) -> Item:
    f = _Fields(value, where)
    kind = f.get("kind", "STRING")
    row = KIND_BY_NAME.get(kind)
    if row is None:
        raise CorruptWorldError(f"unknown item kind '{kind}' in {where}")
    common = {
        "kind": kind,
        "id": f.get("id", "INT"),
        "position": f.get("position", "VECTOR3"),
        "yaw": f.get("yaw", "REAL"),
    }
    extra = {spec_field.name: f.get(spec_field.name, _WIRE_NAMES[spec_field.wire]) for spec_field in row.fields}
    f.done()
    return Item(**common, fields=extra)


def _building_from_dict(value: Any, where: str) -> Building:
    f = _Fields(value, where)
    nx, nz = f.get("size_x", "INT"), f.get("size_z", "INT")
    levels = f.get("levels", "POOL_REAL_ARRAY")
    inner = f.get("inner_heights", "POOL_REAL_ARRAY")
    count = len(levels)
    if not (1 <= nx <= 256 and 1 <= nz <= 256) or count < 1 or len(inner) != count:
        raise CorruptWorldError(
            f"{where}: needs 1-256 tiles a side and one inner height per level, got size {nx}x{nz}, "
            f"{count} levels, {len(inner)} inner heights"
        )
    layers = {}
    for key, kind in (
        ("tiles", "POOL_BYTE_ARRAY"),
        ("floor", "POOL_REAL_ARRAY"),
        ("climbable", "POOL_BYTE_ARRAY"),
        ("ceiling", "POOL_BYTE_ARRAY"),
    ):
        layer = f.get(key, kind)
        array = np.frombuffer(layer, np.uint8) if kind == "POOL_BYTE_ARRAY" else np.asarray(layer)
        if array.size != count * nz * nx:
            raise CorruptWorldError(
                f"{where}: {key} has {array.size} values, expected storeys*size_z*size_x = {count * nz * nx}"
            )
        layers[key] = array.reshape(count, nz, nx)
    ladders = f.get("ladders", "POOL_INT_ARRAY")
    ramps = f.get("ramps", "POOL_INT_ARRAY")
    if len(ladders) % 4 or len(ramps) % 5:
        raise CorruptWorldError(f"{where}: ladders need 4 ints each and ramps 5, got {len(ladders)} and {len(ramps)}")
    storeys = tuple(
        Storey(
            float(levels[n]),
            layers["tiles"][n],
            layers["floor"][n],
            layers["climbable"][n],
            layers["ceiling"][n],
            float(inner[n]),
        )
        for n in range(count)
    )
    building = Building(
        origin=f.get("origin", "VECTOR3"),
        storeys=storeys,
        ladders=tuple(Ladder(*(int(v) for v in row)) for row in np.asarray(ladders).reshape(-1, 4)),
        ramps=tuple(Ramp(*(int(v) for v in row)) for row in np.asarray(ramps).reshape(-1, 5)),
    )
    try:
        expected = _building_to_dict(building)
    except (IndexError, KeyError, ValueError) as error:
        raise CorruptWorldError(f"{where}: its tiles, ladders or ramps are inconsistent: {error}") from error
    for key in ("boxes", "box_kinds", "box_looks", "palette"):
        got = f.get(key, _type_name(expected[key]))
        got = np.frombuffer(got, np.uint8) if isinstance(got, bytes) else np.asarray(got)
        if not np.array_equal(got, expected[key]):
            raise CorruptWorldError(f"{where}: {key} do not match the building's tiles (building_boxes)")
    f.done()
    return building


def variant_to_spec(payload: Any) -> WorldSpec:
    top = _Fields(payload, "the payload")
    version = top.get("version", "INT")
    if version != WORLD_FORMAT_VERSION:
        raise CorruptWorldError(f"payload version {version} differs from the supported {WORLD_FORMAT_VERSION}")
    t = _Fields(top.get("terrain", "DICTIONARY"), "terrain")
    points_x, points_z = t.get("points_x", "INT"), t.get("points_z", "INT")
    if points_x < 2 or points_z < 2:
        raise CorruptWorldError(f"terrain needs at least 2x2 points, got points_x={points_x}, points_z={points_z}")
    heights = t.get("heights", "POOL_REAL_ARRAY")
    cells = (points_x - 1) * (points_z - 1)
    if len(heights) != points_x * points_z:
        raise CorruptWorldError(
            f"terrain heights has {len(heights)} values, expected points_x*points_z = {points_x * points_z}"
        )
    layers = {}
    for key in ("cell_colors", "climbable"):
        layer = t.get(key, "POOL_BYTE_ARRAY")
        if len(layer) != cells:
            raise CorruptWorldError(f"terrain {key} has {len(layer)} values, expected {cells} (one per cell)")
        layers[key] = np.frombuffer(layer, np.uint8).reshape(points_z - 1, points_x - 1)
    palette = t.get("palette", "POOL_COLOR_ARRAY")
    cell_size = t.get("cell_size", "REAL")
    if not cell_size > 0:
        raise CorruptWorldError(f"terrain cell_size must be positive (metres between points), got {cell_size}")
    terrain = Terrain(
        heights=heights.reshape(points_z, points_x),
        cell_colors=layers["cell_colors"],
        climbable=layers["climbable"],
        palette=tuple(tuple(float(c) for c in color) for color in palette),  # type: ignore[misc]
        origin=t.get("origin", "VECTOR3"),
        water_height=t.get("water_height", "REAL"),
        cell_size=cell_size,
    )
    t.done()
    tr = _Fields(top.get("trees", "DICTIONARY"), "trees")
    positions = tr.get("positions", "POOL_VECTOR3_ARRAY")
    tree_heights = tr.get("heights", "POOL_REAL_ARRAY")
    kinds = np.frombuffer(tr.get("kinds", "POOL_BYTE_ARRAY"), np.uint8)
    if not len(positions) == len(tree_heights) == len(kinds):
        raise CorruptWorldError(
            f"trees arrays differ in length: positions {len(positions)}, heights {len(tree_heights)}, "
            f"kinds {len(kinds)}"
        )
    tr.done()
    items = tuple(_item_from_dict(v, f"items[{n}]") for n, v in enumerate(top.get("items", "ARRAY")))
    s = _Fields(top.get("spawn", "DICTIONARY"), "spawn")
    spawn = Spawn(s.get("position", "VECTOR3"), s.get("yaw", "REAL"), s.get("pitch", "REAL"))
    s.done()
    spec = WorldSpec(
        task=top.get("task", "STRING"),
        seed=top.get("seed", "INT"),
        difficulty=top.get("difficulty", "REAL"),
        generator_version=top.get("generator_version", "INT"),
        terrain=terrain,
        trees=Trees(positions, tree_heights, kinds),
        items=items,
        spawn=spawn,
        buildings=tuple(_building_from_dict(v, f"buildings[{n}]") for n, v in enumerate(top.get("buildings", "ARRAY")))
        if "buildings" in top.value
        else (),
    )
    top.done()
    return spec


def decode_world(data: bytes) -> WorldSpec:
    """Check the header, length and checksum, then decode and check every key; raises `CorruptWorldError`."""
    if len(data) < HEADER.size:
        raise CorruptWorldError(f"truncated: {len(data)} bytes is shorter than the {HEADER.size}-byte header")
    magic, version, reserved, length, digest = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise CorruptWorldError(f"bad magic {bytes(magic)!r}, expected {MAGIC!r}: not an encoded WorldSpec")
    if version != WORLD_FORMAT_VERSION:
        raise CorruptWorldError(f"unsupported version {version}; this build reads version {WORLD_FORMAT_VERSION}")
    if reserved != 0:
        raise CorruptWorldError(f"reserved header field is {reserved}, expected 0")
    payload = bytes(data[HEADER.size :])
    if len(payload) < length:
        raise CorruptWorldError(f"truncated: header announces {length} payload bytes, only {len(payload)} present")
    if len(payload) > length:
        raise CorruptWorldError(f"{len(payload) - length} unexpected bytes after the {length}-byte payload")
    actual = hashlib.sha256(payload).digest()
    if actual != digest:
        raise CorruptWorldError(
            f"checksum mismatch: header says sha256 {digest.hex()[:16]}..., payload has {actual.hex()[:16]}..."
        )
    try:
        return variant_to_spec(decode_variant(payload))
    except CorruptWorldError:
        raise
    except (ValueError, TypeError) as error:
        raise CorruptWorldError(f"invalid world content: {error}") from error
