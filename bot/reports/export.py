"""/export: the applications of an official's scope as a CSV file, with the
Aadhaar, bank account and mobile numbers masked, and an audit row saying who
exported what (scope and count, never the data). A cell a spreadsheet would
run as a formula is written as text (``bot.reports.spreadsheet``)."""
from __future__ import annotations

import io

from bot.domain.validators import mask_account, mask_aadhaar
from bot.reports.spreadsheet import SafeWriter
from bot.store.contract import Store
from bot.store.reports import placements_of, references_in

MAX_ROWS = 50_000      # a district's drive; Telegram takes documents up to 50 MB
COLUMNS = ("reference", "review_state", "submitted_at", "updated_at", "uan", "state", "district",
           "department", "camp", "csc", "name", "gender", "dob", "mobile", "aadhaar", "bank_account",
           "ifsc", "sector", "occupation")


def mask_mobile(number: str) -> str:
    return "X" * max(len(number) - 4, 0) + number[-4:]


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
        a = app.answers
        state_code, where, department, camp, csc = places.get(reference, (None,) * 5)
        writer.writerow([
            app.reference, app.state.value, app.submitted_at.isoformat(timespec="seconds"),
            app.updated_at.isoformat(timespec="seconds"), app.uan or "", state_code or "", where or "",
            department or "", camp or "", csc or "", a.get("name", ""), a.get("gender", ""), a.get("dob", ""),
            mask_mobile(str(a["mobile"])) if a.get("mobile") else "",
            mask_aadhaar(str(a["aadhaar"])) if a.get("aadhaar") else "",
            mask_account(str(a["bank_account"])) if a.get("bank_account") else "",
            a.get("ifsc", ""), a.get("sector", ""), a.get("occupation", "")])
        written += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), written
