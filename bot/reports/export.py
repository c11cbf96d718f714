"""/export: the applications of an official's scope as a CSV file, with every
personal number masked (as each step declares what its answer holds:
``bot.domain.sensitive``), and an audit row saying who exported what (scope
and count, never the data). A cell a spreadsheet would run as a formula is
written as text (``bot.reports.spreadsheet``)."""
from __future__ import annotations

import io
from typing import Any

from bot.domain.sensitive import mask
from bot.flow.steps import STEP_BY_KEY, Step
from bot.reports.spreadsheet import SafeWriter
from bot.store.contract import Store
from bot.store.reports import placements_of, references_in

MAX_ROWS = 50_000      # a district's drive; Telegram takes documents up to 50 MB
#: about the application: its review, where it was made, and through whom
APPLICATION_COLUMNS = ("reference", "review_state", "submitted_at", "updated_at", "uan", "state", "district",
                       "department", "camp", "csc")
#: the answers officials get, by step key (no more than their work needs)
ANSWER_COLUMNS = ("name", "gender", "dob", "mobile", "aadhaar", "bank_account", "ifsc", "sector", "occupation")
COLUMNS = APPLICATION_COLUMNS + ANSWER_COLUMNS


def cell(step: Step, value: Any) -> Any:
    """An answer as the export writes it: a personal number masked."""
    if step.holds is not None and step.holds.number:
        return mask(step.holds, str(value)) if value else ""
    return value


async def export_csv(store: Store, state: str, district: str | None) -> tuple[bytes, int]:
    """(UTF-8 CSV with a BOM so Excel reads Hindi names, number of rows)."""
    references = await store.query(references_in, state, district, MAX_ROWS)
    places = await store.query(placements_of, references)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(COLUMNS)
    written = 0
    for reference in references:
        app = await store.get_application(reference)
        if app is None:           # erased since the list was read
            continue
        state_code, where, department, camp, csc = places.get(reference, (None,) * 5)
        writer.writerow([
            app.reference, app.state.value, app.submitted_at.isoformat(timespec="seconds"),
            app.updated_at.isoformat(timespec="seconds"), app.uan or "", state_code or "", where or "",
            department or "", camp or "", csc or "",
            *(cell(STEP_BY_KEY[key], app.answers.get(key, "")) for key in ANSWER_COLUMNS)])
        written += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), written
