"""CARRY: the module follows the task contract; worlds are deterministic and valid; the inner
task is uniform over THROW, FIGHT, STACK and BRIDGE (and forced by the variant); the tools move farther from their
place in the obstacle as d grows, onto land walked to from the spawn; animals stay put."""

from __future__ import annotations

import math

import numpy as np
import pytest

from avalon.tasks import carry as module
from avalon.tasks import check_task_module
from avalon.world.codec import encode_world
from avalon.world.obstacles import Grid, reachable
from avalon.world.spec import WorldSpec
from tests.animal_worlds import animals, predators, prey, world, xz

SEEDS = range(50)


def _inner(spec: WorldSpec) -> str:
    kinds = {item.kind for item in spec.items}
    if prey(spec):
        return "throw"
    if predators(spec):
        return "fight"
    return "stack" if "stone" in kinds else "bridge" if "log" in kinds else "?"


def test_the_module_follows_the_task_contract() -> None:
    assert check_task_module("carry", module) == []
    assert module.VARIANTS == ("throw", "fight", "stack", "bridge")


def test_the_same_seed_and_difficulty_give_the_same_bytes() -> None:
    first = encode_world(world(module, 1, 0.5))
    assert encode_world(world.__wrapped__(module, 1, 0.5)) == first  # type: ignore[attr-defined]
    assert encode_world(world.__wrapped__(module, 2, 0.5)) != first  # type: ignore[attr-defined]


def test_the_inner_task_is_uniform_and_the_variant_forces_it() -> None:
    inner = [_inner(world(module, s, d)) for s in SEEDS for d in (0.5, 1.0)]
    # Uniform over four: 25 each of 100 expected (a retried world may land on another inner task); 12 or fewer has
    # a chance of about 1 in 1000 per task.
    assert all(inner.count(name) > 12 for name in module.VARIANTS), {
        name: inner.count(name) for name in module.VARIANTS
    }
    for name in module.VARIANTS:
        assert _inner(world(module, 3, 0.5, name)) == name


def _moves(monkeypatch: pytest.MonkeyPatch, seed: int, difficulty: float) -> tuple[list[float], bool]:
    """(how far each tool moved, whether the animals stayed) in the world of (seed, difficulty)."""
    record: list[tuple[list, list]] = []  # type: ignore[type-arg]
    original = module._move_tools

    def spy(rng, d, heightmap, spawn, built):  # type: ignore[no-untyped-def]
        out = original(rng, d, heightmap, spawn, built)
        record.append((list(built.entities), out))
        return out

    monkeypatch.setattr(module, "_move_tools", spy)
    world.__wrapped__(module, seed, difficulty)  # type: ignore[attr-defined]
    before, after = record[-1]
    moves = [
        math.dist((a[1][0], a[1][2]), (b[1][0], b[1][2]))
        for a, b in zip(before, after, strict=True)
        if a[0] in module.TOOLS
    ]
    stayed = all(a[1] == b[1] for a, b in zip(before, after, strict=True) if a[0] not in module.TOOLS)
    return moves, stayed


def test_difficulty_moves_the_tools_farther_and_animals_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    easy = [_moves(monkeypatch, s, 0.0) for s in range(30)]
    hard = [_moves(monkeypatch, s, 1.0) for s in range(30)]
    assert all(stayed for _, stayed in easy + hard)
    # Medians: a tool whose place is on or against the obstacle (a log across the chasm) must move farther.
    move_easy = np.median([m for moves, _ in easy for m in moves])
    move_hard = np.median([m for moves, _ in hard for m in moves])
    assert move_easy < 2.5 and move_hard > 6.0, (move_easy, move_hard)


@pytest.mark.parametrize("difficulty", [0.0, 0.5, 1.0])
def test_every_tool_lies_where_the_spawn_walks_to(difficulty: float) -> None:
    for seed in range(12):
        spec = world(module, seed, difficulty)
        t = spec.terrain
        walk = reachable(t, xz(spec), max_drop=4.0)
        grid = Grid.of(t)
        tools = [item for item in spec.items if item.kind in module.TOOLS]
        assert tools, f"seed {seed}: no tool"
        for tool in tools:
            assert walk[grid.point(*xz(tool))], f"seed {seed}: a {tool.kind} cannot be walked to"
            assert tool.position[1] > t.height_at(*xz(tool)), f"seed {seed}: a {tool.kind} is in the ground"
        assert _inner(spec) != "throw" or len(animals(spec)) == 1
