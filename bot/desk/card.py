"""The review card: every answer of an application as the operator sees it
(secret numbers masked, as each step declares; an answer the worker gave by
voice, to be typed), its state, and the actions open to the operator who
holds it (for each voice answer: listen to it, type what is heard).

The operator copies the answers into the English e-Shram portal, so the
sector and the occupation are shown in the order the portal asks them (the
sector first) and, for an operator who reads another language, with the
portal's English name beside it: "निर्माण मज़दूर (Construction labourer)"
(after a dash where a name has brackets of its own: "घरेलू कामगार (घर का
काम) — Domestic worker (house help)").
Dates and times are Indian time (IST)."""
from __future__ import annotations

from bot.desk import messages as m
from bot.addresses import is_walkin, shown
from bot.desk.common import buttons, ist_date, ist_time, registering_csc, t
from bot.domain import occupations as occ
from bot.domain.catalogues import Option
from bot.domain.models import Application, ReviewState
from bot.flow import voice
from bot.flow.steps import STEPS, Kind, Step
from bot.i18n import SOURCE_LANGUAGE, translate
from bot.messages import Hint, Reply
from bot.staff_commands import Request
from bot.store.desk import AppRow

STATE_NAMES = {ReviewState.SUBMITTED: m.STATE_SUBMITTED, ReviewState.IN_REVIEW: m.STATE_IN_REVIEW,
               ReviewState.HAS_ISSUES: m.STATE_HAS_ISSUES, ReviewState.APPROVED: m.STATE_APPROVED,
               ReviewState.REJECTED: m.STATE_REJECTED}


#: the e-Shram portal's own lists: its sectors, and its occupations (each in a sector)
SECTORS = frozenset(Option(sector.code, sector.label) for sector in occ.SECTORS)
OCCUPATIONS = frozenset(occ.OCCUPATION_BY_CODE.values())


def _chosen(step: Step, answers: dict) -> Option | None:
    """The option a closed question's answer picked (None for any other answer)."""
    value = answers.get(step.key)
    if step.kind is not Kind.CHOICE or value is None:
        return None
    return next((option for option in step.choices(answers) if option.code == value), None)


def card_steps(answers: dict) -> list[Step]:
    """The answered steps the card shows, in the order of the form but each
    sector just before the occupation in it (the portal asks the sector
    first; the worker is asked the work first)."""
    steps = [step for step in STEPS if step.in_summary and step.key in answers]
    sectors = [step for step in steps if _chosen(step, answers) in SECTORS]
    for occupation in [step for step in steps if _chosen(step, answers) in OCCUPATIONS]:
        its_sector = occ.sector_of(answers[occupation.key])
        sector = next((step for step in sectors if answers[step.key] == its_sector), None)
        if sector is not None:
            sectors.remove(sector)
            steps.remove(sector)
            steps.insert(steps.index(occupation), sector)
    return steps


def portal_name(step: Step, answers: dict) -> str | None:
    """The portal's English name of a sector or occupation answer (None for
    any other answer, and for "other work in this sector", which the sector names)."""
    option = _chosen(step, answers)
    if option is None or not (option in SECTORS or option in OCCUPATIONS) or option.code.endswith(".other"):
        return None
    return translate(SOURCE_LANGUAGE, option.label)


def answer_lines(req: Request, answers: dict, meta: dict) -> list[str]:
    """Every answer, by section, as the worker's own review shows it; a
    sector or occupation also by its portal name when the operator reads
    another language than the portal's."""
    lines, section = [], None
    for step in card_steps(answers):
        if step.section != section:
            section = step.section
            lines.append(f"— {t(req, section)} —")
        value = voice.shown(step, req.lang, answers, meta)
        english = portal_name(step, answers) if req.lang != SOURCE_LANGUAGE else None
        if english and english != value:
            value += f" — {english}" if value.endswith(")") or "(" in english else f" ({english})"
        line = f"{t(req, step.label)}: {value}"
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
    lines.append(t(req, m.SUBMITTED_ON, date=ist_date(app.submitted_at), time=ist_time(app.submitted_at)))
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
