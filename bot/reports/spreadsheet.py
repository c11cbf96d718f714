"""CSV files the bot writes are opened in Excel or LibreOffice, which run a
cell beginning with ``=``, ``+``, ``-`` or ``@`` as a formula: a name, an
address or a CSC code from a ``csc_`` link such as ``=HYPERLINK(...)`` would
become a live link or a command in an official's spreadsheet (CSV or
formula injection). Every cell is written through ``spreadsheet_text``,
which puts a single quote before such a cell, as OWASP advises; a
spreadsheet then shows it as text. Every CSV writer in the bot is made
here (a test checks that no other module makes one).
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

#: a cell starting with one of these is read as a formula (OWASP: = + - @ tab CR;
#: also a line feed and the full-width forms some spreadsheets take for them)
FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")


def spreadsheet_text(value: Any) -> str:
    """The cell as text a spreadsheet shows as it is, never runs."""
    text = "" if value is None else str(value)
    first = text.lstrip(" \u00a0\u3000")[:1]   # " =1+1" is a formula to some spreadsheets too
    return "'" + text if first in FORMULA_START else text


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``spreadsheet_text``."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_text(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
