"""The reset profile (`python -m avalon.bench --profile-world`): Godot reports every build phase, and the phases add
up to no more than the reset's wall time."""

from __future__ import annotations

import os

import pytest

from avalon.bench_worlds import GODOT_PHASES, profile_world, tree_field


@pytest.mark.godot
def test_a_headless_reset_is_split_into_godot_phases_that_fit_in_its_time() -> None:
    outside = os.environ.get("AVALON_PROFILE_RESET")
    profile = profile_world(["trees500"], modes=("headless",), resets=2)
    phases = profile["headless"]["trees500"]
    headless_phases = set(GODOT_PHASES) - {"terrain_meshes", "tree_meshes"}  # nothing is drawn headless
    assert headless_phases <= set(phases)
    assert {"terrain_meshes", "tree_meshes"}.isdisjoint(phases)
    assert all(phases[p]["min"] >= 0.0 for p in headless_phases)
    godot = sum(phases[p]["median"] for p in headless_phases)
    assert 0.0 < godot <= phases["total"]["median"]
    assert phases["tree_collision"]["median"] > 0.0
    assert profile["worlds"]["trees500"]["trees"] == 500
    assert os.environ.get("AVALON_PROFILE_RESET") == outside  # set only while profiling


def test_bad_profile_requests_are_named() -> None:
    with pytest.raises(ValueError, match="unknown profile world"):
        profile_world(["atlantis"])
    with pytest.raises(ValueError, match="modes must be"):
        profile_world(["trees500"], modes=("vr",))
    with pytest.raises(ValueError, match="resets must be at least 1"):
        profile_world(["trees500"], resets=0)
    with pytest.raises(ValueError, match="do not fit"):
        tree_field(10, side=6)  # all of a 6 m square is within 3 m of the spawn
