"""Encryption of the Aadhaar vault and bank accounts, and the keyed Aadhaar hash.

One 32-byte master key (``Settings.master_key()``) is never used directly:
HKDF-SHA256 derives a separate subkey for each purpose (sealing, the
Aadhaar hash, the user-id hash), so that a hash key can never decrypt and
the AEAD key never appears in a hash.

Tokens are compact text, safe in JSON and TEXT columns::

    v1.<key id: 8 hex>.<url-safe base64 of 12-byte nonce + AES-GCM ciphertext>

The key id (first 4 bytes of SHA-256 of the AEAD subkey) names the key that
sealed a token, so a later key rotation can tell old tokens from new ones.
The ``context`` (e.g. ``"aadhaar"``, ``"bank_account:<user_id>"``) is bound
as associated data: a token copied to another field or user does not decrypt.

Answers sealed in place (``SEALED_ANSWERS``: bank account and mobile number)
are stored as ``{"enc": token}`` with the context ``answer_context(key, user)``;
the Aadhaar number goes to the vault instead (context ``"aadhaar"``).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.domain.personal_numbers import digitless
from bot.flow.steps import STEPS

VERSION = "v1"
AEAD_INFO = b"shram/aead/v1"
AADHAAR_HASH_INFO = b"shram/aadhaar-hash/v1"
USER_HASH_INFO = b"shram/user-hash/v1"
_NONCE_BYTES = 12

#: answers stored encrypted in place, bound to their user: those whose step holds
#: a sealed kind (``bot.domain.sensitive``; the Aadhaar has the vault)
SEALED_ANSWERS = tuple(step.key for step in STEPS if step.holds is not None and step.holds.sealed)
AADHAAR_CONTEXT = "aadhaar"


def answer_context(key: str, user_id: str) -> str:
    """The associated data of a sealed answer: its field and its user."""
    return f"{key}:{user_id}"


def key_id_of(token: str) -> str | None:
    """The id of the key that sealed ``token`` (None if it is not a token)."""
    parts = token.split(".") if isinstance(token, str) else []
    return parts[1] if len(parts) == 3 and parts[0] == VERSION else None


class DecryptionError(ValueError):
    """A token could not be opened: wrong key, wrong context, or tampered."""


def _derive(master_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master_key)


class Keyring:
    """The subkeys derived from one master key, and what they are used for."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the master key must be 32 bytes")
        aead_key = _derive(master_key, AEAD_INFO)
        self._aead = AESGCM(aead_key)
        self._hash_key = _derive(master_key, AADHAAR_HASH_INFO)
        self._user_hash_key = _derive(master_key, USER_HASH_INFO)
        #: names the AEAD key in every token it seals
        self.key_id = hashlib.sha256(aead_key).digest()[:4].hex()

    def encrypt(self, plaintext: str, context: str) -> str:
        """Seal ``plaintext``; only ``decrypt`` with the same context opens it."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{VERSION}.{self.key_id}.{body}"

    def decrypt(self, token: str, context: str) -> str:
        """Open a token from ``encrypt``; raise DecryptionError if it cannot be."""
        try:
            version, key_id, body = token.split(".")
        except ValueError:
            raise DecryptionError("not an encrypted token") from None
        if version != VERSION:
            raise DecryptionError(f"unknown token version {version!r}")
        if key_id != self.key_id:
            raise DecryptionError(f"token sealed with another key (id {key_id}, ours {self.key_id})")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
        except (InvalidTag, ValueError):
            raise DecryptionError("token was tampered with or belongs to another context") from None
        return plain.decode()

    def aadhaar_hash(self, aadhaar: str) -> str:
        """Keyed hash (HMAC-SHA256, hex written with letters only: ``digitless``)
        of an Aadhaar number, for finding duplicates without storing the
        number. Spaces and hyphens are ignored, so "2341 2341 2346" and
        "234123412346" hash alike. (Plain hex would hold a 12-digit run that
        passes the Aadhaar checksum in about 1 hash of 100.)"""
        digits = re.sub(r"[\s-]", "", aadhaar)
        return digitless(hmac.new(self._hash_key, digits.encode(), hashlib.sha256).hexdigest())

    def user_hash(self, user_id: str) -> str:
        """Keyed hash (HMAC-SHA256, url-safe base64) of a user id, for a
        counter that must not name its user (``bot.store.aadhaar_checks``):
        without the key, the ids behind a table of these cannot be found by
        trying them. (Base64, not hex: a long run of hex digits can look
        like a 12-digit number to a scan for Aadhaar numbers.)"""
        digest = hmac.new(self._user_hash_key, user_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
