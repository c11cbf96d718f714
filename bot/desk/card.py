"""The review card: every answer of an application as the operator sees it
(secret numbers masked, as each step declares; an answer the worker gave by
voice, to be typed), its state, and the actions open to the operator who
holds it (for each voice answer: listen to it, type what is heard)."""
from __future__ import annotations

from bot.desk import messages as m
from bot.addresses import is_walkin, shown
from bot.desk.common import buttons, ist_time, registering_csc, t
from bot.domain.models import Application, ReviewState
from bot.flow import voice
from bot.flow.steps import STEPS, Step
from bot.messages import Hint, Reply
from bot.staff_commands import Request
from bot.store.desk import AppRow

STATE_NAMES = {ReviewState.SUBMITTED: m.STATE_SUBMITTED, ReviewState.IN_REVIEW: m.STATE_IN_REVIEW,
               ReviewState.HAS_ISSUES: m.STATE_HAS_ISSUES, ReviewState.APPROVED: m.STATE_APPROVED,
               ReviewState.REJECTED: m.STATE_REJECTED}


def answer_lines(req: Request, answers: dict, meta: dict) -> list[str]:
    """Every answer, by section, as the worker's own review shows it."""
    lines, section = [], None
    for step in STEPS:
        if not step.in_summary or step.key not in answers:
            continue
        if step.section != section:
            section = step.section
            lines.append(f"— {t(req, section)} —")
        line = f"{t(req, step.label)}: {voice.shown(step, req.lang, answers, meta)}"
        if answers[step.key] is not None and voice.file_id(meta, step.key):
            line += " " + t(req, m.TYPED_FROM_VOICE)
        if step.hint is Hint.CONTACT and answers[step.key]:  # verified: shared as the worker's own contact
            line += " " + t(req, m.MOBILE_VERIFIED if meta.get(f"{step.key}_verified") else m.MOBILE_UNVERIFIED)
        lines.append(line)
    return lines


def to_complete(answers: dict) -> list[Step]:
    """The answers the worker did not know ("I don't know"), for the CSC to fill in."""
    return [step for step in STEPS if step.unknown and step.key in answers and answers[step.key] is None]


def render(req: Request, app: Application, row: AppRow, entered: bool = False) -> Reply:
    """The card; with action buttons when the caller holds the application.
    ``entered``: the caller registered or corrected it for the worker, so
    someone else verifies it (four eyes)."""
    lines = [t(req, m.CARD_TITLE, reference=app.reference, state=t(req, STATE_NAMES[row.state], uan=row.uan or ""))]
    if row.edited:
        lines.append(t(req, m.EDITED_AT_CSC if is_walkin(row.user_id) else m.EDITED_MARK))
    lines.append(t(req, m.SUBMITTED_ON, date=app.submitted_at.strftime("%d/%m/%Y")))
    registrar = row.registered_by or app.meta.get("assisted_by")
    if registrar:
        lines.append(t(req, m.ASSISTED, operator=shown(str(registrar)),
                       csc=registering_csc(app.meta) or "—"))
    if entered:
        lines.append(t(req, m.YOU_REGISTERED))
    if row.review_note and row.state in (ReviewState.HAS_ISSUES, ReviewState.REJECTED):
        lines.append(t(req, m.LAST_NOTE, note=row.review_note))
    missing = to_complete(app.answers)
    if missing:
        lines.append(t(req, m.TO_COMPLETE, fields=", ".join(t(req, step.label) for step in missing)))
    untyped = voice.untyped(app.answers, app.meta)
    if untyped:
        lines.append(t(req, m.TO_TYPE, fields=", ".join(t(req, step.label) for step in untyped)))
    lines += [""] + answer_lines(req, app.answers, app.meta) + [""]
    if row.held_by(req.user_id) and not entered:
        lines.append(t(req, m.HELD_BY_YOU, time=ist_time(row.lease_until)))
        ref = app.reference
        by_voice = [(f"{action}:{ref}:{step.key}", t(req, label, label=t(req, step.label)))
                    for step in voice.answered(app.meta) for action, label in (("play", m.PLAY_VOICE),
                                                                                ("type", m.TYPE_VOICE))]
        return buttons("\n".join(lines), "card", by_voice + [
            (f"approve:{ref}", t(req, m.APPROVE)), (f"back:{ref}", t(req, m.SEND_BACK)),
            (f"reject:{ref}", t(req, m.REJECT)), (f"reveal:{ref}", t(req, m.REVEAL)),
            (f"release:{ref}", t(req, m.RELEASE))])
    if row.state is ReviewState.IN_REVIEW:
        lines.append(t(req, m.HELD_BY_OTHER))
    return Reply("\n".join(lines).rstrip())
