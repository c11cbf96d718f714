"""``/practice``: training on made-up applications. The samples live here,
in code; deciding on one writes only the operator's desk session (which
sample, a pending UAN or comment), never an application, a count or the
audit trail. After each decision the operator sees what the worker would
have received and whether the decision was right."""
from __future__ import annotations

from dataclasses import dataclass

from bot.desk import messages as m
from bot.desk.card import answer_lines
from bot.desk.common import button_parts, buttons, outcome, save, session, t, text
from bot.desk.review import REASONS, worker_rejection, worker_send_back
from bot.domain import validators as v
from bot.domain.roles import Role
from bot.messages import Outcome, Reply
from bot.staff_commands import Request, register

_BASE = {"dob": "1990-01-01", "epfo_esic": False, "nps_govt": False, "income_tax": False,
         "mobile": "9000000001", "aadhaar": "999941057058", "gender": "female", "father_name": "Ram Prasad",
         "pin": "249401", "state": "UTTARAKHAND", "district": "HARIDWAR", "address": "Ward 5, Jwalapur",
         "sector": "domestic", "occupation": "domestic.domestic_worker", "other_work": False, "experience": 6,
         "bank_account": "000123456789", "ifsc": "SBIN0001234"}


@dataclass(frozen=True)
class Sample:
    answers: dict
    right: str        # approve / back / reject
    tip: str


SAMPLES = (
    Sample(_BASE | {"name": "Sunita Devi"}, "approve", m.PRACTICE_TIP_GOOD),
    Sample(_BASE | {"name": "Sunita Dvi"}, "back", m.PRACTICE_TIP_MISMATCH),
    Sample(_BASE | {"name": "Geeta Kumari", "nps_govt": True}, "reject", m.PRACTICE_TIP_NPS),
)
REFERENCE = "PRACTICE-{n}"


def _card(req: Request, n: int) -> Reply:
    sample = SAMPLES[n]
    body = "\n".join([t(req, m.PRACTICE_INTRO, n=n + 1, total=len(SAMPLES)), "",
                      REFERENCE.format(n=n + 1), *answer_lines(req, sample.answers, {})])
    return buttons(body, "practice", [("approve", t(req, m.APPROVE)), ("back", t(req, m.SEND_BACK)),
                                      ("reject", t(req, m.REJECT)), ("stop", t(req, m.PRACTICE_STOP))])


def _verdict(req: Request, n: int, decision: str, worker_text: str) -> Outcome:
    sample = SAMPLES[n]
    right = t(req, m.PRACTICE_RIGHT if decision == sample.right else m.PRACTICE_WRONG)
    body = f"{t(req, m.PRACTICE_WOULD_SEND)}\n\n{worker_text}\n\n{right}\n{t(req, sample.tip)}"
    return outcome(buttons(body, "practice", [("next", t(req, m.PRACTICE_NEXT)), ("stop", t(req, m.PRACTICE_STOP))]))


@register("practice", {Role.OPERATOR}, m.ABOUT_PRACTICE)
async def practice(req: Request) -> Outcome:
    sess = await session(req)
    state = sess.get("practice") or {"n": 0}
    n = state["n"] % len(SAMPLES)
    ref = REFERENCE.format(n=n + 1)
    ask = sess.get("ask") if (sess.get("ask") or {}).get("cmd") == "practice" else None
    parts = button_parts(req)
    action = parts[0] if parts else ""
    rest = {k: v for k, v in sess.items() if k != "ask"}
    if req.text is not None and ask:
        typed = req.text.strip()
        if ask["kind"] == "uan":
            try:
                uan = v.ascii_digits(typed).replace(" ", "")
            except v.Invalid:
                uan = ""
            if len(uan) != 12 or not uan.isdigit():
                return outcome(text(req, m.BAD_UAN))
            await save(req, rest)
            return _verdict(req, n, "approve", t(req, m.WORKER_APPROVED, reference=ref, uan=uan))
        await save(req, rest)
        return _verdict(req, n, "back", worker_send_back(req.lang, ref, typed, ["name"]))
    if action == "stop":
        await save(req, {k: v for k, v in rest.items() if k != "practice"})
        return outcome(text(req, m.PRACTICE_STOPPED))
    if action == "approve":
        await save(req, sess | {"ask": {"cmd": "practice", "kind": "uan"}})
        return outcome(text(req, m.ASK_UAN, reference=ref))
    if action == "back":
        await save(req, sess | {"ask": {"cmd": "practice", "kind": "comment"}})
        return outcome(text(req, m.ASK_COMMENT))
    if action == "reject":
        return outcome(buttons(t(req, m.PICK_REASON), "practice",
                               [(f"reason:{code}", t(req, msgid)) for code, msgid in REASONS.items()]))
    if action == "reason" and len(parts) > 1 and parts[1] in REASONS:
        await save(req, rest)
        return _verdict(req, n, "reject", worker_rejection(req.lang, ref, parts[1], None))
    if action == "next":
        n = (n + 1) % len(SAMPLES)
    await save(req, rest | {"practice": {"n": n}})
    return outcome(_card(req, n))
