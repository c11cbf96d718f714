"""``/assist``: a CSC operator registers a walk-in worker in the operator's
own chat, with the same questions and checks as a worker gets.

The operator first reads the consent notice out to the worker and confirms
that the worker agrees; that is recorded (audit ``assist_consent``, which
gets the application's reference when it is submitted) and the walk-in's
draft starts after the consent. The walk-in is a user of their own, with
no chat (``addresses.new_walkin``), so their answers never mix with the
operator's; the desk session names the walk-in while the operator assists.
The dispatcher sends the operator's answers to the registration engine for
that user, and the audit names the operator, never the walk-in.

Four eyes: on submit the application waits in the district's queue for
another operator (or an official); the one who registered it can neither
claim nor decide it. A walk-in's application that is sent back is
corrected only at the CSC that registered it (``assisted_csc``), unless an
official gives it to another CSC (``/reassign``, audited); that is checked
at every answer, and /delete is refused while assisting.
"""
from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.desk import messages as m
from bot.addresses import is_walkin, new_walkin
from bot.desk.common import button_parts, buttons, outcome, save, session, t, text, walkin_csc
from bot.domain.models import Draft, Phase, utcnow
from bot.domain.personal_numbers import digitless
from bot.domain.references import is_reference
from bot.domain.roles import CSC_CODE, Role
from bot.flow import engine
from bot.flow.engine import Context
from bot.messages import Effect, Hint, Outcome
from bot.flow.steps import STEP_BY_KEY
from bot.staff_commands import Request, register
from bot.store import audit, desk


def refuse_correcting(req: Request, draft: Draft | None) -> Outcome | None:
    """None if this operator may answer for the walk-in whose ``draft`` this
    is (an operator of the CSC that corrects it; the worker may live in any
    district); else the refusal."""
    csc = walkin_csc(draft.meta) if draft is not None else ""
    staff = req.staff
    if draft is not None and staff is not None and staff.role is Role.OPERATOR and csc \
            and (staff.csc or "").upper() == csc.upper():
        return None
    return outcome(text(req, m.ASSIST_NOT_YOURS, csc=csc or "—"))


@asynccontextmanager
async def walkin_held(store, operator: str) -> AsyncIterator[str | None]:
    """The walk-in ``operator`` is assisting (None if none), under the
    walk-in's lock: after a turn of the walk-in under way, never before its
    save. Inside an update's unit of work the lock is held until the unit
    ends, and is taken before the unit writes anything: a handler that may
    end the walk-in's registration enters this first."""
    walkin = (await store.query(desk.session, operator)).get("assist")
    if not walkin:
        yield None
        return
    async with store.user_lock(walkin):
        yield walkin


async def drop_unsubmitted(store, operator: str, by: str) -> None:
    """The operator's role goes or changes: a walk-in registration they left
    unsubmitted is erased (nobody else may take it up), so that nothing of
    the walk-in stays behind unreachable."""
    async with walkin_held(store, operator) as walkin:
        if not walkin:
            return
        if await store.application_for_user(walkin) is None:
            await store.erase_user(walkin, by=by)
        sess = await store.query(desk.session, operator)
        await store.transact(desk.save_session, operator, {k: v for k, v in sess.items() if k != "assist"}, utcnow())


def for_the_operator(out: Outcome) -> Outcome:
    """The walk-in's questions as the operator sees them: no "share my
    number" button (it would share the operator's own number)."""
    for reply in out.replies:
        if reply.hint is Hint.CONTACT:
            reply.hint = None
    return out


@register("assist", {Role.OPERATOR}, m.ABOUT_ASSIST)
async def assist(req: Request) -> Outcome:
    sess = await session(req)
    action = (button_parts(req) or [""])[0]
    walkin = sess.get("assist")
    if action == "agree" and not walkin:
        return await start(req, sess)
    if action == "stop":
        left = {k: v for k, v in sess.items() if k != "assist"}
        application = await req.store.application_for_user(walkin) if walkin else None
        if application is not None:  # correcting a sent-back application: keep it, it waits
            await save(req, left)
            return outcome(text(req, m.ASSIST_LEFT, reference=application.reference))
        if walkin:
            await req.store.erase_user(walkin, by=req.user_id)
        await save(req, left)
        return outcome(text(req, m.ASSIST_STOPPED if walkin else m.ASSIST_NOT_STARTED))
    if walkin:
        draft = await req.store.load_draft(walkin)
        if action == "continue" and draft is not None:
            refused = refuse_correcting(req, draft)
            if refused is not None:
                await save(req, {k: v for k, v in sess.items() if k != "assist"})
                return refused
            return for_the_operator(engine.ask(draft, Context(now=req.now, user_id=walkin, default_lang=req.lang)))
        return outcome(buttons(t(req, m.ASSIST_BUSY), "assist",
                               [("continue", t(req, m.ASSIST_CONTINUE)), ("stop", t(req, m.ASSIST_STOP))]))
    notice = t(req, STEP_BY_KEY["consent"].prompt)
    return outcome(buttons(t(req, m.ASSIST_INTRO) + "\n\n" + notice, "assist",
                           [("agree", t(req, m.ASSIST_AGREE)), ("stop", t(req, m.ASSIST_STOP))]))


async def start(req: Request, sess: dict) -> Outcome:
    walkin = new_walkin(digitless(secrets.token_hex(8)))
    staff = req.actor
    draft = Draft(user_id=walkin, lang=req.lang, answers={"language": req.lang, "consent": "agree"},
                  meta={"assisted_by": req.user_id, "assisted_csc": staff.csc or "", "source": f"csc_{staff.csc}",
                        "consent_read_out": True},
                  created_at=req.now, updated_at=req.now)
    asked = engine.ask(draft, Context(now=req.now, user_id=walkin, default_lang=req.lang))
    assert asked.draft is not None  # (asking keeps the draft)
    await req.store.save_draft(asked.draft)
    await req.store.transact(_started, req, walkin, sess | {"assist": walkin})
    return for_the_operator(outcome(text(req, m.ASSIST_STARTED), *asked.replies))


def _started(req: Request, walkin: str, sess: dict):
    """The consent read out (its reference comes with the submit) and the
    desk session naming the walk-in (with the walk-in's draft, all in the
    update's unit of work: nothing of a start that fails half-way is kept)."""
    yield from audit.record(req.user_id, "assist_consent", None, req.now, walkin=walkin)
    yield from desk.save_session(req.user_id, sess, req.now)


async def after_turn(req: Request, sess: dict, out: Outcome) -> Outcome:
    """The walk-in's registration answered one more input: on submit, the
    application waits for another operator; on erase, assisting ends."""
    if out.effect is Effect.ERASE:
        await save(req, {k: v for k, v in sess.items() if k != "assist"})
        return out
    if out.draft is None or out.draft.phase is not Phase.SUBMITTED or out.draft.reference is None:
        return for_the_operator(out)
    await save(req, {k: v for k, v in sess.items() if k != "assist"})
    reference = out.draft.reference
    done = text(req, m.ASSIST_DONE, reference=reference)
    done.qr_reference = reference  # for the worker to keep
    return outcome(done)


@register("reassign", {Role.ADMIN, Role.OFFICIAL}, m.ABOUT_REASSIGN)
async def reassign(req: Request) -> Outcome:
    """An official gives a walk-in's application to another CSC to correct."""
    words = (req.arg or "").split()
    if len(words) != 2 or not is_reference(words[0].upper()):
        return outcome(text(req, m.REASSIGN_USAGE))
    reference, csc = words[0].upper(), words[1]
    if not CSC_CODE.match(csc):
        return outcome(text(req, m.BAD_CSC, value=csc[:40]))
    row = await req.store.query(desk.app_row, reference)
    if row is None or not row.in_area_of(req.actor):
        return outcome(text(req, m.NOT_FOUND, reference=reference))
    if not is_walkin(row.user_id):
        return outcome(text(req, m.REASSIGN_NOT_WALKIN, reference=reference))
    async with req.store.user_lock(row.user_id):  # not between a walk-in's turn loading and saving its draft
        await req.store.transact(desk.reassign_walkin, reference, csc.upper(), req.user_id, req.now)
    return outcome(text(req, m.REASSIGNED, reference=reference, csc=csc.upper()))

