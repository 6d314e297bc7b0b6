"""Bad input to the simulator bridge: fuzzed protocol messages and worlds, hostile worlds sent straight to Godot,
bad worlds, arguments and seeds through the public API, and a Godot killed under an env. Each gets a typed error
that names the problem. (Attacks on the connection: tests/test_bridge_security.py.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import random
import re
import signal
import struct
import time
from typing import Any

import numpy as np
import pytest
import zstandard

from avalon.constants import MAX_WORLD_BYTES, PACKED_WORLD_VERSION, PROPRIO_SIZE, STATE_SIZE, Command
from avalon.env import AvalonEnv
from avalon.sim import protocol
from avalon.sim.errors import GodotCrashedError, GodotReportedError, ProtocolError
from avalon.sim.process import GodotProcess
from avalon.tasks import generate_world
from avalon.vector import make_vec
from avalon.world.builders import flat_world
from avalon.world.codec import HEADER, MAGIC, CorruptWorldError, decode_world, encode_world
from avalon.world.spec import Item, Spawn
from avalon.world.validate import InvalidWorldError

# --- the decoders, fuzzed (pure Python, seconds) -------------------------------------------------------------------


def _obs_payload(num_envs: int, resolution: int, entities: int) -> bytes:
    record = (
        b"\x01"
        + struct.pack("<I", 3)
        + bytes(resolution * resolution * 4)
        + struct.pack(f"<{PROPRIO_SIZE + STATE_SIZE}f", *([0.5] * (PROPRIO_SIZE + STATE_SIZE)))
        + struct.pack("<H", entities)
        + struct.pack("<IHI5f", 1, 0, 1, 0.0, 0.5, -2.0, 0.0, 0.0) * entities
    )
    return struct.pack("<I", num_envs) + record * num_envs


def _mutations(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    out = []
    for _ in range(count):
        mutated = bytearray(data)
        kind = rng.randrange(4)
        if kind == 0 and mutated:  # flip bits
            for _ in range(rng.randint(1, 4)):
                mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        elif kind == 1:  # cut
            del mutated[rng.randrange(len(mutated) + 1) :]
        elif kind == 2:  # extend
            mutated += rng.randbytes(rng.randint(1, 16))
        else:  # overwrite a word with an extreme value
            at = rng.randrange(max(1, len(mutated) - 4))
            mutated[at : at + 4] = rng.choice([b"\xff\xff\xff\xff", b"\x00\x00\x00\x80", b"\x00\x00\xc0\x7f"])
        out.append(bytes(mutated))
    return out


def test_decoders_fuzzed_raise_only_their_own_errors() -> None:
    rng = random.Random(1234)
    obs = _obs_payload(2, 8, 3)
    assert len(protocol.decode_obs(obs, 2, 8)) == 2
    for mutated in _mutations(obs, rng, 400):
        with contextlib.suppress(ProtocolError):
            protocol.decode_obs(mutated, 2, 8)
    hello = struct.pack("<I16sIII", 2, bytes(16), 1, 96, 5) + b"3.2.3"
    for mutated in _mutations(hello, rng, 200):
        with contextlib.suppress(ProtocolError):
            protocol.decode_hello(mutated)
    for mutated in _mutations(struct.pack("<BIff", 1, 2, 3.0, 4.0), rng, 100):
        with contextlib.suppress(ProtocolError):
            protocol.decode_input(mutated)
    for mutated in _mutations(struct.pack("<I", 5) + b"hello", rng, 100):
        with contextlib.suppress(ProtocolError):
            protocol.decode_error(mutated)
    world = encode_world(generate_world("eat", 0, 0.5))
    accepted = 0
    for mutated in _mutations(world, rng, 300):
        try:
            decode_world(mutated)
            accepted += 1
        except CorruptWorldError:
            pass
    assert accepted == 0, "the checksum catches every mutation of a world"


# --- hostile worlds straight to Godot, past Python's checks ------------------------------------------------------


def _with_header(payload: bytes) -> bytes:
    import hashlib

    from avalon.constants import WORLD_FORMAT_VERSION

    return HEADER.pack(MAGIC, WORLD_FORMAT_VERSION, 0, len(payload), hashlib.sha256(payload).digest()) + payload


def _hostile_worlds() -> list[tuple[str, bytes]]:
    rng = random.Random(7)
    good = encode_world(generate_world("eat", 1, 0.5))
    worlds = []
    for n in range(6):
        flipped = bytearray(good)
        flipped[rng.randrange(len(good))] ^= 1 << rng.randrange(8)
        worlds.append((f"bit flip {n}", bytes(flipped)))
    nested = struct.pack("<II", 19, 1) * 200_000 + struct.pack("<I", 0)  # 200,000 arrays, each holding the next
    worlds.append(("200,000 nested arrays", _with_header(nested)))
    worlds.append(("an unsupported Variant type", _with_header(struct.pack("<I", 17) + bytes(8))))
    worlds.append(("a container announcing 2**31 members", _with_header(struct.pack("<II", 18, 0x7FFFFFFF))))
    nan_spawn = flat_world(spawn=Spawn((math.nan, 0.0, 0.0)))  # past Python's checks: encode_world does not check
    worlds.append(("a NaN spawn", encode_world(nan_spawn)))
    far_spawn = flat_world(spawn=Spawn((1e9, 0.0, 1e9)))
    worlds.append(("a spawn 1e9 m away", encode_world(far_spawn)))
    worlds.append(("an empty world", b""))
    return worlds


@pytest.mark.godot
def test_godot_refuses_a_cell_size_out_of_range_and_names_it() -> None:
    from avalon.world.codec import encode_variant, spec_to_variant

    variant = spec_to_variant(flat_world())
    variant["terrain"]["cell_size"] = 0.0  # past Python's checks: a Terrain cannot hold it
    with GodotProcess(headless=True) as process, pytest.raises(GodotReportedError, match="terrain.cell_size"):
        process.step([(Command.RESET, (1, _with_header(encode_variant(variant))))])


@pytest.mark.godot
def test_godot_refuses_hostile_worlds_and_says_why() -> None:
    for name, data in _hostile_worlds():
        with GodotProcess(headless=True) as process, pytest.raises(GodotReportedError) as caught:
            process.step([(Command.RESET, (1, data))])
        reason = str(caught.value).split("\n", 1)[0]
        assert reason.startswith("Godot reported: env 0: "), name
        assert len(reason) > len("Godot reported: env 0: ") + 10, f"{name}: no reason given ({reason!r})"


def _terrain_and_trees_world(layer: str, index: int, value: float) -> bytes:
    """A flat world with three trees whose `layer` ("cell_colors", or a trees key) gets `value` at `index`, encoded
    past Python's checks: Godot's own scan of the big arrays must find and name it."""
    from avalon.world.codec import encode_variant, spec_to_variant
    from avalon.world.spec import Trees

    trees = Trees(np.array([[2.0, 0.0, 2.0], [3.0, 0.0, 3.0], [4.0, 0.0, 4.0]]), np.full(3, 5.0), np.zeros(3))
    variant = spec_to_variant(flat_world(trees=trees))
    where = variant["terrain"] if layer == "cell_colors" else variant["trees"]
    where[layer] = where[layer].copy()
    where[layer][index] = value
    return _with_header(encode_variant(variant))


@pytest.mark.godot
@pytest.mark.parametrize(
    ("layer", "index", "value", "reason"),
    [
        ("cell_colors", 150, 9, "terrain.cell_colors[150]: 9 is not a palette index"),
        ("cell_colors", 0, 255, "terrain.cell_colors[0]: 255 is not a palette index"),
        ("kinds", 2, 3, "trees.kinds[2]: unknown tree kind 3"),
        ("heights", 1, -1.0, "trees.heights[1]: must be in (0, 100]"),
        ("heights", 1, math.nan, "trees.heights[1]: must be in (0, 100]"),
        ("positions", 0, math.inf, "trees.positions[0]: not finite"),
    ],
)
def test_godot_scans_big_arrays_and_names_the_bad_element(layer: str, index: int, value: float, reason: str) -> None:
    with GodotProcess(headless=True) as process, pytest.raises(GodotReportedError, match=re.escape(reason)):
        process.step([(Command.RESET, (1, _terrain_and_trees_world(layer, index, value)))])


def _pack_anyway(data: bytes) -> bytes:
    """`data` packed even when it is packed already (which `pack_world` leaves as it is)."""
    frame = zstandard.ZstdCompressor().compress(data)
    return protocol.PACKED_HEADER.pack(protocol.PACKED_MAGIC, PACKED_WORLD_VERSION, protocol.ZSTD, len(data)) + frame


def _packed_worlds() -> list[tuple[str, bytes, str]]:
    """Packed worlds (docs/world_format.md "On the wire") that Godot must refuse, each with the reason it must give.
    They are small, so the bridge sends them as they are."""
    world = encode_world(flat_world())
    packed = protocol.pack_world(world, threshold=0)
    header, frame = packed[: protocol.PACKED_HEADER.size], packed[protocol.PACKED_HEADER.size :]

    def announcing(size: int) -> bytes:
        return header[:8] + struct.pack("<I", size) + frame

    flipped = bytearray(world)
    flipped[-1] ^= 1
    return [
        ("a header and nothing else", header, "no data after the 12-byte header"),
        ("an unknown packing version", header[:4] + struct.pack("<H", 9) + packed[6:], "packing version 9"),
        ("an unknown method", header[:6] + struct.pack("<H", 7) + packed[8:], "unknown compression method 7"),
        ("a size past the limit", announcing(MAX_WORLD_BYTES + 1), "MAX_WORLD_BYTES = 134217728"),
        ("a size the frame exceeds", announcing(len(world) - 1), "does not inflate to the announced"),
        ("a size the frame falls short of", announcing(len(world) + 1), f"(it holds {len(world)})"),
        ("a truncated frame", packed[:-5], "corrupt or truncated"),
        ("bytes after the frame", packed + b"\0\0\0\0", "corrupt or truncated"),
        ("no zstd frame", header + b"not a zstd frame at all", "corrupt or truncated"),
        ("a packed packed world", _pack_anyway(packed), "bad magic"),
        ("a packed world with a flipped bit", protocol.pack_world(bytes(flipped), threshold=0), "checksum mismatch"),
    ]


@pytest.mark.godot
def test_godot_refuses_bad_packed_worlds_and_names_the_problem() -> None:
    for name, data, reason in _packed_worlds():
        with GodotProcess(headless=True) as process, pytest.raises(GodotReportedError) as caught:
            process.step([(Command.RESET, (1, data))])
        assert reason in str(caught.value).split("\n", 1)[0], f"{name}: {caught.value}"


def _item_world(**changes: object) -> bytes:
    """A world with one block whose item Dictionary gets `changes` (None deletes a key), encoded past Python's
    checks, so Godot's own checks from the generated entity table must refuse it."""
    from avalon.world.codec import spec_to_variant
    from avalon.world.variant import Vector3, encode_variant

    world = flat_world(items=[Item.block(1, (0.0, 0.5, -3.0), (1.0, 1.0, 1.0))])
    payload = spec_to_variant(world)
    item = payload["items"][0]
    for key, value in changes.items():
        if value is None:
            del item[key]
        else:
            item[key] = Vector3(*value) if isinstance(value, tuple) else value
    return _with_header(encode_variant(payload))


@pytest.mark.godot
@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"kind": "dragon"}, "items[0].kind: unknown item kind 'dragon'"),
        ({"color": None}, "items[0]: missing key 'color'"),
        ({"length": 2.0}, "items[0]: unknown key 'length'"),
        ({"color": 1.5}, "items[0].color: expected INT, got REAL"),
        ({"size": (1.0, -1.0, 1.0)}, "items[0].size: must be > 0"),
        ({"size": (1.0, 200.0, 1.0)}, "items[0].size: larger than 100 m"),
        ({"color": 7}, "items[0].color: 7 is not a palette index"),
    ],
)
def test_godot_checks_items_against_the_entity_table(changes: dict[str, object], reason: str) -> None:
    with GodotProcess(headless=True) as process, pytest.raises(GodotReportedError, match=re.escape(reason)):
        process.step([(Command.RESET, (1, _item_world(**changes)))])


# --- bad input through the public API: typed errors, before Godot starts ---------------------------------------------


def test_bad_worlds_are_refused_before_godot_starts() -> None:
    """`reset(options={"world": spec})` runs the same checks as the generators: the issue's cases, each named."""
    good = generate_world("eat", 0, 0.0)
    heights = np.array(good.terrain.heights)
    heights[3, 4] = math.nan
    food = good.foods()[0]
    cases = [
        (flat_world(spawn=Spawn((math.nan, 0.0, 0.0))), "spawn"),
        (flat_world(spawn=Spawn((0.0, math.inf, 0.0))), "spawn"),
        (flat_world(spawn=Spawn((1e9, 0.0, 1e9))), "spawn at x=1000000000.00"),
        (dataclasses.replace(good, terrain=dataclasses.replace(good.terrain, heights=heights)), "terrain height"),
        (
            dataclasses.replace(
                good, items=(dataclasses.replace(food, position=(math.nan, 1.0, 0.0)), *good.items[1:])
            ),
            "non-finite",
        ),
        (dataclasses.replace(good, difficulty=7.0), r"difficulty must be in \[0, 1\], got 7"),
        (flat_world(task="eat"), "no food"),
    ]
    env = AvalonEnv("eat", headless=True)
    try:
        for world, message in cases:
            with pytest.raises(InvalidWorldError, match=message):
                env.reset(options={"world": world})
        assert env.process is None, "nothing reached Godot"
    finally:
        env.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: AvalonEnv("eat", timeout=0), "timeout must be a positive"),
        (lambda: AvalonEnv("eat", timeout=math.nan), "timeout must be a positive"),
        (lambda: AvalonEnv("eat", difficulty=True), "difficulty must be a number"),
        (lambda: make_vec("eat", 2, timeout=-1), "timeout must be a positive"),
        (lambda: AvalonEnv("eat", resolution=True), "resolution must be an int"),
    ],
)
def test_bad_arguments_are_named(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("seed", [2**64, 2**63, -1, True])
def test_bad_seeds_are_named_before_godot_starts(seed: object) -> None:
    env = AvalonEnv("eat", headless=True)
    try:
        with pytest.raises(ValueError, match=r"seed must be None or an int in \[0, 2\*\*63 - 1\]"):
            env.reset(seed=seed)  # type: ignore[arg-type]
        assert env.process is None
    finally:
        env.close()


@pytest.mark.godot
def test_godot_killed_between_steps_is_a_typed_error_with_the_log() -> None:
    with AvalonEnv("eat", headless=True) as env:
        env.reset(seed=0)
        assert env.process is not None and env.process.pid is not None
        os.kill(env.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while env.process.is_alive and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(GodotCrashedError, match="killed by signal 9") as caught:
            env.step(env.action_space.sample())
        assert "Godot Engine" in caught.value.log_tail
        env.reset(seed=0)  # a fresh process
        env.step(env.action_space.sample())
    vec = make_vec("eat", 2, num_processes=2, headless=True)
    try:
        vec.reset(seed=0)
        victim = vec._processes[1]
        assert victim is not None and victim.pid is not None
        os.kill(victim.pid, signal.SIGKILL)
        while victim.is_alive and time.monotonic() < deadline + 10:
            time.sleep(0.01)
        with pytest.raises(GodotCrashedError, match="killed by signal 9") as caught:
            vec.step(vec.action_space.sample())
        assert "Godot Engine" in caught.value.log_tail
        vec.reset(seed=0)
    finally:
        vec.close()
