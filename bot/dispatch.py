"""The one entry both channels call for every input: who is asking, and
where their input goes.

- An invitation link (``/start join_...``) gives its role to whoever opens it.
- A worker's input goes to the registration (``bot.service``), all of it:
  a staff command or a staff button from a worker is answered exactly as any
  unknown command or old button is, so nothing about the desk is revealed.
- A staff user's command or button (``STAFF_COMMANDS``, buttons carry
  "<command>:<rest>") runs its handler if their role may run it, else gets a
  polite refusal; a typed answer to a pending desk question (a UAN, a
  comment, a note, what a worker's voice note says: kept in the store's
  desk session) goes to the handler that asked; an operator in ``/assist``
  mode answers the walk-in worker's registration (a voice note there is not
  the worker's: it is typed); an operator's QR deep link or typed reference
  opens that application; ``/start`` shows their desk commands; anything
  else is the staff user's own registration.

Staff input is handled under the user's lock, with the update's key
checked, like a worker's, and as one unit of work (``Store.unit_of_work``):
whatever the handler writes and the update's key commit together, after
it, and the replies go out after that; if the handler fails (or the
process stops) before the commit, nothing of it is kept and the update,
delivered again, runs as if for the first time. A staff user's language:
the one they chose with /language on the desk, else their draft's, else
their phone's.
"""
from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot import addresses
from bot.domain.references import is_reference
from bot.domain.roles import Role, Staff
from bot.flow import engine
from bot.messages import Input, Outcome, Reply
from bot.outbox import Outbox
from bot.flow import messages as flow_messages
from bot.flow.steps import STEP_BY_KEY
from bot.i18n import languages, next_language, translate
from bot.service import Registration
from bot.staff_commands import FILE_TOO_LARGE, STAFF_COMMANDS, FileTooLarge, Request
from bot.store import desk
from bot.store.contract import Turn
from bot.store.staff import staff_of

#: packages whose import fills STAFF_COMMANDS (the reports may not exist yet)
COMMAND_MODULES = ("bot.desk.commands", "bot.reports.commands")


def load_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if not name.startswith(missing.name or "\0"):
                raise


load_commands()

from bot.desk import assist, review, roles  # noqa: E402  (after the table is filled)
from bot.desk import messages as m  # noqa: E402

#: how a pending desk question is asked again
ASKED = {"uan": m.ASK_UAN, "comment": m.ASK_COMMENT, "note": m.ASK_REJECT_NOTE, "voice": m.ASK_VOICE_TEXT}


def parse_admins(text: str | None) -> frozenset[str]:
    """The admins' user ids in the settings ("123, 456; console:ram"): a bare
    number is a Telegram user, an id with its channel is kept (``addresses.typed``)."""
    ids = (addresses.typed(part) for part in (text or "").replace(";", ",").split(","))
    return frozenset(uid for uid in ids if uid is not None)


class Dispatcher:
    def __init__(self, registration: Registration, *, admins: frozenset[str] = frozenset(),
                 digest_hour: int = 8) -> None:
        self.registration = registration
        self.store = registration.store
        self.admins = admins
        self.digest_hour = digest_hour
        #: where the notices of a staff update wait until delivered (``bot.outbox``; set by
        #: ``bot.bootstrap``): written in the update's unit of work, delivered after its commit
        self.outbox: Outbox | None = None

    @property
    def default_lang(self) -> str:
        return self.registration.default_lang

    async def role_of(self, user_id: str) -> Staff | None:
        if user_id in self.admins:  # named in the settings: an admin, whatever the store says
            return Staff(user_id, Role.ADMIN)
        return await self.store.query(staff_of, user_id)

    async def handle(self, user_id: str, inp: Input, *, default_lang: str | None = None,
                     update_key: str | None = None,
                     deliver: Callable[[Outcome], Awaitable[None]] | None = None) -> Outcome | None:
        """Like ``Registration.handle``: None if the update was applied before."""
        staff = await self.role_of(user_id)
        invite = inp.command == "start" and (inp.arg or "").startswith(roles.INVITE_PREFIX)
        if staff is None and not invite:
            if inp.file is not None:  # a worker's file is never read
                inp = Input(kind="document")
            return await self.registration.handle(user_id, inp, default_lang=default_lang,
                                                  update_key=update_key, deliver=deliver)
        async with self.store.user_lock(user_id):
            turn = await self.store.load_turn(user_id, update_key=update_key)
            if turn.applied:
                return None
            async with self.store.unit_of_work(update_key, user_id):
                out = await self._route(user_id, staff, inp, turn, default_lang, update_key)
                if self.outbox is not None and out.notices:  # kept with the change that causes them
                    await self.outbox.put(out.notices)
                    out = replace(out, notices=[])
                    queued = True
                else:
                    queued = False
            if queued and self.outbox is not None:
                self.outbox.kick()
            if deliver is not None:
                await deliver(out)
            return out

    async def _route(self, user_id: str, staff: Staff | None, inp: Input, turn: Turn,
                     default_lang: str | None, update_key: str | None) -> Outcome:
        sess = await self.store.query(desk.session, user_id) if staff else {}
        draft_lang = turn.draft.lang if turn.draft is not None else None
        lang = sess.get("lang") or draft_lang or default_lang or self.default_lang
        req = Request(self.store, user_id, lang, staff, self.registration.clock(), update_key=update_key,
                      digest_hour=self.digest_hour, admins=self.admins)
        if inp.command == "start" and (inp.arg or "").startswith(roles.INVITE_PREFIX):
            return await roles.accept(req, inp.arg or "")
        assert staff is not None
        name = (inp.button or "").split(":", 1)[0] if inp.button else inp.command
        if name in STAFF_COMMANDS:
            return await self._run(name, req, inp)
        if inp.command == "start" and inp.arg and is_reference(inp.arg) and staff.role is Role.OPERATOR:
            return await review.open_reference(req, inp.arg)
        if inp.command in ("start", "help") and not inp.arg and not sess.get("assist") and not sess.get("ask"):
            return await self._run("desk", req, Input(command="desk"))  # staff start (and get help) at their desk
        ask = sess.get("ask")
        if ask:
            return await self._pending(req, sess, ask, inp)
        if sess.get("assist") and (inp.command is None or inp.command in engine.COMMANDS):
            return await self._assisting(req, sess, inp, lang)
        if inp.command == "language":
            new = inp.arg if inp.arg in languages() else next_language(lang)
            await self.store.transact(desk.save_session, user_id, sess | {"lang": new}, req.now)
            return Outcome(None, [Reply(translate(new, m.LANGUAGE_SET))])
        if staff.role is Role.OPERATOR and inp.command is None and inp.text and is_reference(inp.text):
            return await review.open_reference(req, inp.text)
        return await self.registration.apply(user_id, inp, turn, default_lang=lang, update_key=update_key)

    async def _run(self, name: str, req: Request, inp: Input) -> Outcome:
        """A staff command's handler (inside the update's unit of work; a
        file sent with it is read before the handler writes anything)."""
        command = STAFF_COMMANDS[name]
        if req.actor.role not in command.roles:
            return Outcome(None, [Reply(translate(req.lang, m.NOT_FOR_YOU))])
        try:
            upload = await inp.file() if inp.file is not None else None
        except FileTooLarge:
            return Outcome(None, [Reply(translate(req.lang, FILE_TOO_LARGE))])
        return await command.handler(replace(req, command=inp.command, arg=inp.arg, button=inp.button, file=upload))

    async def _pending(self, req: Request, sess: dict, ask: dict, inp: Input) -> Outcome:
        """The desk asked the user to type something (a UAN, a comment)."""
        if inp.command == "cancel":
            kept = {k: v for k, v in sess.items() if k not in ("ask", "pick")}
            await self.store.transact(desk.save_session, req.user_id, kept, req.now)
            return Outcome(None, [Reply(translate(req.lang, m.CANCELLED))])
        if inp.command is None and inp.kind == "text" and inp.text is not None and inp.button is None:
            return await self._run(ask["cmd"], replace(req, text=inp.text), Input())
        # anything else (a sticker, /help, an old button): the question again
        note = flow_messages.STALE_BUTTON if inp.button else flow_messages.ONLY_TEXT
        step = STEP_BY_KEY.get(str(ask.get("key")))  # (a voice answer to type names its step)
        asked = translate(req.lang, ASKED.get(str(ask.get("kind")), m.ASK_COMMENT), reference=ask.get("ref", ""),
                          label=translate(req.lang, step.label) if step is not None else "")
        return Outcome(None, [Reply(translate(req.lang, note)), Reply(asked)])

    async def _assisting(self, req: Request, sess: dict, inp: Input, lang: str) -> Outcome:
        """The operator answers for the walk-in worker: checked at every turn
        under the walk-in's lock (only the CSC that corrects the walk-in's
        application answers for them), never /delete, a shared contact is the
        operator's own number and counts as typed, and the audit names the
        operator."""
        walkin = sess["assist"]
        if inp.command == "delete":
            return Outcome(None, [Reply(translate(lang, m.ASSIST_NO_DELETE))])
        if inp.kind == "contact":  # the operator's phone, not the worker's: a typed, unverified number
            inp = Input(text=inp.text)
        if inp.kind == "voice":  # the operator's voice, not the worker's: at the CSC the answer is typed
            inp = Input(kind="voice")
        refusal: list[Outcome] = []

        def guard(turn: Turn) -> Outcome | None:
            refused = assist.refuse_correcting(req, turn.draft)
            if refused is not None:
                refusal.append(refused)
            return refused

        out = await self.registration.handle(walkin, inp, default_lang=lang, update_key=req.update_key,
                                             actor=req.user_id, guard=guard)
        if refusal:  # no longer theirs to answer for: an unsubmitted walk-in goes too, never left unreachable
            await assist.drop_unsubmitted(self.store, req.user_id, by=req.user_id)
        if out is None:
            return Outcome(None, [])
        return await assist.after_turn(req, sess, out)
