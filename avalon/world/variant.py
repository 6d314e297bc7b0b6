"""Godot 3 Variant binary serialization (what `var2bytes` / `bytes2var` use), for the types docs/world_format.md allows.

Python values map to Variant types as follows: None NIL, bool BOOL, int INT (64-bit flag only when it does not fit
in 32 bits), float REAL (32-bit), str STRING, `Vector3` VECTOR3, dict DICTIONARY (str keys), list ARRAY, bytes /
uint8 array POOL_BYTE_ARRAY, int32 array POOL_INT_ARRAY, float32 1-D POOL_REAL_ARRAY, float32 (n, 3)
POOL_VECTOR3_ARRAY, float32 (n, 4) POOL_COLOR_ARRAY. Encoding is deterministic: dictionaries keep insertion order.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import Any, NamedTuple

import numpy as np

FLAG_64 = 1 << 16
SHARED_BIT = 1 << 31
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


class CorruptWorldError(ValueError):
    """The bytes are not a valid encoded WorldSpec (or Variant); the message names the problem."""


class VariantType(IntEnum):
    NIL = 0
    BOOL = 1
    INT = 2
    REAL = 3
    STRING = 4
    VECTOR3 = 7
    DICTIONARY = 18
    ARRAY = 19
    POOL_BYTE_ARRAY = 20
    POOL_INT_ARRAY = 21
    POOL_REAL_ARRAY = 22
    POOL_VECTOR3_ARRAY = 25
    POOL_COLOR_ARRAY = 26


class Vector3(NamedTuple):
    x: float
    y: float
    z: float


# --- Variant encoder ------------------------------------------------------------------------------------------------


def _pad(n: int) -> int:
    return (4 - n % 4) % 4


def _u32(value: int) -> bytes:
    return struct.pack("<I", value)


def _encode_pool(out: list[bytes], vtype: VariantType, count: int, data: bytes) -> None:
    out.append(_u32(vtype) + _u32(count) + data + b"\0" * _pad(len(data)))


def _encode_into(out: list[bytes], value: Any) -> None:
    if value is None:
        out.append(_u32(VariantType.NIL))
    elif isinstance(value, (bool, np.bool_)):
        out.append(struct.pack("<II", VariantType.BOOL, int(bool(value))))
    elif isinstance(value, (int, np.integer)):
        number = int(value)
        if INT32_MIN <= number <= INT32_MAX:
            out.append(struct.pack("<Ii", VariantType.INT, number))
        else:
            out.append(struct.pack("<Iq", VariantType.INT | FLAG_64, number))
    elif isinstance(value, (float, np.floating)):
        out.append(struct.pack("<If", VariantType.REAL, float(value)))
    elif isinstance(value, str):
        data = value.encode("utf-8")
        out.append(_u32(VariantType.STRING) + _u32(len(data)) + data + b"\0" * _pad(len(data)))
    elif isinstance(value, Vector3):
        out.append(struct.pack("<Ifff", VariantType.VECTOR3, *value))
    elif isinstance(value, dict):
        out.append(_u32(VariantType.DICTIONARY) + _u32(len(value)))
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"dictionary keys must be str, got {key!r}")
            _encode_into(out, key)
            _encode_into(out, item)
    elif isinstance(value, list):
        out.append(_u32(VariantType.ARRAY) + _u32(len(value)))
        for item in value:
            _encode_into(out, item)
    elif isinstance(value, bytes):
        _encode_pool(out, VariantType.POOL_BYTE_ARRAY, len(value), value)
    elif isinstance(value, np.ndarray):
        _encode_array(out, value)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as a Godot Variant")


def _encode_array(out: list[bytes], array: np.ndarray) -> None:
    if array.dtype == np.uint8 and array.ndim == 1:
        _encode_pool(out, VariantType.POOL_BYTE_ARRAY, len(array), array.tobytes())
    elif array.dtype == np.int32 and array.ndim == 1:
        _encode_pool(out, VariantType.POOL_INT_ARRAY, len(array), array.astype("<i4").tobytes())
    elif array.dtype == np.float32 and array.ndim == 1:
        _encode_pool(out, VariantType.POOL_REAL_ARRAY, len(array), array.astype("<f4").tobytes())
    elif array.dtype == np.float32 and array.ndim == 2 and array.shape[1] == 3:
        _encode_pool(out, VariantType.POOL_VECTOR3_ARRAY, len(array), array.astype("<f4").tobytes())
    elif array.dtype == np.float32 and array.ndim == 2 and array.shape[1] == 4:
        _encode_pool(out, VariantType.POOL_COLOR_ARRAY, len(array), array.astype("<f4").tobytes())
    else:
        raise TypeError(f"no pool array type for a {array.dtype} array of shape {array.shape}")


def encode_variant(value: Any) -> bytes:
    """Godot 3 binary serialization of `value` (see the module docstring for the type mapping)."""
    out: list[bytes] = []
    _encode_into(out, value)
    return b"".join(out)


# --- Variant decoder ------------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.pos = 0

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise CorruptWorldError(
                f"truncated payload: {what} needs {n} bytes at offset {self.pos}, only {len(self.data) - self.pos} left"
            )
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def u32(self, what: str) -> int:
        return int(struct.unpack("<I", self.take(4, what))[0])

    def skip_padding(self, n: int, what: str) -> None:
        self.take(_pad(n), what)


_POOL_ITEM = {
    VariantType.POOL_BYTE_ARRAY: ("u1", 1, 1),
    VariantType.POOL_INT_ARRAY: ("<i4", 4, 1),
    VariantType.POOL_REAL_ARRAY: ("<f4", 4, 1),
    VariantType.POOL_VECTOR3_ARRAY: ("<f4", 12, 3),
    VariantType.POOL_COLOR_ARRAY: ("<f4", 16, 4),
}


def _decode(reader: _Reader, depth: int) -> Any:
    if depth > 32:
        raise CorruptWorldError("payload nests deeper than 32 levels")
    header = reader.u32("a value header")
    flags, type_id = header & 0xFFFF0000, header & 0xFF
    if flags & ~FLAG_64:
        raise CorruptWorldError(f"unsupported Variant flags 0x{flags:08x} at offset {reader.pos - 4}")
    try:
        vtype = VariantType(type_id)
    except ValueError:
        raise CorruptWorldError(f"unsupported Variant type {type_id} at offset {reader.pos - 4}") from None
    wide = bool(flags & FLAG_64)
    if vtype == VariantType.NIL:
        return None
    if vtype == VariantType.BOOL:
        return reader.u32("a BOOL") != 0
    if vtype == VariantType.INT:
        return int(struct.unpack("<q" if wide else "<i", reader.take(8 if wide else 4, "an INT"))[0])
    if vtype == VariantType.REAL:
        return float(struct.unpack("<d" if wide else "<f", reader.take(8 if wide else 4, "a REAL"))[0])
    if vtype == VariantType.STRING:
        length = reader.u32("a STRING length")
        raw = bytes(reader.take(length, "a STRING"))
        reader.skip_padding(length, "STRING padding")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CorruptWorldError(f"STRING is not valid UTF-8: {error}") from None
    if vtype == VariantType.VECTOR3:
        return Vector3(*(float(v) for v in struct.unpack("<fff", reader.take(12, "a VECTOR3"))))
    if vtype == VariantType.DICTIONARY:
        count = reader.u32("a DICTIONARY size") & ~SHARED_BIT
        result: dict[str, Any] = {}
        for _ in range(count):
            key = _decode(reader, depth + 1)
            if not isinstance(key, str):
                raise CorruptWorldError(f"dictionary key {key!r} is not a STRING")
            result[key] = _decode(reader, depth + 1)
        return result
    if vtype == VariantType.ARRAY:
        count = reader.u32("an ARRAY size") & ~SHARED_BIT
        return [_decode(reader, depth + 1) for _ in range(count)]
    dtype, item_size, width = _POOL_ITEM[vtype]
    count = reader.u32(f"a {vtype.name} size")
    chunk = reader.take(count * item_size, f"a {vtype.name} of {count} entries")
    reader.skip_padding(count * item_size, f"{vtype.name} padding")
    if vtype == VariantType.POOL_BYTE_ARRAY:
        return bytes(chunk)
    array = np.frombuffer(chunk, dtype=dtype).astype(dtype[-2:])
    return array.reshape(-1, width) if width > 1 else array


def decode_variant(data: bytes) -> Any:
    """Inverse of `encode_variant`; raises `CorruptWorldError` on malformed or trailing data."""
    reader = _Reader(data)
    value = _decode(reader, 0)
    if reader.pos != len(data):
        raise CorruptWorldError(f"{len(data) - reader.pos} unexpected bytes after the payload")
    return value
