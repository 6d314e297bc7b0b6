"""The generated GDScript (constants and the entity table) must match avalon/constants.py and avalon/entities."""

from __future__ import annotations

from avalon import codegen


def test_generated_files_are_current() -> None:
    for path, text in codegen.outputs().items():
        assert path.read_text() == text, f"{path.name} is stale: run `python -m avalon.codegen`"


def test_generated_file_lists_every_state_and_proprio_name() -> None:
    text = codegen.render()
    assert "const STATE_IS_DEAD = 4" in text
    assert "const PROPRIO_FRAMES_REMAINING = 50" in text


def test_generated_entity_table_carries_ids_fields_and_scripts() -> None:
    text = codegen.render_entities()
    assert "const KIND_ROCK = 10" in text
    assert '\t"avocado":\n\t{\n\t\t"id": 7,\n\t\t"name": "avocado",\n\t\t"family": "food",' in text
    assert '"script": "res://entities/static/fruit_tree.gd"' in text
    assert '"color": {"type": "int", "default": 0, "limit": "palette"}' in text
    assert '\t\t"capabilities": ["climbable"],' in text
