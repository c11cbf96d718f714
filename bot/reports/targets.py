"""Targets: an official sets, for their scope, how many registrations each
department should reach by a date, by command or by sending a CSV file.

``/target <department> <number> by <date>`` sets one target for the
official's own scope (their district, or their whole state). A CSV file
with the columns ``district, department, target, deadline`` sets many; a
state official may name any district of the state (or leave it empty for
the whole state), a district official only their own. Every row is checked
first; if any row is wrong nothing is applied and each bad row is named
with what is wrong with it.

Numbers and dates are read in ASCII or Devanagari digits only (``'²'`` or
``'５'`` pass ``str.isdigit`` but are not digits a target is written in); a
number may be grouped with commas, the Indian way (5,00,000) or the
international way (500,000). A file that the csv module cannot read (a cell
over its field limit, e.g. from a quote mark left open) names the row.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.catalogues import districts
from bot.domain.departments import DEPARTMENTS, find_department
from bot.i18n import N_, digit_table, words as input_words
from bot.store.reports import Target

MAX_ROWS = 5000
MAX_TARGET = 10**8
COLUMNS = ("district", "department", "target", "deadline")

TARGET_USAGE = N_("Please write it like this: /target mgnrega 5000 by 31-12-2026\nDepartments: {departments}")
BAD_DEPARTMENT = N_("I do not know the department \"{value}\". Departments: {departments}")
BAD_NUMBER = N_("The target \"{value}\" is not a whole number (0 or more).")
BAD_DATE = N_("The date \"{value}\" is not a date like 31-12-2026.")
PAST_DATE = N_("The deadline {value} has already passed.")
BAD_DISTRICT = N_("\"{value}\" is not a district of your state.")
OTHER_DISTRICT = N_("\"{value}\" is not your district.")
DUPLICATE_ROW = N_("this district and department are already set in row {row}.")
CSV_NOT_TEXT = N_("The file is not a CSV text file (UTF-8). Please save it from Excel as \"CSV UTF-8\".")
CSV_NO_COLUMNS = N_("The first row must name the columns: district, department, target, deadline.")
CSV_EMPTY = N_("The file has no target rows.")
CSV_TOO_LONG = N_("The file has more than {limit} rows. Please split it.")
CSV_BAD_ROW = N_("this row cannot be read: a cell is far too long (perhaps a quote mark \" is not closed).")

#: a whole number in ASCII digits (after Devanagari digits are made ASCII): plain, or grouped with commas
#: the international way (5,000,000) or the Indian way (50,00,000)
NUMBER_RE = re.compile(r"[0-9]{1,12}|[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,2}(?:,[0-9]{2}){0,4},[0-9]{3}")
DATE_RE = re.compile(r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}")


@dataclass(frozen=True)
class Problem:
    """What is wrong: a msgid and its values; ``row`` is the CSV row number (1 = the header)."""
    msgid: str
    params: dict
    row: int | None = None


class Rejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def department_codes() -> str:
    return ", ".join(d.code for d in DEPARTMENTS)


def parse_number(text: str) -> int | None:
    """A whole number from 0 to ``MAX_TARGET``, or None."""
    clean = text.strip().translate(digit_table())
    if not NUMBER_RE.fullmatch(clean):
        return None
    number = int(clean.replace(",", ""))
    return number if number <= MAX_TARGET else None


def parse_date(text: str) -> date | None:
    clean = text.strip().translate(digit_table())
    if not DATE_RE.fullmatch(clean):     # strptime takes any Unicode digit, and spaces
        return None
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(clean, pattern).date()
        except ValueError:
            continue
    return None


def from_command(arg: str | None, state: str, district: str | None, today: date) -> Target:
    """``mgnrega 5000 by 31-12-2026`` (``by``/``तक`` optional) for the official's scope."""
    words = [w for w in re.split(r"\s+", (arg or "").strip()) if w and w.lower() not in input_words("until")]
    if len(words) != 3:
        raise Rejected([Problem(TARGET_USAGE, {"departments": department_codes()})])
    return _target(words[0], words[1], words[2], state, district, today)


def _target(department_text: str, number_text: str, date_text: str, state: str,
            district: str | None, today: date) -> Target:
    problems = []
    department = find_department(department_text)
    if department is None:
        problems.append(Problem(BAD_DEPARTMENT, {"value": department_text[:40], "departments": department_codes()}))
    number = parse_number(number_text)
    if number is None:
        problems.append(Problem(BAD_NUMBER, {"value": number_text[:40]}))
    deadline = parse_date(date_text)
    if deadline is None:
        problems.append(Problem(BAD_DATE, {"value": date_text[:40]}))
    elif deadline < today:
        problems.append(Problem(PAST_DATE, {"value": deadline.strftime("%d-%m-%Y")}))
    if problems or department is None or number is None or deadline is None:
        raise Rejected(problems)
    return Target(state, district, department.code, number, deadline)


def from_csv(content: bytes, state: str, district: str | None, today: date) -> list[Target]:
    """Every row of the file as a target, or ``Rejected`` naming every bad row."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected([Problem(CSV_NOT_TEXT, {})]) from None
    rows = _rows(text)
    if not rows:
        raise Rejected([Problem(CSV_EMPTY, {})])
    header = [c.strip().lower() for c in rows[0]]
    if not all(column in header for column in COLUMNS):
        raise Rejected([Problem(CSV_NO_COLUMNS, {})])
    at = {column: header.index(column) for column in COLUMNS}
    known = {d.code for d in districts(state)}
    targets: list[Target] = []
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {column: (row[i].strip() if i < len(row) else "") for column, i in at.items()}
        where = cells["district"].upper() or None
        row_problems = []
        if district is not None and where not in (None, district):
            row_problems.append(Problem(OTHER_DISTRICT, {"value": cells["district"][:40]}, number))
        elif where is not None and where not in known:
            row_problems.append(Problem(BAD_DISTRICT, {"value": cells["district"][:40]}, number))
        try:
            target = _target(cells["department"], cells["target"], cells["deadline"], state,
                             district or where, today)
        except Rejected as bad:
            row_problems += [Problem(p.msgid, p.params, number) for p in bad.problems]
        else:
            key = (target.district, target.department)
            if key in seen and not row_problems:
                row_problems.append(Problem(DUPLICATE_ROW, {"row": seen[key]}, number))
            seen.setdefault(key, number)
            if not row_problems:
                targets.append(target)
        problems += row_problems
    if problems:
        raise Rejected(problems)
    if not targets:
        raise Rejected([Problem(CSV_EMPTY, {})])
    return targets


def _rows(text: str) -> list[list[str]]:
    """The rows of the file (lines may end in CR, LF or both), or ``Rejected``."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error:
            raise Rejected([Problem(CSV_BAD_ROW, {}, len(rows) + 1)]) from None
        rows.append(row)
        if len(rows) - 1 > MAX_ROWS:
            raise Rejected([Problem(CSV_TOO_LONG, {"limit": MAX_ROWS})])
