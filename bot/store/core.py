"""The registration core as transaction functions (``bot.store.sql``):
drafts, applications, the Aadhaar vault and applied update keys.

Both stores drive these, so the rules are written once: SQLite adds its
group commit (``bot.store.sqlite``) and, from outside, its recent users in
memory (``bot.store.recent``); PostgreSQL saves a worker's draft in one
round trip by handing ``save_draft`` the vault entry it read with the turn
under the user's lock (``bot.store.postgres``). The one parametrised
contract suite (tests/test_store.py) checks both.

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

from pydantic_core import from_json
from pydantic_core import to_json as to_json_bytes

from bot.domain.models import Application, Draft, Phase, ReviewState
from bot.store import audit, bots, tally
from bot.store.contract import DuplicateAadhaar, Turn
from bot.store.crypto import SEALED_ANSWERS, Keyring, answer_context
from bot.store.sql import ESCAPE, Statement, Txn, all_rows, batch, containing, one, run, to_json

MAX_REFERENCE_TRIES = 10


# -- reading ---------------------------------------------------------------------

#: everything one input of a worker needs, in one statement: whether the
#: update was applied, the draft and the application with their vault entries
TURN_SQL = (
    "SELECT EXISTS (SELECT 1 FROM applied_updates WHERE key = ?) AS applied,"
    " d.data AS draft, d.aadhaar_token AS draft_token, dv.ciphertext AS draft_vault,"
    " a.reference, a.user_id, a.lang, a.state, a.data, a.meta, a.uan, a.submitted_at, a.updated_at,"
    " a.aadhaar_token, av.ciphertext AS application_vault"
    " FROM (SELECT 1 AS one) AS just_one"
    " LEFT JOIN drafts AS d ON d.user_id = ?"
    " LEFT JOIN aadhaar_vault AS dv ON dv.token = d.aadhaar_token"
    " LEFT JOIN applications AS a ON a.user_id = ?"
    " LEFT JOIN aadhaar_vault AS av ON av.token = a.aadhaar_token")


def load_turn_row(user_id: str, update_key: str | None) -> Txn[Any]:
    """The row of ``TURN_SQL`` for the user (always exactly one)."""
    return (yield one(TURN_SQL, update_key, user_id, user_id))


#: the columns of ``TURN_SQL`` that are the application's
APPLICATION_COLUMNS = ("reference", "user_id", "lang", "state", "data", "meta", "uan", "submitted_at",
                       "updated_at", "aadhaar_token")


def turn_of(keyring: Keyring, user_id: str, row: Any) -> Turn:
    """The Turn in a row of ``TURN_SQL``."""
    vault = {row["draft_token"]: row["draft_vault"], row["aadhaar_token"]: row["application_vault"]}
    return turn_from(keyring, user_id, bool(row["applied"]), row["draft"],
                     row if row["reference"] is not None else None, vault.get)


def turn_from(keyring: Keyring, user_id: str, applied: bool, draft: str | None, application: Any,
              vault: Vault) -> Turn:
    """The Turn in the rows as stored: ``drafts.data``, the application's
    columns (``APPLICATION_COLUMNS``; None: no application) and the vault."""
    return Turn(applied, draft_of(keyring, user_id, draft, vault), application_of(keyring, application, vault))


def load_turn(keyring: Keyring, user_id: str, update_key: str | None) -> Txn[Turn]:
    """Whether ``update_key`` was applied, and if not the user's draft and application."""
    row = yield from load_turn_row(user_id, update_key)
    return turn_of(keyring, user_id, row)


def load_draft(keyring: Keyring, user_id: str) -> Txn[Draft | None]:
    row = yield one("SELECT d.data, d.aadhaar_token, v.ciphertext FROM drafts AS d"
                    " LEFT JOIN aadhaar_vault AS v ON v.token = d.aadhaar_token WHERE d.user_id = ?", user_id)
    if row is None:
        return None
    return draft_of(keyring, user_id, row["data"], {row["aadhaar_token"]: row["ciphertext"]}.get)


def load_application(keyring: Keyring, column: str, value: str) -> Txn[Application | None]:
    """The application whose ``column`` (``user_id`` or ``reference``) is ``value``."""
    if column not in ("user_id", "reference"):
        raise ValueError(column)
    row = yield one("SELECT a.*, v.ciphertext AS vault_ciphertext FROM applications AS a"
                    f" LEFT JOIN aadhaar_vault AS v ON v.token = a.aadhaar_token WHERE a.{column} = ?", value)
    if row is None:
        return None
    return application_of(keyring, row, {row["aadhaar_token"]: row["vault_ciphertext"]}.get)


# -- stored rows -> domain objects -------------------------------------------------

Vault = Callable[[str], "str | None"]
"""A vault token -> its ciphertext (None if there is no such entry)."""


def draft_of(keyring: Keyring, user_id: str, stored: str | None, vault: Vault) -> Draft | None:
    """The draft in ``drafts.data`` as stored (None if there is none)."""
    if stored is None:
        return None
    data = from_json(stored, cache_strings="keys")  # (values, names among them, are not kept in its cache)
    data["answers"] = unseal(keyring, user_id, data["answers"], vault)
    return Draft.model_validate(data)


def application_of(keyring: Keyring, row: Any, vault: Vault) -> Application | None:
    """The application in an ``applications`` row (None if there is none)."""
    if row is None:
        return None
    answers = unseal(keyring, row["user_id"], json.loads(row["data"]), vault)
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

@dataclass(frozen=True)
class VaultEntry:
    """A draft's Aadhaar in the vault as stored: its token and ciphertext
    (both None: the draft holds no Aadhaar, or there is no draft)."""
    token: str | None = None
    ciphertext: str | None = None


@dataclass(frozen=True)
class Written:
    """A draft as just written: its stored JSON and its Aadhaar's vault entry."""
    data: str
    entry: VaultEntry


def save_draft(keyring: Keyring, draft: Draft, applied: str | None, now: datetime,
               entry: VaultEntry | None = None, replies: Statement | None = None) -> Txn[Written]:
    """Upsert the draft and record the update ``applied``, in one batch of
    writes. ``entry``: the draft's vault entry as stored, when the caller
    read it under the user's lock (PostgreSQL, with the turn): then the save
    is that one batch, one round trip; else it is read here first.
    ``replies``: the outbox row of the replies to the update (``bot.store.outbox``)."""
    if entry is None:
        entry = yield from stored_entry(draft.user_id)
    written, writes = draft_writes(keyring, draft, entry, now)
    if applied is not None:
        writes.append(applied_mark(applied, draft.user_id, now))
    if replies is not None:
        writes.append(replies)
    yield batch(*writes)
    return written


def write_draft(keyring: Keyring, draft: Draft, now: datetime) -> Txn[Written]:
    """Upsert the draft; its Aadhaar goes to the vault (the entry reused when unchanged)."""
    written, writes = draft_writes(keyring, draft, (yield from stored_entry(draft.user_id)), now)
    yield batch(*writes)
    return written


def stored_entry(user_id: str) -> Txn[VaultEntry]:
    """The vault entry the user's stored draft points at."""
    row = yield one("SELECT d.aadhaar_token, v.ciphertext FROM drafts AS d"
                    " LEFT JOIN aadhaar_vault AS v ON v.token = d.aadhaar_token WHERE d.user_id = ?", user_id)
    return VaultEntry(row["aadhaar_token"], row["ciphertext"]) if row else VaultEntry()


def draft_writes(keyring: Keyring, draft: Draft, stored: VaultEntry, now: datetime) -> tuple[Written, list[Statement]]:
    """What writing ``draft`` over a draft whose vault entry is ``stored``
    takes: the new vault entry if the Aadhaar changed, the upsert, and the
    old entry dropped if nobody else uses it (a batch: the drop leaves this
    user's draft out of its check, as it no longer points there)."""
    token, ciphertext, new = aadhaar_entry(keyring, draft, stored.token, stored.ciphertext)
    writes = []
    if new:
        writes.append(run("INSERT INTO aadhaar_vault (token, ciphertext, created_at) VALUES (?, ?, ?)",
                          token, ciphertext, iso(now)))
    data = sealed_draft(keyring, draft, token)
    writes.append(run("INSERT INTO drafts (user_id, data, phase, aadhaar_token, updated_at) VALUES (?, ?, ?, ?, ?)"
                      " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, phase = excluded.phase,"
                      " aadhaar_token = excluded.aadhaar_token, updated_at = excluded.updated_at",
                      draft.user_id, data, draft.phase.value, token, iso(draft.updated_at)))
    if stored.token is not None and stored.token != token:
        writes.append(_vault_drop(stored.token, rewritten=draft.user_id))
    return Written(data, VaultEntry(token, ciphertext)), writes


def aadhaar_entry(keyring: Keyring, draft: Draft, old_token: str | None,
                  old_ciphertext: str | None) -> tuple[str | None, str | None, bool]:
    """(vault token, ciphertext, whether it is a new entry) for the draft's
    Aadhaar: the draft's current entry (``old_token``) when it holds the same
    number, else a new one; (None, None, False) without an Aadhaar."""
    aadhaar = draft.answers.get("aadhaar")
    if aadhaar is None:
        return None, None, False
    aadhaar = text("aadhaar", aadhaar)
    if old_token is not None and old_ciphertext is not None \
            and keyring.decrypt(old_ciphertext, "aadhaar") == aadhaar:
        return old_token, old_ciphertext, False
    return secrets.token_urlsafe(16), keyring.encrypt(aadhaar, "aadhaar"), True


def sealed_draft(keyring: Keyring, draft: Draft, aadhaar_token: str | None) -> str:
    """``drafts.data``: the draft as JSON, its answers sealed (see ``seal``)."""
    data = draft.model_dump(mode="json")
    data["answers"] = seal(keyring, draft.user_id, data["answers"], aadhaar_token)
    return draft_json(data)


def draft_json(data: dict[str, Any]) -> str:
    """``to_json`` of a draft as ``model_dump(mode="json")`` gives it (string
    keys, JSON's values), written by pydantic's serialiser: the same text
    (only a float's exponent is written without padding: 1e-7, not 1e-07;
    read back alike), in a quarter of the time. Drafts are saved on every
    answer and read with ``pydantic_core.from_json`` likewise."""
    return to_json_bytes(data).decode()


def submit(keyring: Keyring, draft: Draft, new_reference: Callable[[], str], applied: str | None,
           now: datetime, *, by: str | None = None) -> Txn[Application]:
    """The application from the draft (see ``Store.submit``), and the draft
    saved as SUBMITTED, in one transaction. ``by``: the staff member who
    submitted it on the worker's behalf (``/assist``): the audit names them,
    the application records the first of them as its registrar
    (``registered_by``; the audit keeps who resubmitted it), and
    the walk-in's consent row, written before there was a reference, gets it."""
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
    token = (yield from write_draft(keyring, saved, now)).entry.token
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
                  " department = ?, edited = ?, registered_by = COALESCE(registered_by, ?) WHERE reference = ?",
                  aadhaar_hash, token, application.state.value, application.lang, sealed,
                  to_json(application.meta), iso(now), placement.state_code, placement.district,
                  placement.camp, placement.csc, placement.department, edited, by, reference)
        if existing["aadhaar_token"] not in (None, token):
            yield from _vault_drop_if_unused(existing["aadhaar_token"])
        yield from tally.moved(tally.Placement.of_row(existing), existing["state"], None, now)
    else:
        yield run("INSERT INTO applications (reference, user_id, aadhaar_hash, aadhaar_token, state,"
                  " lang, data, meta, uan, submitted_at, updated_at, state_code, district, camp, csc,"
                  " department, edited, registered_by)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                  reference, draft.user_id, aadhaar_hash, token, application.state.value,
                  application.lang, sealed, to_json(application.meta), iso(submitted_at), iso(now),
                  placement.state_code, placement.district, placement.camp, placement.csc,
                  placement.department, by)
    yield from tally.moved(placement, None, application.state.value, now)
    again = existing is not None and existing["state"] == ReviewState.HAS_ISSUES
    if by is not None:  # the walk-in's consent, read out before there was a reference
        yield run("UPDATE audit SET reference = ? WHERE action = 'assist_consent' AND reference IS NULL"
                  " AND detail = ?", reference, audit.detail_json({"walkin": draft.user_id}))
    yield from audit.record(by or draft.user_id, "resubmit" if again else "submit", reference, now)
    yield from record_applied(applied, draft.user_id, now)
    return application


def erase_user(user_id: str, applied: str | None, now: datetime, *, by: str | None = None) -> Txn[None]:
    """Delete the user's draft, application and the vault entries only they
    used, and every other copy of their id (see ``forget_user``); an
    application's trail keeps that it was erased, and by whom (a staff user
    or the command line; the worker themselves as ``audit.ERASED_WORKER``)."""
    yield from record_applied(applied, None, now)
    rows = yield all_rows("SELECT aadhaar_token FROM drafts WHERE user_id = ?"
                          " UNION SELECT aadhaar_token FROM applications WHERE user_id = ?", user_id, user_id)
    gone = yield one("SELECT reference, state, state_code, district, camp, csc, department"
                     " FROM applications WHERE user_id = ?", user_id)
    if gone is not None:
        yield from tally.moved(tally.Placement.of_row(gone), gone["state"], None, now)
        yield from audit.record(by or audit.ERASED_WORKER, "erase", gone["reference"], now)
    yield run("DELETE FROM drafts WHERE user_id = ?", user_id)
    yield run("DELETE FROM applications WHERE user_id = ?", user_id)
    for row in rows:
        if row["aadhaar_token"] is not None:
            yield from _vault_drop_if_unused(row["aadhaar_token"])
    yield from forget_user(user_id, gone["reference"] if gone is not None else None)


def forget_user(user_id: str, reference: str | None) -> Txn[None]:
    """The copies of an erased worker's id outside their draft and
    application: the audit trail (``audit.forget_worker``, which also drops
    the UAN of ``reference``), the updates they sent (the keys stay, without
    the user, so a redelivered update is still skipped), the reminder slots
    of their drafts (``bot.reminders``: ``<user>@<time>``), the messages for
    them not yet delivered (``bot.store.outbox``), the bot that reaches them
    (``bot.store.bots``), and a desk session naming them (an operator
    assisting a walk-in)."""
    yield from audit.forget_worker(user_id, reference)
    yield run("DELETE FROM outbox WHERE user_id = ?", user_id)
    yield from bots.forget(user_id)
    yield run("UPDATE applied_updates SET user_id = NULL WHERE user_id = ?", user_id)
    slot = user_id + "@"
    yield run("DELETE FROM job_runs WHERE job = 'reminder' AND substr(slot, 1, ?) = ?", len(slot), slot)
    for row in (yield all_rows(f"SELECT user_id, data FROM desk_sessions WHERE data LIKE ?{ESCAPE}",
                               containing(to_json(user_id)))):
        data = json.loads(row["data"])
        kept = _without_value(data, user_id)
        if kept != data:
            yield run("UPDATE desk_sessions SET data = ? WHERE user_id = ?", to_json(kept), row["user_id"])


def _without_value(value: Any, user_id: str) -> Any:
    """``value`` (parsed JSON) without the entries whose value is ``user_id``."""
    if isinstance(value, dict):
        return {key: _without_value(item, user_id) for key, item in value.items() if item != user_id}
    if isinstance(value, list):
        return [_without_value(item, user_id) for item in value if item != user_id]
    return value


# -- updates applied -----------------------------------------------------------

def record_applied(key: str | None, user_id: str | None, now: datetime) -> Txn[None]:
    """Record a channel update as applied (for the user who sent it)."""
    if key is not None:
        yield applied_mark(key, user_id, now)


def applied_mark(key: str, user_id: str | None, now: datetime) -> Statement:
    """The statement of ``record_applied``, to batch with others."""
    return run("INSERT INTO applied_updates (key, user_id, applied_at) VALUES (?, ?, ?)"
               " ON CONFLICT (key) DO NOTHING", key, user_id, iso(now))


def is_applied(key: str) -> Txn[bool]:
    return (yield one("SELECT 1 FROM applied_updates WHERE key = ?", key)) is not None


def forget_applied(before: datetime) -> Txn[int]:
    return (yield run("DELETE FROM applied_updates WHERE applied_at < ?", iso(before)))


# -- the vault and sealed answers ------------------------------------------------

def seal(keyring: Keyring, user_id: str, answers: dict[str, Any], aadhaar_token: str | None) -> dict[str, Any]:
    """The answers as stored: Aadhaar -> vault token; bank account and mobile
    (``SEALED_ANSWERS``) -> encrypted, bound to their field and user."""
    stored = dict(answers)
    if stored.get("aadhaar") is not None:
        stored["aadhaar"] = {"vault": aadhaar_token}
    for key in SEALED_ANSWERS:
        if stored.get(key) is not None:
            stored[key] = {"enc": keyring.encrypt(text(key, stored[key]), answer_context(key, user_id))}
    return stored


def unseal(keyring: Keyring, user_id: str, stored: dict[str, Any], vault: Vault) -> dict[str, Any]:
    """The reverse of ``seal``: the answers with clear values."""
    answers = dict(stored)
    if isinstance(answers.get("aadhaar"), dict):
        ciphertext = vault(answers["aadhaar"]["vault"])
        if ciphertext is None:
            raise LookupError(f"vault entry missing for the Aadhaar of user {user_id}")
        answers["aadhaar"] = keyring.decrypt(ciphertext, "aadhaar")
    for key in SEALED_ANSWERS:
        if isinstance(answers.get(key), dict):
            answers[key] = keyring.decrypt(answers[key]["enc"], answer_context(key, user_id))
    return answers


def _vault_drop_if_unused(token: str) -> Txn[None]:
    yield _vault_drop(token)


def _vault_drop(token: str, *, rewritten: str | None = None) -> Statement:
    """Delete the vault entry ``token`` unless a draft or an application
    points at it; ``rewritten``: a user whose draft is being written in the
    same batch, and so no longer points there, whatever it says now."""
    other = "" if rewritten is None else " AND user_id <> ?"
    return run(f"DELETE FROM aadhaar_vault WHERE token = ?"
               f" AND NOT EXISTS (SELECT 1 FROM drafts WHERE aadhaar_token = ?{other})"
               " AND NOT EXISTS (SELECT 1 FROM applications WHERE aadhaar_token = ?)",
               token, token, *([rewritten] if rewritten is not None else []), token)


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


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc).isoformat()
    return moment.astimezone(timezone.utc).isoformat()


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)
