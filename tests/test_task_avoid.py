"""AVOID: the module follows the task contract; worlds are deterministic and valid; more and
harder predators, a shorter way and predators nearer the way with d; none inside the spawn's safety circle; the tree
is reachable by walking and the predators stand on the ground."""

from __future__ import annotations

import math

import numpy as np
import pytest

from avalon.tasks import avoid as module
from avalon.tasks import check_task_module
from avalon.world.codec import encode_world
from avalon.world.obstacles import is_reachable
from avalon.world.spec import WorldSpec
from tests.animal_worlds import distance, misses_the_apple, predators, stands_on_ground, weapons, world, xz

SEEDS = range(50)


def test_the_module_follows_the_task_contract() -> None:
    assert check_task_module("avoid", module) == []
    assert module.VARIANTS == ()


def test_the_same_seed_and_difficulty_give_the_same_bytes() -> None:
    first = encode_world(world(module, 4, 0.5))
    assert encode_world(world.__wrapped__(module, 4, 0.5)) == first  # type: ignore[attr-defined]
    assert encode_world(world.__wrapped__(module, 9, 0.5)) != first  # type: ignore[attr-defined]


def _tree(spec: WorldSpec) -> tuple[float, float]:
    return xz(next(item for item in spec.items if item.kind == "fruit_tree"))


def _off_line(spec: WorldSpec) -> float:
    """Mean distance of the predators from the spawn-tree line."""
    (sx, sz), (tx, tz) = xz(spec), _tree(spec)
    length = math.dist((sx, sz), (tx, tz))
    return float(
        np.mean([abs((px - sx) * (tz - sz) - (pz - sz) * (tx - sx)) / length for px, pz in map(xz, predators(spec))])
    )


def test_difficulty_adds_predators_shortens_the_way_and_puts_them_on_it() -> None:
    easy = [world(module, s, 0.0) for s in SEEDS]
    hard = [world(module, s, 1.0) for s in SEEDS]
    assert np.mean([len(predators(w)) for w in easy]) < 1.2 and np.mean([len(predators(w)) for w in hard]) > 4.5
    way_easy, way_hard = (
        np.mean([distance(xz(w), _tree(w)) for w in easy]),
        np.mean([distance(xz(w), _tree(w)) for w in hard]),
    )
    assert way_easy > 25.0 and way_hard < 16.0, (way_easy, way_hard)
    off_easy, off_hard = np.mean([_off_line(w) for w in easy]), np.mean([_off_line(w) for w in hard])
    # At d = 1 the wanted spots lie near the spawn, inside its safety circle: the predators end up on its edge.
    assert off_easy > off_hard + 3.0, (off_easy, off_hard)


@pytest.mark.parametrize(("difficulty", "safety"), [(0.0, 11.0), (0.5, 9.5), (1.0, 8.0)])
def test_no_predator_in_the_safety_circle_the_tree_walked_to_and_predators_on_the_ground(
    difficulty: float, safety: float
) -> None:
    for seed in range(25):
        spec = world(module, seed, difficulty)
        assert predators(spec) and not weapons(spec)
        for animal in predators(spec):
            assert distance(xz(animal), xz(spec)) > safety, f"seed {seed}: a {animal.kind} in the safety circle"
            assert stands_on_ground(spec, animal), f"seed {seed}: a {animal.kind} is not on the ground"
            clear = animal.entity.physics.horizontal_radius + 0.5
            assert distance(xz(animal), _tree(spec)) > clear, f"seed {seed}: a {animal.kind} is on the trunk"
            assert misses_the_apple(spec, animal), f"seed {seed}: a {animal.kind} is in the apple"
        group = predators(spec)
        for n, a in enumerate(group):  # no predator starts inside another
            for b in group[:n]:
                apart = a.entity.physics.horizontal_radius + b.entity.physics.horizontal_radius
                assert distance(xz(a), xz(b)) >= apart, f"seed {seed}: a {a.kind} overlaps a {b.kind}"
        assert is_reachable(spec.terrain, xz(spec), _tree(spec), max_drop=4.0), f"seed {seed}: no walk to the tree"
