"""Officials' commands (``bot.staff_commands`` table): /progress, /target
(and a targets CSV sent as a file), /camp, /digest, /export.

Each handler works in the caller's scope only: an official's state, or
their district in it; an admin names a state (and district) after the
command, e.g. ``/progress UTTARAKHAND HARIDWAR``.
"""
from __future__ import annotations

from bot.domain.roles import CSC_CODE
from bot.domain.catalogues import STATE_NAMES, districts
from bot.domain.roles import Role
from bot.messages import Outcome, Reply
from bot.i18n import N_, format_number, translate, words as input_words
from bot.reports import camps, targets
from bot.reports.chart import progress_chart
from bot.reports.export import export_csv
from bot.reports.progress import department_name, gather, render
from bot.staff_commands import Request, register
from bot.store import audit, reports as db
from bot.store.tally import india_day

OFFICIALS = {Role.OFFICIAL, Role.ADMIN}

NEED_SCOPE = N_("Please name the state (and district), e.g. /{command} UTTARAKHAND HARIDWAR")
NOT_IN_SCOPE = N_("That is outside your area.")
OFFICIALS_ONLY = N_("Targets and camps are set by the official of a state or district.")
TARGET_SET = N_("Target set: {department}, {target} registrations by {deadline}.")
TARGETS_SET = N_("{count} targets set from the file.")
TARGETS_REJECTED = N_("Nothing was changed: the file has problems. Please correct these rows and send it again:")
ROW_PROBLEM = N_("Row {row}: {problem}")
DIGEST_USAGE = N_("Write /digest on to get the summary every morning, /digest off to stop it.")
DIGEST_ON = N_("You will get the summary every day at {hour}:00.")
DIGEST_OFF = N_("The daily summary is stopped.")
EXPORT_DONE = N_("{count} applications of your area. Aadhaar, bank account and mobile numbers are masked.")
EXPORT_EMPTY = N_("There are no applications in your area yet.")



def _say(lang: str, msgid: str, **params) -> Outcome:
    return Outcome(None, [Reply(translate(lang, msgid, **params))])


def scope(req: Request) -> tuple[str, str | None] | str:
    """(state, district) the caller may see, or the msgid of why not."""
    staff = req.staff
    if staff is None:
        return NOT_IN_SCOPE
    if staff.role is Role.ADMIN:
        words = (req.arg or "").upper().split()
        for cut in range(len(words), 0, -1):
            state = " ".join(words[:cut])
            if state in STATE_NAMES:
                rest = " ".join(words[cut:]) or None
                if rest is None or rest in {d.code for d in districts(state)}:
                    return state, rest
        return NEED_SCOPE
    if staff.state is None:
        return NOT_IN_SCOPE
    wanted = (req.arg or "").strip().upper()
    if staff.district is None and wanted:
        if wanted in {d.code for d in districts(staff.state)}:
            return staff.state, wanted        # a state official looking at one district
        return NOT_IN_SCOPE
    if wanted and wanted != staff.district:
        return NOT_IN_SCOPE
    return staff.state, staff.district


@register("progress", OFFICIALS, N_("Registrations against targets in your area"))
async def progress(req: Request) -> Outcome:
    where = scope(req)
    if isinstance(where, str):
        return _say(req.lang, where, command=req.command or "progress")
    report = await req.store.query(gather, where[0], where[1], india_day(req.now))
    return Outcome(None, [Reply(render(report, req.lang),
                                photo=("progress.png", progress_chart(report, req.lang)))])


@register("target", OFFICIALS, N_("Set a department's target (or send a CSV file)"))
async def target(req: Request) -> Outcome:
    if req.file is not None:
        return await targets_file(req)
    staff = req.staff
    if staff is None or staff.state is None:
        return _say(req.lang, OFFICIALS_ONLY)
    try:
        t = targets.from_command(req.arg, staff.state, staff.district, india_day(req.now))
    except targets.Rejected as bad:
        return Outcome(None, [Reply("\n".join(translate(req.lang, p.msgid, **p.params) for p in bad.problems))])
    await req.store.transact(_set_and_audit, [t], req.user_id, req.now)
    return _say(req.lang, TARGET_SET, department=department_name(t.department, req.lang),
                target=format_number(t.target, req.lang), deadline=t.deadline.strftime("%d-%m-%Y"))


async def targets_file(req: Request) -> Outcome:
    """A targets CSV: all rows applied in one transaction, or none and every bad row named."""
    staff = req.staff
    if staff is None or staff.state is None or req.file is None:
        return _say(req.lang, OFFICIALS_ONLY)
    try:
        rows = targets.from_csv(req.file[1], staff.state, staff.district, india_day(req.now))
    except targets.Rejected as bad:
        lines = [translate(req.lang, TARGETS_REJECTED)]
        for p in bad.problems[:50]:
            problem = translate(req.lang, p.msgid, **p.params)
            lines.append(translate(req.lang, ROW_PROBLEM, row=p.row, problem=problem) if p.row else problem)
        return Outcome(None, [Reply("\n".join(lines))])
    await req.store.transact(_set_and_audit, rows, req.user_id, req.now)
    return _say(req.lang, TARGETS_SET, count=format_number(len(rows), req.lang))


def _set_and_audit(rows, actor, now):
    count = yield from db.set_targets(rows, actor, now)
    yield from audit.record(actor, "targets_set", None, now, count=count,
                            scope=[rows[0].state_code, rows[0].district] if len(rows) == 1 else rows[0].state_code)
    return count


@register("camp", OFFICIALS, N_("A registration camp: its link and QR code"))
async def camp(req: Request) -> Outcome:
    staff = req.staff
    arg = (req.arg or "").strip()
    if staff is None or staff.state is None:
        return _say(req.lang, OFFICIALS_ONLY)
    if not arg.lower().startswith("new ") or (parsed := camps.parse_camp(arg[4:])) is None:
        return _say(req.lang, camps.CAMP_USAGE)
    name, day, csc, department = parsed
    if not CSC_CODE.match(csc):
        return _say(req.lang, camps.CAMP_BAD_CSC, value=csc[:40])
    while True:
        code = camps.new_code()
        record = db.Camp(code, name, day, csc.upper(), staff.state, staff.district, department)
        if await req.store.transact(db.add_camp, record, req.user_id, req.now):
            break
    text = translate(req.lang, camps.CAMP_MADE, name=name, day=day.strftime("%d-%m-%Y"), csc=csc.upper())
    return Outcome(None, [Reply(text, deep_link=f"camp_{code}", link_qr=True)])


@register("digest", OFFICIALS, N_("Daily summary on or off"))
async def digest(req: Request) -> Outcome:
    choice = (req.arg or "").strip().lower()
    if choice not in input_words("on") | input_words("off"):
        return _say(req.lang, DIGEST_USAGE)
    on = choice in input_words("on")
    await req.store.transact(db.subscribe, req.user_id, req.lang, on, req.now)
    return _say(req.lang, DIGEST_ON, hour=req.digest_hour) if on else _say(req.lang, DIGEST_OFF)


@register("export", OFFICIALS, N_("Applications of your area as a CSV file"))
async def export(req: Request) -> Outcome:
    where = scope(req)
    if isinstance(where, str):
        return _say(req.lang, where, command=req.command or "progress")
    content, count = await export_csv(req.store, where[0], where[1])
    await req.store.transact(audit.record, req.user_id, "export", None, req.now,
                             scope=[where[0], where[1]], count=count)
    if count == 0:
        return _say(req.lang, EXPORT_EMPTY)
    name = f"applications_{(where[1] or where[0]).lower().replace(' ', '_')}_{india_day(req.now).isoformat()}.csv"
    return Outcome(None, [Reply(translate(req.lang, EXPORT_DONE, count=format_number(count, req.lang)),
                                document=(name, content))])
