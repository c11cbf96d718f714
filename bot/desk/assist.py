"""``/assist``: a CSC operator registers a walk-in worker in the operator's
own chat, with the same questions and checks as a worker gets.

The operator first reads the consent notice out to the worker and confirms
that the worker agrees; that is recorded (audit ``assist_consent``) and the
walk-in's draft starts after the consent. The walk-in is a user of their own
(``walkin:<random>``), so their answers never mix with the operator's; the
desk session names the walk-in while the operator assists. The dispatcher
sends the operator's answers to the registration engine for that user, and
on submit the application goes straight to the operator's review.
"""
from __future__ import annotations

import secrets

from bot.desk import messages as m
from bot.desk.common import WALKIN_PREFIX, button_parts, buttons, outcome, save, session, t, text
from bot.desk.review import settle, show
from bot.domain.models import Draft, Phase
from bot.domain.roles import Role
from bot.flow import engine
from bot.flow.engine import Context, Outcome, Reply
from bot.flow.steps import STEP_BY_KEY
from bot.staff_commands import Request, register
from bot.store import audit, desk



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
            await req.store.erase_user(walkin)
        await save(req, left)
        return outcome(text(req, m.ASSIST_STOPPED if walkin else m.ASSIST_NOT_STARTED))
    if walkin:
        draft = await req.store.load_draft(walkin)
        if action == "continue" and draft is not None:
            return engine.ask(draft, Context(now=req.now, user_id=walkin, default_lang=req.lang))
        return outcome(buttons(t(req, m.ASSIST_BUSY), "assist",
                               [("continue", t(req, m.ASSIST_CONTINUE)), ("stop", t(req, m.ASSIST_STOP))]))
    notice = t(req, STEP_BY_KEY["consent"].prompt)
    return outcome(buttons(t(req, m.ASSIST_INTRO) + "\n\n" + notice, "assist",
                           [("agree", t(req, m.ASSIST_AGREE)), ("stop", t(req, m.ASSIST_STOP))]))


async def start(req: Request, sess: dict) -> Outcome:
    walkin = WALKIN_PREFIX + secrets.token_hex(8)
    staff = req.staff
    draft = Draft(user_id=walkin, lang=req.lang, answers={"language": req.lang, "consent": "agree"},
                  meta={"assisted_by": req.user_id, "source": f"csc_{staff.csc}", "consent_read_out": True},
                  created_at=req.now, updated_at=req.now)
    await req.store.save_draft(draft)
    await req.store.transact(_consent_audit, req, walkin)
    await save(req, sess | {"assist": walkin})
    asked = engine.ask(draft, Context(now=req.now, user_id=walkin, default_lang=req.lang))
    await req.store.save_draft(asked.draft)
    return outcome(text(req, m.ASSIST_STARTED), *asked.replies)


def _consent_audit(req: Request, walkin: str):
    yield from audit.record(req.user_id, "assist_consent", None, req.now, walkin=walkin)
    yield from desk.mark_applied(req.update_key, req.user_id, req.now)


async def after_turn(req: Request, sess: dict, out: Outcome) -> Outcome:
    """The walk-in's registration answered one more input: on submit, the
    application goes to this operator's review; on erase, assisting ends."""
    if out.effect is engine.Effect.ERASE:
        await save(req, {k: v for k, v in sess.items() if k != "assist"})
        return out
    if out.draft is None or out.draft.phase is not Phase.SUBMITTED or out.draft.reference is None:
        return out
    await save(req, {k: v for k, v in sess.items() if k != "assist"})
    reference = out.draft.reference
    row = await req.store.transact(desk.claim_reference, req.staff, reference, req.now)
    if row is None:
        return outcome(text(req, m.ASSIST_ELSEWHERE, reference=reference))
    await settle(req, row)
    return await show(req, row, Reply(t(req, m.ASSIST_DONE, reference=reference)))
