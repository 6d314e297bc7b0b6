"""PUSH: the distance, gap, depth, boulder mass and jitter grow with difficulty; the food needs the boulder; the body
makes the hops the generator's margins rely on in the real engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, FINE_CELL_SIZE
from avalon.entities import BOULDER_SIZE
from avalon.env import AvalonEnv
from avalon.oracle.pushing import Hop, RimCrossing, find_rim_crossing
from avalon.oracle.skills import Motor
from avalon.tasks import generate_world
from avalon.tasks.push import (
    BLOCKED,
    CLIMB_HIGHER,
    CLIMB_JUMP,
    CLIMB_RISE,
    CROSS_CHASM,
    DEPTH,
    NO_JUMP,
    RISE_TOLERANCE,
    SAFE_DROP,
)
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.building import Tile
from avalon.world.obstacles.planning import JUMP_RISE, MAX_RISE
from avalon.world.spec import Item, Spawn, Terrain, Trees, WorldSpec
from tests.indoor_worlds import indoor_share, oracle_solves

SEEDS = range(50)


def _points(world: WorldSpec) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    spawn, apple = world.spawn.position, world.foods()[0].position
    (boulder,) = world.items_of_kind("boulder")
    return (spawn[0], spawn[2]), (apple[0], apple[2]), (boulder.position[0], boulder.position[2])


def _crossing(world: WorldSpec) -> RimCrossing:
    spawn, apple, boulder = _points(world)
    crossing = find_rim_crossing(world, spawn, apple, boulder)
    assert crossing is not None, f"seed {world.seed} d={world.difficulty}: no crossing found"
    return crossing


def _measure(world: WorldSpec) -> tuple[float, float, float, float, float, bool]:
    """(spawn-food distance, narrowest level opening near the boulder, depth under it, boulder mass, boulder distance
    from the take-off point, spawn-side wall climbable) of a world."""
    spawn, apple, boulder = _points(world)
    c = _crossing(world)
    t = world.terrain
    line = [
        (c.take_off[0] + c.direction[0] * s, c.take_off[1] + c.direction[1] * s) for s in np.arange(0, c.opening, 0.1)
    ]
    depth = c.rim_height - min(t.height_at(x, z) for x, z in line)
    # The cells just past the near rim, on the chasm side: the spawn-side wall.
    near = [(c.rim[0] + c.direction[0] * s, c.rim[1] + c.direction[1] * s) for s in (0.1, 0.3)]
    cells = [(int((z - t.origin[2]) / t.cell_size), int((x - t.origin[0]) / t.cell_size)) for x, z in near]
    climbable = all(t.climbable[j, i] == 1 for j, i in cells)
    (item,) = world.items_of_kind("boulder")
    return (
        math.dist(spawn, apple),
        c.opening,
        depth,
        float(item.fields["mass"]),
        math.dist(boulder, c.take_off),
        climbable,
    )


def test_distance_gap_depth_mass_and_jitter_scale_with_difficulty() -> None:
    easy = np.array([_measure(generate_world("push", seed, 0.0, variant="outdoor")) for seed in SEEDS])
    hard = np.array([_measure(generate_world("push", seed, 1.0, variant="outdoor")) for seed in SEEDS])
    # Goal distance around 25.65 + 34.2 d U m.
    assert 24.0 < np.median(easy[:, 0]) < 28.0 and np.median(hard[:, 0]) > np.median(easy[:, 0]) + 8.0
    # Gap 3.75 -> 4.85 m; rim to rim on the 0.5 m grid never under 3.5 m (our body's run-up jump clears 3.0 m).
    assert easy[:, 1].min() >= 3.5 and hard[:, 1].min() >= 3.5
    assert np.median(hard[:, 1]) > np.median(easy[:, 1]) + 0.5
    # Depth 2.0 -> 2.6 m.
    assert np.allclose(easy[:, 2], DEPTH.easy, atol=0.1) and np.allclose(hard[:, 2], DEPTH.hard, atol=0.1)
    # Mass N(600 -> 2,400, 10) kg.
    assert easy[:, 3].max() < 640.0 and hard[:, 3].min() > 2300.0
    # Jitter 0 -> 10 m: at d=0 the boulder stands about 2 m behind the rim, at d=1 anywhere within 10 m of that.
    assert np.median(easy[:, 4]) < 3.0 and easy[:, 4].max() < 4.0
    assert np.median(hard[:, 4]) > np.median(easy[:, 4]) + 2.0
    # The spawn-side wall: always climbable at d=0 (Bool 1 -> 0.2), mostly not at d=1.
    assert easy[:, 5].all() and hard[:, 5].mean() < 0.4


def _with_boulder_at_far_wall(world: WorldSpec, c: RimCrossing) -> ob.Grid:
    """The world's heights with a boulder standing on the chasm floor against the far wall on the crossing's line."""
    grid = ob.Grid.of(world.terrain)
    u = np.array(c.direction)
    # The far wall's foot: the last point along the line that is still on the floor.
    floor_height = c.rim_height - DEPTH.easy + 0.5
    foot = np.array(c.take_off)
    for s in np.arange(0.0, c.opening, 0.05):
        point = np.array(c.take_off) + u * s
        if world.terrain.height_at(*point) < floor_height:
            foot = point
    center = foot - u * (BOULDER_SIZE / 2.0 - FINE_CELL_SIZE / 2.0)
    x, z = grid.grid_xz()
    along = (x - center[0]) * u[0] + (z - center[1]) * u[1]
    across = -(x - center[0]) * u[1] + (z - center[1]) * u[0]
    under = (np.abs(along) <= BOULDER_SIZE / 2.0) & (np.abs(across) <= BOULDER_SIZE / 2.0)
    under &= grid.heights < floor_height
    heights = grid.heights.copy()
    heights[under] += BOULDER_SIZE
    return ob.Grid(heights, grid.origin_x, grid.origin_z, grid.cell_size, grid.water_height)


@pytest.mark.parametrize("difficulty", [0.0, 1.0])
def test_the_food_needs_the_boulder(difficulty: float) -> None:
    """No walk, climb, 3.4 m jump or short high jump reaches the food; with a boulder on the chasm floor against the
    far wall, a drop onto the floor and two high jumps (onto the boulder, onto the rim) do."""
    for seed in range(15):
        world = generate_world("push", seed, difficulty, variant="outdoor")
        spawn, apple, _ = _points(world)
        t = world.terrain
        climbable = t.climbable == 1
        walk = {"max_rise": MAX_RISE, "max_drop": SAFE_DROP, "climbable": climbable}
        assert not ob.is_reachable(t, spawn, apple, **walk), seed  # type: ignore[arg-type]
        assert not ob.is_reachable(t, spawn, apple, jump_distance=NO_JUMP, jump_rise=JUMP_RISE, **walk), seed  # type: ignore[arg-type]
        high = {"jump_distance": CLIMB_JUMP, "jump_rise": CLIMB_RISE + RISE_TOLERANCE}
        assert not ob.is_reachable(t, spawn, apple, **high, **walk), seed  # type: ignore[arg-type]
        bridged = _with_boulder_at_far_wall(world, _crossing(world))
        assert ob.is_reachable(bridged, spawn, apple, **high, **walk), seed  # type: ignore[arg-type]


def _chasm_world(opening: float, rise: float, on_floor: bool) -> WorldSpec:
    """Flat floor at 0, a rim `rise` m above a 1.4 m boulder's top from z = -`opening` on (its face at z = 0), a
    2,400 kg boulder between z = 0 and 1.4; the body on the floor behind it or on its top."""
    size = 30
    n = round(size / FINE_CELL_SIZE)
    heights = np.zeros((n + 1, n + 1), np.float32)
    z = -size / 2 + np.arange(n + 1) * FINE_CELL_SIZE
    heights[z <= -opening + 1e-6, :] = BOULDER_SIZE + rise
    cells = np.ones((n, n), np.uint8)
    terrain = Terrain(heights, cells * tr.GRASS, cells, tr.PALETTE, (-size / 2, 0.0, -size / 2), -10.0, FINE_CELL_SIZE)
    apple = Item.food("apple", 1, (0.0, BOULDER_SIZE + rise + 0.5, -opening - 4.0))
    boulder = Item.of("boulder", 2, (0.0, BOULDER_SIZE / 2, BOULDER_SIZE / 2), 0.0, mass=2400.0)
    spawn = Spawn((0.0, 0.0, 2.5) if on_floor else (0.0, BOULDER_SIZE, BOULDER_SIZE / 2), 0.0, 0.0)
    return WorldSpec(
        task="debug", seed=0, difficulty=0.0, terrain=terrain, trees=Trees(), items=(apple, boulder), spawn=spawn
    )


def _hop(env: AvalonEnv, world: WorldSpec, hop: Hop) -> np.ndarray:
    _, info = env.reset(seed=0, options={"world": world})
    for _ in range(80):
        action = np.zeros(ACTION_SIZE, np.float32)
        if not hop.act(action, info["debug"]):
            break
        _, _, _, _, info = env.step(action)
    return np.asarray(info["debug"]["body_position"])


@pytest.mark.godot
def test_the_body_hops_onto_the_boulder_and_up_to_the_rim() -> None:
    """The oracle's hops (`avalon.oracle.pushing.Hop`): from the chasm floor onto a 1.4 m boulder, and from its top
    onto a rim 1.2 m higher (the deepest chasm, 2.6 m) 2.0 m away and a rim 1.4 m higher (CLIMB_RISE) 1.0 m away;
    the generator's solvability check relies on the last two (jumps of CLIMB_JUMP m gaining CLIMB_RISE m)."""
    assert DEPTH.hard - BOULDER_SIZE == pytest.approx(1.2)
    with AvalonEnv("eat", headless=True, debug=True) as env:
        world = _chasm_world(2.0, 1.0, on_floor=True)
        hop = Hop(Motor(world), (0.0, BOULDER_SIZE / 2), BOULDER_SIZE, (0.0, BOULDER_SIZE + 0.2), rise_first=True)
        body = _hop(env, world, hop)
        assert body[1] > BOULDER_SIZE + 0.9, f"not on the boulder: {body}"
        for opening, rise in ((2.0, DEPTH.hard - BOULDER_SIZE), (CLIMB_JUMP, CLIMB_RISE)):
            world = _chasm_world(opening, rise, on_floor=False)
            hop = Hop(Motor(world), (0.0, -opening - 0.7), BOULDER_SIZE + rise, (0.0, 0.35))
            body = _hop(env, world, hop)
            assert body[2] < -opening and body[1] > BOULDER_SIZE + rise + 0.9, f"{opening} m, {rise} m up: {body}"


# --- the indoor variants --------------------------------------------------------------------------------------------


def _kind(world: WorldSpec) -> str:
    storey = world.buildings[0].storeys[0]
    inner = storey.tiles[1:-1, 1:-1]
    if ((inner == Tile.WALL) | (inner == Tile.WINDOW)).any():
        return BLOCKED
    return CLIMB_HIGHER if storey.floor.max() > 0.5 else CROSS_CHASM


def test_indoor_share_is_the_references(monkeypatch: pytest.MonkeyPatch) -> None:
    from avalon.tasks import push

    assert 0.13 <= indoor_share(monkeypatch, push, "push") <= 0.27


def test_indoor_variants_need_the_boulder_and_follow_difficulty() -> None:
    """BLOCKED at d = 0 (a 2 m boulder, higher than the body jumps, before the partition's only gap), CROSS_CHASM at
    d = 1 (6 m across, twice the body's widest jump); the boulder heavier at d = 1. CLIMB_HIGHER's island is twice the
    boulder's height (the body hops onto 1.4 m)."""
    assert generate_world("push", 3, 0.5, variant="indoor") == generate_world("push", 3, 0.5, variant="indoor")
    kinds: dict[float, list[str]] = {0.0: [], 0.5: [], 1.0: []}
    masses: dict[float, list[float]] = {0.0: [], 1.0: []}
    for d in kinds:
        for seed in range(50):
            world = generate_world("push", seed, d, variant="indoor")
            kind = _kind(world)
            kinds[d].append(kind)
            boulder = next(item for item in world.items if item.kind == "boulder")
            if d in masses:
                masses[d].append(float(boulder.fields["mass"]))
            building = world.buildings[0]
            storey = building.storeys[0]
            if kind == BLOCKED:
                assert boulder.fields["size"] == 2.0
                floor = storey.tiles == Tile.FLOOR
                # The gap: the one floor tile between walls to its north and south.
                gap = [(z, x) for z, x in zip(*np.nonzero(floor), strict=True) if not floor[z - 1, x] | floor[z + 1, x]]
                assert len(gap) == 1, gap
                x, _, z = building.tile_centre(0, *gap[0])
                assert abs(boulder.position[2] - z) < 0.01 and 0.5 < boulder.position[0] - x < 1.6
            elif kind == CLIMB_HIGHER:
                assert storey.floor.max() == pytest.approx(3 * boulder.fields["size"])
            else:
                rows = np.nonzero((storey.floor < -1.0).any(axis=1))[0]
                assert len(rows) == 6 and np.allclose(storey.floor[storey.floor < -1.0], -2 * boulder.fields["size"])
    assert set(kinds[0.0]) == {BLOCKED} and kinds[1.0].count(CROSS_CHASM) > 40
    assert {BLOCKED, CLIMB_HIGHER, CROSS_CHASM} <= set(kinds[0.5])
    assert np.mean(masses[0.0]) < 610 and np.mean(masses[1.0]) > 2390


@pytest.mark.godot
def test_the_oracle_pushes_the_boulder_indoors() -> None:
    worlds = [generate_world("push", seed, d, variant="indoor") for seed, d in ((0, 0.0), (1, 0.0), (3, 0.5))]
    oracle_solves("push", worlds, 1500)
