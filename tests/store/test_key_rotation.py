"""Key rotation end to end: data written with key A through the service,
``shram-sahayak rotate-key`` (a real process) to key B, then everything reads
with B, nothing with A, the one-application-per-Aadhaar rule still holds, and
a failed rotation changes nothing. ``pytest -s`` shows the command's figures."""
from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.models import Draft
from bot.messages import Input
from bot.service import Registration
from bot.store import DecryptionError, DuplicateAadhaar, open_store
from bot.store.crypto import Keyring
from bot.store.rotation import rotate, verify
from tests.flow.golden import PERSONAS

ROOT = Path(__file__).resolve().parents[2]
KEY_A = base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
KEY_C = base64.urlsafe_b64encode(bytes(range(200, 232))).decode()
#: personas whose scripts end in a submitted application, and one left half-way
COMPLETE = ("rickshaw_driver_haridwar", "domestic_worker_edits", "minor_with_guardian")
PERSONA = {p.name: p for p in PERSONAS}

pytestmark = pytest.mark.timeout(60)


def settings(tmp_path: Path, key: str | None) -> Settings:
    return Settings(data_dir=tmp_path / "data", vault_key=key, _env_file=None)


async def register_everyone(tmp_path: Path, key: str | None) -> dict[str, dict]:
    """The golden personas' registrations (three submitted, one paused
    half-way) written with ``key``; their answers by user id."""
    store = await open_store(settings(tmp_path, key))
    registration = Registration(store)
    try:
        for name in (*COMPLETE, "pause_and_resume"):
            for line in PERSONA[name].script:
                if isinstance(line, str):
                    inp = Input(command=line[1:].split()[0]) if line.startswith("/") else Input(text=line)
                    await registration.handle(f"w:{name}", inp, default_lang=PERSONA[name].lang)
        answers = {f"w:{n}": (await store.load_draft(f"w:{n}")).answers for n in (*COMPLETE, "pause_and_resume")}
    finally:
        await store.close()
    db = sqlite3.connect(tmp_path / "data" / "shram.db")
    with db:  # a draft from before mobile numbers were sealed: the number in clear
        data = json.loads(db.execute("SELECT data FROM drafts WHERE user_id = 'w:pause_and_resume'").fetchone()[0])
        data["answers"]["mobile"] = answers["w:pause_and_resume"]["mobile"]
        db.execute("UPDATE drafts SET data = ? WHERE user_id = 'w:pause_and_resume'", (json.dumps(data),))
    db.close()
    return answers


def rotate_key(tmp_path: Path, old: str | None, new: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env.update(PYTHONPATH=str(ROOT), SHRAM_DATA_DIR=str(tmp_path / "data"))
    if old is not None:
        env["SHRAM_VAULT_KEY"] = old
    if new is not None:
        env["SHRAM_NEW_VAULT_KEY"] = new
    done = subprocess.run([sys.executable, "-m", "bot.cli", "rotate-key"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=30)
    print(done.stdout.strip(), done.stderr.strip())
    for key in (KEY_A, KEY_B, KEY_C):
        assert key not in done.stdout + done.stderr, "a key is never printed"
    return done


def clear_numbers(answers: dict[str, dict]) -> set[str]:
    return {a[k] for a in answers.values() for k in ("aadhaar", "bank_account", "mobile") if a.get(k)}


def files_holding(tmp_path: Path, numbers: set[str]) -> set[str]:
    found = set()
    for path in (tmp_path / "data").glob("shram.db*"):
        raw = path.read_bytes()
        found |= {n for n in numbers if n.encode() in raw}
    return found


async def read_all(tmp_path: Path, key: str | None, users) -> dict[str, dict]:
    store = await open_store(settings(tmp_path, key))
    try:
        return {u: (await store.load_draft(u)).answers for u in users}
    finally:
        await store.close()


async def test_rotate_from_a_to_b_keeps_everything(tmp_path: Path) -> None:
    answers = await register_everyone(tmp_path, KEY_A)
    assert len(clear_numbers(answers)) >= 9
    assert files_holding(tmp_path, clear_numbers(answers)) == {answers["w:pause_and_resume"]["mobile"]}

    done = rotate_key(tmp_path, KEY_A, KEY_B)
    assert done.returncode == 0, done.stderr
    assert "4 Aadhaar vault entries" in done.stdout and "3 Aadhaar hashes" in done.stdout
    assert "set SHRAM_VAULT_KEY" in done.stdout

    assert await read_all(tmp_path, KEY_B, answers) == answers           # every answer, with B
    assert files_holding(tmp_path, clear_numbers(answers)) == set()      # the clear mobile is sealed now
    store = await open_store(settings(tmp_path, KEY_B))
    try:
        for user in (f"w:{n}" for n in COMPLETE):
            application = await store.application_for_user(user)
            assert application.answers == {k: v for k, v in answers[user].items() if k in application.answers}
            assert await store.is_aadhaar_registered(answers[user]["aadhaar"])   # the hash index, re-keyed
        taken = Draft(user_id="w:someone", lang="hi",
                      answers={"aadhaar": answers["w:domestic_worker_edits"]["aadhaar"]})
        with pytest.raises(DuplicateAadhaar):
            await store.submit(taken, lambda: "SS-NEW1-0001")
        assert (await store.query(verify, Keyring(base64.urlsafe_b64decode(KEY_B)))).applications == 3
    finally:
        await store.close()
    with pytest.raises(DecryptionError):                                 # and nothing with A
        await read_all(tmp_path, KEY_A, ["w:rickshaw_driver_haridwar"])

    again = rotate_key(tmp_path, KEY_B, KEY_B)                           # the same key: refused
    assert again.returncode == 2 and "in use already" in again.stderr
    wrong = rotate_key(tmp_path, KEY_C, KEY_A)                           # not the key in use: nothing changes
    assert wrong.returncode == 2 and "nothing was changed" in wrong.stderr and "Traceback" not in wrong.stderr
    assert await read_all(tmp_path, KEY_B, answers) == answers


async def test_rotate_the_development_key_file(tmp_path: Path) -> None:
    answers = await register_everyone(tmp_path, None)                     # data/vault.key is made
    key_file = tmp_path / "data" / "vault.key"
    old = key_file.read_text().strip()
    done = rotate_key(tmp_path, None, KEY_B)
    assert done.returncode == 0 and "now holds the new key" in done.stdout
    assert key_file.read_text().strip() == KEY_B and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert await read_all(tmp_path, None, answers) == answers
    with pytest.raises(DecryptionError):
        await read_all(tmp_path, old, ["w:rickshaw_driver_haridwar"])


async def test_missing_or_bad_new_key_is_refused(tmp_path: Path) -> None:
    assert rotate_key(tmp_path, KEY_A, None).returncode == 2
    bad = rotate_key(tmp_path, KEY_A, "not-a-key")
    assert bad.returncode == 2 and "SHRAM_NEW_VAULT_KEY" in bad.stderr


async def test_rotation_is_idempotent_and_atomic(tmp_path: Path) -> None:
    """Rotating to the key already used by every token changes nothing; a token
    of an unknown key stops the rotation before anything is kept."""
    await register_everyone(tmp_path, KEY_A)
    a, b = (Keyring(base64.urlsafe_b64decode(k)) for k in (KEY_A, KEY_B))
    store = await open_store(settings(tmp_path, KEY_A))
    try:
        first = await store.transact(rotate, a, b)
        assert first.vault == 4 and first.hashes == 3
        second = await store.transact(rotate, a, b)
        assert (second.vault, second.answers, second.hashes) == (0, 0, 0)
        c = Keyring(base64.urlsafe_b64decode(KEY_C))
        with pytest.raises(LookupError):
            await store.transact(rotate, c, a)           # B's tokens are unknown to C and A
        assert (await store.query(verify, b)).vault == 4  # still all B
    finally:
        await store.close()
