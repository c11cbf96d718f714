"""``shram-sahayak erase --by`` goes into the audit trail (actor ``cli:<by>``),
which outlives the worker's data: a ``--by`` that may name the worker (their
user id, its number, any user id, a long number) is refused and nothing is
erased."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.messages import Input
from bot.service import Registration
from bot.store import open_store
from bot.store.audit import trail
from bot.store.erase_command import check_by
from tests.store.test_offline_commands_refuse_a_running_bot import KEY, command
from tests.workers import Worker

USER = "tg:5550123"


@pytest.mark.parametrize("by", ["request of tg:5550123", "request of TG:5550123", "worker 5550123",
                                "request of tg:77", "walkin:ab12 by operator", "his phone 98765 43210",
                                "Aadhaar २३४१ २३४१ २३४६", "   "])
def test_a_by_that_may_name_someone_is_refused(by: str) -> None:
    with pytest.raises(ConfigError):
        check_by(by, USER)


@pytest.mark.parametrize("by", ["CSC Haridwar, letter of 25/11", "district office", "x",
                                "token 55501 at the CSC"])
def test_an_ordinary_by_is_taken(by: str) -> None:
    assert check_by(by, USER) == by


async def test_erase_command_refuses_a_by_naming_the_worker_and_erases_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", vault_key=KEY, _env_file=None)
    worker = Worker.make(6, "en")
    store = await open_store(settings)
    try:
        registration = Registration(store)
        for line in worker.script:
            inp = Input(command=line[1:]) if line.startswith("/") else Input(text=line)
            await registration.handle(USER, inp, default_lang="en")
        reference = (await store.application_for_user(USER)).reference
    finally:
        await store.close()

    for args in (("--user", USER, "--by", "request of tg:5550123"),
                 ("--user", USER, "--by", "request of 5550123"),
                 ("--reference", reference, "--by", "worker 5550123 by letter"),
                 ("--reference", reference, "--by", "mobile 98765 43210")):
        done = command(tmp_path, "erase", *args)
        assert done.returncode == 2 and "must not name the worker" in done.stderr, done.stderr
        assert "5550123" not in done.stderr and "98765" not in done.stderr

    store = await open_store(settings)
    try:
        assert (await store.application_for_user(USER)).reference == reference
        assert [e.action for e in await store.query(trail, reference)] == ["submit"]
    finally:
        await store.close()

    done = command(tmp_path, "erase", "--reference", reference, "--by", "CSC Haridwar, letter of 25/11")
    assert done.returncode == 0, done.stderr
    store = await open_store(settings)
    try:
        assert [(e.actor, e.action) for e in await store.query(trail, reference)] == [
            ("erased-worker", "submit"), ("cli:CSC Haridwar, letter of 25/11", "erase")]
    finally:
        await store.close()
