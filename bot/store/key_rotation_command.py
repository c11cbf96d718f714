"""``shram-sahayak rotate-key``: move the store to a new data-encryption key.

    export SHRAM_NEW_VAULT_KEY=$(python -c "import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())")
    shram-sahayak rotate-key          # with the bot stopped; the current key as usual
    export SHRAM_VAULT_KEY=$SHRAM_NEW_VAULT_KEY   # then start the bot again

The current key is the one the bot uses (``SHRAM_VAULT_KEY``, or the
development key file). Everything is sealed again with the new key and
checked with it alone in one transaction (``rotation.rotate_verified``): if
any entry cannot be opened, nothing changes. With a development key file,
the file is replaced by the new key. No key is ever printed. With SQLite it
is refused while the bot has the database open (``bot.store.in_use``): the
bot would go on writing with the old key.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.config import ConfigError, Settings, decode_key
from bot.store import DatabaseInUse, open_store
from bot.store.crypto import DecryptionError, Keyring
from bot.store.rotation import rotate_verified

NEW_KEY_VARIABLE = "SHRAM_NEW_VAULT_KEY"


async def rotate_key(settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    text = (os.environ if environ is None else environ).get(NEW_KEY_VARIABLE, "").strip()
    if not text:
        raise ConfigError(f"put the new key in {NEW_KEY_VARIABLE} (base64, url-safe, of 32 random bytes)")
    try:
        new_key = decode_key(text)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace("SHRAM_VAULT_KEY", NEW_KEY_VARIABLE)) from None
    old_key = settings.master_key()
    if new_key == old_key:
        raise ConfigError(f"{NEW_KEY_VARIABLE} is the key in use already: make a new one")
    old, new = Keyring(old_key), Keyring(new_key)
    try:
        store = await open_store(settings, exclusive=True)
    except DatabaseInUse:
        raise ConfigError("the bot is running on this database: stop it first. Nothing was changed") from None
    try:
        done = await store.transact(rotate_verified, old, new)
    except (LookupError, DecryptionError) as exc:  # UnknownKey is a LookupError
        raise ConfigError(f"nothing was changed: {exc}") from None
    finally:
        await store.close()
    print(f"sealed again with key {new.key_id} (was {old.key_id}): {done.summary()}; "
          "all of it opens with the new key")
    if settings.vault_key is None:
        _replace_key_file(settings.data_dir / "vault.key", text)
        print(f"the development key file {settings.data_dir / 'vault.key'} now holds the new key")
    else:
        print(f"now set SHRAM_VAULT_KEY to the value of {NEW_KEY_VARIABLE} and start the bot")


def _replace_key_file(path: Path, key: str) -> None:
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a file left over from an earlier try keeps its own mode otherwise
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)
