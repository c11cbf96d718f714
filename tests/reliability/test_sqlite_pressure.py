"""SQLite under pressure: while another process keeps taking the database's
write lock, many workers register at once through the service; writes that
find the file locked are tried again and no answer is dropped.
``pytest -s tests/reliability/test_sqlite_pressure.py`` prints the figures."""
from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.messages import Input
from bot.service import Registration
from bot.store.crypto import Keyring
from bot.store.sqlite import SQLiteStore
from tests.workers import Worker

WORKERS = 24
pytestmark = pytest.mark.timeout(120)

#: a second process that takes the write lock again and again (and records how often)
HOG = textwrap.dedent("""
    import random, sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE IF NOT EXISTS hog (n INTEGER)")
    holds, until = 0, time.monotonic() + float(sys.argv[2])
    print("ready", flush=True)
    while time.monotonic() < until:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO hog VALUES (?)", (holds,))
        time.sleep(random.uniform(0.02, 0.25))      # holding the write lock
        db.execute("COMMIT")
        holds += 1
        time.sleep(random.uniform(0.0, 0.05))
    print(holds, flush=True)
""")


def typed(line: str) -> Input:
    return Input(command=line[1:]) if line.startswith("/") else Input(text=line)


async def open_store(path: Path, busy_timeout_ms: int) -> SQLiteStore:
    store = SQLiteStore(path, Keyring(bytes(range(32))))
    await store.migrate()
    # a short wait inside SQLite, so a lock held by the other process reaches our retry
    await store._db.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    return store


async def test_registrations_survive_a_process_holding_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "shram.db"
    store = await open_store(path, busy_timeout_ms=10)
    hog = subprocess.Popen([sys.executable, "-c", HOG, str(path), "4"], stdout=subprocess.PIPE, text=True)
    try:
        assert hog.stdout.readline().strip() == "ready"
        registration = Registration(store)
        workers = [Worker.make(i) for i in range(WORKERS)]

        async def register(worker: Worker) -> None:
            for line in worker.script:
                await registration.handle(worker.user_id, typed(line), default_lang=worker.lang)

        started = asyncio.get_running_loop().time()
        await asyncio.gather(*(register(w) for w in workers))
        elapsed = asyncio.get_running_loop().time() - started
        holds = int(hog.communicate(timeout=30)[0].strip())
    finally:
        if hog.poll() is None:
            hog.kill()
            hog.wait()
        retries = store.busy_retries
        await store.close()

    store = await open_store(path, busy_timeout_ms=5000)  # read back from the file, not from memory
    try:
        for worker in workers:
            application = await store.application_for_user(worker.user_id)
            assert application is not None, worker.user_id
            assert {k: application.answers[k] for k in worker.expected} == worker.expected
            draft = await store.load_draft(worker.user_id)
            assert draft.reference == application.reference
        applied = (await store._db.execute_fetchall("SELECT count(*) FROM applied_updates"))[0][0]
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM applications").fetchone()[0] == WORKERS
    updates = sum(len(w.script) for w in workers)
    print(f"\n{WORKERS} registrations ({updates} answers) in {elapsed:.1f} s while another process took "
          f"the write lock {holds} times: {retries} write batches found the database locked and were "
          f"tried again; {WORKERS} applications, every answer kept")
    assert holds > 5 and retries > 0, "the lock was contended (else this test shows nothing)"
    assert applied == 0  # no update keys were given: nothing else was recorded


async def test_a_lock_held_for_long_is_waited_out(tmp_path: Path) -> None:
    """One answer while the other connection holds the lock for a second, 100
    times longer than busy_timeout: it is kept once the lock is free."""
    path = tmp_path / "shram.db"
    store = await open_store(path, busy_timeout_ms=10)
    worker = Worker.make(1)
    registration = Registration(store)
    try:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        answer = asyncio.ensure_future(registration.handle(worker.user_id, typed("/start"), default_lang="en"))
        await asyncio.sleep(1.0)
        assert not answer.done(), "the write waits for the lock"
        other.execute("COMMIT")
        other.close()
        out = await asyncio.wait_for(answer, 10)
        assert out.replies and store.busy_retries >= 3
        assert (await store.load_draft(worker.user_id)) is not None
    finally:
        await store.close()


async def test_other_errors_are_not_tried_again(tmp_path: Path) -> None:
    store = await open_store(tmp_path / "shram.db", busy_timeout_ms=10)
    try:
        with pytest.raises(sqlite3.OperationalError):
            await store._run(lambda conn: conn.execute("INSERT INTO no_such_table VALUES (1)"))
        assert store.busy_retries == 0
    finally:
        await store.close()
