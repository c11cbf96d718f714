"""A pytest plugin (loaded by ``tests/conftest.py``) that watches the whole
test run for personal numbers where they must never be:

- every log record of the run, as logged (its message) and as the bot's log
  handler would write it (``bot.logs``: formatter, tracebacks, redaction);
- the output of every bot process the tests start (``bot-*.log``);
- every SQLite file (``*.db``, ``-wal``, ``-shm``) the tests leave in their
  temporary directories.

It looks for any Aadhaar number (12 digits, Verhoeff-valid, also written
with spaces, hyphens, zero-width characters or Devanagari digits), any mobile
number in the logs, and every Aadhaar, bank account and mobile number the
tests use (the number literals in ``tests/``, the fault tests' workers). A
finding fails the run; the summary at the end of every run says what was
scanned (``python -m pytest``).
"""
from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from stdnum import verhoeff

from bot.i18n import digit_table
from bot.logs import RedactPersonalNumbers

TESTS = Path(__file__).resolve().parents[1]
#: digits, possibly grouped as people write them
_RUN = re.compile(r"(?<![\w])\+?\d(?:[ \-\u200b\u200c\u200d\u2060]?\d){9,17}(?![\w])")
_LITERAL = re.compile(r"""["'](\+?[\d \-]{10,24})["']""")
_PRODUCTION = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def is_aadhaar(digits: str) -> bool:
    return len(digits) == 12 and digits[0] not in "01" and verhoeff.is_valid(digits)


def is_mobile(digits: str) -> bool:
    digits = digits[2:] if len(digits) == 12 and digits.startswith("91") else digits
    return len(digits) == 10 and digits[0] in "6789"


def test_numbers() -> set[str]:
    """The Aadhaar, account and mobile numbers the tests type."""
    from tests.workers import Worker
    numbers = set()
    for path in TESTS.rglob("*.py"):
        lines = (line for line in path.read_text(encoding="utf-8").splitlines() if "uan" not in line.lower())
        for literal in _LITERAL.findall("\n".join(lines)):  # (a UAN is the e-Shram card's number, shown to the worker)
            digits = re.sub(r"\D", "", literal)
            if len(digits) == 12 and digits[0] == "1":
                continue  # a UAN the desk tests type (an Aadhaar never starts with 0 or 1)
            if 10 <= len(digits) <= 18:
                numbers.add(digits[2:] if len(digits) == 12 and is_mobile(digits) else digits)
    for i in range(1000):
        numbers.update(Worker.make(i).numbers)
    return numbers


@dataclass
class Scan:
    known: set[str]
    records: int = 0
    log_bytes: int = 0
    process_logs: int = 0
    databases: int = 0
    database_bytes: int = 0
    findings: list[str] = field(default_factory=list)

    def text(self, text: str, where: str) -> None:
        """A log's text: any Aadhaar or mobile number, or a number the tests use."""
        for match in _RUN.finditer(text.translate(digit_table())):
            digits = re.sub(r"\D", "", match.group())
            if is_aadhaar(digits) or is_mobile(digits) or digits in self.known:
                self.findings.append(f"{where}: ...{digits[-4:]}")
        for number in self.known:
            if number in text:
                self.findings.append(f"{where}: ...{number[-4:]}")

    def binary(self, raw: bytes, where: str) -> None:
        """A database file: no number the tests use, no Aadhaar-like run of digits."""
        text = raw.decode("latin-1")
        for number in self.known:
            if number in text:
                self.findings.append(f"{where}: ...{number[-4:]}")
        for match in re.finditer(r"(?<!\d)\d{12}(?!\d)", text):
            if is_aadhaar(match.group()):
                self.findings.append(f"{where}: ...{match.group()[-4:]}")


class Collector(logging.Handler):
    """Sees every log record of the run, at INFO and above."""

    def __init__(self, scan: Scan) -> None:
        super().__init__(logging.INFO)
        self.scan = scan
        self.redact = RedactPersonalNumbers()

    def emit(self, record: logging.LogRecord) -> None:
        self.scan.records += 1
        message = record.getMessage()
        self.scan.text(message, f"log message of {record.name}")
        written = copy.copy(record)       # what the bot's handler would write, traceback included
        self.redact.filter(written)
        line = _PRODUCTION.format(written)
        self.scan.log_bytes += len(line)
        self.scan.text(line, f"log output of {record.name}")


_scan: Scan | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _scan
    _scan = Scan(test_numbers())
    config.stash[_KEY] = collector = Collector(_scan)
    root = logging.getLogger()
    root.addHandler(collector)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    scan = _scan
    if scan is None:
        return
    logging.getLogger().removeHandler(session.config.stash[_KEY])
    base = session.config._tmp_path_factory.getbasetemp() if hasattr(session.config, "_tmp_path_factory") else None
    if base is not None and base.exists():
        for path in base.rglob("bot-*.log"):
            scan.process_logs += 1
            scan.text(path.read_text(errors="replace"), f"bot process log {path.name}")
        for path in base.rglob("*.db*"):
            if path.is_file() and path.name.endswith((".db", ".db-wal", ".db-shm")):
                raw = path.read_bytes()
                scan.databases += 1
                scan.database_bytes += len(raw)
                scan.binary(raw, f"database file {path.parent.name}/{path.name}")
    if scan.findings and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    scan = _scan
    if scan is None:
        return
    terminalreporter.write_sep("-", "personal data scan")
    terminalreporter.write_line(
        f"{scan.records} log records ({scan.log_bytes // 1024} KB as written), {scan.process_logs} bot "
        f"process logs, {scan.databases} database files ({scan.database_bytes // 1024} KB) scanned for "
        f"{len(scan.known)} numbers the tests use and any Aadhaar or mobile number: "
        f"{len(scan.findings)} found")
    for finding in sorted(set(scan.findings))[:20]:
        terminalreporter.write_line(f"  FOUND in {finding}", red=True)
    if scan.findings:
        terminalreporter.write_line("personal numbers found: the run fails", red=True)


_KEY = pytest.StashKey[Collector]()
