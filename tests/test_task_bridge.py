"""BRIDGE: the gap, depth, distance and the log's displacement grow with difficulty; the food needs the log (no walk,
climb or jump of the body crosses) and is reached over a log laid across; the log spans the widest gap; in the real
engine the body runs, jumps onto a log lying across a chasm and crosses on it."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from avalon.constants import ACTION_SIZE, FINE_CELL_SIZE
from avalon.entities.table import LOG_LENGTH
from avalon.env import AvalonEnv
from avalon.oracle.bridge import BridgePlan, LogBridge, LogCrossing
from avalon.oracle.skills import Motor
from avalon.tasks import generate_world
from avalon.tasks.bridge import BODY_JUMP, log_axis, standable
from avalon.world import obstacles as ob
from avalon.world import terrain as tr
from avalon.world.obstacles.grid import Grid, dilate
from avalon.world.obstacles.planning import JUMP_RISE, MAX_RISE
from avalon.world.spec import Item, Spawn, Terrain, Trees, WorldSpec

SEEDS = range(50)
SAFE_DROP = 4.0
WALK_DROP = MAX_RISE * FINE_CELL_SIZE  # m per grid step
LOG_ON_RIM = 0.75  # m of log each rim keeps at least, over the widest opening


def _ends(world: WorldSpec) -> tuple[tuple[float, float], tuple[float, float]]:
    spawn, apple = world.spawn.position, world.foods()[0].position
    return (spawn[0], spawn[2]), (apple[0], apple[2])


def _narrowest(world: WorldSpec) -> tuple[np.ndarray, np.ndarray, float]:
    """The closest pair of grid points (x, z, height) between the ground walkable from the spawn and the ground
    from which the food is walkable: the crossing, rim to rim."""
    grid = Grid.of(world.terrain)
    start, goal = _ends(world)
    # Walking only (steps no steeper down than up), so that neither side includes the chasm floor.
    here = ob.reachable(grid, start, max_rise=MAX_RISE, max_drop=WALK_DROP)
    there = ob.reachable(grid, goal, max_rise=MAX_RISE, max_drop=WALK_DROP)
    assert not (here & there).any(), f"seed {world.seed}: the two sides are joined on foot"
    near = math.ceil(8.0 / grid.cell_size)
    x, z = grid.grid_xz()
    h = grid.heights
    a_mask, b_mask = here & dilate(there, near), there & dilate(here, near)
    p = np.stack([x[a_mask], z[a_mask], h[a_mask]], axis=1)
    q = np.stack([x[b_mask], z[b_mask], h[b_mask]], axis=1)
    distance = np.hypot(p[:, None, 0] - q[None, :, 0], p[:, None, 1] - q[None, :, 1])
    k = int(np.argmin(distance))
    a, b = divmod(k, len(q))
    return p[a], q[b], float(distance[a, b])


def _measure(world: WorldSpec) -> tuple[float, float, float, float]:
    """(spawn-food distance, narrowest rim-to-rim opening, depth under it, how far the log's centre lies from the
    chasm: 0 when it is over it) of a world."""
    start, goal = _ends(world)
    a, b, opening = _narrowest(world)
    t = world.terrain
    line = [(a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s) for s in np.linspace(0.0, 1.0, 30)]
    depth = min(a[2], b[2]) - min(t.height_at(x, z) for x, z in line)
    grid = Grid.of(t)
    sides = ob.reachable(grid, start, max_drop=WALK_DROP) | ob.reachable(grid, goal, max_drop=WALK_DROP)
    chasm = ~sides & (grid.heights > grid.water_height)
    x, z = grid.grid_xz()
    log = world.items_of_kind("log")[0].position
    away = float(np.hypot(x[chasm] - log[0], z[chasm] - log[2]).min())
    return math.dist(start, goal), opening, depth, 0.0 if away < 1.0 else away


def test_gap_depth_distance_and_log_displacement_scale_with_difficulty() -> None:
    easy = np.array([_measure(generate_world("bridge", seed, 0.0)) for seed in SEEDS])
    hard = np.array([_measure(generate_world("bridge", seed, 1.0)) for seed in SEEDS])
    # Goal distance around 7.65 + 3 E + 7.65 d with E = 2 -> 6: about 14 m at d=0, about 33 m at d=1.
    assert 11.0 < np.median(easy[:, 0]) < 17.0 and np.median(hard[:, 0]) > np.median(easy[:, 0]) + 10.0
    # Gap 4.0 -> 4.4 m; never narrower than the body's longest jump, never too wide for the log.
    assert np.median(hard[:, 1]) > np.median(easy[:, 1]) + 0.2
    assert easy[:, 1].min() > BODY_JUMP and hard[:, 1].max() <= LOG_LENGTH - 2 * LOG_ON_RIM
    # Depth lerp(3.2 -> 6.4) m below the lower rim at the crossing (relief adds a little).
    assert np.median(easy[:, 2]) == pytest.approx(3.2, abs=0.4) and np.median(hard[:, 2]) > 5.8
    # The log: over the chasm at d=0 (pre-solved, P 1); mostly on the ground, metres from the brink, at d=1.
    assert not easy[:, 3].any() and np.mean(hard[:, 3] > 1.5) > 0.9


def _with_log(world: WorldSpec, a: np.ndarray, b: np.ndarray) -> Grid:
    """The terrain with a level walkway 1 m wide at the higher rim's height from rim point `a` to rim point `b` (a
    log laid across as the planner sees it: the body jumps onto its top and walks along)."""
    grid = Grid.of(world.terrain)
    x, z = grid.grid_xz()
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    ux, uz = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    along = (x - a[0]) * ux + (z - a[1]) * uz
    across = np.abs(-(x - a[0]) * uz + (z - a[1]) * ux)
    heights = np.array(grid.heights)
    heights[(along >= 0) & (along <= length) & (across <= 0.5)] = max(a[2], b[2])
    return Grid(heights, grid.origin_x, grid.origin_z, grid.cell_size, grid.water_height)


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_the_food_needs_the_log(difficulty: float) -> None:
    """No walk, survivable drop, climb (of the climbable cells) or jump as long as the body's longest crosses; a
    log laid across the narrowest crossing does."""
    for seed in range(12):
        world = generate_world("bridge", seed, difficulty)
        start, goal = _ends(world)
        t = world.terrain
        assert not ob.is_reachable(t, start, goal, max_drop=SAFE_DROP, climbable=t.climbable.astype(bool)), seed
        # Jumps between points the body can stand on (not hopping up the shore's cliff).
        blocked = ~standable(t)
        assert not ob.is_reachable(
            t, start, goal, max_drop=SAFE_DROP, jump_distance=BODY_JUMP, jump_rise=JUMP_RISE, blocked=blocked
        ), seed
        a, b, _ = _narrowest(world)
        assert ob.is_reachable(_with_log(world, a, b), start, goal, max_drop=SAFE_DROP), seed


def test_the_pre_solved_log_rests_on_both_rims() -> None:
    """At d=0 the log lies over the chasm, one end over ground the spawn side walks on and the other over the goal
    side's, its lowest line on the highest ground under it."""
    for seed in range(20):
        world = generate_world("bridge", seed, 0.0)
        log = world.items_of_kind("log")[0]
        end_a, end_b = log_axis(log.position, log.yaw)
        t = world.terrain
        along = [
            (end_a[0] + (end_b[0] - end_a[0]) * s, end_a[1] + (end_b[1] - end_a[1]) * s) for s in np.linspace(0, 1, 65)
        ]
        ground = [t.height_at(x, z) for x, z in along]
        assert log.position[1] - 0.7 - max(ground) == pytest.approx(0.02, abs=0.03), seed
        assert log.position[1] - t.height_at(log.position[0], log.position[2]) > 3.0, seed  # over the chasm
        grid = Grid.of(t)
        start, goal = _ends(world)
        here = ob.reachable(grid, start, max_drop=WALK_DROP)
        there = ob.reachable(grid, goal, max_drop=WALK_DROP)
        sides = {(bool(here[grid.point(*e)]), bool(there[grid.point(*e)])) for e in (end_a, end_b)}
        assert sides == {(True, False), (False, True)}, seed


def _log_across_chasm(opening: float) -> tuple[WorldSpec, LogBridge]:
    """Flat ground at 0 with a 5 m deep chasm across it (last high points at z = 0 and z = -`opening`, 0.5 m grid),
    a log lying across it along -Z, the spawn 4 m behind the log's near end."""
    size = 30
    n = round(size / FINE_CELL_SIZE)
    heights = np.zeros((n + 1, n + 1), np.float32)
    z = -size / 2 + np.arange(n + 1) * FINE_CELL_SIZE
    heights[(z > -opening + 1e-6) & (z < -1e-6), :] = -5.0
    cells = np.ones((n, n), np.uint8)
    terrain = Terrain(heights, cells * tr.GRASS, cells, tr.PALETTE, (-size / 2, 0.0, -size / 2), -10.0, FINE_CELL_SIZE)
    apple = Item.food("apple", 1, (0.0, 0.5, -opening - 6.0))
    log = Item.of("log", 2, (0.0, 0.72, -opening / 2), 90.0)  # yaw 90: local x along -Z
    near, far = log_axis(log.position, log.yaw)
    spawn = Spawn((0.0, 0.0, near[1] + 4.0), 0.0, 0.0)
    world = WorldSpec(
        task="debug", seed=0, difficulty=0.0, terrain=terrain, trees=Trees(), items=(apple, log), spawn=spawn
    )
    return world, LogBridge(near, far)


@pytest.mark.godot
def test_the_body_crosses_the_widest_gap_on_the_log() -> None:
    """The oracle's log crossing (run-up, jump onto the log's end, run along its top) over a level chasm 4.9 m from
    rim to rim, the widest a 4.4 m design gap spans on the grid: the body ends on the far side, not in the chasm."""
    world, bridge = _log_across_chasm(4.9)
    assert bridge.near[1] > 0.0 > -4.9 > bridge.far[1]  # the log reaches over both rims
    with AvalonEnv("eat", headless=True, debug=True) as env:
        _, info = env.reset(seed=0, options={"world": world})
        skill = LogCrossing(Motor(world), bridge)
        for _ in range(100):
            action = np.zeros(ACTION_SIZE, np.float32)
            if not skill.act(action, info["debug"]):
                break
            _, _, _, _, info = env.step(action)
        body = info["debug"]["body_position"]
        assert body[2] < -5.0 and body[1] > 0.5, f"the body ended at {body}"


@pytest.mark.godot
def test_the_oracle_lays_a_log_across_and_crosses_on_it() -> None:
    """The oracle's log carrying (grab beside it, strafe with the head still, lower and let go over the opening)
    and crossing, on a level chasm 4.6 m from rim to rim with the log lying on the ground 5 m behind the rim and
    2.5 m to the side: the log ends across the chasm, resting on both rims, and the body on the far side."""
    world, _ = _log_across_chasm(4.6)
    log = world.items_of_kind("log")[0]
    on_ground = Item.of("log", log.id, (2.5, 0.72, 5.0), log.yaw)
    world = dataclasses.replace(world, items=(world.foods()[0], on_ground), spawn=Spawn((2.5, 0.0, 10.0), 0.0, 0.0))
    with AvalonEnv("eat", headless=True, debug=True) as env:
        _, info = env.reset(seed=0, options={"world": world})
        plan = BridgePlan(Motor(world))
        for _ in range(400):
            action = np.zeros(ACTION_SIZE, np.float32)
            plan.act(action, info["debug"])
            _, _, _, _, info = env.step(action)
            if info["debug"]["body_position"][2] < -6.0:
                break
        body = info["debug"]["body_position"]
        placed = next(e["position"] for e in info["debug"]["entities"] if e["kind"] == "log")
        assert -4.1 < placed[2] < -0.5 and placed[1] > 0.5, f"the log ended at {placed}"
        assert body[2] < -6.0 and body[1] > 0.5, f"the body ended at {body}"


@pytest.mark.godot
def test_the_oracle_turns_a_log_lying_askew_on_a_slope_and_lays_it_across() -> None:
    """The log carry for a log lying elsewhere at another yaw (CARRY moves BRIDGE's log): on a level chasm 4.6 m
    from rim to rim, the log lies 6 m behind the rim turned 60 degrees from across it, on ground that slopes along
    it (0.4 m from end to end). The oracle grabs it where its axis lies, levels it in the hand, turns it across the
    chasm and lays it there: the log ends across the chasm, resting on both rims, and the body on the far side."""
    world, _ = _log_across_chasm(4.6)
    terrain = world.terrain
    n = terrain.heights.shape[0]
    x = terrain.origin[0] + np.arange(n) * FINE_CELL_SIZE
    z = terrain.origin[2] + np.arange(n) * FINE_CELL_SIZE
    slope = 0.08 * (x[None, :] - 2.5) * np.clip((z[:, None] - 2.0) / 2.0, 0.0, 1.0)
    heights = (terrain.heights + slope).astype(np.float32)
    terrain = dataclasses.replace(terrain, heights=heights)
    grid = Grid.of(terrain)
    log = world.items_of_kind("log")[0]
    yaw = log.yaw + 60.0
    a, b = log_axis((2.5, 0.0, 6.0), yaw)
    ground = max(grid.heights[grid.point(*a)], grid.heights[grid.point(*b)])
    askew = Item.of("log", log.id, (2.5, float(ground) + 0.75, 6.0), yaw)
    spawn = Spawn((2.5, float(grid.heights[grid.point(2.5, 11.0)]), 11.0), 0.0, 0.0)
    world = dataclasses.replace(world, terrain=terrain, items=(world.foods()[0], askew), spawn=spawn)
    with AvalonEnv("eat", headless=True, debug=True) as env:
        _, info = env.reset(seed=0, options={"world": world})
        plan = BridgePlan(Motor(world))
        turned = False
        for _ in range(700):
            action = np.zeros(ACTION_SIZE, np.float32)
            plan.act(action, info["debug"])
            turned = turned or (plan.carry is not None and abs(plan.carry.placement.turn) > 30.0)
            _, _, _, _, info = env.step(action)
            if info["debug"]["body_position"][2] < -6.0:
                break
        body = info["debug"]["body_position"]
        placed = next(e for e in info["debug"]["entities"] if e["kind"] == "log")
        assert turned, "the log was not carried turned"
        assert -4.1 < placed["position"][2] < -0.5 and placed["position"][1] > 0.5, f"the log ended at {placed}"
        assert abs(math.cos(math.radians(placed["yaw"]))) < 0.2, f"the log lies at yaw {placed['yaw']}"
        assert body[2] < -6.0 and body[1] > 0.5, f"the body ended at {body}"
