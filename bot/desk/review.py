"""The verification queue and the review card's actions: claim the next
application, open one by reference, show the full Aadhaar briefly, listen
to an answer the worker gave by voice and type what is heard, approve with
a UAN (once every voice answer is typed), send back with the answers to fix
and a comment, reject with a reason, put back in the queue.

A question the operator must answer by typing (the UAN, the comment, a
note, what a voice answer says) is kept in the desk session (``ask``), so
any process can take the answer. Decisions run under the worker's lock,
taken before anything is written (the update is one unit of work, see
``bot.store.unit``): the worker's own turn and the operator's decision
never interleave.
"""
from __future__ import annotations

from bot.addresses import is_walkin
from bot.desk import messages as m
from bot.desk.assist import for_the_operator, refuse_correcting
from bot.desk.card import render
from bot.desk.common import walkin_csc, button_parts, buttons, outcome, save, session, t, text
from bot.domain import validators as v
from bot.domain.personal_numbers import holds_personal_number
from bot.domain.references import is_reference
from bot.domain.models import ReviewState
from bot.domain.place_names import district_name
from bot.domain.roles import Role
from bot.flow import engine, voice
from bot.flow.engine import Context
from bot.flow.form import parse_typed
from bot.messages import Notice, Outcome, Reply
from bot.flow.steps import STEP_BY_KEY, STEPS
from bot.i18n import translate
from bot.staff_commands import Request, register
from bot.store import audit, desk

#: seconds a revealed Aadhaar stays in the chat
REVEAL_SECONDS = 60
COMMENT_LIMIT = 500
#: the reasons to reject, by their code (the buttons' labels; the worker is told ``m.WORKER_REASONS``)
REASONS = m.REASONS
OPERATORS = {Role.OPERATOR}
#: who decides applications: operators from the queue; officials (of its area) by /card <reference>,
#: e.g. a walk-in's application that the district's only operator registered
REVIEWERS = {Role.OPERATOR, Role.OFFICIAL}


def next_button(req: Request, body: str) -> Reply:
    if req.staff is None or req.staff.role is not Role.OPERATOR:
        return Reply(body)  # the queue is the operators'
    return buttons(body, "queue", [("next", t(req, m.NEXT))])


def held(req: Request, row: desk.AppRow | None) -> desk.AppRow | None:
    """The application if the caller holds it now and it is in their area
    now (a role moved to another district keeps no power over it), else None."""
    if row is not None and req.staff is not None and row.held_by(req.user_id) and row.in_area_of(req.staff):
        return row
    return None


def queue_place(req: Request) -> str:
    """The operator's district, as the operator reads it."""
    staff = req.actor
    return district_name(staff.state or "", staff.district or "", req.lang)


@register("queue", OPERATORS, m.ABOUT_QUEUE)
async def queue(req: Request) -> Outcome:
    staff = req.actor
    if button_parts(req) == ["next"]:
        sess = await session(req)
        if "ask" in sess or "pick" in sess:  # moving on: an unanswered question is dropped
            await save(req, _without(sess, "ask", "pick"))
        row = await req.store.transact(desk.claim_next, staff, req.now)
        if row is None:
            return outcome(next_button(req, t(req, m.QUEUE_EMPTY, district=queue_place(req))))
        return await show(req, row)
    counts = await req.store.query(desk.queue_counts, staff, req.now)
    return outcome(next_button(req, t(req, m.QUEUE, district=queue_place(req), waiting=counts.waiting,
                                      at_my_csc=counts.at_my_csc, held_by_me=counts.held_by_me,
                                      has_issues=counts.has_issues)))


async def show(req: Request, row: desk.AppRow, *before: Reply) -> Outcome:
    app = await req.store.get_application(row.reference)
    if app is None:
        return outcome(text(req, m.NOT_FOUND, reference=row.reference))
    entered = is_walkin(row.user_id) and await req.store.query(desk.entered_by, row, req.user_id)
    return outcome(*before, render(req, app, row, entered))


async def open_reference(req: Request, reference: str) -> Outcome:
    """A QR code scanned or a reference typed: the card, if in scope."""
    reference = reference.strip().upper()
    row = await req.store.transact(desk.claim_reference, req.actor, reference, req.now)
    if row is None:
        return outcome(text(req, m.NOT_FOUND, reference=reference))
    if row.user_id == req.user_id:
        return outcome(text(req, m.OWN_APPLICATION))
    if row.state is ReviewState.HAS_ISSUES and is_walkin(row.user_id):
        return await correct(req, row)  # a walk-in's corrections are made at the desk
    return await show(req, row)


async def correct(req: Request, row: desk.AppRow, *before: Reply) -> Outcome:
    """A walk-in's application was sent back: an operator of the CSC that
    registered it corrects it with the worker, in assist mode, from the
    answers to fix; anyone else sees the card and where it is corrected."""
    draft = await req.store.load_draft(row.user_id)
    if draft is None or refuse_correcting(req, draft) is not None:
        csc = walkin_csc(draft.meta) if draft is not None else ""
        shown = await show(req, row, *before)
        return outcome(*shown.replies, text(req, m.WALKIN_ELSEWHERE, reference=row.reference, csc=csc or "—"))
    sess = await session(req)
    busy = sess.get("assist")
    if busy and busy != row.user_id and await req.store.application_for_user(busy) is None:
        # another walk-in's registration is under way: it is finished or stopped first, never dropped
        return outcome(*before, text(req, m.ASSIST_FINISH_FIRST, reference=row.reference))
    await req.store.transact(_correcting, req, sess | {"assist": row.user_id}, row.reference)
    asked = engine.ask(draft, Context(now=req.now, user_id=row.user_id, default_lang=req.lang))
    return outcome(*before, text(req, m.ASSIST_CORRECT, reference=row.reference),
                   *for_the_operator(asked).replies)


def _correcting(req: Request, sess: dict, reference: str):
    """The operator takes up a walk-in's corrections: audited ("correct"), so
    that whoever changed its answers never decides it (four eyes)."""
    yield from audit.record(req.user_id, "correct", reference, req.now)
    yield from desk.save_session(req.user_id, sess, req.now)


@register("card", REVIEWERS, m.ABOUT_CARD)
async def card(req: Request) -> Outcome:
    sess = await session(req)
    ask = sess.get("ask")
    if req.text is not None and ask and ask.get("cmd") == "card":
        return await answer(req, sess, ask)
    parts = button_parts(req)
    if not parts:
        ref = (req.arg or "").strip().upper()
        return await open_reference(req, ref) if is_reference(ref) \
            else outcome(text(req, m.NOT_FOUND, reference=ref or "?"))
    action, ref = parts[0], parts[1] if len(parts) > 1 else ""
    row = held(req, await req.store.query(desk.app_row, ref))
    if row is None:
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=ref)))
    if action == "reveal":
        return await reveal(req, row)
    if action == "release":
        await req.store.transact(desk.release, req.user_id, ref, req.now)
        return outcome(next_button(req, t(req, m.RELEASED, reference=ref)))
    if action in ("play", "type") and len(parts) > 2:
        return await by_voice(req, sess, row, action, parts[2])
    if action == "approve":
        refused = await untyped_first(req, ref)
        if refused is not None:
            return outcome(refused)
        await save(req, sess | {"ask": {"cmd": "card", "kind": "uan", "ref": ref}})
        return outcome(text(req, m.ASK_UAN, reference=ref))
    if action in ("back", "fix"):
        picked = list(sess.get("pick", {}).get("fields", [])) if sess.get("pick", {}).get("ref") == ref else []
        if action == "fix" and len(parts) > 2 and parts[2] in STEP_BY_KEY:
            picked.remove(parts[2]) if parts[2] in picked else picked.append(parts[2])
        await save(req, sess | {"pick": {"ref": ref, "fields": picked}})
        return await pick_fields(req, ref, picked)
    if action == "fixdone":
        picked = sess.get("pick", {}).get("fields", []) if sess.get("pick", {}).get("ref") == ref else []
        if not picked:
            return outcome(text(req, m.PICK_ONE), *(await pick_fields(req, ref, [])).replies)
        await save(req, sess | {"ask": {"cmd": "card", "kind": "comment", "ref": ref, "fields": picked}})
        return outcome(text(req, m.ASK_COMMENT))
    if action == "reject":
        return outcome(buttons(t(req, m.PICK_REASON), "card",
                               [(f"reason:{ref}:{code}", t(req, msgid)) for code, msgid in REASONS.items()]))
    if action == "reason" and len(parts) > 2 and parts[2] in REASONS:
        await save(req, sess | {"ask": {"cmd": "card", "kind": "note", "ref": ref, "reason": parts[2]}})
        return outcome(buttons(t(req, m.ASK_REJECT_NOTE), "card", [(f"nonote:{ref}", t(req, m.NO_NOTE))]))
    if action == "nonote" and ask and ask.get("kind") == "note" and ask.get("ref") == ref:
        return await do_reject(req, sess, row, ask["reason"], None)
    return outcome(next_button(req, t(req, m.NOT_HELD, reference=ref)))


async def pick_fields(req: Request, ref: str, picked: list[str]) -> Outcome:
    app = await req.store.get_application(ref)
    answers = app.answers if app else {}
    choices = [(f"fix:{ref}:{s.key}", ("✓ " if s.key in picked else "") + t(req, s.label))
               for s in STEPS if s.in_summary and s.is_editable(answers)]
    body = t(req, m.PICK_FIELDS)
    if picked:
        body += "\n" + t(req, m.PICKED, fields=", ".join(t(req, STEP_BY_KEY[k].label) for k in picked))
    return outcome(buttons(body, "card", choices + [(f"fixdone:{ref}", t(req, m.DONE))]))


async def reveal(req: Request, row: desk.AppRow) -> Outcome:
    app = await req.store.get_application(row.reference)
    aadhaar = app.answers.get("aadhaar", "") if app else ""
    await req.store.transact(audit.record, req.user_id, "reveal_aadhaar", row.reference, req.now)
    spaced = " ".join(aadhaar[i:i + 4] for i in range(0, len(aadhaar), 4))
    reply = text(req, m.REVEALED, reference=row.reference, aadhaar=spaced, seconds=REVEAL_SECONDS)
    reply.delete_after = REVEAL_SECONDS
    return outcome(reply)


async def untyped_first(req: Request, reference: str) -> Reply | None:
    """Approving waits until every answer the worker gave by voice is typed: what says so, if any is not."""
    app = await req.store.get_application(reference)
    untyped = voice.untyped(app.answers, app.meta) if app is not None else []
    if not untyped:
        return None
    return text(req, m.TYPE_VOICE_FIRST, fields=", ".join(t(req, step.label) for step in untyped))


async def by_voice(req: Request, sess: dict, row: desk.AppRow, action: str, key: str) -> Outcome:
    """An answer the worker gave by voice: ``play`` sends the voice note to
    the operator (audited, as a reveal is); ``type`` asks for what they hear."""
    app = await req.store.get_application(row.reference)
    found = voice.file_id(app.meta, key) if app is not None and key in STEP_BY_KEY else None
    if found is None:
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=row.reference)))
    label = t(req, STEP_BY_KEY[key].label)
    if action == "type":
        await save(req, sess | {"ask": {"cmd": "card", "kind": "voice", "ref": row.reference, "key": key}})
        return outcome(text(req, m.ASK_VOICE_TEXT, label=label, reference=row.reference))
    await req.store.transact(audit.record, req.user_id, "voice_played", row.reference, req.now, fields=[key])
    reply = text(req, m.VOICE_OF, label=label, reference=row.reference)
    reply.voice = found
    return outcome(reply)


async def type_voice(req: Request, sess: dict, row: desk.AppRow, key: str, typed: str) -> Outcome:
    """The operator typed what they heard in a voice answer: checked as the
    worker's typed answer would be, then kept (``desk.type_voice_answer``)."""
    app = await req.store.get_application(row.reference)
    step = STEP_BY_KEY.get(key)
    if app is None or step is None or not step.voice:
        await save(req, _without(sess, "ask"))
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=row.reference)))
    label = t(req, step.label)
    try:
        value = parse_typed(step, typed, req.now.date(), app.answers)
    except v.Invalid as problem:
        return outcome(text(req, problem.message, **problem.params),
                       text(req, m.ASK_VOICE_TEXT, label=label, reference=row.reference))
    async with req.store.user_lock(row.user_id):
        done = await req.store.transact(desk.type_voice_answer, req.user_id, row.reference, key, value, req.now)
        await save(req, _without(sess, "ask"))
    if done is None:
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=row.reference)))
    return await show(req, done, text(req, m.VOICE_TYPED, label=label, reference=row.reference, value=value))


async def answer(req: Request, sess: dict, ask: dict) -> Outcome:
    """The operator typed the answer to the desk's pending question."""
    ref = ask["ref"]
    row = held(req, await req.store.query(desk.app_row, ref))
    if row is None:
        await save(req, _without(sess, "ask"))
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=ref)))
    typed = (req.text or "").strip()
    if ask["kind"] == "uan":
        try:
            uan = v.ascii_digits(typed).replace(" ", "").replace("-", "")
        except v.Invalid:
            uan = ""
        if len(uan) != 12 or not uan.isdigit():
            return outcome(text(req, m.BAD_UAN))
        return await do_approve(req, sess, row, uan)
    if ask["kind"] == "voice":
        return await type_voice(req, sess, row, str(ask.get("key", "")), typed)
    if not typed:
        return outcome(text(req, m.ASK_COMMENT if ask["kind"] == "comment" else m.ASK_REJECT_NOTE))
    if len(typed) > COMMENT_LIMIT:
        return outcome(text(req, m.COMMENT_TOO_LONG, limit=COMMENT_LIMIT))
    if holds_personal_number(typed):  # it would reach the worker's chat and the audit trail in clear
        return outcome(text(req, m.NO_NUMBERS_IN_NOTES))
    if ask["kind"] == "comment":
        return await do_send_back(req, sess, row, ask["fields"], typed)
    return await do_reject(req, sess, row, ask["reason"], typed)


def _without(sess: dict, *keys: str) -> dict:
    return {k: v for k, v in sess.items() if k not in keys}


async def do_approve(req: Request, sess: dict, row: desk.AppRow, uan: str) -> Outcome:
    async with req.store.user_lock(row.user_id):
        try:
            done = await req.store.transact(desk.approve, req.user_id, row.reference, uan, req.now)
        except desk.UanTaken:
            return outcome(text(req, m.UAN_TAKEN))
        except desk.VoiceUntyped:  # (the card's button checks first)
            await save(req, _without(sess, "ask"))
            refused = await untyped_first(req, row.reference)
            return outcome(refused or next_button(req, t(req, m.NOT_HELD, reference=row.reference)))
        await save(req, _without(sess, "ask", "pick"))
    if done is None:
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=row.reference)))
    notice = Notice(row.user_id, row.lang, [Reply(translate(row.lang, m.WORKER_APPROVED,
                                                                   reference=row.reference, uan=uan))])
    return outcome(next_button(req, t(req, m.APPROVED, reference=row.reference, uan=uan)), notices=[notice])


async def do_send_back(req: Request, sess: dict, row: desk.AppRow, fields: list[str], comment: str) -> Outcome:
    lang = row.lang
    async with req.store.user_lock(row.user_id):
        draft = await req.store.load_draft(row.user_id)
        reopened = engine.reopen(draft, fields, Context(now=req.now, user_id=row.user_id, default_lang=lang)) \
            if draft is not None else None
        position = reopened.draft.model_dump(mode="json", include=set(desk.POSITION)) \
            if reopened is not None and reopened.draft is not None else None
        done = await req.store.transact(desk.send_back, req.user_id, row.reference, fields, comment,
                                        req.now, position)
        await save(req, _without(sess, "ask", "pick"))
    if done is None:
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=row.reference)))
    if is_walkin(row.user_id):  # corrected at the CSC that registered it, with the worker
        return await correct(req, row, text(req, m.SENT_BACK_WALKIN, reference=row.reference))
    first = Reply(worker_send_back(lang, row.reference, comment, fields))
    return outcome(next_button(req, t(req, m.SENT_BACK, reference=row.reference)),
                   notices=[Notice(row.user_id, lang, [first, *(reopened.replies if reopened else [])])])


async def do_reject(req: Request, sess: dict, row: desk.AppRow, reason: str, note: str | None) -> Outcome:
    async with req.store.user_lock(row.user_id):
        done = await req.store.transact(desk.reject, req.user_id, row.reference, reason, note, req.now)
        await save(req, _without(sess, "ask", "pick"))
    if done is None:
        return outcome(next_button(req, t(req, m.NOT_HELD, reference=row.reference)))
    told = Reply(worker_rejection(row.lang, row.reference, reason, note))
    return outcome(next_button(req, t(req, m.REJECTED, reference=row.reference)),
                   notices=[Notice(row.user_id, row.lang, [told])])


def worker_send_back(lang: str, reference: str, comment: str, fields: list[str]) -> str:
    """What a worker is told when their application is sent back: the
    operator's comment and the answers to correct, to them, in ``lang``."""
    names = ", ".join(translate(lang, STEP_BY_KEY[k].label) for k in fields if k in STEP_BY_KEY)
    return translate(lang, m.WORKER_SENT_BACK, reference=reference, comment=comment, fields=names)


def worker_rejection(lang: str, reference: str, reason: str, note: str | None) -> str:
    """What a worker is told when their application is rejected, in ``lang``:
    why, said to them, with what to do next (``m.WORKER_REASONS``), and the
    operator's note if there is one. "Another reason" has no words of its
    own: without a note the worker is told only where to get help."""
    why = m.WORKER_REASONS.get(reason)
    parts = [translate(lang, m.WORKER_REJECTED, reference=reference)]
    if why is not None:
        parts.append(translate(lang, why))
    if note:
        parts.append(translate(lang, m.WORKER_REJECTED_NOTE, note=note))
    if why is None:
        parts.append(translate(lang, m.WORKER_REJECTED_HELP))
    return "\n\n".join(parts)
