"""Binary messages between Python and Godot (docs/protocol.md): encoders for what Python sends, decoders for replies.

Pure functions over bytes, so they are tested without Godot.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import zstandard

from avalon.constants import (
    ACTION_SIZE,
    MAX_WORLD_BYTES,
    PACKED_WORLD_VERSION,
    PROPRIO_SIZE,
    PROTOCOL_VERSION,
    STATE_SIZE,
    Command,
    MessageType,
)
from avalon.sim.errors import ProtocolError  # with the other typed errors: a ProtocolError is a SimulatorError

HEADER = struct.Struct("<IB")  # length (type byte + payload), type
# kind: the entity table's append-only id (avalon.entities); flags: EntityFlag bits (u32: room for doors, climbing
# state); hit points: an animal's (0 for other kinds); yaw: degrees about +y (0 faces -z)
ENTITY_DTYPE = np.dtype(
    [
        ("id", "<u4"),
        ("kind", "<u2"),
        ("flags", "<u4"),
        ("position", "<f4", (3,)),
        ("hit_points", "<f4"),
        ("yaw", "<f4"),
    ]
)
TOKEN_BYTES = 16
INPUT_STRUCT = struct.Struct("<BIff")
MAX_ERROR_BYTES = 1 << 16  # an ERROR message's text
MAX_HELLO_BYTES = 1024  # a HELLO: 32 bytes and Godot's version string
MAX_ENTITIES = 0xFFFF  # per env in an OBS (its count is a u16)


def max_message_length(message_type: MessageType, num_envs: int, resolution: int, render_resolution: int = 0) -> int:
    """The largest length (type byte + payload) a message of this type may announce to a bridge of `num_envs`
    envs at `resolution` pixels (and render frames of `render_resolution`); the bridge refuses anything longer before
    reading it."""
    if message_type == MessageType.HELLO:
        return 1 + MAX_HELLO_BYTES
    if message_type == MessageType.INPUT:
        return 1 + INPUT_STRUCT.size
    if message_type == MessageType.ERROR:
        return 1 + 4 + MAX_ERROR_BYTES
    if message_type == MessageType.OBS:
        record = 1 + 4 + resolution * resolution * 4 + render_resolution**2 * 3 + 4 * (PROPRIO_SIZE + STATE_SIZE) + 2
        return 1 + 4 + num_envs * (record + MAX_ENTITIES * ENTITY_DTYPE.itemsize)
    return 1 + 4  # Godot sends nothing else


@dataclass(frozen=True)
class Hello:
    protocol_version: int
    token: bytes
    num_envs: int
    resolution: int
    godot_version: str


@dataclass
class RawObservation:
    """One environment's record of an OBS message, before the env turns it into an observation."""

    frame: int
    rgbd: np.ndarray  # (R, R, 4) uint8
    proprio: np.ndarray  # (PROPRIO_SIZE,) float32
    state: np.ndarray  # (STATE_SIZE,) float32
    entities: np.ndarray  # (n,) ENTITY_DTYPE
    render: np.ndarray | None = None  # (S, S, 3) uint8 when the process renders frames for render() at S pixels


@dataclass(frozen=True)
class HumanInput:
    """What a person did during one tick (human mode): HumanStatus bits, HumanKey bits, mouse motion in pixels."""

    status: int = 0
    keys: int = 0
    mouse_dx: float = 0.0
    mouse_dy: float = 0.0


def decode_input(payload: bytes) -> HumanInput:
    if len(payload) != INPUT_STRUCT.size:
        raise ProtocolError(f"INPUT message of {len(payload)} bytes, expected {INPUT_STRUCT.size}")
    return HumanInput(*INPUT_STRUCT.unpack(payload))


def encode_hud(fields: dict[str, object]) -> bytes:
    """HUD message (human mode): u32 length + a UTF-8 JSON object."""
    text = json.dumps(fields, separators=(",", ":")).encode()
    return frame(MessageType.HUD, struct.pack("<I", len(text)) + text)


# --- a world on the wire (docs/world_format.md "On the wire") ---------------------------------------------------------

PACKED_MAGIC = b"AVWZ"
PACKED_HEADER = struct.Struct("<4sHHI")  # magic, packing version, method, length of the encoded world it inflates to
ZSTD = 1  # the one method: a zstd frame, which Godot 3.2's PoolByteArray.decompress(n, File.COMPRESSION_ZSTD) reads
# Worlds up to this size go as they are: packing PUSH's 94 KB world would cost 0.16 ms in Python and 0.16 ms more in
# Godot's decode, and save nothing on a loopback socket; so every basic task's world (8-94 KB) keeps its wire bytes
# and reset path. Bigger worlds (a 300 m island is 550 KB) are packed.
PACK_THRESHOLD = 1 << 18
# zstd level 1: on a 512 m island with quantised heights (the 1.6 MB of builders.big_island) it packed to 486 KB in
# 10 ms, level 3 to 460 KB in 18 ms (zlib level 1, the stdlib's fastest: 552 KB in 35 ms; Godot inflated that in
# 6 ms against 1.2 ms for either zstd level).
ZSTD_LEVEL = 1


def pack_world(world: bytes, threshold: int = PACK_THRESHOLD) -> bytes:
    """What a RESET carries for the encoded world `world`: the bytes as they are when at most `threshold` long (or
    already packed), else packed (the header, then one zstd frame). Raises ValueError naming MAX_WORLD_BYTES for a
    world longer than either side accepts."""
    if len(world) > MAX_WORLD_BYTES:
        raise ValueError(
            f"the encoded world is {len(world)} bytes, more than MAX_WORLD_BYTES = {MAX_WORLD_BYTES} (the largest "
            "world either side accepts)"
        )
    if len(world) <= threshold or world[:4] == PACKED_MAGIC:
        return bytes(world)
    # A compressor per call: zstandard's are not safe to share between threads, and making one costs microseconds.
    frame = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=True).compress(world)
    return PACKED_HEADER.pack(PACKED_MAGIC, PACKED_WORLD_VERSION, ZSTD, len(world)) + frame


def unpack_world(data: bytes) -> bytes:
    """The encoded world a RESET's bytes carry (the inverse of `pack_world`): unpacked bytes are returned as they
    are; packed ones are checked and inflated. Raises ProtocolError naming the problem, before allocating more
    than the header announces (at most MAX_WORLD_BYTES)."""
    if data[:4] != PACKED_MAGIC:
        return bytes(data)
    if len(data) <= PACKED_HEADER.size:
        raise ProtocolError(f"packed world: {len(data)} bytes, no data after the {PACKED_HEADER.size}-byte header")
    _, version, method, size = PACKED_HEADER.unpack_from(data)
    if version != PACKED_WORLD_VERSION:
        raise ProtocolError(f"packed world: packing version {version}, this build reads {PACKED_WORLD_VERSION}")
    if method != ZSTD:
        raise ProtocolError(f"packed world: unknown compression method {method} (known: {ZSTD} = zstd)")
    if not 0 < size <= MAX_WORLD_BYTES:
        raise ProtocolError(f"packed world: announces {size} bytes, expected 1 to MAX_WORLD_BYTES = {MAX_WORLD_BYTES}")
    frame = bytes(data[PACKED_HEADER.size :])
    try:
        framed = zstandard.frame_content_size(frame)
        if framed != size:  # the decompressor would allocate the frame's own figure, whatever the header says
            stated = "does not state its size" if framed < 0 else f"states {framed}"
            raise ProtocolError(f"packed world: the header announces {size} bytes, the zstd frame {stated}")
        world = zstandard.ZstdDecompressor().decompress(frame, allow_extra_data=False)
    except zstandard.ZstdError as error:
        raise ProtocolError(f"packed world: corrupt or truncated zstd data ({error})") from None
    if len(world) != size:
        raise ProtocolError(f"packed world: inflates to {len(world)} bytes, the header announces {size}")
    return world


CommandSpec = tuple[Command, object]  # (IDLE, None) | (ACT, float32 array) | (RESET, (episode_seed, world_bytes))


def frame(message_type: MessageType, payload: bytes) -> bytes:
    return HEADER.pack(len(payload) + 1, int(message_type)) + payload


def encode_step(commands: Sequence[CommandSpec]) -> bytes:
    parts = [struct.pack("<I", len(commands))]
    for command, data in commands:
        parts.append(struct.pack("<B", int(command)))
        if command == Command.IDLE:
            continue
        if command == Command.ACT:
            action = np.ascontiguousarray(data, dtype="<f4")
            if action.shape != (ACTION_SIZE,):
                raise ValueError(f"ACT needs {ACTION_SIZE} floats, got shape {action.shape}")
            parts.append(action.tobytes())
        elif command == Command.RESET:
            if not isinstance(data, tuple) or len(data) != 2:
                raise ValueError("RESET needs (episode_seed, world_bytes)")
            episode_seed: int = data[0]
            world: bytes = data[1]
            wire = pack_world(world)
            parts.append(struct.pack("<QI", int(episode_seed), len(wire)))
            parts.append(wire)
        else:
            raise ValueError(f"unknown command {command!r}")
    return frame(MessageType.STEP, b"".join(parts))


def decode_hello(payload: bytes) -> Hello:
    try:
        version, token, num_envs, resolution, text_len = struct.unpack_from("<I16sIII", payload)
        text = payload[32 : 32 + text_len].decode("utf-8")
    except (struct.error, UnicodeDecodeError) as error:
        raise ProtocolError(f"malformed HELLO ({len(payload)} bytes): {error}") from None
    return Hello(version, token, num_envs, resolution, text)


def check_hello(hello: Hello, token: bytes, num_envs: int, resolution: int) -> None:
    if hello.protocol_version != PROTOCOL_VERSION:
        raise ProtocolError(
            f"Godot speaks protocol version {hello.protocol_version}, this package speaks {PROTOCOL_VERSION}: "
            "the godot_project and the Python package are from different versions"
        )
    if hello.token != token:
        raise ProtocolError("HELLO carried the wrong token: another process connected to this bridge's port")
    if (hello.num_envs, hello.resolution) != (num_envs, resolution):
        raise ProtocolError(
            f"Godot started with {hello.num_envs} envs at {hello.resolution}px, expected {num_envs} at {resolution}px"
        )


def decode_error(payload: bytes) -> str:
    """The text of an ERROR message: u32 length + UTF-8 (bad bytes replaced, never empty)."""
    if len(payload) < 4:
        raise ProtocolError(f"malformed ERROR message ({len(payload)} bytes)")
    (length,) = struct.unpack_from("<I", payload)
    if length != len(payload) - 4:
        raise ProtocolError(f"ERROR message announces {length} bytes of text, carries {len(payload) - 4}")
    return payload[4:].decode("utf-8", errors="replace") or "(Godot gave no reason)"


def decode_obs(
    payload: bytes | bytearray | memoryview, num_envs: int, resolution: int, render_resolution: int = 0
) -> list[RawObservation | None]:
    """Parse an OBS payload into one record per env (None where the env was IDLE)."""
    view = memoryview(payload)
    try:
        (count,) = struct.unpack_from("<I", view, 0)
        if count != num_envs:
            raise ProtocolError(f"OBS has {count} records, expected {num_envs}")
        offset = 4
        image_bytes = resolution * resolution * 4
        records: list[RawObservation | None] = []
        for _ in range(count):
            present = view[offset]
            offset += 1
            if not present:
                records.append(None)
                continue
            (frame_number,) = struct.unpack_from("<I", view, offset)
            offset += 4
            rgbd = np.frombuffer(view, np.uint8, image_bytes, offset).reshape(resolution, resolution, 4).copy()
            offset += image_bytes
            render = None
            if render_resolution:
                size = render_resolution * render_resolution * 3
                render = np.frombuffer(view, np.uint8, size, offset).reshape(render_resolution, render_resolution, 3)
                render = render.copy()
                offset += size
            proprio = np.frombuffer(view, "<f4", PROPRIO_SIZE, offset).astype(np.float32)
            offset += PROPRIO_SIZE * 4
            state = np.frombuffer(view, "<f4", STATE_SIZE, offset).astype(np.float32)
            offset += STATE_SIZE * 4
            (n_entities,) = struct.unpack_from("<H", view, offset)
            offset += 2
            entities = np.frombuffer(view, ENTITY_DTYPE, n_entities, offset).copy()
            offset += n_entities * ENTITY_DTYPE.itemsize
            records.append(RawObservation(frame_number, rgbd, proprio, state, entities, render))
    except (struct.error, ValueError, IndexError) as error:
        raise ProtocolError(f"truncated or malformed OBS message ({len(view)} bytes): {error}") from None
    if offset != len(view):
        raise ProtocolError(f"OBS message has {len(view) - offset} unexpected trailing bytes")
    return records
