"""The unit of work around one input: lock the user, load, run the engine,
carry out its effect, save, and hand the replies back to the channel.

Channels call ``Registration.handle``; nothing here knows Telegram.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Callable

from bot.domain.models import Phase, utcnow
from bot.flow import engine
from bot.flow.engine import Context, Effect, Input, Outcome
from bot.store.contract import DuplicateAadhaar, Store

#: readable aloud, none of 0/O, 1/I/L: "SS-7K4M-9PQ2"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    chars = "".join(REFERENCE_ALPHABET[randbelow(len(REFERENCE_ALPHABET))] for _ in range(8))
    return f"SS-{chars[:4]}-{chars[4:]}"


class Registration:
    def __init__(self, store: Store, *, default_lang: str = "hi",
                 clock: Callable[[], datetime] = utcnow,
                 reference: Callable[[], str] = new_reference) -> None:
        self.store = store
        self.default_lang = default_lang
        self.clock = clock
        self.reference = reference

    async def handle(self, user_id: str, inp: Input, *, default_lang: str | None = None) -> Outcome:
        async with self.store.user_lock(user_id):
            draft = await self.store.load_draft(user_id)
            application = None
            if draft is None or draft.phase is Phase.SUBMITTED or inp.command in ("status", "delete"):
                application = await self.store.application_for_user(user_id)
            ctx = Context(now=self.clock(), user_id=user_id,
                          default_lang=(draft.lang if draft and draft.lang else default_lang or self.default_lang),
                          application=application)
            out = engine.handle(draft, inp, ctx)
            if out.effect is Effect.ERASE:
                await self.store.erase_user(user_id)
                return Outcome(None, out.replies, out.effect, out.secret_input)
            if out.effect is Effect.CHECK_AADHAAR and await self.store.is_aadhaar_registered(
                    out.draft.answers["aadhaar"], except_user=user_id):
                out = _keep_secret_flag(engine.aadhaar_taken(out.draft, ctx), out)
            if out.effect is Effect.SUBMIT:
                try:
                    app = await self.store.submit(out.draft, self.reference)
                except DuplicateAadhaar:
                    out = engine.aadhaar_taken(out.draft, ctx)
                else:
                    out.draft.phase, out.draft.reference = Phase.SUBMITTED, app.reference
                    return engine.submitted(out.draft, app, ctx)
            await self.store.save_draft(out.draft)
            return out


def _keep_secret_flag(new: Outcome, old: Outcome) -> Outcome:
    new.secret_input = old.secret_input
    return new
