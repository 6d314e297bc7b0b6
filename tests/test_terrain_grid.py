"""Terrain grids of any cell size: one cell-indexing convention, heights on the engine's triangles, round trips."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from avalon.world import terrain as tr
from avalon.world.builders import flat_terrain, flat_world
from avalon.world.codec import decode_world, encode_world
from avalon.world.spec import Terrain, cell_of


def test_a_cell_is_half_open_on_its_far_edges() -> None:
    t = flat_terrain(10, cell_size=0.5)  # origin -5: cell i covers [-5 + 0.5 i, -5 + 0.5 (i + 1))
    assert t.points_x == 21 and t.bounds == (-5.0, 5.0, -5.0, 5.0)
    assert t.cell_index(-5.0, -5.0) == (0, 0)
    assert t.cell_index(-4.51, -4.5) == (1, 0)  # z exactly on a boundary belongs to the next cell
    assert t.cell_index(0.25, 0.0) == (10, 10)
    assert t.cell_index(5.0, 5.0) == (19, 19)  # the far edge clamps into the last cell
    assert t.cell_index(-99.0, 99.0) == (19, 0)
    assert cell_of(-5.0, -5.0, 0.5, (21, 21), 0.49, -4.0) == (2, 10)


def test_height_and_climbability_follow_the_cell_size() -> None:
    base = flat_terrain(4, cell_size=0.5)
    heights = np.array(base.heights)
    heights[:, 5:] = 1.0  # points at x >= 0.5
    climbable = np.array(base.climbable)
    climbable[:, 4] = 0  # the ramp cell [0, 0.5)
    t = dataclasses.replace(base, heights=heights, climbable=climbable)
    assert t.height_at(0.0, 0.0) == 0.0 and t.height_at(0.5, 0.3) == 1.0
    assert t.height_at(0.25, 0.0) == pytest.approx(0.5)
    assert not t.is_climbable(0.0, 1.0) and not t.is_climbable(0.49, 1.0)
    assert t.is_climbable(-0.01, 1.0) and t.is_climbable(0.5, 1.0)


def test_half_metre_worlds_round_trip_and_keep_their_cell_size() -> None:
    world = dataclasses.replace(flat_world(), terrain=flat_terrain(20, cell_size=0.5))
    decoded = decode_world(encode_world(world))
    assert decoded == world and decoded.terrain.cell_size == 0.5 and decoded.terrain.bounds == (-10, 10, -10, 10)
    assert decoded != flat_world()


def test_bad_cell_sizes_are_named() -> None:
    with pytest.raises(ValueError, match="cell_size must be a positive"):
        dataclasses.replace(flat_terrain(4), cell_size=0.0)
    with pytest.raises(ValueError, match="not a whole number of 0.3 m cells"):
        flat_terrain(4, cell_size=0.3)
    with pytest.raises(ValueError, match="not a whole number"):
        tr.island(np.random.default_rng(0), 31, 30, relief=1.0, roughness=0.5, cell_size=2.0)


def test_islands_keep_their_shape_in_metres_at_half_metre_cells() -> None:
    coarse = tr.island(np.random.default_rng(3), 40, 30, relief=3.0, roughness=0.5, cell_size=1.0)
    fine = tr.island(np.random.default_rng(3), 40, 30, relief=3.0, roughness=0.5, cell_size=0.5)
    assert fine.shape == (61, 81) and coarse.shape == (31, 41)
    terrain = fine.to_terrain()
    assert isinstance(terrain, Terrain) and terrain.cell_size == 0.5 and terrain.bounds == (-20, 20, -15, 15)
    # the same noise lattice in metres: the fine grid's even points sit close to the coarse grid's points
    assert np.abs(fine.heights[::2, ::2] - coarse.heights).mean() < 0.5
