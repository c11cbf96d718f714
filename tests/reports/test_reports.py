"""Officials' reports: pace arithmetic, targets (command and CSV), camps and
their attribution, counters kept by every review-state change, scope,
/progress text and chart, digest once across processes, export masking."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

from PIL import Image, ImageFont

from bot.domain.departments import department_of_work, find_department
from bot.domain.roles import Role, Staff
from bot.reports import commands, digest
from bot.reports.chart import font
from bot.reports.pace import Status, pace
from bot.reports.progress import gather
from bot.service import Registration
from bot.staff_commands import STAFF_COMMANDS, Request
from bot.store import tally
from bot.store.reports import Target, set_targets, targets_in
from bot.store.sql import one, run
from tests.store.test_store import draft_for, sql, valid_aadhaar

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)      # 10:30 in India
TODAY = date(2026, 11, 25)
HARIDWAR = Staff("tg:10", Role.OFFICIAL, "UTTARAKHAND", "HARIDWAR")
DEHRADUN = Staff("tg:11", Role.OFFICIAL, "UTTARAKHAND", "DEHRADUN")
STATE = Staff("tg:12", Role.OFFICIAL, "UTTARAKHAND")


def req(store, staff, command, arg=None, lang="en", file=None, now=NOW) -> Request:
    return Request(store=store, user_id=staff.user_id, lang=lang, staff=staff, now=now,
                   command=command, arg=arg, file=file)


async def submit(store, user, district="HARIDWAR", occupation="construction.labourer", source=None):
    """A worker's application, submitted straight to the store."""
    draft = draft_for(user, aadhaar=valid_aadhaar(int(user.split(":")[1]) * 7919 + 10**10))
    draft.answers.update({"state": "UTTARAKHAND", "district": district, "occupation": occupation})
    if source:
        draft.meta["source"] = source
    counter = iter(range(10**6))
    return await store.submit(draft, lambda: f"SS-{user[-3:].upper():0>4}-{next(counter):04d}")


def change_state(reference: str, new: str, when: datetime):
    """What the desk does on approve/send back/reject: the state and the counters, together."""
    row = yield one("SELECT state, state_code, district, camp, csc, department FROM applications"
                    " WHERE reference = ?", reference)
    yield run("UPDATE applications SET state = ? WHERE reference = ?", new, reference)
    yield from tally.moved(tally.Placement.of_row(row), row["state"], new, when)


# -- pace ------------------------------------------------------------------------

def test_pace_deadline_today_needs_all_that_remains_today() -> None:
    p = pace(100, 40, TODAY, TODAY, recent_per_day=10)
    assert (p.remaining, p.days_left, p.per_day, p.status) == (60, 1, 60, Status.BEHIND)
    assert p.percent == 40.0


def test_pace_past_deadline_is_missed_with_no_daily_figure() -> None:
    p = pace(100, 40, TODAY - timedelta(days=1), TODAY, recent_per_day=50)
    assert (p.remaining, p.days_left, p.per_day, p.status) == (60, 0, None, Status.MISSED)


def test_pace_target_met_even_past_the_deadline() -> None:
    p = pace(100, 130, TODAY - timedelta(days=3), TODAY, recent_per_day=0)
    assert (p.remaining, p.per_day, p.status, p.percent) == (0, 0, Status.MET, 130.0)


def test_pace_zero_target_has_no_percent() -> None:
    p = pace(0, 25, TODAY + timedelta(days=5), TODAY, recent_per_day=3)
    assert (p.status, p.percent, p.per_day, p.remaining) == (Status.NO_TARGET, None, None, 0)


def test_pace_on_track_when_the_recent_rate_reaches_what_is_needed() -> None:
    # 10 days left including today, 95 to go: 10 a day (rounded up)
    assert pace(100, 5, TODAY + timedelta(days=9), TODAY, recent_per_day=10).status is Status.ON_TRACK
    assert pace(100, 5, TODAY + timedelta(days=9), TODAY, recent_per_day=9.9).status is Status.BEHIND


def test_departments_by_occupation_and_sector() -> None:
    assert department_of_work("agriculture.mgnrega") == "mgnrega"
    assert department_of_work("agriculture.fisher") == "agriculture"
    assert department_of_work("retail.street_vendor") == "urban"
    assert department_of_work("beauty.barber") == "other"
    assert department_of_work(None) == "other"
    assert find_department("MGNREGA").code == "mgnrega" and find_department("आंगनवाड़ी").code == "icds"
    assert find_department("police") is None


# -- targets -----------------------------------------------------------------------

async def test_target_command_sets_the_officials_own_district(store) -> None:
    out = await commands.target(req(store, HARIDWAR, "target", "mgnrega 5,000 by 31-12-2026"))
    assert "5,000" in out.replies[0].text
    [t] = await store.query(targets_in, "UTTARAKHAND", "HARIDWAR")
    assert t == Target("UTTARAKHAND", "HARIDWAR", "mgnrega", 5000, date(2026, 12, 31))
    bad = await commands.target(req(store, HARIDWAR, "target", "police lots by yesterday", lang="hi"))
    text = bad.replies[0].text
    assert "police" in text and "lots" in text and "yesterday" in text


CSV_BAD = ("district,department,target,deadline\n"
           "HARIDWAR,mgnrega,5000,31-12-2026\n"
           "NOWHERE,labour,100,31-12-2026\n"
           "DEHRADUN,police,100,31-12-2026\n"
           "DEHRADUN,health,-4,2026-13-40\n"
           "HARIDWAR,mgnrega,10,31-12-2026\n"
           "DEHRADUN,health,10,01-01-2020\n").encode()


async def test_csv_with_bad_rows_names_each_and_applies_nothing(store) -> None:
    out = await commands.target(req(store, STATE, "target", file=("t.csv", CSV_BAD)))
    text = out.replies[0].text
    assert text.startswith("Nothing was changed")
    for row in ("Row 3:", "Row 4:", "Row 5:", "Row 6:", "Row 7:"):
        assert row in text
    assert "Row 2:" not in text and "NOWHERE" in text and "police" in text and "row 2" in text
    assert await store.query(targets_in, "UTTARAKHAND", None) == []


async def test_csv_good_file_is_applied_whole_and_audited(store) -> None:
    good = ("\ufeffDistrict,Department,Target,Deadline\nHARIDWAR,mgnrega,5000,31-12-2026\n"
            "dehradun,Health,१२००,2026-12-15\n,labour,900,20/12/2026\n\n").encode()
    out = await commands.target(req(store, STATE, "target", file=("t.csv", good)))
    assert out.replies[0].text == "3 targets set from the file."
    got = sorted(await store.query(targets_in, "UTTARAKHAND", None), key=lambda t: t.department)
    assert [(t.district, t.department, t.target) for t in got] == [
        ("DEHRADUN", "health", 1200), (None, "labour", 900), ("HARIDWAR", "mgnrega", 5000)]
    assert (await sql(store, "SELECT action FROM audit"))[0] == ("targets_set",)


async def test_district_official_csv_cannot_set_another_district(store) -> None:
    csv = b"district,department,target,deadline\nDEHRADUN,mgnrega,5,31-12-2026\n"
    out = await commands.target(req(store, HARIDWAR, "target", file=("t.csv", csv)))
    assert "Row 2:" in out.replies[0].text and "not your district" in out.replies[0].text
    assert await store.query(targets_in, "UTTARAKHAND", None) == []


async def test_csv_that_is_not_text_or_has_no_header(store) -> None:
    out = await commands.target(req(store, STATE, "target", file=("t.xlsx", b"PK\x03\x04\xff\xfe")))
    assert "CSV" in out.replies[0].text
    out = await commands.target(req(store, STATE, "target", file=("t.csv", b"a,b\n1,2\n")))
    assert "first row" in out.replies[0].text


# -- camps and counters -------------------------------------------------------------

async def test_camp_link_qr_and_attribution(store) -> None:
    out = await commands.camp(req(store, HARIDWAR, "camp", "new Rojgar Mela Roorkee 30-11-2026 csc1234 mgnrega"))
    reply = out.replies[0]
    assert reply.deep_link.startswith("camp_") and reply.link_qr  # the channel shows the link and its QR
    code = reply.deep_link.removeprefix("camp_")
    # a construction worker through the camp counts for the camp's CSC and department
    app = await submit(store, "tg:501", source=f"camp_{code}")
    assert await sql(store, "SELECT camp, csc, department FROM applications WHERE reference = ?",
                     app.reference) == [(code, "CSC1234", "mgnrega")]
    await submit(store, "tg:502")          # no link: by occupation
    await submit(store, "tg:503", source="camp_unknown")   # a link to no camp: by occupation
    report = await store.query(gather, "UTTARAKHAND", "HARIDWAR", TODAY)
    assert [(c.name, c.total) for c in report.camps] == [("Rojgar Mela Roorkee", 1)]
    assert [(c.key, c.total) for c in report.cscs] == [("CSC1234", 1)]
    assert {(d.code, d.pace.done) for d in report.departments} == {("mgnrega", 0), ("labour", 0)}
    usage = await commands.camp(req(store, HARIDWAR, "camp", "new 30-11-2026"))
    assert "/camp new" in usage.replies[0].text


async def test_counters_follow_submit_review_resubmit_and_erase(store) -> None:
    now = datetime.now(timezone.utc)          # the store stamps submissions with the clock
    today = tally.india_day(now)
    a = await submit(store, "tg:601")
    b = await submit(store, "tg:602", occupation="healthcare.asha")
    await store.transact(change_state, a.reference, "approved", now)
    await store.transact(change_state, b.reference, "has_issues", now)
    report = await store.query(gather, "UTTARAKHAND", "HARIDWAR", today)
    assert (report.approved, report.in_review, report.has_issues) == (1, 0, 1)
    # the worker resubmits, now as a MGNREGA worker: counted there, once
    await submit(store, "tg:602", occupation="agriculture.mgnrega")
    report = await store.query(gather, "UTTARAKHAND", "HARIDWAR", today)
    assert (report.approved, report.in_review, report.has_issues) == (1, 1, 0)
    assert report.days[-1] == (today, 3, 1)     # three submissions, one registered
    by_dept = {(d.code): d.pace.done for d in report.departments}
    assert by_dept["labour"] == 1
    await store.erase_user("tg:601")
    report = await store.query(gather, "UTTARAKHAND", "HARIDWAR", today)
    assert (report.approved, report.in_review) == (0, 1)
    assert await sql(store, "SELECT SUM(n) FROM tallies WHERE dim = 'all' AND review_state <> 'started'") == [(1,)]


def test_a_draft_is_marked_started_once_when_its_district_is_known() -> None:
    from bot.service import _first_place
    draft = draft_for("tg:700")
    draft.answers["state"] = "UTTARAKHAND"
    assert not _first_place(draft)
    draft.answers["district"] = "HARIDWAR"
    assert _first_place(draft) and draft.meta["tallied"] is True
    assert not _first_place(draft)          # a later save, or a changed district: not again


# -- scope, /progress, chart -----------------------------------------------------------

async def test_a_district_official_never_sees_another_districts_numbers(store) -> None:
    await submit(store, "tg:801", district="HARIDWAR")
    await submit(store, "tg:802", district="DEHRADUN")
    await submit(store, "tg:803", district="DEHRADUN")
    await store.transact(set_targets, [Target("UTTARAKHAND", "DEHRADUN", "labour", 999, date(2026, 12, 31))],
                         "tg:12", NOW)
    mine = await store.query(gather, "UTTARAKHAND", "HARIDWAR", TODAY)
    assert mine.in_review == 1 and all(d.pace.target != 999 for d in mine.departments)
    out = await commands.progress(req(store, HARIDWAR, "progress"))
    assert "Submitted, in review: 1" in out.replies[0].text and "999" not in out.replies[0].text
    refused = await commands.progress(req(store, HARIDWAR, "progress", "DEHRADUN"))
    assert refused.replies[0].text == "That is outside your area."
    whole = await commands.progress(req(store, STATE, "progress"))
    assert "Submitted, in review: 3" in whole.replies[0].text
    assert "1. Dehradun" in whole.replies[0].text     # ranked first: the only district with a target
    one_district = await commands.progress(req(store, STATE, "progress", "dehradun"))
    assert "Submitted, in review: 2" in one_district.replies[0].text
    export = await commands.export(req(store, HARIDWAR, "export"))
    assert export.replies[0].document[1].decode("utf-8-sig").count("\nSS-") == 1


async def test_progress_in_hindi_with_lakh_and_a_chart(store) -> None:
    await store.transact(set_targets, [Target("UTTARAKHAND", "HARIDWAR", "mgnrega", 250000, date(2026, 12, 31))],
                         "tg:10", NOW)
    await store.transact(run_counts, 150000)
    out = await commands.progress(req(store, HARIDWAR, "progress", lang="hi"))
    reply = out.replies[0]
    assert "1.5 लाख" in reply.text and "2.5 लाख" in reply.text and "पंजीकृत" in reply.text
    image = Image.open(io.BytesIO(reply.photo[1]))
    assert image.format == "PNG" and image.width == 1200
    assert font(20).layout_engine == ImageFont.Layout.RAQM     # shaped Devanagari


def run_counts(approved: int):
    yield run("INSERT INTO tallies VALUES ('UTTARAKHAND', 'HARIDWAR', 'all', '', 'approved', ?)", approved)
    yield run("INSERT INTO tallies VALUES ('UTTARAKHAND', 'HARIDWAR', 'department', 'mgnrega', 'approved', ?)",
              approved)


async def test_commands_are_in_the_staff_table_for_officials_and_admins() -> None:
    for name in ("progress", "target", "camp", "digest", "export"):
        assert STAFF_COMMANDS[name].roles == {Role.OFFICIAL, Role.ADMIN}


async def test_admin_names_the_scope(store) -> None:
    admin = Staff("tg:1", Role.ADMIN)
    assert "Please name the state" in (await commands.progress(req(store, admin, "progress"))).replies[0].text
    out = await commands.progress(req(store, admin, "progress", "UTTARAKHAND HARIDWAR"))
    assert out.replies[0].text.startswith("Registration progress: Haridwar")
    refused = await commands.target(req(store, admin, "target", "mgnrega 5 by 31-12-2026"))
    assert refused.replies[0].text == "Targets and camps are set by the official of a state or district."


# -- digest and export ------------------------------------------------------------

async def test_digest_goes_out_once_across_processes_after_the_hour(store) -> None:
    from bot.store.staff import grant
    await store.transact(grant, HARIDWAR, None, NOW)
    out = await commands.digest(req(store, HARIDWAR, "digest", "on", lang="hi"))
    assert "8:00" in out.replies[0].text
    sent = []

    async def send(notice):
        sent.append(notice)
    early = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)      # 07:30 in India
    assert await digest.run_digest(store, send, early, 8, "p1") is None
    assert await digest.run_digest(store, send, NOW, 8, "p1") == 1
    assert await digest.run_digest(store, send, NOW, 8, "p2") is None
    assert len(sent) == 1 and sent[0].user_id == "tg:10" and sent[0].lang == "hi"
    assert sent[0].replies[0].photo is not None
    await commands.digest(req(store, HARIDWAR, "digest", "off"))
    assert await digest.run_digest(store, send, NOW + timedelta(days=1), 8, "p1") == 0


async def test_export_masks_numbers_and_writes_an_audit_row(store) -> None:
    app = await submit(store, "tg:901")
    out = await commands.export(req(store, HARIDWAR, "export"))
    name, content = out.replies[0].document
    text = content.decode("utf-8-sig")
    assert name.startswith("applications_haridwar_") and app.reference in text
    full = await store.get_application(app.reference)
    assert full.answers["aadhaar"] not in text and "XXXX XXXX " + full.answers["aadhaar"][-4:] in text
    assert "50100234567891" not in text and "XXXXXXXXXX7891" in text and "9876501234" not in text
    rows = await sql(store, "SELECT actor, action, reference, detail FROM audit WHERE action = 'export'")
    assert rows == [("tg:10", "export", None, '{"scope":["UTTARAKHAND","HARIDWAR"],"count":1}')]


async def test_a_worker_through_a_camp_link_counts_once_as_started_and_for_the_camp(store) -> None:
    from bot.messages import Input
    from tests.flow.test_service import DRIVER, typed
    out = await commands.camp(req(store, HARIDWAR, "camp", "new Jwalapur Shivir 30-11-2026 CSC77 labour"))
    code = out.replies[0].deep_link.removeprefix("camp_")
    service = Registration(store, clock=lambda: NOW)
    await service.handle("tg:950", Input(command="start", arg=f"camp_{code}"), default_lang="hi")
    for line in DRIVER.script[1:]:
        await service.handle("tg:950", typed(line), default_lang="hi")
    app = await store.application_for_user("tg:950")
    assert app is not None and app.answers["district"] == "HARIDWAR"
    assert await sql(store, "SELECT camp, csc, department FROM applications") == [(code, "CSC77", "labour")]
    assert await sql(store, "SELECT dim, key, n FROM tallies WHERE review_state = 'started' ORDER BY dim") == [
        ("all", "", 1), ("camp", code, 1), ("csc", "CSC77", 1), ("department", "labour", 1)]
    report = await store.query(gather, "UTTARAKHAND", "HARIDWAR", TODAY)
    assert (report.started, report.in_review) == (1, 1)
    assert [(c.name, c.total) for c in report.camps] == [("Jwalapur Shivir", 1)]
