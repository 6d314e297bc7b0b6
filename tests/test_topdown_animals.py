"""Top-down maps mark animals: prey as green triangles, predators as red ones, where they stand."""

from __future__ import annotations

from avalon.tasks import fight, hunt
from avalon.world.spec import Item, WorldSpec
from avalon.world.topdown import PREDATOR_COLOR, PREY_COLOR, render_topdown
from tests.animal_worlds import predators, prey, world


def _pixel(spec: WorldSpec, item: Item, scale: int) -> tuple[int, int, int]:
    image = render_topdown(spec, pixels_per_meter=scale)
    x0, _, z0 = spec.terrain.origin
    cell = max(1, round(scale * spec.terrain.cell_size)) / spec.terrain.cell_size
    x, _, z = item.position
    return image.getpixel((int((x - x0) * cell), int((z - z0) * cell)))  # type: ignore[return-value]


def test_prey_is_green_and_predators_are_red() -> None:
    hunted = world(hunt, 1, 0.5)
    assert _pixel(hunted, prey(hunted)[0], 8) == PREY_COLOR
    fought = world(fight, 1, 0.0)
    assert _pixel(fought, predators(fought)[0], 8) == PREDATOR_COLOR
