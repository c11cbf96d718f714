"""The unit of work around one input: lock the user, load, run the engine,
carry out its effect, save, and hand the replies back to the channel.

Channels call ``Registration.handle``; nothing here knows Telegram.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from bot.domain.models import Draft, Phase, ReviewState, utcnow
from bot.domain.references import new_reference
from bot.flow import engine
from bot.flow.engine import Context
from bot.i18n import default_language
from bot.messages import Effect, Input, Outcome
from bot.store import aadhaar_checks, tally
from bot.store.aadhaar_checks import Checked
from bot.store.contract import DuplicateAadhaar, Store, Turn

if TYPE_CHECKING:
    from bot.outbox import Outbox

__all__ = ["Registration", "new_reference"]

#: draft meta: the key of the last update applied to the draft
LAST_UPDATE = "last_update"
REMEMBER_REPLIED = 10_000


class RecentKeys:
    """A bounded set of the most recently added keys."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._keys: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, key: str) -> None:
        self._keys[key] = None
        self._keys.move_to_end(key)
        if len(self._keys) > self.size:
            self._keys.popitem(last=False)


class Registration:
    def __init__(self, store: Store, *, default_lang: str | None = None,
                 clock: Callable[[], datetime] = utcnow,
                 reference: Callable[[], str] = new_reference,
                 aadhaar_checks_per_day: int = aadhaar_checks.PER_DAY) -> None:
        self.store = store
        #: Aadhaar numbers a user may check against the registrations in a day
        self.aadhaar_checks_per_day = aadhaar_checks_per_day
        self.default_lang = default_lang or default_language()
        self.clock = clock
        self.reference = reference
        #: updates this process has answered (recent ones): a repeat of one is not answered again
        self._replied = RecentKeys(REMEMBER_REPLIED)
        #: where the replies to a worker's update wait, written with the answer, until sent
        #: (``bot.outbox``; set by ``bot.bootstrap``)
        self.outbox: Outbox | None = None

    async def handle(self, user_id: str, inp: Input, *, default_lang: str | None = None,
                     update_key: str | None = None,
                     deliver: Callable[[Outcome], Awaitable[None]] | None = None,
                     actor: str | None = None,
                     guard: Callable[[Turn], Outcome | None] | None = None) -> Outcome | None:
        """Apply one input of the user and return the outcome.

        ``update_key`` names the channel update it came in (``bot.addresses.update_key``, e.g. "tg:<update
        id>"): it is recorded with the result, and an update already applied
        returns None and changes nothing. ``deliver`` is awaited with the
        outcome once it is saved, still under the user's lock, so the replies
        to one user go out in the order of their messages. ``actor``: the
        staff member answering for a walk-in worker (``/assist``): the audit
        of a submit or an erase names them, never the walk-in. ``guard``:
        looks at the turn as loaded, under the lock, and may refuse the input
        (an Outcome: nothing is applied), e.g. the operator is no longer one
        who may answer for this walk-in."""
        async with self.store.user_lock(user_id):
            turn = await self.store.load_turn(user_id, update_key=update_key)
            #: the replies are kept in the outbox with the answer until sent (a channel sends them)
            keep = self.outbox is not None and deliver is not None and update_key is not None
            sent: list[str] = []
            if turn.applied:
                if not _was_last(turn, update_key) or update_key in self._replied:
                    return None
                # The newest update of this worker, delivered again, and not
                # answered by this process: it may have stopped after saving the
                # answer and before replying (Telegram resends what it has not seen
                # acknowledged). Nothing changes; the replies it kept in the
                # outbox go now, or, if none were kept, the current question is
                # asked again, so that the worker is not left waiting.
                replies, sent = await self.outbox.unsent_replies(user_id) if keep and self.outbox else ([], [])
                out = Outcome(turn.draft, replies) if replies else \
                    engine.repeat(kept(turn.draft), self._context(user_id, turn, default_lang))
            else:
                refused = guard(turn) if guard is not None else None
                out = refused or await self._apply(user_id, inp, turn, default_lang, update_key, actor,
                                                   keep_replies=keep and refused is None)
                sent = [update_key] if keep and refused is None and update_key else []
            if deliver is not None:
                await deliver(out)
            if self.outbox is not None:
                for turn_key in sent:
                    await self.outbox.sent(turn_key)
            if update_key is not None:
                self._replied.add(update_key)
            return out

    async def apply(self, user_id: str, inp: Input, turn: Turn, default_lang: str | None = None,
                    update_key: str | None = None) -> Outcome:
        """``handle`` for a caller that already holds the user's lock and has
        loaded the turn (the dispatcher, for a staff user's own draft)."""
        return await self._apply(user_id, inp, turn, default_lang, update_key)

    def _context(self, user_id: str, turn: Turn, default_lang: str | None) -> Context:
        draft = turn.draft
        return Context(now=self.clock(), user_id=user_id,
                       default_lang=(draft.lang if draft and draft.lang else default_lang or self.default_lang),
                       application=turn.application)

    async def _apply(self, user_id: str, inp: Input, turn: Turn, default_lang: str | None,
                     update_key: str | None, actor: str | None = None, keep_replies: bool = False) -> Outcome:
        draft, application = turn.draft, turn.application
        ctx = self._context(user_id, turn, default_lang)
        out = engine.handle(draft, inp, ctx)
        if out.effect is Effect.ERASE:
            await self.store.erase_user(user_id, applied=update_key, by=actor)  # the trail records it
            return Outcome(None, out.replies, out.effect, out.secret_input)
        if out.effect is Effect.CHECK_AADHAAR:
            # counted: a few checks a day per user (see bot.store.aadhaar_checks)
            checked = await self.store.check_aadhaar(
                user_id, kept(out.draft).answers["aadhaar"], now=ctx.now, by=actor,
                per_day=aadhaar_checks.STAFF_PER_DAY if actor else self.aadhaar_checks_per_day)
            if checked is Checked.TAKEN:
                out = _keep_secret_flag(engine.aadhaar_taken(kept(out.draft), ctx), out)
            elif checked is Checked.REFUSED:
                out = _keep_secret_flag(engine.aadhaar_not_checked(draft, kept(out.draft), ctx), out)
        if update_key is not None and out.draft is not None:
            out.draft.meta[LAST_UPDATE] = update_key
        if out.effect is Effect.SUBMIT:
            new = kept(out.draft)
            try:
                app = await self.store.submit(new, self.reference, applied=update_key, by=actor)
            except DuplicateAadhaar:
                out = engine.aadhaar_taken(new, ctx)
            else:
                new.phase, new.reference = Phase.SUBMITTED, app.reference
                again = application is not None and application.state is ReviewState.HAS_ISSUES
                return engine.submitted(new, app, ctx, again=again)
        new = kept(out.draft)
        first_place = _first_place(new)
        replies = self.outbox.replies(user_id, update_key, ctx.default_lang if new.lang is None else new.lang,
                                      out.replies) if keep_replies and self.outbox and update_key else None
        await self.store.save_draft(new, applied=update_key, replies=replies)
        if first_place:
            await self.store.transact(tally.draft_started, new.answers, new.meta, ctx.now)
        return out


def kept(draft: Draft | None) -> Draft:
    """The draft a step of the engine keeps (every one but an erasure keeps one)."""
    if draft is None:
        raise ValueError("the engine gave back no draft")
    return draft


def _first_place(draft) -> bool:
    """True (and the draft marked) when this save gives the draft its first
    district: it counts once as a draft started (see ``bot.store.tally``),
    decided from the draft in hand, with no read."""
    if draft is None or not draft.answers.get("district") or draft.meta.get("tallied"):
        return False
    draft.meta["tallied"] = True
    return True


def _was_last(turn: Turn, update_key: str | None) -> bool:
    """True if ``update_key`` is the last update applied to the worker's draft."""
    return update_key is not None and turn.draft is not None and turn.draft.meta.get(LAST_UPDATE) == update_key


def _keep_secret_flag(new: Outcome, old: Outcome) -> Outcome:
    new.secret_input = old.secret_input
    return new
