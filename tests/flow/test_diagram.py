"""docs/flow.mmd is generated from the step list and must be current."""
from bot.flow.diagram import mermaid
from bot.flow.steps import STEPS
from tests.regenerate import DIAGRAM


def test_diagram_is_current() -> None:
    assert DIAGRAM.read_text(encoding="utf-8") == mermaid(), \
        "the flow changed: run `python -m tests.regenerate`"


def test_diagram_names_every_step_and_every_exit() -> None:
    text = mermaid()
    for step in STEPS:
        assert f"    {step.key}" in text
        if step.rule:
            assert f"{step.key} -.->" in text
