"""The obstacle library: terrain features task generators build worlds from, and the planning that checks them.

Pure numpy, deterministic from the `numpy.random.Generator` passed in. See docs/obstacles.md.
"""

from avalon.world.obstacles.planning import Grid, astar, cliff_penalty, is_reachable, is_visible, reachable

__all__ = ["Grid", "astar", "cliff_penalty", "is_reachable", "is_visible", "reachable"]
