"""The background jobs (housekeeping, reminders, the daily digest) need no
channel: in a fresh interpreter where importing python-telegram-bot or the
Telegram channel fails, ``bot.jobs.start`` runs a round of each and sends
through a notifier whose only sender is a fake."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent('''
    import asyncio
    import importlib.abc
    import sys
    from datetime import timedelta


    class NoTelegram(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "telegram" or name.startswith(("telegram.", "bot.channels")):
                raise ImportError(f"{name} must not be needed by the jobs")
            return None


    sys.meta_path.insert(0, NoTelegram())

    from bot import jobs
    from bot.config import Settings
    from bot.domain.models import Draft, Phase, utcnow
    from bot.domain.roles import Role, Staff
    from bot.notify import Notifier
    from bot.store import open_store
    from bot.store.reports import subscribe
    from bot.store.staff import grant


    async def main() -> None:
        store = await open_store(Settings(data_dir=sys.argv[1], _env_file=None))
        now = utcnow()
        await store.save_draft(Draft(user_id="tg:1", lang="en", phase=Phase.FORM, step="name",
                                     answers={"name": "Ram"}, updated_at=now - timedelta(days=3)))
        official = Staff("tg:10", Role.OFFICIAL, "UTTARAKHAND", "HARIDWAR")
        await store.transact(grant, official, None, now)
        await store.transact(subscribe, official.user_id, "en", True, now)
        got = []

        async def fake(notice) -> None:
            got.append(notice)

        notifier = Notifier()
        notifier.register("tg", fake)
        tasks = jobs.start(store, notifier, default_lang="hi", digest_hour=0, runner="p1")
        for _ in range(500):
            if len(got) == 2:
                break
            await asyncio.sleep(0.02)
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
        ran = await store.query(job_runs)
        await store.close()
        print(sorted((n.user_id, n.lang, bool(n.replies[0].photo)) for n in got))
        print(ran)
        print(sorted(m for m in sys.modules if m == "telegram" or m.startswith(("telegram.", "bot.channels"))))


    def job_runs():
        from bot.store.sql import all_rows
        rows = yield all_rows("SELECT job FROM job_runs ORDER BY job")
        return [row["job"] for row in rows]


    asyncio.run(main())
''')


def test_the_jobs_run_and_send_without_the_telegram_package(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    sent, ran, telegram = done.stdout.strip().splitlines()
    # the reminder (plain text) and the official's digest (with its chart), through the notifier
    assert sent == "[('tg:1', 'en', False), ('tg:10', 'en', True)]"
    assert ran == "['digest', 'housekeeping', 'reminder', 'reminders']"
    assert telegram == "[]"
