"""Golden transcripts: persona + language -> the exact conversation.

Each persona (``tests/personas.py``: answers by question, and the end it
must reach) is played live through the real service and an on-disk SQLite
store, on a fixed clock; its transcript under ``tests/flow/golden/`` is what the
worker typed and what the bot answered. ``test_golden`` fails when a
transcript changes, and when a persona no longer reaches its end. After an
intended change, regenerate every generated file (``tests/regenerate.py``):

    python -m tests.regenerate
"""
from __future__ import annotations

import random
from pathlib import Path

from bot.messages import Outcome
from bot.service import Registration, new_reference
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.personas import GOLDEN, START, TYPING, Conversation, Later, Persona, Press, converse, input_of

__all__ = ["GOLDEN_DIR", "PERSONAS", "Later", "Persona", "path_of", "recorded", "render", "shown", "transcript"]

GOLDEN_DIR = Path(__file__).parent / "golden"
PERSONAS = GOLDEN


def shown(item: str | Press) -> str:
    """A line as the transcript shows it: typed text, or [the button's data]."""
    return f"[{item.data}]" if isinstance(item, Press) else item


def render(outcome: Outcome) -> list[str]:
    lines = ["     (the message with the number is deleted from the chat)"] if outcome.secret_input else []
    for reply in outcome.replies:
        lines += ["bot: " + line if i == 0 else "     " + line for i, line in enumerate(reply.text.split("\n"))]
        lines += [f"       [{n}] {choice.label}" for n, choice in enumerate(reply.choices, 1)]
        if reply.qr_reference:
            lines.append(f"     (a QR code image of {reply.qr_reference})")
    return lines


async def recorded(persona: Persona, workdir: Path) -> tuple[str, Conversation]:
    """The persona's transcript, and its conversation (raises
    ``WrongConversation`` when it does not reach the persona's end)."""
    clock = [START]
    store = SQLiteStore(workdir / f"{persona.name}.db", Keyring(bytes(32)))
    await store.migrate()
    rng = random.Random(persona.name)
    registration = Registration(store, clock=lambda: clock[0],
                                reference=lambda: new_reference(rng.randrange))
    lines = [f"# {persona.about}", f"# phone language: {persona.lang}", ""]

    async def send(item: str | Press) -> Outcome | None:
        clock[0] += TYPING
        lines.append(f"you: {shown(item)}")
        outcome = await registration.handle(f"golden:{persona.name}", input_of(item), default_lang=persona.lang)
        lines.extend(render(outcome) + [""])
        return outcome

    async def pause(later: Later) -> None:
        clock[0] += later.delta
        lines.extend([f"... {later.label} ...", ""])

    try:
        talk = await converse(persona, send, pause)
    finally:
        await store.close()
    return "\n".join(lines), talk


async def transcript(persona: Persona, workdir: Path) -> str:
    return (await recorded(persona, workdir))[0]


def path_of(persona: Persona) -> Path:
    return GOLDEN_DIR / f"{persona.name}.{persona.lang}.txt"

