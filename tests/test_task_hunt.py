"""HUNT: the module follows the task contract; worlds are deterministic and valid; the prey
stands on the ground, a flier always comes with a rock, the forced worlds have their prey and no sticks; every
weapon and the prey are reachable; difficulty moves the prey out of its pit and farther away and shrinks the weapon
budget."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.entities import PREY_KINDS
from avalon.tasks import check_task_module
from avalon.tasks import hunt as module
from avalon.world.codec import encode_world
from avalon.world.obstacles import Grid, reachable
from avalon.world.spec import WorldSpec
from tests.animal_worlds import distance, ground, prey, stands_on_ground, weapon_value, weapons, world, xz

SEEDS = range(50)


def test_the_module_follows_the_task_contract() -> None:
    assert check_task_module("hunt", module) == []
    assert module.VARIANTS == PREY_KINDS


def test_the_same_seed_and_difficulty_give_the_same_bytes() -> None:
    first = encode_world(world(module, 5, 0.5))
    assert encode_world(world.__wrapped__(module, 5, 0.5)) == first  # type: ignore[attr-defined]
    assert encode_world(world.__wrapped__(module, 6, 0.5)) != first  # type: ignore[attr-defined]


def _in_pit(spec: WorldSpec, point: tuple[float, float], reach: float) -> bool:
    """The ground rises 0.75 m or more above `point`'s within `reach` m in each of 16 directions (a pit's rim)."""
    floor = ground(spec, point)
    for angle in np.linspace(0.0, 2 * np.pi, 16, endpoint=False):
        along = [
            ground(spec, (point[0] + r * np.cos(angle), point[1] + r * np.sin(angle)))
            for r in np.arange(0.5, reach, 0.25)
            if spec.terrain.contains(point[0] + r * np.cos(angle), point[1] + r * np.sin(angle))
        ]
        if not along or max(along) < floor + 0.75:
            return False
    return True


def _measure(seed: int, difficulty: float) -> tuple[float, float, bool]:
    """(spawn-prey distance, weapon value, in a pit: the ground rises round the prey before the spawn's distance)."""
    spec = world(module, seed, difficulty)
    (animal,) = prey(spec)
    span = distance(xz(spec), xz(animal))
    return span, weapon_value(spec), _in_pit(spec, xz(animal), span + 1.0)


def test_difficulty_moves_the_prey_out_of_the_pit_and_away_and_shrinks_the_weapons() -> None:
    easy = np.array([_measure(s, 0.0) for s in SEEDS])
    hard = np.array([_measure(s, 1.0) for s in SEEDS])
    assert easy[:, 0].mean() < 7.0 and hard[:, 0].mean() > 30.0, (easy[:, 0].mean(), hard[:, 0].mean())
    # Budget 5 (or 4) at d = 0, 1 (or 2) at d = 1; a required rock for a flier can add 0.5.
    assert easy[:, 1].mean() > 4.0 and hard[:, 1].mean() < 2.0, (easy[:, 1].mean(), hard[:, 1].mean())
    assert easy[:, 2].mean() > 0.9 and hard[:, 2].mean() < 0.1, (easy[:, 2].mean(), hard[:, 2].mean())


def test_the_prey_is_a_frog_at_d0_and_any_at_d1() -> None:
    assert {prey(world(module, s, 0.0))[0].kind for s in SEEDS} == {"frog"}
    assert len({prey(world(module, s, 1.0))[0].kind for s in SEEDS}) >= 6


@pytest.mark.parametrize("variant", PREY_KINDS)
def test_a_forced_variant_has_its_prey_and_rocks_only(variant: str) -> None:
    spec = world(module, 11, 1.0, variant)
    assert [a.kind for a in prey(spec)] == [variant]
    kinds = {w.kind for w in weapons(spec)}
    assert kinds and kinds <= {"rock", "large_rock"}, kinds  # forced P(rock) = 1.0: no sticks


@pytest.mark.parametrize("flier", ["pigeon", "crow"])
def test_a_flying_prey_always_comes_with_a_rock(flier: str) -> None:
    for seed in range(10):
        for difficulty in (0.0, 1.0):
            spec = world(module, seed, difficulty, flier)
            assert any(w.kind == "rock" for w in weapons(spec)), f"seed {seed} d {difficulty}: no rock"


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_the_prey_stands_on_the_ground_and_it_and_every_weapon_are_reachable(difficulty: float) -> None:
    for seed in range(12):
        spec = world(module, seed, difficulty)
        t = spec.terrain
        (animal,) = prey(spec)
        assert stands_on_ground(spec, animal), f"seed {seed}: {animal.kind} at {animal.position} is not on the ground"
        reach = reachable(t, xz(spec), max_drop=4.0, climbable=t.climbable.astype(bool))
        grid = Grid.of(t)
        assert reach[grid.point(*xz(animal))], f"seed {seed}: the prey is out of reach"
        assert weapons(spec), f"seed {seed}: no weapon"
        for weapon in weapons(spec):
            assert reach[grid.point(*xz(weapon))], f"seed {seed}: a {weapon.kind} is out of reach"
            assert weapon.position[1] > ground(spec, xz(weapon)), f"seed {seed}: a {weapon.kind} is in the ground"
