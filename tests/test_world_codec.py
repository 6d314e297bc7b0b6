"""WorldSpec encoding: Godot Variant layer, round trips, corrupt data of every kind, size; the packed form a RESET
carries for big worlds."""

from __future__ import annotations

import hashlib
import struct
from typing import Any

import numpy as np
import pytest

from avalon.constants import MAX_WORLD_BYTES, WORLD_FORMAT_VERSION
from avalon.sim.errors import ProtocolError
from avalon.sim.protocol import PACK_THRESHOLD, PACKED_HEADER, PACKED_MAGIC, pack_world, unpack_world
from avalon.tasks import Task, generate_world, implemented_tasks
from avalon.tasks.common import MAX_WORLD_SIZE
from avalon.world.builders import big_island, flat_world, wall_in_front
from avalon.world.codec import (
    HEADER,
    CorruptWorldError,
    Vector3,
    decode_variant,
    decode_world,
    encode_variant,
    encode_world,
    spec_to_variant,
)
from avalon.world.spec import Item, Spawn, WorldSpec
from avalon.world.terrain import HEIGHT_STEP, Heightmap, quantize_heights


def test_variant_bytes_match_godot_layout() -> None:
    """Hand-checked against Godot 3's binary serialization (var2bytes)."""
    assert encode_variant(None) == b"\0\0\0\0"
    assert encode_variant(True) == struct.pack("<II", 1, 1)
    assert encode_variant(-7) == struct.pack("<Ii", 2, -7)
    assert encode_variant(2**40) == struct.pack("<Iq", 2 | (1 << 16), 2**40)
    assert encode_variant(1.5) == struct.pack("<If", 3, 1.5)
    assert encode_variant("abcde") == struct.pack("<II", 4, 5) + b"abcde\0\0\0"
    assert encode_variant(Vector3(1.0, 2.0, 3.0)) == struct.pack("<Ifff", 7, 1, 2, 3)
    assert encode_variant({"a": 1}) == struct.pack("<II", 18, 1) + struct.pack("<II", 4, 1) + b"a\0\0\0" + struct.pack(
        "<Ii", 2, 1
    )
    assert encode_variant([1]) == struct.pack("<IIIi", 19, 1, 2, 1)
    assert encode_variant(b"\x01\x02\x03") == struct.pack("<II", 20, 3) + b"\x01\x02\x03\0"
    assert encode_variant(np.array([1, 2], np.int32)) == struct.pack("<IIii", 21, 2, 1, 2)
    assert encode_variant(np.array([0.5], np.float32)) == struct.pack("<IIf", 22, 1, 0.5)
    assert encode_variant(np.zeros((1, 3), np.float32)) == struct.pack("<IIfff", 25, 1, 0, 0, 0)
    assert encode_variant(np.ones((1, 4), np.float32)) == struct.pack("<IIffff", 26, 1, 1, 1, 1, 1)


def test_variant_round_trip() -> None:
    value = {"s": "héllo", "n": None, "b": False, "i": 3, "big": -(2**40), "f": 0.25, "v": Vector3(1.0, -2.0, 0.5),
             "l": [1, "x", [2.0]], "bytes": b"xyz", "reals": np.arange(5, dtype=np.float32)}  # fmt: skip
    decoded = decode_variant(encode_variant(value))
    assert decoded["reals"].tolist() == [0, 1, 2, 3, 4]
    del decoded["reals"], value["reals"]
    assert decoded == value


@pytest.mark.parametrize("task", implemented_tasks())
@pytest.mark.parametrize("difficulty", [0.0, 1.0])
def test_world_round_trip(task: Task, difficulty: float) -> None:
    spec = generate_world(task, 3, difficulty)
    data = encode_world(spec)
    decoded = decode_world(data)
    assert decoded == spec
    assert encode_world(decoded) == data
    if spec.terrain.bounds[1] - spec.terrain.bounds[0] <= MAX_WORLD_SIZE:
        assert len(data) < 200_000
    else:  # big worlds (EXPLORE): within the 1 MB budget as packed for the wire
        assert len(pack_world(data)) <= 1 << 20


def test_builder_worlds_round_trip() -> None:
    for spec in (flat_world(), wall_in_front(5.0)):
        assert decode_world(encode_world(spec)) == spec


def test_large_seed_is_shown_as_low_31_bits() -> None:
    spec = flat_world(seed=2**40 + 5)
    assert decode_world(encode_world(spec)).seed == 5


def _reheader(payload: bytes, version: int = WORLD_FORMAT_VERSION, magic: bytes = b"AVWS") -> bytes:
    return HEADER.pack(magic, version, 0, len(payload), hashlib.sha256(payload).digest()) + payload


def _payload_with(change: dict[tuple[object, ...], object]) -> bytes:
    variant = spec_to_variant(wall_in_front())
    for path, value in change.items():
        target: Any = variant
        *parents, last = path
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return _reheader(encode_variant(variant))


GOOD = encode_world(wall_in_front())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "truncated"),
        (b"XXXX" + GOOD[4:], "bad magic"),
        (GOOD[:4] + struct.pack("<H", 7) + GOOD[6:], "unsupported version 7"),
        (GOOD[:-8], "truncated"),
        (GOOD + b"\0\0\0\0", "unexpected bytes"),
        (GOOD[:-1] + bytes([GOOD[-1] ^ 1]), "checksum mismatch"),
        (_payload_with({("items", 0, "colour"): 3}), "unknown key 'colour' in items[0]"),
        (_payload_with({("spawn", "yaw"): KeyError}), "missing key 'yaw' in spawn"),
        (_payload_with({("seed",): "seven"}), "wrong type for 'seed'"),
        (_payload_with({("terrain", "heights"): np.zeros(3, np.float32)}), "terrain heights has 3 values"),
        (_payload_with({("terrain", "cell_size"): 0.0}), "terrain cell_size must be positive"),
        (_payload_with({("terrain", "cell_size"): KeyError}), "missing key 'cell_size' in terrain"),
        (_payload_with({("items", 0, "kind"): "dragon"}), "unknown item kind 'dragon' in items[0]"),
        (_payload_with({("version",): 7}), "payload version 7"),
        (_payload_with({("extra",): 1}), "unknown key 'extra' in the payload"),
        (_payload_with({("difficulty",): float("nan")}), "not finite"),
        (_payload_with({("spawn", "position"): Vector3(0.0, float("inf"), 0.0)}), "'position' in spawn is not finite"),
        (_reheader(encode_variant([1, 2])), "the payload must be a DICTIONARY"),
        (_reheader(struct.pack("<I", 99)), "unsupported Variant type 99"),
        (_reheader(struct.pack("<II", 4, 100) + b"ab"), "truncated payload"),
    ],
)
def test_corrupt_data_raises_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(CorruptWorldError, match=message.replace("[", r"\[").replace("]", r"\]")):
        decode_world(data)
    assert issubclass(CorruptWorldError, ValueError)


def test_encoding_is_deterministic() -> None:
    spec = WorldSpec(
        task="debug",
        seed=1,
        difficulty=0.25,
        terrain=wall_in_front().terrain,
        spawn=Spawn((0.0, 0.0, 0.0), 10.0, -5.0),
        items=(Item.food("orange", 1, (0.0, 0.13, -1.0), opened=False), Item.rock(2, (1.0, 0.25, 0.0))),
    )
    assert encode_world(spec) == encode_world(spec)
    assert decode_world(encode_world(spec)).item(1)["opened"] is False


# --- on the wire: what a RESET carries (avalon.sim.protocol.pack_world) ----------------------------------------------


def test_basic_task_worlds_go_to_godot_as_they_are() -> None:
    """Below the packing threshold the RESET carries `encode_world`'s bytes unchanged (packing them would only cost
    time), so every world of the tasks with small worlds keeps the wire form and the reset path it had; EXPLORE's
    big worlds go packed."""
    for task in implemented_tasks():
        spec = generate_world(task, 0, 0.5)
        data = encode_world(spec)
        if spec.terrain.bounds[1] - spec.terrain.bounds[0] <= MAX_WORLD_SIZE:
            assert len(data) <= PACK_THRESHOLD
            assert pack_world(data) == data
        else:
            assert task is Task.EXPLORE and pack_world(data)[:4] == PACKED_MAGIC


def test_a_512_m_island_packs_within_1_mb_and_unpacks_to_the_same_bytes() -> None:
    data = encode_world(big_island(512, 3.0))
    wire = pack_world(data)
    assert len(data) > 1_500_000 and wire[:4] == PACKED_MAGIC
    assert len(wire) <= 1_000_000, f"a 512 m island packs to {len(wire)} bytes"
    assert unpack_world(wire) == data
    assert pack_world(wire) == wire  # already packed: sent as it is, never packed twice


def test_big_island_heights_are_quantised_to_the_height_step() -> None:
    heights = big_island(300, 1.0).terrain.heights.astype(np.float64)
    steps = heights / HEIGHT_STEP
    assert np.array_equal(steps, np.round(steps))
    with pytest.raises(ValueError, match="power of two"):
        quantize_heights(Heightmap(np.zeros((2, 2)), 0.0, 0.0, np.zeros((1, 1), bool)), 0.01)


def test_a_world_beyond_the_size_limit_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="MAX_WORLD_BYTES"):
        pack_world(bytes(MAX_WORLD_BYTES + 1))


PACKED = pack_world(encode_world(wall_in_front()), threshold=0)
FRAME = PACKED[PACKED_HEADER.size :]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PACKED[: PACKED_HEADER.size], "no data after the 12-byte header"),
        (PACKED[:4] + struct.pack("<H", 9) + PACKED[6:], "packing version 9"),
        (PACKED[:6] + struct.pack("<H", 7) + PACKED[8:], "unknown compression method 7"),
        (PACKED[:8] + struct.pack("<I", MAX_WORLD_BYTES + 1) + FRAME, "MAX_WORLD_BYTES"),
        (PACKED[:8] + struct.pack("<I", 0) + FRAME, "announces 0 bytes"),
        (PACKED[:8] + struct.pack("<I", len(GOOD) + 1) + FRAME, f"the zstd frame states {len(GOOD)}"),
        (PACKED[:-5], "corrupt or truncated zstd data"),
        (PACKED + b"\0\0\0", "corrupt or truncated zstd data"),
        (PACKED[:-1] + bytes([PACKED[-1] ^ 0xFF]), "corrupt or truncated zstd data"),
        (PACKED[: PACKED_HEADER.size] + b"not a zstd frame", "corrupt or truncated zstd data"),
    ],
)
def test_corrupt_packed_world_raises_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        unpack_world(data)


def test_packed_world_mutations_never_get_past_the_checks() -> None:
    """Whatever unpacks from a mutated packed world, the encoded world's checksum refuses it unless it is intact."""
    rng = np.random.default_rng(5)
    inflated = 0
    for _ in range(300):
        mutated = bytearray(PACKED)
        at = int(rng.integers(len(mutated)))
        mutated[at] ^= 1 << int(rng.integers(8))
        try:
            world = unpack_world(bytes(mutated))
        except ProtocolError:
            continue
        inflated += 1  # zstd frames carry no checksum here: a flipped literal inflates to other bytes
        if world != GOOD:
            with pytest.raises(CorruptWorldError):
                decode_world(world)
    assert inflated > 0, "no mutation got past the zstd decoder: the test no longer checks the layering"
