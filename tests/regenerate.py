"""Regenerate every generated file, with one command:

    python -m tests.regenerate

- the gettext catalogues (``locales/``, by ``bot.catalogues_tool``), with the
  Hindi entries still to translate listed;
- the flow diagram, ``docs/flow.mmd`` (``bot.flow.diagram``);
- the workers' golden transcripts, ``tests/flow/golden/*.txt`` (``tests/flow/golden.py``);
- the desk's, ``tests/desk/golden/*.txt`` (``tests/desk/desk_golden.py``).

Every conversation is played first; if any persona does not reach its end
(``tests/personas.py``), nothing at all is written and the command fails
naming the persona and the question: a transcript is never recorded of a
wrong conversation. A file is written only when its content changed.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot import catalogues_tool
from bot.flow.diagram import mermaid
from tests.personas import WrongConversation

ROOT = Path(__file__).resolve().parent.parent
DIAGRAM = ROOT / "docs" / "flow.mmd"
DESK_LANGUAGES = ("hi", "en")


async def transcripts() -> dict[Path, str]:
    """Every golden transcript, by the file it belongs in (raises
    ``WrongConversation`` for the first persona that misses its end)."""
    from tests.desk import desk_golden  # here: what they work out on import can fail too
    from tests.flow import golden

    files: dict[Path, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for persona in golden.PERSONAS:
            text, talk = await golden.recorded(persona, Path(tmp))
            for question in talk.defaults:
                print(f"note: {persona.name} has no answer to {question!r}: took its first option")
            files[golden.path_of(persona)] = text
        for lang in DESK_LANGUAGES:
            files[desk_golden.path_of(lang)] = await desk_golden.transcript(lang, Path(tmp))
    return files


def write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless it already holds exactly that."""
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if path.exists() and path.read_text(encoding="utf-8") == text:
        print("unchanged", shown)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print("wrote", shown)


def main() -> int:
    try:
        files = asyncio.run(transcripts())
    except WrongConversation as wrong:
        print(f"refused, nothing written: {wrong}", file=sys.stderr)
        return 1
    missing = catalogues_tool.update()
    for lang, ids in missing.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid!r}")
    print("catalogues checked:", ", ".join(f"{lang} ({len(ids)} untranslated)" for lang, ids in missing.items()))
    write(DIAGRAM, mermaid())
    for path, text in files.items():
        write(path, text)
    if any(missing.values()):
        print("translate the entries above (locales/<lang>/LC_MESSAGES/messages.po), then run this again:"
              " the transcripts show them untranslated until then")
    return 0


if __name__ == "__main__":
    sys.exit(main())
