"""Many distinct workers for fault tests: worker ``i`` has their own valid
Aadhaar, mobile and bank account numbers and a complete registration (from
/start to submit) in Hindi or English: a persona of ``tests/personas.py``
(``HINDI_WORKER`` or ``ENGLISH_WORKER``) with these numbers as its answers.

    worker = Worker.make(7)
    worker.script        -> the lines typed, in order
    worker.numbers       -> the personal numbers they typed (to scan for)
    worker.expected      -> answers the application must hold at the end
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from stdnum import verhoeff

from tests.personas import ENGLISH_WORKER, HINDI_WORKER, Persona


def aadhaar(i: int) -> str:
    """A valid (Verhoeff) Aadhaar number, different for every ``i`` < 10**9."""
    body = f"{7 + i % 3}{(i * 7919 + 104729) % 10**9:09d}{i % 10}"
    return body + verhoeff.calc_check_digit(body)


def mobile(i: int) -> str:
    return f"9{(i * 7907 + 81234567) % 10**9:09d}"


def account(i: int) -> str:
    return f"{(i * 7901 + 3001234567) % 10**10:010d}31"


@dataclass(frozen=True)
class Worker:
    i: int
    lang: str
    aadhaar: str
    mobile: str
    account: str

    @property
    def user_id(self) -> str:
        return f"w{self.i}"

    @property
    def numbers(self) -> tuple[str, str, str]:
        return self.aadhaar, self.mobile, self.account

    @cached_property
    def persona(self) -> Persona:
        base = HINDI_WORKER if self.lang == "hi" else ENGLISH_WORKER
        return base.but(mobile=self.mobile, aadhaar=self.aadhaar, bank_account=self.account,
                        bank_account_confirm=self.account)

    @cached_property
    def script(self) -> tuple[str, ...]:
        """What the worker types, in order, to the submitted application."""
        return tuple(line for line in self.persona.script if isinstance(line, str))

    @property
    def expected(self) -> dict[str, object]:
        return {"aadhaar": self.aadhaar, "mobile": self.mobile, "bank_account": self.account,
                "name": self.persona.answers["name"]}

    @classmethod
    def make(cls, i: int, lang: str | None = None) -> Worker:
        lang = lang or ("hi" if i % 2 == 0 else "en")
        return cls(i, lang, aadhaar(i), mobile(i), account(i))
