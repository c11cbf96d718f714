"""docs/flow.mmd is generated from the step list and must be current."""
from pathlib import Path

from bot.flow.diagram import mermaid
from bot.flow.steps import STEPS

DIAGRAM = Path(__file__).resolve().parent.parent / "docs" / "flow.mmd"


def test_diagram_is_current() -> None:
    assert DIAGRAM.read_text(encoding="utf-8") == mermaid(), \
        "the flow changed: run `python -m bot.flow.diagram > docs/flow.mmd`"


def test_diagram_names_every_step_and_every_exit() -> None:
    text = mermaid()
    for step in STEPS:
        assert f"    {step.key}" in text
        if step.rule:
            assert f"{step.key} -.->" in text
