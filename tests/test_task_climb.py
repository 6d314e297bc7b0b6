"""CLIMB: the cliff grows with difficulty, the food needs the climb, and the body climbs a 20 m face in the engine;
indoors, storeys joined by ladders, more of them with difficulty, climbed by the oracle in the engine."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.constants import AGENT_HEIGHT
from avalon.env import AvalonEnv
from avalon.oracle import Oracle
from avalon.oracle.climbing import steep_points
from avalon.oracle.indoor import locate, route
from avalon.tasks import generate_world
from avalon.world.builders import cliff_in_front
from avalon.world.codec import encode_world
from avalon.world.connections import reachable_floor
from avalon.world.obstacles import Grid, is_reachable
from avalon.world.obstacles.planning import JUMP_DISTANCE
from avalon.world.spec import WorldSpec
from avalon.world.validate import check_world

SEEDS = range(50)


def _measure(world: WorldSpec) -> tuple[float, float, float]:
    """(cliff height: food tree's ground above the spawn's, spawn-to-food distance, climbable share of the face)."""
    tree = next(item for item in world.items if item.kind == "fruit_tree")
    apple = next(item for item in world.items if item.kind == "apple")
    t = world.terrain
    height = t.height_at(tree.position[0], tree.position[2]) - world.spawn.position[1]
    distance = float(np.hypot(apple.position[0] - world.spawn.position[0], apple.position[2] - world.spawn.position[2]))
    h = t.heights
    corners = np.stack([h[:-1, :-1], h[:-1, 1:], h[1:, :-1], h[1:, 1:]])
    face = (corners.max(axis=0) - corners.min(axis=0)) / t.cell_size > 2.0  # cells of the cliff's face
    face &= corners.min(axis=0) > t.water_height + 0.5  # not the shore
    return height, distance, float(t.climbable[face].mean())


def test_difficulty_raises_the_cliff_and_takes_away_holds() -> None:
    easy = np.array([_measure(generate_world("climb", s, 0.0, variant="outdoor")) for s in SEEDS])
    hard = np.array([_measure(generate_world("climb", s, 1.0, variant="outdoor")) for s in SEEDS])
    assert 2.5 < easy[:, 0].mean() < 5.0 and hard[:, 0].mean() > easy[:, 0].mean() + 8.0, (easy[:, 0], hard[:, 0])
    assert hard[:, 1].mean() > easy[:, 1].mean() + 3.0
    # All climbable at d = 0; at d = 1 mostly a narrow climbable path up an unclimbable face.
    assert easy[:, 2].mean() > 0.95 and hard[:, 2].mean() < 0.5, (easy[:, 2].mean(), hard[:, 2].mean())


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_the_food_needs_the_climb(difficulty: float) -> None:
    for seed in range(8):
        world = generate_world("climb", seed, difficulty, variant="outdoor")
        t = world.terrain
        spawn = (world.spawn.position[0], world.spawn.position[2])
        apple = next(item for item in world.items if item.kind == "apple")
        food = (apple.position[0], apple.position[2])
        walk = {"blocked": steep_points(Grid.of(t)), "jump_distance": JUMP_DISTANCE}
        assert not is_reachable(t, spawn, food, **walk), f"seed {seed}: walking or jumping reaches the food"
        assert is_reachable(t, spawn, food, climbable=t.climbable.astype(bool)), f"seed {seed}: no climb to it"


@pytest.mark.godot
def test_the_body_climbs_a_20_m_face() -> None:
    """The measurement beside avalon.tasks.climb.CLIFF_HEIGHT: the oracle's climbing skill takes the body up a
    vertical 20 m climbable face at about 0.1 m per tick."""
    world = cliff_in_front(height=20.0, distance=2, size=30, task="climb")
    oracle = Oracle()
    with AvalonEnv("climb", headless=True, debug=True) as env:
        _, info = env.reset(seed=0, options={"world": world})
        first_hold, top = None, None
        for tick in range(600):
            _, _, terminated, truncated, info = env.step(oracle.act(info))
            debug = info["debug"]
            if first_hold is None and (debug["left_hand_holding"] or debug["right_hand_holding"]):
                first_hold = tick
            if debug["body_position"][1] - AGENT_HEIGHT / 2.0 > 19.9 and debug["is_on_floor"]:
                top = tick
                break
            assert not (terminated or truncated)
    assert first_hold is not None and top is not None, "did not get to the top"
    speed = 20.0 / (top - first_hold)
    assert speed > 0.07, f"{speed:.3f} m per tick ({top - first_hold} ticks)"
    print(f"climbed 20 m in {top - first_hold} ticks: {speed:.3f} m per tick")


# --- the indoor variant ----------------------------------------------------------------------------------------------


def _indoor(seed: int, difficulty: float) -> WorldSpec:
    return generate_world("climb", seed, difficulty, variant="indoor")


def test_a_fifth_of_the_worlds_are_indoor_and_the_outdoor_ones_are_unchanged() -> None:
    """P_INDOOR = 0.2 (drawn from a child generator: an outdoor world is the one the variant would force)."""
    worlds = [generate_world("climb", s, 0.0) for s in range(200)]
    share = sum(bool(w.buildings) for w in worlds) / len(worlds)
    assert 0.13 < share < 0.27, share
    outdoor = next(s for s, w in enumerate(worlds) if not w.buildings)
    assert encode_world(worlds[outdoor]) == encode_world(generate_world("climb", outdoor, 0.0, variant="outdoor"))


def test_indoor_worlds_are_deterministic_and_checked() -> None:
    for seed in range(3):
        world = _indoor(seed, 0.5)
        check_world(world)
        assert encode_world(world) == encode_world(_indoor(seed, 0.5))


def test_indoor_storeys_and_size_grow_with_difficulty_and_every_storey_has_a_ladder() -> None:
    """2 -> 5 storeys (2 + round(clip N(3 d, 0.1))), side floor(sqrt(2) (7 + 8 d U)) 9 -> up to 21; ladders only,
    one per storey pair; the food on the top storey, reached from the spawn by walking and the ladders."""
    measured = {}
    for d in (0.0, 1.0):
        rows = []
        for seed in SEEDS:
            world = _indoor(seed, d)
            (b,) = world.buildings
            assert not b.ramps and len(b.ladders) == len(b.storeys) - 1
            assert sorted(ladder.storey for ladder in b.ladders) == list(range(len(b.storeys) - 1))
            spawn = np.array(world.spawn.position)
            food = np.array(world.foods()[0].position)
            here, there = locate(world, spawn + [0, 0.5, 0]), locate(world, food + [0, 0.5, 0])
            assert here is not None and there is not None and here[1] == 0 and there[1] == len(b.storeys) - 1
            assert reachable_floor(b, 0, here[2])[there[1]][there[2]], seed
            rows.append((len(b.storeys), b.shape[0], food[1] - spawn[1]))
        measured[d] = np.array(rows)
    easy, hard = measured[0.0], measured[1.0]
    assert set(easy[:, 0]) == {2} and set(easy[:, 1]) == {9}
    assert hard[:, 0].mean() > 4.5 and hard[:, 1].mean() > 12.0 and hard[:, 1].max() <= 21
    assert hard[:, 2].mean() > easy[:, 2].mean() + 10.0  # metres of ladder


def test_the_oracles_indoor_route_goes_up_every_ladder_to_the_food() -> None:
    world = _indoor(0, 1.0)
    (b,) = world.buildings
    here = locate(world, np.array(world.spawn.position) + [0, 0.5, 0])
    food = locate(world, np.array(world.foods()[0].position) + [0, 0.5, 0])
    assert here is not None and food is not None
    legs = route(b, here[1], here[2], (food[1], food[2]))
    kinds = [leg.kind for leg in legs]
    assert kinds == ["walk", "ladder"] * (len(b.storeys) - 1) + ["food"]
    assert [leg.link for leg in legs if leg.kind == "ladder"] == sorted(b.ladders, key=lambda ladder: ladder.storey)


@pytest.mark.godot
def test_the_oracle_climbs_the_ladders_of_indoor_worlds() -> None:
    """The oracle's indoor plan (avalon.oracle.indoor: walk, ladder hand over hand, ledge, food) in the engine."""
    with AvalonEnv("climb", headless=True, debug=True) as env:
        for seed, d in ((0, 0.0), (1, 0.0), (2, 1.0)):
            world = _indoor(seed, d)
            oracle = Oracle()
            _, info = env.reset(seed=seed, options={"world": world})
            for _ in range(1500):
                _, _, terminated, truncated, info = env.step(oracle.act(info))
                if terminated or truncated:
                    break
            assert info["success"], (seed, d, info["debug"]["body_position"])
