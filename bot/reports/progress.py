"""/progress: the numbers of an official's scope, gathered from the
counters in one read (``gather``), and written out in the official's
language (``render``). The chart is ``bot.reports.chart``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.catalogues import state_label
from bot.domain.departments import DEPARTMENT_BY_CODE, DEPARTMENTS
from bot.domain.place_names import district_name
from bot.i18n import N_, format_lakh, format_number, translate
from bot.reports.pace import Pace, Status, pace
from bot.store import reports as db
from bot.store.sql import Txn
from bot.store.tally import STARTED

RECENT_DAYS = 7
TOP = 5
IN_REVIEW = ("submitted", "in_review")


@dataclass(frozen=True)
class DepartmentLine:
    code: str
    pace: Pace
    recent_per_day: float


@dataclass(frozen=True)
class Ranked:
    key: str        # camp code, CSC code or district
    name: str
    approved: int
    total: int      # every application, whatever its state
    percent: float | None = None   # of the target (districts)


@dataclass
class Progress:
    state: str
    district: str | None
    today: date
    approved: int = 0
    in_review: int = 0
    has_issues: int = 0
    rejected: int = 0
    started: int = 0
    departments: list[DepartmentLine] = field(default_factory=list)
    camps: list[Ranked] = field(default_factory=list)
    cscs: list[Ranked] = field(default_factory=list)
    days: list[tuple[date, int, int]] = field(default_factory=list)   # day, submitted, approved
    districts: list[Ranked] = field(default_factory=list)


def gather(state: str, district: str | None, today: date) -> Txn[Progress]:
    """Everything /progress shows for a scope, from counters only."""
    tallies = yield from db.tallies_in(state, district)
    targets = yield from db.targets_in(state, district)
    since = today - timedelta(days=RECENT_DAYS - 1)
    days = yield from db.days_in(state, district, since)
    out = Progress(state, district, today)

    by_dim: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_district: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in tallies:
        by_dim[(t.dim, t.key)][t.review_state] += t.n
    if district is None:
        for t in (yield from db.districts_of(state)):
            per_district[t.district][t.review_state] += t.n
    everything = by_dim[("all", "")]
    out.approved = everything["approved"]
    out.in_review = sum(everything[s] for s in IN_REVIEW)
    out.has_issues = everything["has_issues"]
    out.rejected = everything["rejected"]
    out.started = everything[STARTED]

    recent: dict[str, int] = defaultdict(int)
    day_totals: dict[date, list[int]] = {since + timedelta(days=i): [0, 0] for i in range(RECENT_DAYS)}
    for d in days:
        if d.day in day_totals:
            day_totals[d.day][0 if d.event == "submitted" else 1] += d.n
        if d.event == "approved":
            recent[d.department] += d.n
    out.days = [(day, s, a) for day, (s, a) in sorted(day_totals.items())]

    goal: dict[str, tuple[int, date | None]] = {}
    state_wide = {target.department: target for target in targets if target.district is None}
    for target in targets:
        if district is None and target.district is not None and target.department in state_wide:
            continue          # a state-wide target stands for the state
        number, deadline = goal.get(target.department, (0, None))
        goal[target.department] = (number + target.target,
                                   max(deadline, target.deadline) if deadline else target.deadline)
    for department in DEPARTMENTS:
        done = by_dim[("department", department.code)]["approved"]
        seen = any(by_dim[("department", department.code)].values())
        if department.code not in goal and not seen:
            continue
        number, deadline = goal.get(department.code, (0, None))
        rate = recent[department.code] / RECENT_DAYS
        out.departments.append(DepartmentLine(department.code, pace(number, done, deadline, today, rate), rate))

    out.camps = [Ranked(k, k, a, n) for k, a, n in (yield from db.top_in(state, district, "camp", TOP))]
    out.cscs = [Ranked(k, k, a, n) for k, a, n in (yield from db.top_in(state, district, "csc", TOP))]
    if out.camps:
        names = yield from db.camp_names([c.key for c in out.camps])
        out.camps = [Ranked(c.key, names.get(c.key, c.key), c.approved, c.total) for c in out.camps]
    if district is None:
        district_goal: dict[str, int] = defaultdict(int)
        for target in targets:
            if target.district is not None:
                district_goal[target.district] += target.target
        ranked = []
        for name, counts in per_district.items():
            total = sum(n for s, n in counts.items() if s != STARTED)
            goal_n = district_goal.get(name, 0)
            ranked.append(Ranked(name, name.title() if name else "?", counts["approved"], total,
                                 100.0 * counts["approved"] / goal_n if goal_n else None))
        for name in district_goal:
            if name not in per_district:
                ranked.append(Ranked(name, name.title(), 0, 0, 0.0))
        ranked.sort(key=lambda r: (r.percent is None, -(r.percent or 0), -r.approved, r.name))
        out.districts = ranked
    return out


# -- the text ---------------------------------------------------------------------

TITLE_DISTRICT = N_("Registration progress: {district}, {state} ({day})")
TITLE_STATE = N_("Registration progress: {state} ({day})")
TOTALS = N_("Registered (approved): {approved}\nSubmitted, in review: {in_review}\n"
            "Sent back with issues: {has_issues}\nDrafts started: {started}")
DEPARTMENTS_HEAD = N_("By department (target, done, remaining):")
DEPARTMENT_LINE = N_("{department}: {done} of {target} ({percent}%), {remaining} left by {deadline}")
DEPARTMENT_NO_TARGET = N_("{department}: {done} registered, no target set")
STATUS_TEXT = {
    Status.ON_TRACK: N_("on track: {per_day} a day needed, {recent} a day lately"),
    Status.BEHIND: N_("behind: {per_day} a day needed, {recent} a day lately"),
    Status.MET: N_("target met"),
    Status.MISSED: N_("deadline passed"),
}
CAMPS_HEAD = N_("Top camps (registered / applications):")
CSCS_HEAD = N_("Top CSCs (registered / applications):")
RANKED_LINE = N_("{name}: {approved} / {total}")
DAYS_HEAD = N_("Last 7 days (submitted / registered):")
DAY_LINE = N_("{day}: {submitted} / {approved}")
DISTRICTS_HEAD = N_("Districts, best first (registered, % of target):")
DISTRICT_LINE = N_("{rank}. {name}: {approved} ({percent})")
NO_PERCENT = N_("no target")
NOTHING_YET = N_("No registrations in your area yet.")


def count(value: int, lang: str) -> str:
    """A count for people: Indian grouping, and lakh/crore words from a lakh up."""
    return format_lakh(value, lang) if value >= 100_000 else format_number(value, lang)


def percent_text(value: float | None, lang: str) -> str:
    return format_number(round(value), lang) if value is not None else "-"


def day_text(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day is not None else ""


def department_name(code: str, lang: str) -> str:
    department = DEPARTMENT_BY_CODE.get(code)
    return translate(lang, department.label) if department else code


def place_title(p: Progress, lang: str) -> str:
    state = translate(lang, state_label(p.state))
    if p.district:
        return translate(lang, TITLE_DISTRICT, district=district_name(p.state, p.district, lang), state=state,
                         day=day_text(p.today))
    return translate(lang, TITLE_STATE, state=state, day=day_text(p.today))


def render(p: Progress, lang: str) -> str:
    """The whole report as one message's text."""
    t = lambda msgid, **kw: translate(lang, msgid, **kw)  # noqa: E731
    parts = [place_title(p, lang),
             t(TOTALS, approved=count(p.approved, lang), in_review=count(p.in_review, lang),
               has_issues=count(p.has_issues, lang), started=count(p.started, lang))]
    if p.departments:
        lines = [t(DEPARTMENTS_HEAD)]
        for line in p.departments:
            lines.append("• " + department_line(line, lang))
        parts.append("\n".join(lines))
    for head, ranked in ((CAMPS_HEAD, p.camps), (CSCS_HEAD, p.cscs)):
        if ranked:
            parts.append("\n".join([t(head)] + [
                "• " + t(RANKED_LINE, name=r.name, approved=count(r.approved, lang), total=count(r.total, lang))
                for r in ranked]))
    if any(s or a for _, s, a in p.days):
        parts.append("\n".join([t(DAYS_HEAD)] + [
            t(DAY_LINE, day=day.strftime("%d-%m"), submitted=count(s, lang), approved=count(a, lang))
            for day, s, a in p.days]))
    if p.districts:
        parts.append("\n".join([t(DISTRICTS_HEAD)] + [
            t(DISTRICT_LINE, rank=i, name=district_name(p.state, r.key, lang) if r.key else r.name,
              approved=count(r.approved, lang),
              percent=(percent_text(r.percent, lang) + "%") if r.percent is not None else t(NO_PERCENT))
            for i, r in enumerate(p.districts[:20], 1)]))
    if not p.approved and not p.in_review and not p.has_issues and not p.started:
        parts.append(t(NOTHING_YET))
    return "\n\n".join(parts)


def department_line(line: DepartmentLine, lang: str) -> str:
    t = lambda msgid, **kw: translate(lang, msgid, **kw)  # noqa: E731
    pc = line.pace
    name = department_name(line.code, lang)
    if pc.status is Status.NO_TARGET:
        return t(DEPARTMENT_NO_TARGET, department=name, done=count(pc.done, lang))
    text = t(DEPARTMENT_LINE, department=name, done=count(pc.done, lang), target=count(pc.target, lang),
             percent=percent_text(pc.percent, lang), remaining=count(pc.remaining, lang),
             deadline=day_text(pc.deadline))
    recent = format_number(round(line.recent_per_day, 1), lang)
    status = t(STATUS_TEXT[pc.status], per_day=count(pc.per_day or 0, lang), recent=recent)
    return f"{text}; {status}"
