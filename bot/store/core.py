"""The registration core as transaction functions (``bot.store.sql``):
drafts, applications, the Aadhaar vault and applied update keys.

The PostgreSQL store drives these; they hold the same rules as the SQLite
store's own methods (which add its group commit and recent-users memory on
top), and the one parametrised contract suite (tests/test_store.py) checks
that both backends behave alike.

Personal data as stored: the Aadhaar only in ``aadhaar_vault`` (AES-GCM,
``bot.store.crypto``), referenced by a random token; the bank account
encrypted inside the answers' JSON, bound to its user. Nothing here logs.
"""
from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.domain.models import Application, Draft, Phase, ReviewState
from bot.store import tally
from bot.store.contract import DuplicateAadhaar, Turn
from bot.store.crypto import Keyring
from bot.store.sql import Txn, all_rows, one, run, touch

MAX_REFERENCE_TRIES = 10


# -- reading ---------------------------------------------------------------------

def load_turn(keyring: Keyring, user_id: str, update_key: str | None) -> Txn[Turn]:
    """Whether ``update_key`` was applied, and if not the user's draft and application."""
    if update_key is not None and (yield one("SELECT 1 FROM applied_updates WHERE key = ?", update_key)):
        return Turn(True, None, None)
    draft = yield from load_draft(keyring, user_id)
    application = yield from load_application(keyring, "user_id", user_id)
    return Turn(False, draft, application)


def load_draft(keyring: Keyring, user_id: str) -> Txn[Draft | None]:
    row = yield one("SELECT data FROM drafts WHERE user_id = ?", user_id)
    if row is None:
        return None
    data = json.loads(row["data"])
    data["answers"] = yield from _unseal(keyring, user_id, data["answers"])
    return Draft.model_validate(data)


def load_application(keyring: Keyring, column: str, value: str) -> Txn[Application | None]:
    """The application whose ``column`` (``user_id`` or ``reference``) is ``value``."""
    if column not in ("user_id", "reference"):
        raise ValueError(column)
    row = yield one(f"SELECT * FROM applications WHERE {column} = ?", value)
    if row is None:
        return None
    answers = yield from _unseal(keyring, row["user_id"], json.loads(row["data"]))
    return Application(
        reference=row["reference"], user_id=row["user_id"], lang=row["lang"],
        state=ReviewState(row["state"]), answers=answers, meta=json.loads(row["meta"] or "{}"),
        uan=row["uan"], submitted_at=parse(row["submitted_at"]), updated_at=parse(row["updated_at"]))


def is_aadhaar_registered(aadhaar_hash: str, except_user: str | None) -> Txn[bool]:
    if except_user is None:
        row = yield one("SELECT 1 FROM applications WHERE aadhaar_hash = ?", aadhaar_hash)
    else:
        row = yield one("SELECT 1 FROM applications WHERE aadhaar_hash = ? AND user_id <> ?",
                        aadhaar_hash, except_user)
    return row is not None


# -- writing ---------------------------------------------------------------------

def save_draft(keyring: Keyring, draft: Draft, applied: str | None, now: datetime) -> Txn[None]:
    yield from write_draft(keyring, draft)
    yield from record_applied(applied, draft.user_id, now)


def write_draft(keyring: Keyring, draft: Draft) -> Txn[str | None]:
    """Upsert the draft; its Aadhaar's vault token (reused when unchanged)."""
    row = yield one("SELECT aadhaar_token FROM drafts WHERE user_id = ?", draft.user_id)
    old_token = row["aadhaar_token"] if row else None
    data = draft.model_dump(mode="json")
    aadhaar = data["answers"].get("aadhaar")
    token = None if aadhaar is None else (yield from _vault_put(keyring, text("aadhaar", aadhaar), old_token))
    data["answers"] = seal(keyring, draft.user_id, data["answers"], token)
    yield run("INSERT INTO drafts (user_id, data, phase, aadhaar_token, updated_at) VALUES (?, ?, ?, ?, ?)"
              " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, phase = excluded.phase,"
              " aadhaar_token = excluded.aadhaar_token, updated_at = excluded.updated_at",
              draft.user_id, to_json(data), draft.phase.value, token, iso(draft.updated_at))
    if old_token is not None and old_token != token:
        yield from _vault_drop_if_unused(old_token)
    yield touch(draft.user_id)
    return token


def submit(keyring: Keyring, draft: Draft, new_reference: Callable[[], str], applied: str | None,
           now: datetime) -> Txn[Application]:
    """The application from the draft (see ``Store.submit``), and the draft
    saved as SUBMITTED, in one transaction."""
    aadhaar = draft.answers.get("aadhaar")
    if not isinstance(aadhaar, str) or not aadhaar:
        raise ValueError("a draft needs an Aadhaar answer to be submitted")
    if not draft.lang:
        raise ValueError("a draft needs a language to be submitted")
    aadhaar_hash = keyring.aadhaar_hash(aadhaar)
    if (yield one("SELECT 1 FROM applications WHERE aadhaar_hash = ? AND user_id <> ?",
                  aadhaar_hash, draft.user_id)):
        raise DuplicateAadhaar()
    existing = yield one("SELECT reference, aadhaar_token, uan, submitted_at, state, edited,"
                         " state_code, district, camp, csc, department"
                         " FROM applications WHERE user_id = ?", draft.user_id)
    if existing:
        reference, submitted_at = existing["reference"], parse(existing["submitted_at"])
    else:
        reference, submitted_at = (yield from _free_reference(new_reference)), now
    saved = draft.clone(phase=Phase.SUBMITTED, reference=reference, updated_at=now)
    token = yield from write_draft(keyring, saved)
    application = Application(
        reference=reference, user_id=draft.user_id, lang=draft.lang,
        state=ReviewState.SUBMITTED, answers=dict(saved.answers), meta=dict(saved.meta),
        uan=existing["uan"] if existing else None, submitted_at=submitted_at, updated_at=now)
    sealed = to_json(seal(keyring, draft.user_id, saved.model_dump(mode="json")["answers"], token))
    placement = yield from tally.placed(application.answers, application.meta)
    if existing:
        edited = 1 if existing["edited"] or existing["state"] == ReviewState.HAS_ISSUES else 0
        yield run("UPDATE applications SET aadhaar_hash = ?, aadhaar_token = ?, state = ?, lang = ?,"
                  " data = ?, meta = ?, updated_at = ?, state_code = ?, district = ?, camp = ?, csc = ?,"
                  " department = ?, edited = ? WHERE reference = ?",
                  aadhaar_hash, token, application.state.value, application.lang, sealed,
                  to_json(application.meta), iso(now), placement.state_code, placement.district,
                  placement.camp, placement.csc, placement.department, edited, reference)
        if existing["aadhaar_token"] not in (None, token):
            yield from _vault_drop_if_unused(existing["aadhaar_token"])
        yield from tally.moved(tally.Placement.of_row(existing), existing["state"], None, now)
    else:
        yield run("INSERT INTO applications (reference, user_id, aadhaar_hash, aadhaar_token, state,"
                  " lang, data, meta, uan, submitted_at, updated_at, state_code, district, camp, csc,"
                  " department, edited)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 0)",
                  reference, draft.user_id, aadhaar_hash, token, application.state.value,
                  application.lang, sealed, to_json(application.meta), iso(submitted_at), iso(now),
                  placement.state_code, placement.district, placement.camp, placement.csc,
                  placement.department)
    yield from tally.moved(placement, None, application.state.value, now)
    yield from record_applied(applied, draft.user_id, now)
    return application


def erase_user(user_id: str, applied: str | None, now: datetime) -> Txn[None]:
    """Delete the user's draft, application and the vault entries only they used."""
    yield from record_applied(applied, user_id, now)
    rows = yield all_rows("SELECT aadhaar_token FROM drafts WHERE user_id = ?"
                          " UNION SELECT aadhaar_token FROM applications WHERE user_id = ?", user_id, user_id)
    gone = yield one("SELECT state, state_code, district, camp, csc, department"
                     " FROM applications WHERE user_id = ?", user_id)
    if gone is not None:
        yield from tally.moved(tally.Placement.of_row(gone), gone["state"], None, now)
    yield run("DELETE FROM drafts WHERE user_id = ?", user_id)
    yield run("DELETE FROM applications WHERE user_id = ?", user_id)
    for row in rows:
        if row["aadhaar_token"] is not None:
            yield from _vault_drop_if_unused(row["aadhaar_token"])
    yield touch(user_id)


# -- updates applied -----------------------------------------------------------

def record_applied(key: str | None, user_id: str, now: datetime) -> Txn[None]:
    if key is not None:
        yield run("INSERT INTO applied_updates (key, user_id, applied_at) VALUES (?, ?, ?)"
                  " ON CONFLICT (key) DO NOTHING", key, user_id, iso(now))


def is_applied(key: str) -> Txn[bool]:
    return (yield one("SELECT 1 FROM applied_updates WHERE key = ?", key)) is not None


def forget_applied(before: datetime) -> Txn[int]:
    return (yield run("DELETE FROM applied_updates WHERE applied_at < ?", iso(before)))


# -- the vault and sealed answers ------------------------------------------------

def seal(keyring: Keyring, user_id: str, answers: dict[str, Any], aadhaar_token: str | None) -> dict[str, Any]:
    """The answers as stored: Aadhaar -> vault token, bank account -> encrypted."""
    stored = dict(answers)
    if stored.get("aadhaar") is not None:
        stored["aadhaar"] = {"vault": aadhaar_token}
    if stored.get("bank_account") is not None:
        account = text("bank_account", stored["bank_account"])
        stored["bank_account"] = {"enc": keyring.encrypt(account, bank_context(user_id))}
    return stored


def _unseal(keyring: Keyring, user_id: str, stored: dict[str, Any]) -> Txn[dict[str, Any]]:
    answers = dict(stored)
    if isinstance(answers.get("aadhaar"), dict):
        ciphertext = yield from _vault_get(answers["aadhaar"]["vault"])
        if ciphertext is None:
            raise LookupError(f"vault entry missing for the Aadhaar of user {user_id}")
        answers["aadhaar"] = keyring.decrypt(ciphertext, "aadhaar")
    if isinstance(answers.get("bank_account"), dict):
        answers["bank_account"] = keyring.decrypt(answers["bank_account"]["enc"], bank_context(user_id))
    return answers


def _vault_get(token: str) -> Txn[str | None]:
    row = yield one("SELECT ciphertext FROM aadhaar_vault WHERE token = ?", token)
    return row["ciphertext"] if row else None


def _vault_put(keyring: Keyring, aadhaar: str, reuse: str | None) -> Txn[str]:
    """The vault token for ``aadhaar``: ``reuse`` if it holds the same number, else a new entry."""
    if reuse is not None:
        ciphertext = yield from _vault_get(reuse)
        if ciphertext is not None and keyring.decrypt(ciphertext, "aadhaar") == aadhaar:
            return reuse
    token = secrets.token_urlsafe(16)
    yield run("INSERT INTO aadhaar_vault (token, ciphertext, created_at) VALUES (?, ?, ?)",
              token, keyring.encrypt(aadhaar, "aadhaar"), iso(datetime.now(timezone.utc)))
    return token


def _vault_drop_if_unused(token: str) -> Txn[None]:
    yield run("DELETE FROM aadhaar_vault WHERE token = ?"
              " AND NOT EXISTS (SELECT 1 FROM drafts WHERE aadhaar_token = ?)"
              " AND NOT EXISTS (SELECT 1 FROM applications WHERE aadhaar_token = ?)", token, token, token)


def _free_reference(new_reference: Callable[[], str]) -> Txn[str]:
    # A reference taken by a concurrent transaction between this check and the
    # insert makes the insert fail on the primary key: the whole submit is
    # rolled back and the worker is asked to send the answer again.
    for _ in range(MAX_REFERENCE_TRIES):
        reference = new_reference()
        if (yield one("SELECT 1 FROM applications WHERE reference = ?", reference)) is None:
            return reference
    raise RuntimeError(f"no free application reference after {MAX_REFERENCE_TRIES} tries")


# -- plain helpers ---------------------------------------------------------------

def text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"answer {key!r} must be a string, not {type(value).__name__}")
    return value


def bank_context(user_id: str) -> str:
    return f"bank_account:{user_id}"


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc).isoformat()
    return moment.astimezone(timezone.utc).isoformat()


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)
