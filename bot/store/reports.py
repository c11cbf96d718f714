"""Officials' reports in the store: camps, targets, the progress counters
read for a scope, digest subscribers, the applications of a scope for an
export. Transaction functions (see ``bot.store.sql``).

A scope is a state (``district`` None) or one district of it. Counter reads
touch only ``tallies``/``tally_days``/``targets`` rows of the scope, by their
primary key's leading columns: their number grows with districts, camps and
CSCs, never with applications.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.store.sql import Txn, all_rows, one, run


@dataclass(frozen=True)
class Camp:
    code: str
    name: str
    day: date
    csc: str
    state_code: str
    district: str | None
    department: str | None


@dataclass(frozen=True)
class Target:
    state_code: str
    district: str | None      # None: the whole state
    department: str
    target: int
    deadline: date


@dataclass(frozen=True)
class Tally:
    district: str
    dim: str                  # all, department, camp, csc
    key: str
    review_state: str         # a ReviewState value, or "started"
    n: int


@dataclass(frozen=True)
class DayCount:
    day: date
    department: str
    event: str                # submitted, approved
    n: int


def _place(state: str, district: str | None) -> tuple[str, tuple]:
    if district is None:
        return "state_code = ?", (state,)
    return "state_code = ? AND district = ?", (state, district)


# -- camps -------------------------------------------------------------------

def add_camp(camp: Camp, created_by: str, now: datetime) -> Txn[bool]:
    """Record a camp; False if its code is taken (the caller draws another)."""
    changed = yield run("INSERT INTO camps (code, name, day, csc, state_code, district, department,"
                        " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (code) DO NOTHING",
                        camp.code, camp.name, camp.day.isoformat(), camp.csc, camp.state_code,
                        camp.district, camp.department, created_by, now.isoformat())
    return changed == 1


def camp_names(codes: list[str]) -> Txn[dict[str, str]]:
    names: dict[str, str] = {}
    for code in codes:
        row = yield one("SELECT name FROM camps WHERE code = ?", code)
        if row is not None:
            names[code] = row["name"]
    return names


# -- targets -----------------------------------------------------------------

def set_targets(targets: list[Target], set_by: str, now: datetime) -> Txn[int]:
    """Set (or replace) targets, all in this one transaction."""
    for t in targets:
        yield run("INSERT INTO targets (state_code, district, department, target, deadline, set_by, set_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (state_code, district, department)"
                  " DO UPDATE SET target = excluded.target, deadline = excluded.deadline,"
                  " set_by = excluded.set_by, set_at = excluded.set_at",
                  t.state_code, t.district or "", t.department, t.target, t.deadline.isoformat(),
                  set_by, now.isoformat())
    return len(targets)


def targets_in(state: str, district: str | None) -> Txn[list[Target]]:
    """A district's targets; for a state, the state-wide ones and every district's."""
    where, params = _place(state, district)
    rows = yield all_rows(f"SELECT state_code, district, department, target, deadline FROM targets"
                          f" WHERE {where}", *params)
    return [Target(r["state_code"], r["district"] or None, r["department"], r["target"],
                   date.fromisoformat(r["deadline"])) for r in rows]


# -- counters ----------------------------------------------------------------

def tallies_in(state: str, district: str | None) -> Txn[list[Tally]]:
    """Counters of the whole scope and per department (for a state: summed
    over its districts; ``Tally.district`` is then '')."""
    where, params = _place(state, district)
    rows = yield all_rows(f"SELECT dim, key, review_state, SUM(n) AS n FROM tallies WHERE {where}"
                          f" AND dim IN ('all', 'department') GROUP BY dim, key, review_state", *params)
    return [Tally(district or "", r["dim"], r["key"], r["review_state"], int(r["n"])) for r in rows if r["n"]]


def districts_of(state: str) -> Txn[list[Tally]]:
    """Counters of every district of a state (dimension ``all``)."""
    rows = yield all_rows("SELECT district, review_state, n FROM tallies WHERE state_code = ? AND dim = 'all'"
                          " AND n <> 0", state)
    return [Tally(r["district"], "all", "", r["review_state"], r["n"]) for r in rows]


def top_in(state: str, district: str | None, dim: str, limit: int) -> Txn[list[tuple[str, int, int]]]:
    """The scope's best camps or CSCs: (key, registered, applications), most registered first."""
    where, params = _place(state, district)
    rows = yield all_rows(
        f"SELECT key, SUM(CASE WHEN review_state = 'approved' THEN n ELSE 0 END) AS approved,"
        f" SUM(CASE WHEN review_state <> 'started' THEN n ELSE 0 END) AS total"
        f" FROM tallies WHERE {where} AND dim = ? GROUP BY key"
        f" ORDER BY approved DESC, total DESC, key LIMIT ?", *params, dim, limit)
    return [(r["key"], int(r["approved"]), int(r["total"])) for r in rows if r["total"]]


def days_in(state: str, district: str | None, since: date) -> Txn[list[DayCount]]:
    where, params = _place(state, district)
    rows = yield all_rows(f"SELECT day, department, event, SUM(n) AS n FROM tally_days"
                          f" WHERE {where} AND day >= ? GROUP BY day, department, event",
                          *params, since.isoformat())
    return [DayCount(date.fromisoformat(r["day"]), r["department"], r["event"], int(r["n"])) for r in rows]


# -- digest ------------------------------------------------------------------

def subscribe(user_id: str, lang: str, on: bool, now: datetime) -> Txn[bool]:
    """Turn the daily digest on or off; True if that changed anything."""
    if on:
        changed = yield run("INSERT INTO digest_subscribers (user_id, lang, since) VALUES (?, ?, ?)"
                            " ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang",
                            user_id, lang, now.isoformat())
        return changed == 1
    return (yield run("DELETE FROM digest_subscribers WHERE user_id = ?", user_id)) > 0


def subscribers() -> Txn[list[tuple[str, str, str | None, str | None, str]]]:
    """(user_id, lang, state, district, role) of every subscriber who is still an official or admin."""
    rows = yield all_rows("SELECT d.user_id, d.lang, s.state, s.district, s.role FROM digest_subscribers d"
                          " JOIN staff s ON s.user_id = d.user_id WHERE s.role IN ('official', 'admin')"
                          " ORDER BY d.user_id")
    return [(r["user_id"], r["lang"], r["state"], r["district"], r["role"]) for r in rows]


# -- export ------------------------------------------------------------------

def references_in(state: str, district: str | None, limit: int) -> Txn[list[str]]:
    """References of the scope's applications, oldest first, at most ``limit``."""
    where, params = _place(state, district)
    rows = yield all_rows(f"SELECT reference FROM applications WHERE {where}"
                          f" ORDER BY submitted_at, reference LIMIT ?", *params, limit)
    return [r["reference"] for r in rows]


def placements_of(references: list[str]) -> Txn[dict[str, tuple]]:
    """reference -> (state_code, district, department, camp, csc)."""
    found: dict[str, tuple] = {}
    for reference in references:
        row = yield one("SELECT state_code, district, department, camp, csc FROM applications"
                        " WHERE reference = ?", reference)
        if row is not None:
            found[reference] = (row["state_code"], row["district"], row["department"], row["camp"], row["csc"])
    return found
