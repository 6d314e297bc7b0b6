"""STACK: the cliff, the stones' displacement and the spawn-goal distance grow with difficulty and the spares go; the
food needs the stones; in the engine the body runs up solved staircases of 1 and 2 columns onto the cliff."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from avalon.env import AvalonEnv
from avalon.oracle import Oracle
from avalon.oracle.stack import find_staircase
from avalon.tasks import generate_world
from avalon.tasks.stack import BODY_JUMP_RISE, STAIR_JUMP_DISTANCE, STAIR_JUMP_RISE, with_stones
from avalon.world.obstacles import is_reachable
from avalon.world.obstacles.planning import JUMP_DISTANCE
from avalon.world.spec import Item, WorldSpec
from tests.indoor_worlds import indoor_share, oracle_solves

SEEDS = range(50)
SAFE_DROP = 4.0


def _measure(world: WorldSpec) -> tuple[float, float, float, float]:
    """(cliff height: the apple's ground above the stair's, mean stone distance from the nearest place of the solved
    layout (staircase and spares), stones beyond the staircase's n(n + 1) / 2, spawn-to-apple distance), measured on
    the world alone."""
    stair = find_staircase(world)
    assert stair is not None, "no staircase found in a STACK world"
    apple = next(item for item in world.items if item.kind == "apple")
    stones = [item.position for item in world.items if item.kind == "stone"]
    height = world.terrain.height_at(apple.position[0], apple.position[2]) - stair.ground
    spots = stair.spots(spares=3)
    moved = float(np.mean([min(math.dist((p[0], p[2]), (s[0], s[2])) for s in spots) for p in stones]))
    n = round(height - 1.5)
    spares = len(stones) - n * (n + 1) // 2
    distance = math.dist((apple.position[0], apple.position[2]), (world.spawn.position[0], world.spawn.position[2]))
    return height, moved, spares, distance


def test_difficulty_raises_the_cliff_scatters_the_stones_and_takes_the_spares() -> None:
    easy = np.array([_measure(generate_world("stack", s, 0.0, variant="outdoor")) for s in SEEDS])
    hard = np.array([_measure(generate_world("stack", s, 1.0, variant="outdoor")) for s in SEEDS])
    # The cliff: n + 1.5 m with n = 1 at d = 0 and mostly 3 at d = 1.
    assert np.allclose(easy[:, 0], 2.5, atol=0.05), easy[:, 0]
    assert hard[:, 0].mean() > 4.0 and hard[:, 0].max() == pytest.approx(4.5, abs=0.05), hard[:, 0]
    # The stones start in the solved staircase at d = 0 (jitter 0) and metres from it at d = 1.
    assert easy[:, 1].max() < 0.1 and hard[:, 1].mean() > 2.0, (easy[:, 1].max(), hard[:, 1].mean())
    # Three spare stones at d = 0, fewer at d = 1.
    assert (easy[:, 2] == 3).all() and hard[:, 2].mean() < 1.5, (easy[:, 2], hard[:, 2])
    assert hard[:, 3].mean() > easy[:, 3].mean() + 5.0, (easy[:, 3].mean(), hard[:, 3].mean())


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_the_food_needs_the_stones(difficulty: float) -> None:
    """Walking and jumps higher than the body's (BODY_JUMP_RISE) do not reach the top; the solved staircase does."""
    for seed in range(8):
        world = generate_world("stack", seed, difficulty, variant="outdoor")
        stair = find_staircase(world)
        assert stair is not None
        apple = next(item for item in world.items if item.kind == "apple")
        spawn = (world.spawn.position[0], world.spawn.position[2])
        food = (apple.position[0], apple.position[2])
        walk = {"max_drop": SAFE_DROP, "jump_distance": JUMP_DISTANCE}
        assert not is_reachable(world.terrain, spawn, food, jump_rise=BODY_JUMP_RISE, **walk), seed  # type: ignore[arg-type]
        solved = with_stones(world.terrain, stair.spots(), math.atan2(stair.heading[1], stair.heading[0]))
        assert is_reachable(
            solved, spawn, food, max_drop=SAFE_DROP, jump_distance=STAIR_JUMP_DISTANCE, jump_rise=STAIR_JUMP_RISE
        ), seed
        # And the staircase is what does it: without its top column, the top is out of reach.
        lower = with_stones(world.terrain, stair.spots()[:-1], math.atan2(stair.heading[1], stair.heading[0]))
        assert not is_reachable(
            lower, spawn, food, max_drop=SAFE_DROP, jump_distance=STAIR_JUMP_DISTANCE, jump_rise=STAIR_JUMP_RISE
        ), seed


def _solved(world: WorldSpec) -> WorldSpec:
    """The world with its stones moved into the solved staircase (spares left where they are)."""
    stair = find_staircase(world)
    assert stair is not None
    spots = iter(stair.spots())
    items: list[Item] = []
    for item in world.items:
        spot = next(spots, None) if item.kind == "stone" else None
        items.append(dataclasses.replace(item, position=spot) if spot is not None else item)
    return dataclasses.replace(world, items=tuple(items))


@pytest.mark.godot
@pytest.mark.parametrize("columns", [1, 2, 3])
def test_the_body_runs_up_the_solved_staircase(columns: int) -> None:
    """The staircase as the generator lays it out (stones 1 m, the cliff 1.5 m above the top one) is climbable by our
    body: the oracle, given the solved layout, ends on top and eats. The three-high column also shows that a solved
    staircase stays stacked on a task world's heightmap (the rest freeze, docs/body.md "Heavy items")."""
    worlds = []
    for seed in range(200):
        world = generate_world("stack", seed, (columns - 1) / 2.0, variant="outdoor")
        stair = find_staircase(world)
        if stair is not None and stair.stair_height == columns:
            worlds.append(_solved(world))
        if len(worlds) == 2:
            break
    assert len(worlds) == 2
    with AvalonEnv("stack", headless=True, debug=True) as env:
        for world in worlds:
            oracle = Oracle()
            _, info = env.reset(seed=0, options={"world": world})
            for _ in range(600):
                _, _, terminated, truncated, info = env.step(oracle.act(info))
                if terminated or truncated:
                    break
            assert info["success"], f"seed {world.seed}: the body ended at {info['debug']['body_position']}"


# --- the indoor variant ---------------------------------------------------------------------------------------------


def test_indoor_share_is_the_references(monkeypatch: pytest.MonkeyPatch) -> None:
    from avalon.tasks import stack

    assert 0.13 <= indoor_share(monkeypatch, stack, "stack") <= 0.27


def test_indoor_island_and_stones_grow_with_difficulty() -> None:
    """A 5 x 5 island n + 1.52 m high (higher than the body jumps: 1.8 m) with n (n + 1) / 2 stones on the floor, none
    overlapping; n = round(1 + 3 d); a staircase fits against one of its faces."""
    from avalon.oracle.indoor_tasks import island_staircase

    assert generate_world("stack", 3, 0.5, variant="indoor") == generate_world("stack", 3, 0.5, variant="indoor")
    for d, n in ((0.0, 1), (1.0, 4)):
        for seed in range(50):
            world = generate_world("stack", seed, d, variant="indoor")
            storey = world.buildings[0].storeys[0]
            raised = storey.floor > 0.5
            heights = sorted(set(np.round(storey.floor[raised], 2).tolist()))
            assert heights[0] == pytest.approx(n + 1.52) and heights[0] > BODY_JUMP_RISE, (seed, heights)
            assert raised.sum() == 25
            stones = [item.position for item in world.items if item.kind == "stone"]
            assert len(stones) == n * (n + 1) // 2
            for a in range(len(stones)):
                for b in range(a):
                    assert max(abs(stones[a][0] - stones[b][0]), abs(stones[a][2] - stones[b][2])) >= 2.0
            stair = island_staircase(world, [(p[0], p[2]) for p in stones])
            assert stair is not None and stair.stair_height == n


@pytest.mark.godot
def test_the_oracle_builds_a_staircase_indoors() -> None:
    oracle_solves("stack", [generate_world("stack", seed, 0.0, variant="indoor") for seed in (0, 6)], 1500)
