"""The obstacle library: terrain features task generators build worlds from, and the planning that checks them.

Pure numpy, deterministic from the `numpy.random.Generator` passed in; distances are metres whatever the heightmap's
cell size. See docs/obstacles.md.
"""

from avalon.world.obstacles.grid import Grid, surface_heights
from avalon.world.obstacles.planning import astar, cliff_penalty, is_reachable, is_visible, reachable
from avalon.world.obstacles.ring import HeightMode, Ring, RingConfig, Wall, critical_distance, make_ring
from avalon.world.obstacles.shapes import make_pit, raise_hill
from avalon.world.obstacles.solution import Flatten, Path, PathConfig, Side, Solution, add_path, place_items, solve
from avalon.world.terrain import ImpossibleWorldError

__all__ = [
    "Flatten",
    "Grid",
    "HeightMode",
    "ImpossibleWorldError",
    "Path",
    "PathConfig",
    "Ring",
    "RingConfig",
    "Side",
    "Solution",
    "Wall",
    "add_path",
    "astar",
    "cliff_penalty",
    "critical_distance",
    "is_reachable",
    "is_visible",
    "make_pit",
    "make_ring",
    "place_items",
    "raise_hill",
    "reachable",
    "solve",
    "surface_heights",
]
