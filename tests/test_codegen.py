"""The generated GDScript constants must match avalon/constants.py."""

from __future__ import annotations

from avalon import codegen


def test_generated_constants_are_current() -> None:
    assert codegen.GENERATED_PATH.read_text() == codegen.render(), "run `python -m avalon.codegen`"


def test_generated_file_lists_every_state_and_proprio_name() -> None:
    text = codegen.render()
    assert "const STATE_IS_DEAD = 4" in text
    assert "const PROPRIO_FRAMES_REMAINING = 50" in text
    assert '\t"avocado":\n\t{\n\t\t"name": "avocado",' in text
