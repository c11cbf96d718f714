"""Fetching a document a staff user sent (a targets CSV), size-capped.

Only staff documents are fetched: a worker's files are never downloaded.
The handler of the update calls ``download_document`` and hands the bytes on
as ``Request.file``; a file over ``MAX_DOCUMENT`` bytes is refused before
any download (Telegram gives the size with the message) and again after
``getFile`` if the message did not say.
"""
from __future__ import annotations

from telegram import Bot, Document

from bot.staff_commands import FILE_TOO_LARGE, FileTooLarge

MAX_DOCUMENT = 1_000_000
DocumentTooLarge = FileTooLarge  # the document is larger than the limit; say FILE_TOO_LARGE
__all__ = ["FILE_TOO_LARGE", "MAX_DOCUMENT", "DocumentTooLarge", "download_document"]


async def download_document(bot: Bot, document: Document, *,
                            limit: int = MAX_DOCUMENT) -> tuple[str, bytes]:
    """(file name, content) of a sent document; ``DocumentTooLarge`` over ``limit``."""
    if document.file_size is not None and document.file_size > limit:
        raise DocumentTooLarge()
    file = await bot.get_file(document.file_id)
    if file.file_size is not None and file.file_size > limit:
        raise DocumentTooLarge()
    content = bytes(await file.download_as_bytearray())
    if len(content) > limit:
        raise DocumentTooLarge()
    return document.file_name or "file", content
