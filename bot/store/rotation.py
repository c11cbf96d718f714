"""Rotating the data-encryption key: everything sealed with the old master
key is sealed again with a new one, in one transaction (all or nothing).

What a master key protects (see ``bot.store.crypto``):

- ``aadhaar_vault.ciphertext``: each Aadhaar number (context ``"aadhaar"``);
- in ``drafts.data`` and ``applications.data``: the answers in
  ``SEALED_ANSWERS`` (bank account, mobile), ``{"enc": token}`` bound to
  their user; a mobile number written in clear before it was sealed is
  sealed now;
- ``applications.aadhaar_hash``: the keyed hash that keeps one application
  per Aadhaar, recomputed from the number in the vault.

A token already sealed with the new key is left as it is (a token names its
key), so rotating again to the same key changes nothing. Run it with the bot
stopped: a process still holding the old key cannot read what was resealed.
``verify`` then opens everything with the new key alone.

Both are transaction functions (``bot.store.sql``), so they run on every
backend: ``await store.transact(rotate, old_keyring, new_keyring)``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.store.crypto import AADHAAR_CONTEXT, SEALED_ANSWERS, Keyring, answer_context, key_id_of
from bot.store.sql import Txn, all_rows, run, to_json


@dataclass(frozen=True)
class Rotated:
    """How many entries a rotation sealed again (or checked, for ``verify``)."""
    vault: int = 0          # Aadhaar vault entries
    answers: int = 0        # sealed answers (bank accounts, mobile numbers) in drafts and applications
    hashes: int = 0         # Aadhaar hashes of applications
    drafts: int = 0
    applications: int = 0

    def summary(self) -> str:
        return (f"{self.vault} Aadhaar vault entries, {self.answers} bank account and mobile numbers "
                f"in {self.drafts} drafts and {self.applications} applications, "
                f"{self.hashes} Aadhaar hashes")


class UnknownKey(LookupError):
    """A token was sealed by neither the old nor the new key: nothing was changed."""


def rotate(old: Keyring, new: Keyring) -> Txn[Rotated]:
    """Seal every encrypted value again with ``new`` (opening it with ``old``)."""
    keys = {old.key_id: old, new.key_id: new}
    aadhaar_of: dict[str, str] = {}
    vault = 0
    for row in (yield all_rows("SELECT token, ciphertext FROM aadhaar_vault")):
        number = _open(keys, row["ciphertext"], AADHAAR_CONTEXT)
        aadhaar_of[row["token"]] = number
        if key_id_of(row["ciphertext"]) != new.key_id:
            yield run("UPDATE aadhaar_vault SET ciphertext = ? WHERE token = ?",
                      new.encrypt(number, AADHAAR_CONTEXT), row["token"])
            vault += 1

    answers = drafts = 0
    for row in (yield all_rows("SELECT user_id, data FROM drafts")):
        data = json.loads(row["data"])
        changed = _reseal(keys, new, data.get("answers") or {}, row["user_id"])
        if changed:
            yield run("UPDATE drafts SET data = ? WHERE user_id = ?", to_json(data), row["user_id"])
            answers, drafts = answers + changed, drafts + 1

    hashes = applications = 0
    for row in (yield all_rows("SELECT reference, user_id, data, aadhaar_token, aadhaar_hash FROM applications")):
        data = json.loads(row["data"])
        changed = _reseal(keys, new, data, row["user_id"])
        held = aadhaar_of.get(row["aadhaar_token"])
        if held is None:
            raise LookupError(f"the vault entry of application {row['reference']} is missing")
        aadhaar_hash = new.aadhaar_hash(held)
        if changed or aadhaar_hash != row["aadhaar_hash"]:
            yield run("UPDATE applications SET data = ?, aadhaar_hash = ? WHERE reference = ?",
                      to_json(data), aadhaar_hash, row["reference"])
            answers, applications = answers + changed, applications + 1
            hashes += aadhaar_hash != row["aadhaar_hash"]
    return Rotated(vault, answers, hashes, drafts, applications)


def rotate_verified(old: Keyring, new: Keyring) -> Txn[Rotated]:
    """``rotate``, then ``verify`` with the new key in the same transaction:
    if anything cannot be opened with the new key alone, nothing is kept."""
    done = yield from rotate(old, new)
    yield from verify(new)
    return done


def verify(keyring: Keyring) -> Txn[Rotated]:
    """Open every encrypted value with ``keyring`` alone and check every
    Aadhaar hash; raises (DecryptionError, LookupError) at the first that fails."""
    keys = {keyring.key_id: keyring}
    aadhaar_of = {row["token"]: _open(keys, row["ciphertext"], AADHAAR_CONTEXT)
                  for row in (yield all_rows("SELECT token, ciphertext FROM aadhaar_vault"))}
    answers = drafts = applications = 0
    for table in ("drafts", "applications"):
        for row in (yield all_rows(f"SELECT * FROM {table}")):
            data = json.loads(row["data"])
            stored = (data.get("answers") or {}) if table == "drafts" else data  # an application's data: its answers
            for key in SEALED_ANSWERS:
                if isinstance(stored.get(key), dict):
                    _open(keys, stored[key]["enc"], answer_context(key, row["user_id"]))
                    answers += 1
                elif stored.get(key) is not None:
                    raise LookupError(f"a {key} in {table} is not sealed")
            if table == "drafts":
                drafts += 1
                continue
            applications += 1
            number = aadhaar_of.get(row["aadhaar_token"])
            if number is None or keyring.aadhaar_hash(number) != row["aadhaar_hash"]:
                raise LookupError(f"the Aadhaar hash of application {row['reference']} does not match")
    return Rotated(len(aadhaar_of), answers, applications, drafts, applications)


def _reseal(keys: dict[str, Keyring], new: Keyring, answers: dict[str, Any], user_id: str) -> int:
    """Seal ``answers``' sealed fields (and any left in clear) with ``new``, in
    place; return how many changed."""
    changed = 0
    for key in SEALED_ANSWERS:
        value = answers.get(key)
        context = answer_context(key, user_id)
        if isinstance(value, dict):
            if key_id_of(value["enc"]) == new.key_id:
                continue
            value = _open(keys, value["enc"], context)
        elif not isinstance(value, str):
            continue
        answers[key] = {"enc": new.encrypt(value, context)}
        changed += 1
    return changed


def _open(keys: dict[str, Keyring], token: str, context: str) -> str:
    keyring = keys.get(key_id_of(token) or "")
    if keyring is None:
        raise UnknownKey(f"a token sealed with key {key_id_of(token)!r}, "
                         f"neither of {sorted(keys)}: is the old key the right one?")
    return keyring.decrypt(token, context)

