"""Each persona's conversation matches its checked-in transcript exactly, and
reaches the end the persona must reach (``transcript`` raises
``WrongConversation`` otherwise). Regenerate after an intended change with
``python -m tests.regenerate``."""
from pathlib import Path

import pytest

from tests.flow.golden import PERSONAS, Persona, path_of, recorded
from tests.personas import asked_in


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: f"{p.name}.{p.lang}")
async def test_transcript_is_unchanged(persona: Persona, tmp_path: Path) -> None:
    expected = path_of(persona).read_text(encoding="utf-8")
    actual, talk = await recorded(persona, tmp_path)
    assert persona.end.reached(talk.ended.draft, asked_in(talk.ended))
    assert actual == expected, f"{path_of(persona).name} changed; run `python -m tests.regenerate` if intended"


def test_every_transcript_has_a_persona() -> None:
    files = {p.name for p in path_of(PERSONAS[0]).parent.glob("*.txt")}
    assert files == {path_of(p).name for p in PERSONAS}
