#!/usr/bin/env python3
"""A fake Godot for fast bridge tests: speaks docs/protocol.md with synthetic observations.

Used as `AVALON_GODOT=tests/fake_godot.py`. Behaviour is chosen with FAKE_GODOT_MODE:
  normal (default) | never_eat | crash_on_step=N | hang_on_step=N | wrong_version | wrong_token | error_on_reset |
  script_error | child_connects (a forked child of the process Python started speaks the protocol) |
  huge_message (answers the first STEP with an OBS header announcing 1.8 GB, then waits)
FAKE_GODOT_CONNECT_DELAY=S waits S seconds before connecting (so a test can connect to the bridge first).
In normal mode the single food is "eaten" (+1 hit point) on frame 5 (a success); in never_eat mode it stays
uneaten, so every episode runs to its frame limit and fails.
"""

from __future__ import annotations

import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from avalon.constants import (  # noqa: E402
    ACTION_SIZE,
    PROPRIO_SIZE,
    PROTOCOL_VERSION,
    STATE_NAMES,
    STATE_SIZE,
    Command,
    MessageType,
)

S = {name: i for i, name in enumerate(STATE_NAMES)}


def read_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            sys.exit(1)
        data += chunk
    return data


def send(sock: socket.socket, kind: MessageType, payload: bytes) -> None:
    sock.sendall(struct.pack("<IB", len(payload) + 1, int(kind)) + payload)


def main() -> int:
    if "--version" in sys.argv:
        print("3.2.3.stable.fake")
        return 0
    opts = dict(a[2:].split("=", 1) for a in sys.argv if a.startswith("--avalon-") and "=" in a)
    port, token = int(opts["avalon-port"]), bytes.fromhex(os.environ["AVALON_TOKEN"])
    k, r = int(opts["avalon-envs"]), int(opts["avalon-resolution"])
    mode = os.environ.get("FAKE_GODOT_MODE", "normal")
    print(f"fake godot: mode {mode}", flush=True)
    if mode == "script_error":  # what Godot does when a GDScript fails to parse: log it, keep running, never connect
        print("SCRIPT ERROR: Parse Error: Unexpected token: Identifier:foo", flush=True)
        time.sleep(600)
    if mode == "child_connects" and os.fork() != 0:
        os.wait()
        return 0
    time.sleep(float(os.environ.get("FAKE_GODOT_CONNECT_DELAY", "0")))
    sock = socket.create_connection(("127.0.0.1", port))
    version = PROTOCOL_VERSION + (1 if mode == "wrong_version" else 0)
    if mode == "wrong_token":
        token = bytes(16)
    name = b"3.2.3.fake"
    send(sock, MessageType.HELLO, struct.pack("<I16sIII", version, token, k, r, len(name)) + name)
    frames = [0] * k
    hit_points = [1.0] * k
    steps = 0
    while True:
        length, kind = struct.unpack("<IB", read_exact(sock, 5))
        payload = read_exact(sock, length - 1)
        if kind == MessageType.CLOSE:
            return 0
        steps += 1
        if mode == f"crash_on_step={steps}":
            print("fake godot: crashing as asked", flush=True)
            os._exit(6)
        if mode == f"hang_on_step={steps}":
            time.sleep(3600)
        if mode == "huge_message":
            sock.sendall(struct.pack("<IB", 0x6B49D200, int(MessageType.OBS)) + b"\0" * 64)
            time.sleep(3600)
        offset = 4
        records = [struct.pack("<I", k)]
        for env in range(k):
            command = payload[offset]
            offset += 1
            if command == Command.IDLE:
                records.append(b"\x00")
                continue
            if command == Command.ACT:
                offset += 4 * ACTION_SIZE
                frames[env] += 1
            else:
                _, n = struct.unpack_from("<QI", payload, offset)
                offset += 12 + n
                if mode == "error_on_reset":
                    message = b"world rejected: unknown key 'items[0].foo'"
                    send(sock, MessageType.ERROR, struct.pack("<I", len(message)) + message)
                    return 3
                frames[env] = 0
                hit_points[env] = 1.0
            eaten = mode != "never_eat" and frames[env] >= 5
            state = [0.0] * STATE_SIZE
            state[S["hit_points"]] = 2.0 if eaten else 1.0
            state[S["edible_food_remaining"]] = 0.0 if eaten else 1.0
            state[S["food_eaten"]] = 1.0 if eaten else 0.0
            proprio = [0.0] * PROPRIO_SIZE
            proprio[-1] = float(frames[env])
            image = bytes([frames[env] % 256]) * (r * r * 4)
            records.append(
                b"\x01"
                + struct.pack("<I", frames[env])
                + image
                + struct.pack(f"<{PROPRIO_SIZE}f", *proprio)
                + struct.pack(f"<{STATE_SIZE}f", *state)
                + struct.pack("<H", 1)
                + struct.pack("<IHI5f", 1, 0, 0 if eaten else 1, 0.0, 0.5, -2.0, 0.0, 0.0)
            )
        send(sock, MessageType.OBS, b"".join(records))


if __name__ == "__main__":
    sys.exit(main())
