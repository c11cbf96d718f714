"""Golden transcripts of the desk's whole loop, in Hindi and in English:
a worker submits, an operator claims and sends it back with a comment, the
worker fixes the answer and submits again, the operator approves with a
UAN, the worker gets it; an official reads the trail; the operator
practises rejecting a sample application. Through the real
dispatcher, registration and an on-disk SQLite store, on a fixed clock.

``test_desk_golden`` fails when a transcript changes, and when the
worker (the Haridwar rickshaw driver of ``tests/personas.py``, answering
whatever is asked) does not submit. After an intended change, regenerate
every generated file:

    python -m tests.regenerate
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest.mock import patch

from bot.channels.console import parse_line
from bot.dispatch import Dispatcher
from bot.domain.roles import Role, Staff
from bot.messages import Input, Outcome, Reply
from bot.service import Registration, new_reference
from bot.staff_commands import STAFF_COMMANDS
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from bot.store.staff import grant
from tests.personas import RICKSHAW_DRIVER, SUBMITTED, Press, converse

GOLDEN_DIR = Path(__file__).parent / "golden"
START = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
WORKER, OPERATOR, OFFICIAL = "tg:424242", "tg:101", "tg:103"
NAMES = {WORKER: "worker", OPERATOR: "operator", OFFICIAL: "official"}
STAFF = (Staff(OPERATOR, Role.OPERATOR, "UTTARAKHAND", "HARIDWAR", "CSC-HW-01"),
         Staff(OFFICIAL, Role.OFFICIAL, "UTTARAKHAND", "HARIDWAR"))
#: the worker who registers (his lines typed in order: REGISTRATION), then the desk's loop; "{ref}" is his reference
WORKER_PERSONA = RICKSHAW_DRIVER
REGISTRATION = WORKER_PERSONA.script
COMMENTS = {"hi": "आधार कार्ड पर नाम 'राम कुमार सैनी' लिखा है। कृपया पूरा नाम लिखें।",
            "en": "The Aadhaar card says 'Ram Kumar Saini'. Please write the full name."}
LOOP = (
    (OPERATOR, "/queue"), (OPERATOR, "[queue:next]"), (OPERATOR, "[card:back:{ref}]"),
    (OPERATOR, "[card:fix:{ref}:name]"), (OPERATOR, "[card:fixdone:{ref}]"), (OPERATOR, "{comment}"),
    (WORKER, "/status"), (WORKER, "राम कुमार सैनी"), (WORKER, "[review:submit]"),
    (OPERATOR, "/queue"), (OPERATOR, "[queue:next]"), (OPERATOR, "[card:approve:{ref}]"),
    (OPERATOR, "12 34"), (OPERATOR, "1002 0030 0400"), (WORKER, "/status"), (OFFICIAL, "/trail {ref}"),
    (OPERATOR, "/practice"), (OPERATOR, "[practice:reject]"), (OPERATOR, "[practice:reason:duplicate]"),
)


def render_reply(reply: Reply) -> list[str]:
    lines = [("bot: " if i == 0 else "     ") + line for i, line in enumerate(reply.text.split("\n"))]
    for n, choice in enumerate(reply.choices, 1):
        data = f" {{{reply.question}:{choice.id}}}" if reply.question in STAFF_COMMANDS else ""
        lines.append(f"       [{n}] {choice.label}{data}")
    if reply.qr_reference:
        lines.append(f"     (a QR code image of {reply.qr_reference})")
    if reply.delete_after:
        lines.append(f"     (deleted after {reply.delete_after:g} seconds)")
    return lines


def render(outcome: Outcome | None) -> list[str]:
    if outcome is None:
        return ["     (already applied)"]
    lines = ["     (the message with the number is deleted from the chat)"] if outcome.secret_input else []
    for reply in outcome.replies:
        lines += render_reply(reply)
    for notice in outcome.notices:
        lines.append(f"  -> to the {NAMES.get(notice.user_id, notice.user_id)}:")
        for reply in notice.replies:
            lines += ["  " + line for line in render_reply(reply)]
    return lines


def as_input(line: str) -> Input:
    if line.startswith("[") and line.endswith("]"):
        return Input(button=line[1:-1])
    return parse_line(line)


async def transcript(lang: str, workdir: Path, store_out: list | None = None) -> str:
    clock = [START]
    store = SQLiteStore(workdir / f"desk-{lang}.db", Keyring(bytes(32)))
    await store.migrate()
    for staff in STAFF:
        await store.transact(grant, staff, None, START)
    rng = random.Random(f"desk-{lang}")
    dispatcher = Dispatcher(Registration(store, clock=lambda: clock[0],
                                         reference=lambda: new_reference(rng.randrange)))
    lines = [f"# the CSC desk's loop; the worker's phone language: {lang}", ""]
    updates = iter(range(1, 10_000))
    reference = ""

    async def act(user: str, line: str, phone_lang: str) -> Outcome | None:
        clock[0] += timedelta(seconds=30)
        line = line.format(ref=reference, comment=COMMENTS[lang])
        lines.append(f"{NAMES[user]}: {line}")
        out = await dispatcher.handle(user, as_input(line), default_lang=phone_lang,
                                      update_key=f"golden:{next(updates)}")
        lines.extend(render(out) + [""])
        return out

    stamping = patch("bot.store.sqlite.utcnow", lambda: clock[0])  # submitted_at on the fixed clock
    stamping.start()
    try:
        async def send(item: str | Press) -> Outcome | None:
            return await act(WORKER, f"[{item.data}]" if isinstance(item, Press) else item, lang)

        assert WORKER_PERSONA.end == SUBMITTED and not WORKER_PERSONA.after
        await converse(WORKER_PERSONA, send)
        reference = (await store.application_for_user(WORKER)).reference
        for user, line in LOOP:
            await act(user, line, lang if user == WORKER else "hi" if lang == "hi" else "en")
        if store_out is not None:
            store_out.append((store, reference))
        else:
            await store.close()
    except BaseException:
        await store.close()
        raise
    finally:
        stamping.stop()
    return "\n".join(lines)


def path_of(lang: str) -> Path:
    return GOLDEN_DIR / f"loop.{lang}.txt"
