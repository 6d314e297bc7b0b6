"""FIGHT: the module follows the task contract; worlds are deterministic and valid; more and
harder predators, a longer way, a higher ridge and a narrower corridor with d; the forced worlds have three of their
predator and no sticks; the tree and the weapons are reachable by walking; in carry mode (`obstacle`) the weapons lie
on the start's side of the ridge and the predators beyond it."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.entities import PREDATOR_KINDS
from avalon.tasks import check_task_module
from avalon.tasks import common as c
from avalon.tasks import fight as module
from avalon.tasks.common import ImpossibleWorldError
from avalon.world.codec import encode_world
from avalon.world.obstacles import Grid, reachable
from tests.animal_worlds import (
    distance,
    misses_the_apple,
    predators,
    stands_on_ground,
    weapon_value,
    weapons,
    world,
    xz,
)

SEEDS = range(50)


def test_the_module_follows_the_task_contract() -> None:
    assert check_task_module("fight", module) == []
    assert module.VARIANTS == PREDATOR_KINDS


def test_the_same_seed_and_difficulty_give_the_same_bytes() -> None:
    first = encode_world(world(module, 2, 0.5))
    assert encode_world(world.__wrapped__(module, 2, 0.5)) == first  # type: ignore[attr-defined]
    assert encode_world(world.__wrapped__(module, 8, 0.5)) != first  # type: ignore[attr-defined]


def _tree(spec):  # type: ignore[no-untyped-def]
    return next(item for item in spec.items if item.kind == "fruit_tree")


def test_difficulty_adds_predators_lengthens_the_way_and_shrinks_the_weapons() -> None:
    easy = [world(module, s, 0.0) for s in SEEDS]
    hard = [world(module, s, 1.0) for s in SEEDS]
    count_easy, count_hard = np.mean([len(predators(w)) for w in easy]), np.mean([len(predators(w)) for w in hard])
    assert count_easy < 1.2 and count_hard > 4.5, (count_easy, count_hard)
    assert {p.kind for w in easy for p in predators(w)} == {"bee"}
    hardest = np.mean([max(PREDATOR_KINDS.index(p.kind) for p in predators(w)) for w in hard])
    assert hardest > 3.0, hardest
    way_easy = np.mean([distance(xz(w), xz(_tree(w))) for w in easy])
    way_hard = np.mean([distance(xz(w), xz(_tree(w))) for w in hard])
    assert way_hard > way_easy + 9.0, (way_easy, way_hard)
    value_easy, value_hard = np.mean([weapon_value(w) for w in easy]), np.mean([weapon_value(w) for w in hard])
    assert value_easy > 4.0 and value_hard < 2.0, (value_easy, value_hard)


@pytest.mark.parametrize("variant", PREDATOR_KINDS)
def test_a_forced_variant_has_three_of_its_predator_and_rocks_only(variant: str) -> None:
    spec = world(module, 13, 1.0, variant)
    assert [p.kind for p in predators(spec)] == [variant] * 3
    kinds = {w.kind for w in weapons(spec)}
    assert kinds and kinds <= {"rock", "large_rock"}, kinds


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_the_tree_and_the_weapons_are_walked_to_and_predators_stand_on_the_ground(difficulty: float) -> None:
    for seed in range(20):
        spec = world(module, seed, difficulty)
        t = spec.terrain
        grid = Grid.of(t)
        walk = reachable(t, xz(spec), max_drop=4.0)
        assert walk[grid.point(*xz(_tree(spec)))], f"seed {seed}: the tree is not reached by walking"
        for weapon in weapons(spec):
            assert walk[grid.point(*xz(weapon))], f"seed {seed}: a {weapon.kind} is not reached by walking"
        for animal in predators(spec):
            assert stands_on_ground(spec, animal), f"seed {seed}: a {animal.kind} is not on the ground"
            clear = animal.entity.physics.horizontal_radius + 0.5
            assert distance(xz(animal), xz(_tree(spec))) > clear, f"seed {seed}: a {animal.kind} is on the trunk"
            assert misses_the_apple(spec, animal), f"seed {seed}: a {animal.kind} is in the apple"
        # Neither predators nor weapons start inside one another (their horizontal radii apart).
        for group in (predators(spec), weapons(spec)):
            for n, a in enumerate(group):
                for b in group[:n]:
                    apart = a.entity.physics.horizontal_radius + b.entity.physics.horizontal_radius
                    assert distance(xz(a), xz(b)) >= apart, f"seed {seed}: a {a.kind} overlaps a {b.kind}"


def _carry(seed: int, difficulty: float) -> tuple[c.Obstacle, Grid]:
    """FIGHT's obstacle on an island with 20 m between start and end (drawn again on an impossible world, as
    generate_world does), and the heightmap's grid."""
    rng = np.random.default_rng(seed)
    for _ in range(10):
        layout = c.frame_points([((0.0, 0.0), 12.0), ((20.0, 0.0), 12.0)])
        heightmap = c.make_island(rng, difficulty, layout, base_height=3.0, unclimbable_shore=True, cell_size=0.5)
        constraint = c.Constraint(heightmap, layout.place((0.0, 0.0)), layout.place((20.0, 0.0)))
        try:
            return module.obstacle(rng, difficulty, constraint), Grid.of(heightmap)
        except ImpossibleWorldError:
            continue
    raise AssertionError(f"no carry-mode fight obstacle for seed {seed}")


def test_carry_mode_puts_weapons_before_the_ridge_and_predators_beyond_it() -> None:
    heights, widths = {}, {}
    for difficulty in (0.0, 1.0):
        built = [_carry(seed, difficulty) for seed in range(15)]
        heights[difficulty] = np.mean([b.ring.config.height for b, _ in built])
        widths[difficulty] = np.mean([b.ring.config.traversal_width / 2.0 for b, _ in built])  # the corridor's
        for b, grid in built:
            assert not b.ring.centered_on_spawn  # carry mode: the ring is round the end
            kinds = [kind for kind, *_ in b.entities]
            assert any(kind in PREDATOR_KINDS for kind in kinds) and any(kind not in PREDATOR_KINDS for kind in kinds)
            for kind, (x, _, z), _, _ in b.entities:
                side = b.ring.goal_side if kind in PREDATOR_KINDS else b.ring.spawn_side
                assert side[grid.point(x, z)], f"{kind} at ({x:.1f}, {z:.1f}) is on the wrong side of the ridge"
    assert 4.0 <= heights[0.0] < 4.1 and heights[1.0] > 4.6, heights
    assert widths[0.0] > 8.0 and widths[1.0] < 4.0, widths
