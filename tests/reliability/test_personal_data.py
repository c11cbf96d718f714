"""Personal data: the run-wide scan (``personal_data_scan``) finds what it
must, an erased worker's data is gone from the database file, and a worker
who sends another worker's reference (``/start SS-...``, then ``/status``)
learns nothing about that worker."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.channels.telegram.app import build_application, start_application
from bot.config import Settings
from bot.messages import Input
from bot.service import Registration
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.telegram.fake_bot_api import FakeBotAPI, Updates
from tests.reliability.personal_data_scan import Collector, Scan, test_numbers
from tests.workers import Worker

test_numbers.__test__ = False  # a helper, not a test


# -- the scan itself can fail ----------------------------------------------------

@pytest.mark.parametrize("written", [
    "aadhaar 234123412346", "2341 2341 2346", "2341-2341-2346", "2341\u200b2341\u200b2346", "२३४१२३४१२३४६",
    "call +91 98123 45670", "mobile 9812345670", "acct 50100234567891 in a message"])
def test_the_scan_finds_numbers_in_log_text(written: str) -> None:
    scan = Scan({"50100234567891"})
    scan.text(written, "here")
    assert scan.findings


@pytest.mark.parametrize("written", [
    "applied schema migration 3", "2026-11-25 20:58:25,433 INFO bot: PIN 249401", "update 10000123 failed",
    "SS-7K4M-9PQ2", "took 12.5 ms", "uan 100000000001"])
def test_the_scan_leaves_ordinary_text(written: str) -> None:
    scan = Scan(set())
    scan.text(written, "here")
    assert scan.findings == []


def test_the_scan_sees_log_records_and_tracebacks_as_written() -> None:
    scan = Scan({"50100234567891"})
    collector = Collector(scan)
    collector.redact = logging.Filter()  # the log filter removes both numbers; here the scan itself is tested
    logger = logging.getLogger("test.scan")
    logger.addHandler(collector)
    logger.propagate = False  # these numbers are meant for this scan only, not the run's
    try:
        logger.warning("worker said %s", "9812345670")           # in the message itself
        try:
            raise ValueError("account 50100234567891x")             # in a traceback
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(collector)
        logger.propagate = True
    assert scan.records == 2
    assert any("9812345670"[-4:] in f for f in scan.findings)
    assert any("log output" in f and f.endswith("7891") for f in scan.findings)


def test_the_scan_knows_the_numbers_the_tests_use() -> None:
    known = test_numbers()
    assert {"234123412346", "12345678901", "9876543210"} <= known
    assert set(Worker.make(5).numbers) <= known
    assert "100000000001" not in known  # a UAN is not one of them


def test_the_scan_finds_numbers_in_database_bytes() -> None:
    scan = Scan({"9812345670"})
    scan.binary(b"\x00\x01{\"mobile\":\"9812345670\"}\x00 234123412346\x07", "file")
    assert len(scan.findings) == 2


# -- erasure ----------------------------------------------------------------------

async def test_an_erased_worker_leaves_nothing_in_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "shram.db"
    store = SQLiteStore(path, Keyring(bytes(range(32))))
    await store.migrate()
    registration = Registration(store)
    gone, kept = Worker.make(1, "hi"), Worker.make(2, "en")
    for worker in (gone, kept):
        for line in worker.script:
            inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
            await registration.handle(worker.user_id, inp, default_lang=worker.lang)
    await registration.handle(gone.user_id, Input(command="delete"))
    await registration.handle(gone.user_id, Input(text="1"))  # yes, erase
    assert await store.load_draft(gone.user_id) is None
    assert await store.application_for_user(gone.user_id) is None
    await store.close()  # the last connection checkpoints the log into the file
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("shram.db*"))
    for answer in ("राम कुमार", "श्याम लाल", "ज्वालापुर", "सीता देवी"):  # what only the erased worker typed
        assert answer.encode() not in raw, f"{answer} is still in the file"
    assert b"Lakshmi Devi" in raw                     # the other worker's answers are still there
    rows = SQLiteStore(path, Keyring(bytes(range(32))))
    await rows.migrate()
    try:
        assert await rows.application_for_user(kept.user_id) is not None
        counts = {table: (await rows._db.execute_fetchall(f"SELECT count(*) FROM {table}"))[0][0]
                  for table in ("drafts", "applications", "aadhaar_vault")}
        assert counts == {"drafts": 1, "applications": 1, "aadhaar_vault": 1}
    finally:
        await rows.close()


# -- another worker's reference -----------------------------------------------------

async def test_another_workers_reference_reveals_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "shram.db", Keyring(bytes(range(32))))
    await store.migrate()
    api = FakeBotAPI()
    app = build_application(Settings(bot_token="123456:TEST", data_dir=tmp_path, max_messages_per_second=0,
                                     _env_file=None), Registration(store), request=api)
    await start_application(app)
    updates = Updates(app.bot)
    try:
        owner, owner_user = Worker.make(11, "en"), Updates.user(7001, "en")
        for line in owner.script:
            await app.process_update(updates.text(owner_user, line))
        reference = (await store.application_for_user("tg:7001")).reference
        secrets = [reference, owner.aadhaar[-4:], owner.mobile, owner.account[-4:], "Lakshmi", "Ramaiah",
                   "Koramangala", "560034"]

        snoops = {7002: [], 7003: ["/start", "1", "1", "03-04-1985"], 7004: None}
        for user_id, script in snoops.items():
            snoop = Updates.user(user_id, "en")
            own = Worker.make(user_id, "en").script if script is None else script   # 7004: submitted too
            for line in own:
                await app.process_update(updates.text(snoop, line))
            before = len(api.calls)
            for line in (f"/start {reference}", f"/start {reference.lower()}", "/status", reference, "/help"):
                await app.process_update(updates.text(snoop, line))
            said = "\n".join(c.params.get("text") or c.params.get("caption") or ""
                             for c in api.calls[before:] if c.method in ("sendMessage", "sendPhoto"))
            assert said, "the snooping worker gets an answer"
            assert not [s for s in secrets if s in said], f"worker {user_id} learnt about another worker"
            draft = await store.load_draft(f"tg:{user_id}")
            assert reference not in str(draft.meta)
        assert (await store.application_for_user("tg:7001")).reference == reference   # untouched
    finally:
        await app.shutdown()
        await store.close()


# -- a number typed where it would be stored in clear ---------------------------------

@pytest.mark.parametrize("address", ["234123412346", "मकान 12, 98765 43210", "Gali 3, acct 50100234567891",
                                     "House 4, २३४१ २३४१ २३४६", "Ward 7 9812-345-670"])
def test_an_address_with_a_personal_number_is_refused(address: str) -> None:
    from bot.domain import validators as v
    with pytest.raises(v.Invalid):
        v.parse_address(address)


@pytest.mark.parametrize("address", ["मकान 12, गली 3, ज्वालापुर", "12, 4th Cross, Koramangala 560034",
                                     "Plot 1207-B, Sector 21, PIN 249401", "H.No. 12-345/6, Ward 7"])
def test_ordinary_addresses_are_taken(address: str) -> None:
    from bot.domain import validators as v
    assert v.parse_address(address) == address


# -- erasure on request, from the command line ------------------------------------------

async def test_erase_command_erases_one_worker_and_records_it(tmp_path: Path) -> None:
    import base64
    import os
    import subprocess
    import sys

    from bot.store import open_store
    from bot.store.audit import trail

    key = base64.urlsafe_b64encode(bytes(range(32))).decode()
    settings = Settings(data_dir=tmp_path / "data", vault_key=key, _env_file=None)
    store = await open_store(settings)
    registration = Registration(store)
    gone, kept, half = Worker.make(1, "hi"), Worker.make(2, "en"), Worker.make(3, "en")
    for worker, lines in ((gone, gone.script), (kept, kept.script), (half, half.script[:10])):
        for line in lines:
            inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
            await registration.handle(worker.user_id, inp, default_lang=worker.lang)
    reference = (await store.application_for_user(gone.user_id)).reference
    await store.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env.update(PYTHONPATH=str(Path(__file__).resolve().parents[2]), SHRAM_DATA_DIR=str(tmp_path / "data"),
               SHRAM_VAULT_KEY=key)

    def erase(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot.cli", "erase", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=30)

    done = erase("--reference", reference.lower(), "--by", "CSC Haridwar, letter of 25/11")
    assert done.returncode == 0 and reference in done.stdout, done.stderr
    assert erase("--reference", reference, "--by", "x").returncode == 2      # nothing left to erase
    assert erase("--user", half.user_id, "--by", "district office").returncode == 0
    assert erase("--user", "tg:404", "--by", "x").returncode == 2

    store = await open_store(settings)
    try:
        for worker in (gone, half):
            assert await store.load_draft(worker.user_id) is None
            assert await store.application_for_user(worker.user_id) is None
        assert not await store.is_aadhaar_registered(gone.aadhaar)
        assert await store.application_for_user(kept.user_id) is not None
        entries = await store.query(trail, reference)
        assert [e.action for e in entries] == ["submit", "erase"]  # the trail keeps no personal data
        assert entries[-1].actor == "cli:CSC Haridwar, letter of 25/11"
    finally:
        await store.close()
