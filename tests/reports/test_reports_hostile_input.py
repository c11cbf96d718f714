"""Officials' commands refuse what they cannot read with a clear message in
the official's language, never "something went wrong": a target written
with a character that passes ``str.isdigit`` but is no decimal digit (²,
full-width ５), a number of thousands of digits (over int()'s limit), a
targets CSV with a cell over the csv module's field limit (a quote mark
left open), and a CSV saved with old Mac line endings (CR only) is read."""
from __future__ import annotations

import pytest

from bot.channels.telegram import texts as tg
from bot.i18n import translate
from bot.reports import commands, targets
from bot.store.reports import Target, targets_in
from tests.reports.test_reports import HARIDWAR, STATE, TODAY, req
from tests.reports.test_reports_telegram import OFFICIAL_ID, phones, texts  # noqa: F401 (phones: the fixture)
from tests.telegram.fake_bot_api import Updates

HEADER = "district,department,target,deadline\n"
HUGE_CELL = "x" * 200_000          # over the csv module's field limit (131,072)


@pytest.mark.parametrize("number", ["²", "５０００", "٥٠٠٠", "9" * 5000, "5,0,0,0", "1,000,00"])
@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_target_number_that_is_not_decimal_digits_is_refused(store, number, lang) -> None:
    out = await commands.target(req(store, HARIDWAR, "target", f"mgnrega {number} by 31-12-2026", lang=lang))
    [reply] = out.replies
    assert reply.text == translate(lang, targets.BAD_NUMBER, value=number[:40])
    assert await store.query(targets_in, "UTTARAKHAND", None) == []


@pytest.mark.parametrize("number, value", [("5000", 5000), ("5,000", 5000), ("50,00,000", 5_000_000),
                                           ("5,000,000", 5_000_000), ("१,२००", 1200), ("०", 0)])
async def test_target_numbers_in_ascii_or_devanagari_digits_with_grouping(store, number, value) -> None:
    out = await commands.target(req(store, HARIDWAR, "target", f"mgnrega {number} by 31-12-2026"))
    assert out.replies[0].text.startswith("Target set:")
    assert await store.query(targets_in, "UTTARAKHAND", "HARIDWAR") == [
        Target("UTTARAKHAND", "HARIDWAR", "mgnrega", value, TODAY.replace(month=12, day=31))]


async def test_target_date_in_other_digits_is_refused(store) -> None:
    # strptime reads a year in any Unicode digits (Arabic-Indic here)
    out = await commands.target(req(store, HARIDWAR, "target", "mgnrega 5000 by 31-12-٢٠٢٦"))
    assert out.replies[0].text == translate("en", targets.BAD_DATE, value="31-12-٢٠٢٦")
    assert await store.query(targets_in, "UTTARAKHAND", None) == []


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_csv_with_a_cell_over_the_field_limit_names_its_row(store, lang) -> None:
    content = (HEADER + "HARIDWAR,mgnrega,5000,31-12-2026\n"
               f"HARIDWAR,\"labour,{HUGE_CELL},31-12-2026\n").encode()
    out = await commands.target(req(store, STATE, "target", lang=lang, file=("t.csv", content)))
    [reply] = out.replies
    assert reply.text == "\n".join([translate(lang, commands.TARGETS_REJECTED), translate(
        lang, commands.ROW_PROBLEM, row=3, problem=translate(lang, targets.CSV_BAD_ROW))])
    assert {"en": "Row 3: this row cannot be read", "hi": "पंक्ति 3: यह पंक्ति पढ़ी नहीं जा सकी"}[lang] in reply.text
    assert await store.query(targets_in, "UTTARAKHAND", None) == []


async def test_csv_with_a_number_that_is_not_decimal_digits_names_its_row(store) -> None:
    content = (HEADER + "HARIDWAR,mgnrega,²,31-12-2026\nHARIDWAR,labour," + "9" * 5000 + ",31-12-2026\n").encode()
    text = (await commands.target(req(store, STATE, "target", file=("t.csv", content)))).replies[0].text
    assert 'Row 2: The target "²" is not a whole number' in text
    assert 'Row 3: The target "' + "9" * 40 + '" is not a whole number' in text
    assert await store.query(targets_in, "UTTARAKHAND", None) == []


async def test_csv_with_old_mac_line_endings_is_read(store) -> None:
    content = (HEADER + "HARIDWAR,mgnrega,5000,31-12-2026\nDEHRADUN,labour,1200,15-12-2026\n").replace(
        "\n", "\r").encode()
    out = await commands.target(req(store, STATE, "target", file=("t.csv", content)))
    assert out.replies[0].text == "2 targets set from the file."
    got = {(t.district, t.department, t.target) for t in await store.query(targets_in, "UTTARAKHAND", None)}
    assert got == {("HARIDWAR", "mgnrega", 5000), ("DEHRADUN", "labour", 1200)}


async def test_a_targets_csv_over_the_field_limit_through_telegram(phones) -> None:
    app, api, store, updates = phones
    content = (HEADER + f"HARIDWAR,mgnrega,\"5000{HUGE_CELL}\n").encode()
    api.files["huge"] = content
    official = Updates.user(OFFICIAL_ID, "hi")
    before = len(api.calls)
    await app.process_update(updates.document(official, "/target", "huge", "targets.csv", len(content)))
    [said] = texts(api, OFFICIAL_ID, before)
    assert said == "\n".join([translate("hi", commands.TARGETS_REJECTED), translate(
        "hi", commands.ROW_PROBLEM, row=2, problem=translate("hi", targets.CSV_BAD_ROW))])
    assert "पंक्ति 2: यह पंक्ति पढ़ी नहीं जा सकी" in said and translate("hi", tg.TRY_AGAIN) not in said
    # and a /target with a superscript digit, typed
    before = len(api.calls)
    await app.process_update(updates.text(official, "/target mgnrega ² by 31-12-2026"))
    assert texts(api, OFFICIAL_ID, before) == [translate("hi", targets.BAD_NUMBER, value="²")]
    assert await store.query(targets_in, "UTTARAKHAND", None) == []
