"""The animal tasks' shared draws (avalon.tasks.weapons): the weapon budget and its kinds, the predator kinds and
count, and the random-point rule, against the reference's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.entities import PREDATOR_KINDS
from avalon.tasks import common as c
from avalon.tasks.weapons import WEAPON_VALUE, random_point, select_predator_types, select_weapons

DRAWS = 2000


def _budgets(d: float, rock_required: bool = False) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.array([sum(WEAPON_VALUE[k] for k in select_weapons(rng, d, rock_required)) for _ in range(DRAWS)])


def test_the_budget_is_5_or_4_when_easy_and_1_or_2_when_hard() -> None:
    easy, hard = _budgets(0.0), _budgets(1.0)
    # The reference: 5 w.p. .84 else 4 (and 3 or less w.p. .0014, 3 sigma down); 1 w.p. .84 else 2 (or 3 or more).
    assert np.isin(easy, (4.0, 5.0)).mean() > 0.99 and 0.78 < (easy == 5.0).mean() < 0.9
    assert np.isin(hard, (1.0, 2.0)).mean() > 0.99 and 0.78 < (hard == 1.0).mean() < 0.9


def test_a_required_rock_comes_first_and_costs_half_a_unit() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        kinds = select_weapons(rng, 1.0, rock_required=True)
        assert kinds[0] == "rock"
        assert sum(WEAPON_VALUE[k] for k in kinds) == int(sum(WEAPON_VALUE[k] for k in kinds))  # whole units


def test_rock_probability_one_gives_no_sticks_and_large_rocks_thin_out_with_d() -> None:
    rng = np.random.default_rng(2)
    forced = [k for _ in range(300) for k in select_weapons(rng, 0.5, False, rock_probability=1.0)]
    assert "stick" not in forced
    for d, (low, high) in ((0.0, (0.75, 0.85)), (1.0, (0.15, 0.25))):
        kinds = [k for _ in range(DRAWS) for k in select_weapons(rng, d, False)]
        rocks = [k for k in kinds if k != "stick"]
        assert low < rocks.count("large_rock") / len(rocks) < high, (d, rocks.count("large_rock") / len(rocks))


def test_predators_one_bee_when_easy_five_of_any_when_hard_the_hardest_first() -> None:
    rng = np.random.default_rng(3)
    easy = [select_predator_types(rng, 0.0)[0] for _ in range(300)]
    assert np.mean([kinds == ["bee"] for kinds in easy]) > 0.95
    hard = [select_predator_types(rng, 1.0)[0] for _ in range(300)]
    assert np.mean([len(kinds) == 5 for kinds in hard]) > 0.95
    assert len({kinds[0] for kinds in hard}) == len(PREDATOR_KINDS)  # uniform hardest at d = 1
    for kinds in hard:
        top = PREDATOR_KINDS.index(kinds[0])
        assert all(PREDATOR_KINDS.index(k) <= top for k in kinds), kinds


def test_the_random_point_rule_prefers_the_wanted_distance() -> None:
    rng = np.random.default_rng(4)
    heightmap = c.make_island(rng, 0.0, c.frame_points([((0.0, 0.0), 20.0)]), cell_size=0.5)
    allowed = heightmap.heights > 0.5
    near = [np.hypot(*random_point(rng, heightmap, (0.0, 0.0), 2.0, allowed, sigma=1.0)) for _ in range(200)]
    far = [np.hypot(*random_point(rng, heightmap, (0.0, 0.0), 12.0, allowed, sigma=1.0)) for _ in range(200)]
    assert abs(np.mean(near) - 2.0) < 1.0 and abs(np.mean(far) - 12.0) < 1.5, (np.mean(near), np.mean(far))


@pytest.mark.godot
def test_in_the_engine_weapons_lie_still_and_animals_stand_on_the_ground() -> None:
    """The measurement behind `level_under` and the brink margins: 30 idle ticks after the reset no weapon of a THROW,
    HUNT, FIGHT or CARRY world has moved more than 0.5 m (unlevelled, a THROW rock rolled 12 m off a platform), and
    every animal's box still stands on or above the ground."""
    from avalon.env import AvalonEnv
    from avalon.tasks import carry, fight, hunt, throw
    from tests.animal_worlds import animals, world

    tools = {"rock", "large_rock", "stick", "stone", "log"}
    with AvalonEnv("eat", headless=True, debug=True) as env:
        for module in (throw, hunt, fight, carry):
            for seed in (1, 2, 3):
                for difficulty in (0.0, 1.0):
                    spec = world(module, seed, difficulty)
                    env.reset(seed=0, options={"world": spec})
                    for _ in range(30):
                        _, _, _, _, info = env.step(env.action_space.sample() * 0)
                    now = {e["id"]: e["position"] for e in info["debug"]["entities"]}
                    where = f"{module.TASK_NAME} seed {seed} d {difficulty}"
                    for item in spec.items:
                        moved = float(np.linalg.norm(np.asarray(now[item.id]) - np.asarray(item.position)))
                        if item.kind in tools:
                            assert moved < 0.5, f"{where}: a {item.kind} moved {moved:.2f} m"
                    for animal in animals(spec):
                        x, y, z = now[animal.id]
                        bottom = y - animal.entity.physics.rest_height
                        assert bottom >= spec.terrain.height_at(x, z) - 0.1, (
                            f"{where}: a {animal.kind} is in the ground"
                        )


def test_the_evaluation_sets_forced_worlds_are_variants_of_hunt_and_fight() -> None:
    """scoring.evalset forces one HUNT world per prey and one FIGHT world per predator at d = 1; the generators take
    exactly those variants (so the worlds generate once the tasks are registered)."""
    from avalon.tasks import fight, hunt
    from scoring.evalset import FORCED

    assert FORCED["hunt"] == (1.0, hunt.VARIANTS)
    assert FORCED["fight"] == (1.0, fight.VARIANTS)
