"""Golden transcripts: persona + language -> the exact conversation.

Each persona is a script of what a worker types (with the passing of time);
its transcript under ``tests/golden/`` is what the bot answers, through the
real service and an on-disk SQLite store, on a fixed clock. ``test_golden``
fails when a transcript changes. After an intended change, regenerate all:

    python -m tests.golden
"""
from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.channels.console import parse_line
from bot.messages import Outcome
from bot.service import Registration, new_reference
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore

GOLDEN_DIR = Path(__file__).parent / "golden"
START = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Later:
    """Time passes between two messages."""
    delta: timedelta
    label: str


@dataclass(frozen=True)
class Persona:
    name: str
    about: str
    lang: str          # the language the worker's phone suggests
    script: tuple      # lines typed (str) and pauses (Later)


ADULT_ANSWERS_HI = ("15/08/1990", "नहीं", "nahi", "no")

PERSONAS = (
    Persona("rickshaw_driver_haridwar", "Hindi-speaking rickshaw driver from Haridwar (PIN 249401) "
            "completes his registration; mistypes his Aadhaar once, uses Devanagari digits", "hi", (
        "/start", "1", "मैं सहमत हूँ", "१५/०८/१९८८", "नहीं", "nahi", "नहीं",
        "98765 43210", "2341 2341 2345", "२३४१ २३४१ २३४६", "राम कुमार", "1", "श्याम लाल", "2",
        "नहीं", "4", "1", "२४९४०१", "1", "मकान 12, गली 3, ज्वालापुर", "नहीं", "21", "1", "छोड़ें",
        "7", "12345678901", "12345678901", "sbin0001234", "सीता देवी", "1", "01/01/1992", "1")),
    Persona("domestic_worker_edits", "English-speaking domestic worker in Bengaluru who changes "
            "two answers at the review", "en", (
        "/start", "1", "1", "03-04-1985", "no", "no", "no",
        "+91 91234 56789", "499118665246", "Lakshmi Devi", "Female", "Ramaiah", "3",
        "no", "3", "1", "560034", "1", "12, 4th Cross, Koramangala", "yes", "6", "4", "1",
        "skip", "10", "5010023456789", "5010023456789", "HDFC0000123", "Ramesh", "Husband or wife", "12/12/1980",
        "2", "Education", "6", "2", "Monthly income", "2", "1")),
    Persona("minor_with_guardian", "17-year-old apprentice tailor in Lucknow who registers with "
            "his mother's consent, picks his district himself and also works on farms", "hi", (
        "/start", "1", "1", "10/05/2009", "2", "2", "2", "सुनीता देवी", "1", "1",
        "9812345670", "987654321096", "अमन", "1", "राकेश", "3", "no", "6", "1", "226001", "2", "34",
        "lucknow", "मकान 45, अमीनाबाद", "2", "7", "1", "1", "1", "2", "30012345678", "30012345678",
        "PUNB0123400", "सुनीता देवी", "5", "05/06/1985", "1")),
    Persona("too_old", "62-year-old vegetable seller: not eligible, told why and what to do instead", "hi", (
        "/start", "1", "1", "01/03/1964", "hello", "/start")),
    Persona("epfo_member", "English-speaking factory worker who is an EPFO member: not eligible", "en", (
        "/start", "1", "I agree", "20/11/1995", "yes", "anything")),
    Persona("pause_and_resume", "Construction worker who pauses after the PIN code and comes back "
            "two days later", "hi", (
        "/start", "1", "1", "01/01/1990", "2", "2", "2", "7065432109", "234567890124",
        "सुरेश यादव", "1", "महेश यादव", "2", "2", "1", "1", "/cancel",
        Later(timedelta(days=2), "two days later"), "नमस्ते", "1", "110001", "/status", "1")),
)


def render(outcome: Outcome) -> list[str]:
    lines = ["     (the message with the number is deleted from the chat)"] if outcome.secret_input else []
    for reply in outcome.replies:
        lines += ["bot: " + line if i == 0 else "     " + line for i, line in enumerate(reply.text.split("\n"))]
        lines += [f"       [{n}] {choice.label}" for n, choice in enumerate(reply.choices, 1)]
        if reply.qr_reference:
            lines.append(f"     (a QR code image of {reply.qr_reference})")
    return lines


async def transcript(persona: Persona, workdir: Path) -> str:
    clock = [START]
    store = SQLiteStore(workdir / f"{persona.name}.db", Keyring(bytes(32)))
    await store.migrate()
    rng = random.Random(persona.name)
    registration = Registration(store, clock=lambda: clock[0],
                                reference=lambda: new_reference(rng.randrange))
    lines = [f"# {persona.about}", f"# phone language: {persona.lang}", ""]
    try:
        for item in persona.script:
            if isinstance(item, Later):
                clock[0] += item.delta
                lines += [f"... {item.label} ...", ""]
                continue
            clock[0] += timedelta(seconds=30)
            lines.append(f"you: {item}")
            outcome = await registration.handle(f"golden:{persona.name}", parse_line(item),
                                                default_lang=persona.lang)
            lines += render(outcome) + [""]
    finally:
        await store.close()
    return "\n".join(lines)


def path_of(persona: Persona) -> Path:
    return GOLDEN_DIR / f"{persona.name}.{persona.lang}.txt"


async def _regenerate() -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for persona in PERSONAS:
            path_of(persona).write_text(await transcript(persona, Path(tmp)), encoding="utf-8")
            print("wrote", path_of(persona).relative_to(Path.cwd()) if path_of(persona).is_relative_to(Path.cwd())
                  else path_of(persona))


if __name__ == "__main__":
    asyncio.run(_regenerate())
    sys.exit(0)
