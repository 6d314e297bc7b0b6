"""CLIMB: the cliff grows with difficulty, the food needs the climb, and the body climbs a 20 m face in the engine."""

from __future__ import annotations

import numpy as np
import pytest

from avalon.constants import AGENT_HEIGHT
from avalon.env import AvalonEnv
from avalon.oracle import Oracle
from avalon.oracle.climbing import steep_points
from avalon.tasks import generate_world
from avalon.world.builders import cliff_in_front
from avalon.world.obstacles import Grid, is_reachable
from avalon.world.obstacles.planning import JUMP_DISTANCE
from avalon.world.spec import WorldSpec

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
    easy = np.array([_measure(generate_world("climb", s, 0.0)) for s in SEEDS])
    hard = np.array([_measure(generate_world("climb", s, 1.0)) for s in SEEDS])
    assert 2.5 < easy[:, 0].mean() < 5.0 and hard[:, 0].mean() > easy[:, 0].mean() + 8.0, (easy[:, 0], hard[:, 0])
    assert hard[:, 1].mean() > easy[:, 1].mean() + 3.0
    # All climbable at d = 0; at d = 1 mostly a narrow climbable path up an unclimbable face.
    assert easy[:, 2].mean() > 0.95 and hard[:, 2].mean() < 0.5, (easy[:, 2].mean(), hard[:, 2].mean())


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_the_food_needs_the_climb(difficulty: float) -> None:
    for seed in range(8):
        world = generate_world("climb", seed, difficulty)
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
