"""The evaluation set's recipe, its manifest and `verify` (pure Python, no Godot)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from avalon.entities import FOOD_KINDS
from avalon.tasks import eat, implemented_tasks
from scoring import evalset


def test_recipe_follows_the_original() -> None:
    worlds = evalset.recipe_worlds()
    assert len(worlds) == 1000 and len({w.id for w in worlds}) == 1000
    per_task = Counter(w.task for w in worlds)
    assert set(per_task) == set(evalset.TASK_ORDER) and set(per_task.values()) == {50}
    # Consecutive seed blocks in the original's task order.
    assert [w.seed for w in worlds] == list(range(1000))
    assert {w.task for w in worlds if 50 <= w.seed < 100} == {"move"}
    eat_worlds = [w for w in worlds if w.task == "eat"]
    assert [w.variant for w in eat_worlds[:10]] == list(FOOD_KINDS) and {w.difficulty for w in eat_worlds[:10]} == {0.5}
    rest = eat_worlds[10:]
    # Then the even spread over [0, 1] (32 worlds), then 20 % of the 40 at d=1 last (as the original's code).
    assert [w.difficulty for w in rest[:32]] == [round(float(d), 2) for d in np.linspace(0.0, 1.0, 32)]
    assert [w.difficulty for w in rest[32:]] == [1.0] * 8
    hunt = [w for w in worlds if w.task == "hunt"]
    assert [w.variant for w in hunt[:8]] == list(evalset.PREY) and hunt[8].variant is None
    move = [w for w in worlds if w.task == "move"]
    assert sum(w.difficulty == 1.0 for w in move) == 10 + 1
    assert evalset.world_id("eat", 33, 0.48) == "eat__33__0.48" and evalset.world_id("move", 50, 1.0) == "move__50__1"


def test_minival_has_one_world_per_task() -> None:
    minival = [w for w in evalset.recipe_worlds() if w.minival]
    assert sorted(w.task for w in minival) == sorted(evalset.TASK_ORDER)
    assert all(abs(w.difficulty - 0.5) < 0.025 and w.variant is None for w in minival)


def test_splits_list_unavailable_tasks_and_refuse_unknown_names() -> None:
    implemented = {t.name.lower() for t in implemented_tasks()}
    entries, unavailable = evalset.split_worlds("minival")
    assert sorted(e["task"] for e in entries) == sorted(implemented)
    assert set(unavailable) == set(evalset.TASK_ORDER) - implemented
    test, _ = evalset.split_worlds("test")
    assert len(test) == 50 * len(implemented) and all(e["sha256"] for e in test)
    with pytest.raises(ValueError, match="unknown split"):
        evalset.split_worlds("valid")


def test_committed_manifest_matches_the_generators() -> None:
    assert evalset.verify() == []


def test_manifest_files_split_by_task_and_load_back(tmp_path: Path) -> None:
    manifest = evalset.load_manifest()
    written = evalset.write_manifest(manifest, tmp_path)
    implemented = [t for t in evalset.TASK_ORDER if t in evalset.available_tasks()]
    assert [p.name for p in written] == ["recipe.json", *(f"{t}.json" for t in implemented)]
    assert evalset.load_manifest(tmp_path) == manifest
    assert evalset.manifest_sha256(tmp_path) == evalset.manifest_sha256()
    (tmp_path / "stale.json").write_text("{}")
    evalset.write_manifest(manifest, tmp_path)
    assert not (tmp_path / "stale.json").exists()


def test_a_generator_change_touches_only_that_tasks_file(monkeypatch: pytest.MonkeyPatch) -> None:
    before = evalset.manifest_files(evalset.load_manifest())
    monkeypatch.setattr(eat, "TOOL_DROP", eat.TOOL_DROP + 0.01)
    after = evalset.manifest_files(evalset.build_manifest())
    assert sorted(name for name in before if before[name] != after[name]) == ["eat.json"]


def test_a_generator_change_fails_verify_naming_the_worlds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eat, "TOOL_DROP", eat.TOOL_DROP + 0.01)
    problems = evalset.verify()
    assert problems and all(p.startswith("eat__") for p in problems)
    assert any("encoded world changed" in p for p in problems)
    assert not any(p.startswith("move__") for p in problems)
