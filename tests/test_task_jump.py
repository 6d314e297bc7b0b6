"""JUMP: the gap, depth and distance grow with difficulty; the food needs the jump; the body clears the widest gap
with margin in the real engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, FINE_CELL_SIZE
from avalon.env import AvalonEnv
from avalon.oracle.jumping import Crossing, RunUpJump, find_crossing
from avalon.oracle.skills import Motor
from avalon.tasks import generate_world
from avalon.tasks.jump import CHECK_JUMP
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.planning import MAX_RISE
from avalon.world.spec import Item, Spawn, Terrain, Trees, WorldSpec
from tests.indoor_worlds import indoor_share, oracle_solves

SEEDS = range(50)


def _crossing(world: WorldSpec) -> Crossing:
    spawn, apple = world.spawn.position, world.foods()[0].position
    crossing = find_crossing(world, (spawn[0], spawn[2]), (apple[0], apple[2]))
    assert crossing is not None, f"seed {world.seed} d={world.difficulty}: no crossing found"
    return crossing


def _measure(world: WorldSpec) -> tuple[float, float, float, bool]:
    """(spawn-food distance, narrowest rim-to-rim opening, depth under it, goal-side rim unclimbable) of a world."""
    spawn, apple = world.spawn.position, world.foods()[0].position
    c = _crossing(world)
    t = world.terrain
    line = [
        (c.take_off[0] + c.direction[0] * s, c.take_off[1] + c.direction[1] * s) for s in np.arange(0, c.opening, 0.1)
    ]
    depth = t.height_at(*c.take_off) - min(t.height_at(x, z) for x, z in line)
    # The cells just before the landing point, on the chasm side: the goal-side wall's top.
    near = [(c.landing[0] - c.direction[0] * s, c.landing[1] - c.direction[1] * s) for s in (0.1, 0.4)]
    cells = [(int((z - t.origin[2]) / t.cell_size), int((x - t.origin[0]) / t.cell_size)) for x, z in near]
    unclimbable = any(t.climbable[j, i] == 0 for j, i in cells)
    return math.hypot(apple[0] - spawn[0], apple[2] - spawn[2]), c.opening, depth, unclimbable


def test_gap_depth_distance_and_climbability_scale_with_difficulty() -> None:
    easy = np.array([_measure(generate_world("jump", seed, 0.0, variant="outdoor")) for seed in SEEDS])
    hard = np.array([_measure(generate_world("jump", seed, 1.0, variant="outdoor")) for seed in SEEDS])
    # Goal distance around U-lerp(7 -> 12) m.
    assert 6.0 < np.median(easy[:, 0]) < 8.0 and np.median(hard[:, 0]) > np.median(easy[:, 0]) + 1.0
    # Gap 1.0 -> 2.1 m; rim to rim on the 0.5 m grid it spans up to a cell more.
    assert np.median(easy[:, 1]) < 1.6 and 2.0 < np.median(hard[:, 1]) <= CHECK_JUMP
    assert easy[:, 1].max() < hard[:, 1].min() + 0.6
    # Depth: a 0.7 m shallow pit at d=0; almost always a deep chasm (lerp(2 -> 30), 30 m) at d=1.
    assert np.allclose(easy[:, 2], 0.7, atol=0.15) and np.median(hard[:, 2]) > 25.0
    # The goal-side wall: always climbable at d=0, mostly not at d=1.
    assert not easy[:, 3].any() and hard[:, 3].mean() > 0.6


def test_the_food_needs_the_jump() -> None:
    """A deep chasm cannot be walked round or through; a jump as wide as the widest designed gap crosses it, and a
    1 m jump does not cross the wide ones."""
    short_jump_crosses = 0
    for seed in range(20):
        world = generate_world("jump", seed, 1.0, variant="outdoor")
        spawn, apple = world.spawn.position, world.foods()[0].position
        start, goal = (spawn[0], spawn[2]), (apple[0], apple[2])
        if _measure(world)[2] < 2.0:  # a shallow pit (P 0.01 at d=1): walked into and out of
            continue
        assert not ob.is_reachable(world.terrain, start, goal, max_rise=MAX_RISE, max_drop=4.0), seed
        assert ob.is_reachable(world.terrain, start, goal, max_rise=MAX_RISE, max_drop=4.0, jump_distance=CHECK_JUMP), (
            seed
        )
        short_jump_crosses += ob.is_reachable(world.terrain, start, goal, max_drop=4.0, jump_distance=1.0)
    assert short_jump_crosses == 0


def _level_chasm(opening: float, run: float) -> WorldSpec:
    """Flat ground at 0 with a 4 m deep chasm across it: the last high points at z = 0 and z = -`opening` (0.5 m
    grid); the spawn `run` m before it, looking across (-Z)."""
    size = 30
    n = round(size / FINE_CELL_SIZE)
    heights = np.zeros((n + 1, n + 1), np.float32)
    z = -size / 2 + np.arange(n + 1) * FINE_CELL_SIZE
    heights[(z > -opening + 1e-6) & (z < -1e-6), :] = -4.0
    cells = np.ones((n, n), np.uint8)
    terrain = Terrain(heights, cells * tr.GRASS, cells, tr.PALETTE, (-size / 2, 0.0, -size / 2), -10.0, FINE_CELL_SIZE)
    apple = Item.food("apple", 1, (0.0, 0.5, -opening - 4.0))
    spawn = Spawn((0.0, 0.0, run), 0.0, 0.0)
    return WorldSpec(task="debug", seed=0, difficulty=0.0, terrain=terrain, trees=Trees(), items=(apple,), spawn=spawn)


@pytest.mark.godot
def test_the_body_clears_the_widest_gap_with_margin() -> None:
    """The oracle's run-up jump (on the last tick before the rim) over a level chasm 3.0 m from rim to rim: wider
    than the 2.6 m a 2.1 m design gap spans at most on the grid; from three run-up lengths (take-off phases)."""
    with AvalonEnv("eat", headless=True, debug=True) as env:
        for run in (3.0, 3.1, 3.2):
            world = _level_chasm(3.0, run)
            _, info = env.reset(seed=0, options={"world": world})
            crossing = find_crossing(world, (0.0, run), (0.0, -7.0))
            assert crossing is not None and crossing.opening == pytest.approx(3.0)
            skill = RunUpJump(Motor(world), crossing)
            for _ in range(80):
                action = np.zeros(ACTION_SIZE, np.float32)
                if not skill.act(action, info["debug"]):
                    break
                _, _, _, _, info = env.step(action)
            body = info["debug"]["body_position"]
            assert body[2] < -3.0 and body[1] > 0.5, f"run-up {run} m: the body ended at {body}"


# --- the indoor variant ---------------------------------------------------------------------------------------------


def _rows(world: WorldSpec) -> tuple[int, list[int], list[int]]:
    """(room length in tiles, chasm rows, climbable rows) of an indoor JUMP world, along its middle column."""
    storey = world.buildings[0].storeys[0]
    column = storey.tiles.shape[1] // 2
    chasm = [int(z) for z in np.nonzero(storey.floor[:, column] < -1.0)[0]]
    launch = [int(z) for z in np.nonzero(storey.climbable[:, column])[0]]
    return storey.tiles.shape[0], chasm, launch


def test_indoor_share_is_the_references(monkeypatch: pytest.MonkeyPatch) -> None:
    from avalon.tasks import jump

    assert 0.13 <= indoor_share(monkeypatch, jump, "jump") <= 0.27


def test_indoor_rows_of_jumpable_chasms_grow_with_difficulty() -> None:
    """Rows of chasms across a long room: every chasm 1-2 rows (m) wide (our run-up jump clears 3.0 m) and 3.2 m deep,
    a climbable launch row before each (the way back up after a fall), the food beyond the last; more and wider chasms
    and longer rooms at d = 1."""
    assert generate_world("jump", 3, 0.5, variant="indoor") == generate_world("jump", 3, 0.5, variant="indoor")
    measured = {}
    for d in (0.0, 1.0):
        lengths, counts, widths = [], [], []
        for seed in range(50):
            world = generate_world("jump", seed, d, variant="indoor")
            length, chasm, launch = _rows(world)
            starts = [z for z in chasm if z - 1 not in chasm]
            for start in starts:
                width = next(k for k in range(1, 4) if start + k not in chasm)
                assert width <= 2 and start - 1 in launch, (seed, d, chasm, launch)
            storey = world.buildings[0].storeys[0]
            assert np.allclose(storey.floor[storey.floor < 0], -3.2)
            spawn_row = world.buildings[0].tile_of(world.spawn.position[0], world.spawn.position[2])
            food_row = world.buildings[0].tile_of(world.foods()[0].position[0], world.foods()[0].position[2])
            assert spawn_row is not None and food_row is not None
            assert spawn_row[0] < min(chasm) and food_row[0] > max(chasm)
            lengths.append(length)
            counts.append(len(starts))
            widths.append(len(chasm) / len(starts))
        measured[d] = (np.mean(lengths), np.mean(counts), np.mean(widths))
    assert measured[0.0][1] == 1.0 and measured[0.0][2] < 1.2, measured
    assert measured[1.0][0] > measured[0.0][0] + 15 and measured[1.0][1] > 4 and measured[1.0][2] > 1.8, measured


@pytest.mark.godot
def test_the_oracle_jumps_the_indoor_chasms() -> None:
    worlds = [generate_world("jump", seed, d, variant="indoor") for seed, d in ((0, 0.0), (1, 0.0), (2, 1.0))]
    oracle_solves("jump", worlds, 1500)
