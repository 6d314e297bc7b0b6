"""avalon/animals_gif.py without Godot: the worlds it builds and the GIFs it writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from avalon import animals_gif


def test_every_species_gets_a_world_with_it_ahead_and_food() -> None:
    assert len(animals_gif.kinds()) == 17
    for kind in animals_gif.kinds():
        world = animals_gif.species_world(kind)
        animal = next(item for item in world.items if item.id == animals_gif.ANIMAL_ID)
        assert animal.kind == kind
        assert animal.position[2] < -2.0, f"the {kind} is not ahead of the player"
        assert any(item.kind == "apple" for item in world.items), "without food the episode would end early"
        if kind in animals_gif.FLIER_ALTITUDE:
            assert animal.position[1] > 3.0, f"the {kind} starts on the ground"


def test_lineup_rows_hold_every_species_once() -> None:
    names = [
        item.kind
        for row in (animals_gif.kinds()[:8], animals_gif.kinds()[8:])
        for item in animals_gif.lineup_world(row).items
    ]
    assert sorted(names) == sorted(animals_gif.kinds())


def test_write_gif_is_a_small_looping_palette_gif(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    frames = [np.full((128, 128, 3), (90, 160, 70), np.uint8) for _ in range(animals_gif.FRAMES)]
    for n, frame in enumerate(frames):  # a box moving across a noisy sky
        frame[:40] = rng.integers(150, 160, (40, 128, 3))
        frame[60:80, n : n + 20] = (120, 80, 40)
    path = tmp_path / "animal.gif"
    animals_gif.write_gif(frames, path)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.mode == "P"
        assert gif.n_frames == animals_gif.FRAMES
        assert gif.info["loop"] == 0
        assert len(set(gif.convert("RGB").getdata())) <= animals_gif.COLORS
    assert path.stat().st_size < 300_000
