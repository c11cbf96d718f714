"""Fetching a document a staff user sent (a targets CSV), size-capped.

Only staff documents are fetched: a worker's files are never downloaded.
The handler of the update calls ``download_document`` and hands the bytes on
as ``Request.file``; a file over ``MAX_DOCUMENT`` bytes is refused before
any download (Telegram gives the size with the message) and again after
``getFile`` if the message did not say.
"""
from __future__ import annotations

from telegram import Bot, Document

from bot.staff_commands import FileTooLarge

MAX_DOCUMENT = 1_000_000


async def download_document(bot: Bot, document: Document, *,
                            limit: int = MAX_DOCUMENT) -> tuple[str, bytes]:
    """(file name, content) of a sent document; ``FileTooLarge`` over ``limit`` (the dispatcher says so)."""
    if document.file_size is not None and document.file_size > limit:
        raise FileTooLarge()
    file = await bot.get_file(document.file_id)
    if file.file_size is not None and file.file_size > limit:
        raise FileTooLarge()
    content = bytes(await file.download_as_bytearray())
    if len(content) > limit:
        raise FileTooLarge()
    return document.file_name or "file", content
