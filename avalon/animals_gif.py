"""Short GIFs of each animal species moving, for docs/animals.md (rendered: needs a display, e.g. `xvfb-run -a`).

    python -m avalon.animals_gif [--kinds rabbit wolf] [--out docs/images/animals]
    python -m avalon.animals_gif --lineup   # -> <out>/lineup.png: every species side by side, one frame

Per species a flat world with the one animal ahead of the player (fliers at their cruising height), the player
turning and pitching the head to keep it in view: towards prey it walks, so they flee; from predators it backs away,
so they chase without catching it at once (the jaguar needs a moving player in front of it, the eagle one that has
not noticed it: looked at, it keeps flying about). FRAMES frames at RESOLUTION px (fewer if a bite ends the episode)
become `<out>/<kind>.gif`, one shared palette of COLORS colours per clip so each file stays small.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import numpy as np

from avalon.constants import ACTION_SIZE, MAX_HEAD_PITCH_SPEED
from avalon.entities import ANIMALS
from avalon.entities import table as entity_table
from avalon.oracle.skills import HEAD_PITCH, HEAD_Z, Motor, entity
from avalon.world.builders import flat_world
from avalon.world.spec import Item, Spawn, WorldSpec

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "docs" / "images" / "animals"
FRAMES = 60
RESOLUTION = 128
COLORS = 64
FRAME_MS = 100  # one env step (10 Hz) per frame
WORLD_SIZE = 60  # m
AHEAD = {"prey": 5.0, "predator": 8.0}  # m from the player to the animal at the start
NEAR = {"snake": 2.5, "hippo": 5.0}  # m: predators that start chasing only this close
REACH = 2.0  # m: the player stops walking towards prey this close (horizontally)
BACK_SPEED = 0.8  # of the full walking speed, backing away from a predator
EYE_HEIGHT = 1.6  # m above the body's feet, roughly where the camera is
# m above the ground where a flier starts: its cruising height (the floor ray's length: docs/animals.md)
FLIER_ALTITUDE = {"pigeon": 4.0, "crow": 5.5, "bee": 4.0, "hawk": 8.0, "eagle": 10.0}
ANIMAL_ID = 1


def kinds() -> list[str]:
    return [row.name for row in ANIMALS]


def is_predator(kind: str) -> bool:
    return bool(entity_table.kind(kind).animal_info.predator)


def species_world(kind: str) -> WorldSpec:
    """A flat world, the player at the origin looking -Z, the animal in front of it, side on."""
    half_height = entity_table.kind(kind).physics.extents[1]
    y = half_height + FLIER_ALTITUDE.get(kind, 0.05)
    ahead = NEAR.get(kind, AHEAD["predator" if is_predator(kind) else "prey"])
    animal = Item.of(kind, ANIMAL_ID, (0.0, y, -ahead), yaw=90.0)
    # A world without food ends its episode 20 frames in (a predator is not food): an apple out of the way.
    apple = Item.food("apple", ANIMAL_ID + 1, (WORLD_SIZE / 3.0, 0.5, WORLD_SIZE / 3.0))
    return flat_world(WORLD_SIZE, items=[animal, apple], spawn=Spawn((0.0, 0.0, 0.0)))


LINEUP_RESOLUTION = 768
LINEUP_BAND = (0.40, 0.62)  # the rows of the frame (fractions from the top) the animals stand in, kept
LINEUP_YAW = 60.0  # degrees: a three-quarter view
LINEUP_GAP = 0.8  # m between neighbours


def lineup_world(row: list[str]) -> WorldSpec:
    """The species of `row` on the ground (fliers too, before they take off) side by side ahead of the player, far
    enough for the camera (90 degrees) to see them all."""
    yaw = math.radians(LINEUP_YAW)
    widths: list[float] = []
    for kind in row:
        ex, _, ez = entity_table.kind(kind).physics.extents
        widths.append(2.0 * (ez * abs(math.sin(yaw)) + ex * abs(math.cos(yaw))) + LINEUP_GAP)
    distance = max(6.0, 0.55 * sum(widths))
    items: list[Item] = []
    x = -sum(widths) / 2.0
    for kind, width in zip(row, widths, strict=True):
        y = entity_table.kind(kind).physics.extents[1] + 0.05
        items.append(Item.of(kind, len(items) + 1, (x + width / 2.0, y, -distance), yaw=LINEUP_YAW))
        x += width
    return flat_world(WORLD_SIZE * 2, items=items, spawn=Spawn((0.0, 0.0, 0.0)))


def write_lineup(path: Path) -> None:
    """Prey above, predators below, each row the band of one rendered frame the animals stand in."""
    from PIL import Image

    from avalon.env import AvalonEnv

    rows = [
        [row.name for row in ANIMALS if not row.animal_info.predator],
        [row.name for row in ANIMALS if row.animal_info.predator],
    ]
    frames = []
    with AvalonEnv(resolution=LINEUP_RESOLUTION, debug=True) as env:
        for row in rows:
            observation, _ = env.reset(seed=0, options={"world": lineup_world(row)})
            top, bottom = (round(f * LINEUP_RESOLUTION) for f in LINEUP_BAND)
            frames.append(observation["rgbd"][top:bottom, :, :3].copy())
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(frames, axis=0)).save(path)


def _action(motor: Motor, debug: dict[str, Any], predator: bool) -> np.ndarray:
    """Walk towards prey, back away from a predator, facing it and pitching the head at it."""
    action = np.zeros(ACTION_SIZE, np.float32)
    record = entity(debug, ANIMAL_ID)
    if record is None:
        return action
    target = np.asarray(record["position"], dtype=np.float64)
    if predator:
        motor.face(action, debug, target)
        action[HEAD_Z] = BACK_SPEED
    else:
        motor.walk(action, debug, "animal", target, REACH)
    body = np.asarray(debug["body_position"], dtype=np.float64)
    flat = math.hypot(target[0] - body[0], target[2] - body[2])
    wanted = math.degrees(math.atan2(target[1] - (body[1] + EYE_HEIGHT / 2.0), max(flat, 0.1)))
    action[HEAD_PITCH] = np.clip((wanted - debug["head_pitch"]) / MAX_HEAD_PITCH_SPEED, -1.0, 1.0)
    return action


def record(env: Any, kind: str) -> list[np.ndarray]:
    """FRAMES rendered RGB frames of `kind` in its world (`env`: a rendering AvalonEnv with debug info)."""
    observation, info = env.reset(seed=0, options={"world": species_world(kind)})
    motor = Motor()
    frames = [observation["rgbd"][..., :3].copy()]
    while len(frames) < FRAMES:
        observation, _, terminated, truncated, info = env.step(_action(motor, info["debug"], is_predator(kind)))
        frames.append(observation["rgbd"][..., :3].copy())
        if terminated or truncated:
            break
    return frames


def write_gif(frames: list[np.ndarray], path: Path) -> None:
    """A looping palette GIF, one palette (COLORS colours, no dithering: it compresses better) for all frames."""
    from PIL import Image

    sample = Image.fromarray(np.concatenate(frames[:: max(1, len(frames) // 8)], axis=0))
    palette = sample.quantize(COLORS, method=Image.Quantize.MEDIANCUT)
    images = [Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, save_all=True, append_images=images[1:], duration=FRAME_MS, loop=0, optimize=True)


def main(argv: list[str] | None = None) -> int:
    from avalon.env import AvalonEnv

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", nargs="*", default=kinds(), help="species (default: all)")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--lineup", action="store_true", help="only the picture of every species side by side")
    args = parser.parse_args(argv)
    if args.lineup:
        write_lineup(args.out / "lineup.png")
        return 0
    with AvalonEnv(resolution=RESOLUTION, debug=True) as env:
        for kind in args.kinds:
            path = args.out / f"{kind}.gif"
            write_gif(record(env, kind), path)
            print(f"{path}: {path.stat().st_size // 1024} KB", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
