"""What every change of an application's review state also writes, in the
same transaction: where the application counts (``placed``) and the
progress counters (``moved``), so reports never scan all applications.

Both are transaction functions (``bot.store.sql``), called from inside the
backend's own transactions (submit, erase) and from the desk's.

Counters (tables ``tallies`` and ``tally_days``, schema 6):

- ``tallies``: per state and district, one row per dimension and key and
  review state: ``all``/'' (every application of the place),
  ``department``/<code>, ``camp``/<code>, ``csc``/<code>. A move from
  ``old`` to ``new`` takes one from each of the old rows and adds one to
  each of the new (an application without camp or CSC has no such rows).
- ``tally_days``: per place, department and day in India (IST) the events
  ``submitted`` (an application submitted, or submitted again after a
  send-back) and ``approved`` (registered): the last-7-days view and the
  recent pace per department. Events are history: an erased application
  does not take them back.
- Drafts started (``started``): a draft counts once, when its district first
  becomes known. ``bot.service`` calls ``started`` when a save gives a draft
  its first ``district`` and marks the draft (``meta["tallied"]``), so the
  worker's save path gains no read, and one small write per worker, once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.domain.departments import DEPARTMENT_BY_CODE, department_of_work
from bot.domain.roles import CSC_CODE
from bot.store.sql import Txn, one, run

IST = timezone(timedelta(hours=5, minutes=30))
STARTED = "started"   # the pseudo review state of drafts started


@dataclass(frozen=True)
class Placement:
    """Where an application counts: the worker's state and district (India
    Post's spelling), the camp and CSC it came through, its department."""
    state_code: str | None = None
    district: str | None = None
    camp: str | None = None
    csc: str | None = None
    department: str | None = None

    @classmethod
    def of_row(cls, row: Any) -> Placement:
        return cls(row["state_code"], row["district"], row["camp"], row["csc"], row["department"])


def source_code(source: object, prefix: str) -> str | None:
    """``camp_haridwar_07`` -> ``haridwar_07`` for prefix ``camp``; None if
    the rest is not a code (letters, digits, - and _: a deep link anyone can
    make never puts a formula or a link into the counters or an export)."""
    if isinstance(source, str) and source.lower().startswith(prefix + "_") \
            and CSC_CODE.match(source[len(prefix) + 1:]):
        return source[len(prefix) + 1:]
    return None


def india_day(when: datetime) -> date:
    """The calendar day in India at ``when`` (naive times are UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(IST).date()


def placed(answers: dict[str, Any], meta: dict[str, Any]) -> Txn[Placement]:
    """Where an application with these answers and deep-link source counts:
    place from the answers; camp, CSC and department from a ``camp_<code>``
    link (the camp's own CSC and department), a ``csc_<code>`` link or a
    ``dept_<code>`` drive link; else the department of the main occupation."""
    source = meta.get("source")
    camp, csc, department = source_code(source, "camp"), source_code(source, "csc"), None
    if camp is not None:
        row = yield one("SELECT csc, department FROM camps WHERE code = ?", camp.lower())
        if row is None:
            camp = None          # a link to no camp of ours: count it by occupation
        else:
            camp, csc, department = camp.lower(), row["csc"], row["department"]
    drive = source_code(source, "dept")
    if department is None and drive is not None and drive.lower() in DEPARTMENT_BY_CODE:
        department = drive.lower()
    if department is None:
        department = department_of_work(answers.get("occupation"), answers.get("sector"))
    return Placement(state_code=answers.get("state"), district=answers.get("district"),
                     camp=camp, csc=csc.upper() if csc else None, department=department)


def _keys(placement: Placement) -> list[tuple[str, str]]:
    keys = [("all", "")]
    for dim, key in (("department", placement.department), ("camp", placement.camp), ("csc", placement.csc)):
        if key:
            keys.append((dim, key))
    return keys


def _add(placement: Placement, review_state: str, by: int) -> Txn[None]:
    for dim, key in _keys(placement):
        yield run("INSERT INTO tallies (state_code, district, dim, key, review_state, n)"
                  " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (state_code, district, dim, key, review_state)"
                  " DO UPDATE SET n = tallies.n + excluded.n",
                  placement.state_code or "", placement.district or "", dim, key, review_state, by)


def _event(placement: Placement, event: str, when: datetime) -> Txn[None]:
    yield run("INSERT INTO tally_days (state_code, district, department, day, event, n)"
              " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (state_code, district, day, department, event)"
              " DO UPDATE SET n = tally_days.n + 1",
              placement.state_code or "", placement.district or "", placement.department or "",
              india_day(when).isoformat(), event)


def moved(placement: Placement, old: str | None, new: str | None, when: datetime) -> Txn[None]:
    """An application left review state ``old`` (None: it is new) for ``new``
    (None: it was erased) at ``when``: keep the counters in step. A
    resubmission is two calls, old placement out (to None), new placement in
    (from None), since the place or occupation may have changed."""
    if old == new:
        return
    # rows in one order (by review state) in every transaction: on PostgreSQL
    # a claim (submitted -> in_review) and a release (in_review -> submitted)
    # in one district at once would otherwise each hold the row the other
    # waits for, a deadlock
    for review_state, by in sorted(((old, -1), (new, 1)), key=lambda change: change[0] or ""):
        if review_state is not None:
            yield from _add(placement, review_state, by)
    if new is not None:
        if new == "approved":
            yield from _event(placement, "approved", when)
        elif old is None and new == "submitted":
            yield from _event(placement, "submitted", when)


def started(placement: Placement, when: datetime) -> Txn[None]:
    """A draft's district became known for the first time: one more draft started."""
    yield from _add(placement, STARTED, 1)


def draft_started(answers: dict[str, Any], meta: dict[str, Any], when: datetime) -> Txn[None]:
    """Count a draft as started where its answers and link place it."""
    placement = yield from placed(answers, meta)
    yield from started(placement, when)
