"""The obstacle library (avalon.world.obstacles): rings built as designed at the crossing, solutions on each side,
paths and items as asked, hill and pit, and the planning generators and the oracle share. Pure numpy, no Godot."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from avalon.constants import FINE_CELL_SIZE
from avalon.world import obstacles as ob
from avalon.world import terrain as tr

SPAWN, GOAL = (-7.0, 0.0), (7.0, 0.0)
CS = FINE_CELL_SIZE
JUMP = ob.RingConfig(height=-5.0, wall=ob.Wall(0.0), far_wall=ob.Wall(0.0), gap=2.1, traversal_width=3.0)
CLIFF = ob.RingConfig(height=3.0, wall=ob.Wall(0.0, climbable=False), mode=ob.HeightMode.MIDPOINT)


def _island(seed: int, size: int = 40) -> tuple[np.random.Generator, tr.Heightmap]:
    rng = np.random.default_rng(seed)
    # base 8 m: a 5 m chasm floor stays above the water
    return rng, tr.island(rng, size, size, relief=1.5, roughness=0.3, base_height=8.0, cell_size=CS)


def _ring(seed: int, config: ob.RingConfig) -> tuple[tr.Heightmap, tr.Heightmap, ob.Ring, ob.Solution]:
    rng, heightmap = _island(seed)
    before = dataclasses.replace(heightmap, heights=heightmap.heights.copy(), unclimbable=heightmap.unclimbable.copy())
    ring = ob.make_ring(rng, heightmap, SPAWN, GOAL, config)
    return before, heightmap, ring, ob.solve(ring, heightmap)


def _profile(heightmap: tr.Heightmap, ring: ob.Ring, radii: np.ndarray) -> np.ndarray:
    return np.array([heightmap.height_at(*ring.ray_point(float(r))) for r in radii])


def test_rings_are_deterministic_from_the_rng() -> None:
    _, a, ring_a, sol_a = _ring(3, JUMP)
    _, b, ring_b, sol_b = _ring(3, JUMP)
    _, c, _, _ = _ring(4, JUMP)
    assert np.array_equal(a.heights, b.heights) and np.array_equal(a.unclimbable, b.unclimbable)
    assert ring_a.traversal_point == ring_b.traversal_point and sol_a.goal_end == sol_b.goal_end
    assert not np.array_equal(a.heights, c.heights)


@pytest.mark.parametrize("seed", range(6))
def test_a_double_wall_has_the_designed_gap_and_depth_at_the_crossing(seed: int) -> None:
    before, after, ring, _ = _ring(seed, JUMP)
    r_t = ring.traversal_radius
    radii = np.arange(r_t - 3.0, r_t + JUMP.gap + 3.0, 0.02)
    drop = _profile(before, ring, radii) - _profile(after, ring, radii)
    lowered = radii[drop > 0.5 * -JUMP.height]  # where the ground has sunk (the surface between points included)
    assert lowered.size, "no chasm on the traversal ray"
    # The floor points span exactly [r_t, r_t + gap) on the ray; the triangles' slopes add up to a cell each side.
    width = lowered.max() - lowered.min()
    assert JUMP.gap - CS <= width <= JUMP.gap + CS, f"chasm {width:.2f} m wide for a {JUMP.gap} m design"
    floor = after.height_at(*ring.ray_point(r_t + JUMP.gap / 2)) - before.height_at(*ring.ray_point(r_t + JUMP.gap / 2))
    assert floor == pytest.approx(JUMP.height, abs=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_a_midpoint_cliff_has_exactly_the_designed_height(seed: int) -> None:
    _, after, ring, solution = _ring(seed, CLIFF)
    rise = after.height_at(*solution.goal_end) - after.height_at(*solution.spawn_end)
    assert rise == pytest.approx(CLIFF.height, abs=1e-6), f"centred on spawn: {ring.centered_on_spawn}"
    assert after.height_at(*GOAL) - after.height_at(*SPAWN) > 1.0  # the goal side is the high one


def test_both_centres_occur_and_keep_spawn_and_goal_on_their_sides() -> None:
    centres = set()
    for seed in range(8):
        _, after, ring, solution = _ring(seed, JUMP)
        grid = ob.Grid.of(after)
        centres.add(ring.centered_on_spawn)
        assert ring.spawn_side[grid.point(*SPAWN)] and ring.goal_side[grid.point(*GOAL)]
        assert ring.spawn_side[grid.point(*solution.spawn_end)] and ring.goal_side[grid.point(*solution.goal_end)]
        # endpoints on the traversal ray, on either side of the chasm, pushed back from the brink by about 1 m
        assert math.dist(solution.spawn_end, solution.goal_end) == pytest.approx(JUMP.gap + 2.0, abs=2 * CS)
    assert centres == {True, False}


def test_unclimbable_walls_get_bands_at_top_and_foot_and_climbable_ones_nothing() -> None:
    before, after, ring, solution = _ring(1, CLIFF)
    terrain = after.to_terrain()
    r_t = ring.traversal_radius
    for metres in (-1.25, -0.25, 0.25, 1.25):  # within 1.5 m below and above the step at r_t
        x, z = ring.ray_point(r_t + metres * (1 if ring.centered_on_spawn else -1))
        assert not terrain.is_climbable(x, z), f"{metres} m from the cliff"
    # ... and nowhere else: every land cell made unclimbable lies within the band of the wall's step (+ 2 cells: at
    # the shore the step's cell may have only one corner on land, where `ring.weight`, zero off land, shows no step)
    added = after.unclimbable & ~before.unclimbable
    corners = np.stack([ring.weight[:-1, :-1], ring.weight[:-1, 1:], ring.weight[1:, :-1], ring.weight[1:, 1:]])
    step = (corners.max(axis=0) > 0) & (corners.min(axis=0) < 1)
    near = step.copy()
    for _ in range(round(1.5 / CS) + 2):
        padded = np.pad(near, 1)
        near = np.logical_or.reduce(
            [
                padded[1 + a : 1 + a + near.shape[0], 1 + b : 1 + b + near.shape[1]]
                for a in (-1, 0, 1)
                for b in (-1, 0, 1)
            ]
        )
    land = ring.land[:-1, :-1] & ring.land[:-1, 1:] & ring.land[1:, :-1] & ring.land[1:, 1:]
    assert added.any() and not (added & land & ~near).any()
    climbable = dataclasses.replace(CLIFF, wall=ob.Wall(0.0, climbable=True))
    before, after, _, _ = _ring(1, climbable)
    assert np.array_equal(before.unclimbable, after.unclimbable)


def test_a_climbable_path_makes_its_strip_climbable_up_an_unclimbable_wall() -> None:
    _, after, ring, solution = _ring(2, CLIFF)
    path = ob.add_path(
        np.random.default_rng(0), after, solution, ob.PathConfig(width=1.5, climbable=True, unclimbable_edges=True)
    )
    terrain = after.to_terrain()
    for t in np.linspace(0.05, 0.95, 30):
        x = solution.spawn_end[0] + (solution.goal_end[0] - solution.spawn_end[0]) * t
        z = solution.spawn_end[1] + (solution.goal_end[1] - solution.spawn_end[1]) * t
        assert terrain.is_climbable(x, z), f"path point {t:.2f} of the way is not climbable"
    beside = ring.ray_point(ring.traversal_radius)
    heading = solution.heading
    off = (beside[0] - 2.0 * math.sin(heading), beside[1] + 2.0 * math.cos(heading))
    assert not terrain.is_climbable(*off)
    assert path.points == (solution.spawn_end, solution.goal_end) and path.mask.any()


@pytest.mark.parametrize("waypoints", [1, 2])
def test_paths_with_waypoints_stay_on_land_and_join_the_ends(waypoints: int) -> None:
    _, after, ring, solution = _ring(2, CLIFF)
    config = ob.PathConfig(width=2.0, waypoints=waypoints, height_ramp=True, land_only=True)
    path = ob.add_path(np.random.default_rng(5), after, solution, config)
    assert path.points[0] == solution.spawn_end and path.points[-1] == solution.goal_end
    assert len(path.points) == 2 + waypoints
    # a ramp: heights along the polyline climb steadily from the low end to the high end
    profile = []
    for a, b in zip(path.points[:-1], path.points[1:], strict=True):
        for t in np.linspace(0.0, 1.0, 20, endpoint=False):
            profile.append(after.height_at(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
    rise = np.diff(profile[2:-2])
    assert rise.min() > -0.1 and profile[-3] - profile[2] > 0.5 * CLIFF.height
    grid = ob.Grid.of(after)
    assert all(after.heights[grid.point(*p)] > after.water_height for p in path.points)


def test_a_flattened_run_up_is_flat_at_the_mean_rim_height() -> None:
    _, after, ring, solution = _ring(0, JUMP)
    ends = [after.height_at(*solution.spawn_end), after.height_at(*solution.goal_end)]
    ob.add_path(np.random.default_rng(0), after, solution, ob.PathConfig(width=4.0, flatten=ob.Flatten.MID, run_up=2.0))
    for point in (solution.spawn_end, solution.goal_end):
        assert after.height_at(*point) == pytest.approx(sum(ends) / 2, abs=1e-6)


@pytest.mark.parametrize("jitter", [0.0, 1.5, 4.0])
def test_items_are_laid_out_solved_then_displaced_by_at_most_the_jitter(jitter: float) -> None:
    _, after, ring, solution = _ring(5, CLIFF)
    offsets = [(0.0, 0.5, 0.0), (-1.0, 0.5, 0.0), (0.0, 1.5, 0.0), (0.0, 0.5, 1.0)]
    solved = ob.place_items(np.random.default_rng(1), after, solution, ob.Side.SPAWN, offsets)
    moved = ob.place_items(np.random.default_rng(1), after, solution, ob.Side.SPAWN, offsets, jitter=jitter)
    first = np.array(solved[0])
    towards_goal = np.array(solution.goal_end) - np.array(solution.spawn_end)
    behind = np.array(solved[1]) - first
    assert np.dot(behind[[0, 2]], towards_goal) < 0  # local -x is away from the obstacle
    assert solved[2][1] - solved[0][1] == pytest.approx(1.0)  # stacked: one above the other
    grid = ob.Grid.of(after)
    for (sx, _, sz), (mx, my, mz), (_, ly, _) in zip(solved, moved, offsets, strict=True):
        assert math.hypot(mx - sx, mz - sz) <= jitter + 1e-9
        assert my - after.height_at(mx, mz) == pytest.approx(ly, abs=1e-6)  # keeps its height above the ground
        if jitter:
            assert ring.spawn_side[grid.point(mx, mz)]
    if jitter:
        assert moved != solved


def test_a_ring_that_cannot_fit_is_impossible() -> None:
    rng, heightmap = _island(0)
    wide = dataclasses.replace(JUMP, gap=20.0)
    with pytest.raises(ob.ImpossibleWorldError, match="does not fit"):
        ob.make_ring(rng, heightmap, SPAWN, GOAL, wide)


def test_bad_configs_are_named() -> None:
    with pytest.raises(ValueError, match="only set for a double wall"):
        ob.RingConfig(height=1.0, gap=2.0)
    with pytest.raises(ValueError, match="circularity must be in"):
        ob.RingConfig(height=1.0, circularity=1.5)
    with pytest.raises(ValueError, match="wall length"):
        ob.Wall(-1.0)
    with pytest.raises(ValueError, match="0, 1 or 2 waypoints"):
        ob.PathConfig(width=1.0, waypoints=3)


def test_the_hill_lifts_the_goal_by_the_cone_rule_and_keeps_the_spawn() -> None:
    _, heightmap = _island(0)
    spawn_ground = heightmap.height_at(*SPAWN)
    top = ob.raise_hill(heightmap, SPAWN, (3.0, 4.0))
    reach = math.dist(SPAWN, (3.0, 4.0))
    assert top == pytest.approx(spawn_ground + 0.1 + 0.8 * reach)
    assert heightmap.height_at(3.0, 4.0) == pytest.approx(top) and heightmap.height_at(3.5, 4.0) == pytest.approx(top)
    assert heightmap.height_at(*SPAWN) == pytest.approx(spawn_ground)


def test_the_pit_is_centred_on_the_goal_and_leaves_it_low() -> None:
    rng, heightmap = _island(1)
    pit = ob.make_pit(rng, heightmap, SPAWN, GOAL, depth=2.5, wall=ob.Wall(0.0, climbable=False))
    assert not pit.centered_on_spawn and pit.center == GOAL
    solution = ob.solve(pit, heightmap)
    drop = heightmap.height_at(*solution.spawn_end) - heightmap.height_at(*solution.goal_end)
    assert drop > 1.5


def test_reachability_needs_a_jump_across_the_chasm_and_visibility_sees_over_it() -> None:
    _, after, ring, solution = _ring(1, JUMP)
    ob.add_path(np.random.default_rng(0), after, solution, ob.PathConfig(width=4.0, flatten=ob.Flatten.MID))
    assert not ob.is_reachable(after, SPAWN, GOAL)
    assert not ob.is_reachable(after, SPAWN, GOAL, jump_distance=1.0, max_drop=2.0)
    assert ob.is_reachable(after, SPAWN, GOAL, jump_distance=3.0, max_drop=2.0)
    eye = (SPAWN[0], after.height_at(*SPAWN) + 2.0, SPAWN[1])
    assert ob.is_visible(after, eye, (GOAL[0], after.height_at(*GOAL) + 1.0, GOAL[1]))
    below = ring.ray_point(ring.traversal_radius + JUMP.gap / 2)  # the chasm floor, hidden behind its rim
    hidden = (below[0] + 30 * (below[0] - SPAWN[0]), after.height_at(*below) - 20.0, below[1])
    assert not ob.is_visible(after, eye, hidden)


def test_astar_walks_round_a_wall_and_honours_the_cell_size() -> None:
    heightmap = tr.Heightmap(np.zeros((41, 41)), -10.0, -10.0, np.zeros((40, 40), bool), -5.0, cell_size=0.5)
    heightmap.heights[20, 5:] = 3.0  # a wall along z = 0 from x = -7.5 to the east edge
    path = ob.astar(heightmap, (5.0, -5.0), (5.0, 5.0))
    assert path is not None and path[0] == (5.0, -5.0) and path[-1] == (5.0, 5.0)
    assert min(x for x, _ in path) <= -8.0  # went round the wall's west end
    steps = [math.dist(a, b) for a, b in zip(path[:-1], path[1:], strict=True)]
    assert max(steps) <= 0.5 * math.sqrt(2) + 1e-9
    heightmap.heights[20, :] = 3.0
    assert ob.astar(heightmap, (5.0, -5.0), (5.0, 5.0)) is None
    assert not ob.reachable(heightmap, (5.0, -5.0))[ob.Grid.of(heightmap).point(5.0, 5.0)]


def test_critical_distance_caps_the_design_and_refuses_too_small_worlds() -> None:
    assert ob.critical_distance(14.0, 1.0, 2.1) == 2.1
    assert ob.critical_distance(3.5, 1.0, 2.1) == pytest.approx(1.5)  # 3.5 - 2 * 0.5 - 1.0
    assert ob.critical_distance(2.5, 1.0, 2.1) is None


def test_climbing_reaches_the_top_only_up_a_climbable_wall() -> None:
    _, after, ring, solution = _ring(3, CLIFF)
    top = solution.goal_end
    assert not ob.is_reachable(after, SPAWN, top, climbable=~after.unclimbable)
    ob.add_path(np.random.default_rng(0), after, solution, ob.PathConfig(width=2.0, climbable=True))
    assert ob.is_reachable(after, SPAWN, top, climbable=~after.unclimbable)
    assert not ob.is_reachable(after, SPAWN, top)  # without climbing the 3 m step stays a wall
