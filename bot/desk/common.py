"""Small helpers every desk handler uses: translating in the staff user's
language, building replies with inline buttons, the desk session."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bot.messages import Choice, Notice, Outcome, Reply
from bot.i18n import translate
from bot.domain.roles import Role
from bot.staff_commands import STAFF_COMMANDS, Request
from bot.store import desk

IST = timezone(timedelta(hours=5, minutes=30))


def registering_csc(meta: dict) -> str:
    """The CSC where a walk-in worker was registered (their ``csc_`` source)."""
    source = str(meta.get("source") or "")
    return source.removeprefix("csc_").upper() if source.startswith("csc_") else ""


def walkin_csc(meta: dict) -> str:
    """The CSC that corrects a walk-in's application: the one that registered
    it, or the one an official gave it to (``/reassign``)."""
    return str(meta.get("assisted_csc") or "") or registering_csc(meta)


def t(req: Request, msgid: str, **params: Any) -> str:
    return translate(req.lang, msgid, **params)


def text(req: Request, msgid: str, **params: Any) -> Reply:
    return Reply(t(req, msgid, **params))


def buttons(body: str, command: str, choices: list[tuple[str, str]]) -> Reply:
    """A message with inline buttons; each carries "<command>:<id>"."""
    return Reply(body, [Choice(id_, label) for id_, label in choices], question=command)


def outcome(*replies: Reply, notices: list[Notice] | None = None) -> Outcome:
    return Outcome(None, list(replies), notices=notices or [])


def menu_for(req: Request, role: Role) -> list[tuple[str, str]]:
    """The staff commands ``role`` may run, for the user's command menu."""
    return [(c.name, t(req, c.about)) for c in STAFF_COMMANDS.values() if role in c.roles and c.listed]


async def session(req: Request) -> dict[str, Any]:
    return await req.store.query(desk.session, req.user_id)


async def save(req: Request, data: dict[str, Any]) -> None:
    await req.store.transact(desk.save_session, req.user_id, data, req.now)


def in_ist(when: datetime | str) -> datetime:
    """A moment (or the ISO text the store keeps it as; without a zone: UTC) in Indian time."""
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(IST)


def ist_time(when: datetime | str | None) -> str:
    """"16:16": the hour and minute in Indian time (the text around it says "IST")."""
    return in_ist(when).strftime("%H:%M") if when else ""


def ist_date(when: datetime | str) -> str:
    """"23/11/2026": the day in Indian time."""
    return in_ist(when).strftime("%d/%m/%Y")


def button_parts(req: Request) -> list[str]:
    """A button's data without its command: "card:approve:SS-1" -> ["approve", "SS-1"]."""
    if req.button is None:
        return []
    return req.button.split(":")[1:]
