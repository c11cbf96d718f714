"""Many distinct workers for fault tests: worker ``i`` has their own valid
Aadhaar, mobile and bank account numbers and a complete registration script
(from /start to submit) in Hindi or English, built on the golden personas.

    worker = Worker.make(7)
    worker.script        -> the lines typed, in order
    worker.numbers       -> the personal numbers they typed (to scan for)
    worker.expected      -> answers the application must hold at the end
"""
from __future__ import annotations

from dataclasses import dataclass

from stdnum import verhoeff


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
    script: tuple[str, ...]
    aadhaar: str
    mobile: str
    account: str

    @property
    def user_id(self) -> str:
        return f"w{self.i}"

    @property
    def numbers(self) -> tuple[str, str, str]:
        return self.aadhaar, self.mobile, self.account

    @property
    def expected(self) -> dict[str, object]:
        name = "राम कुमार" if self.lang == "hi" else "Lakshmi Devi"
        return {"aadhaar": self.aadhaar, "mobile": self.mobile, "bank_account": self.account, "name": name}

    @classmethod
    def make(cls, i: int, lang: str | None = None) -> Worker:
        lang = lang or ("hi" if i % 2 == 0 else "en")
        number, phone, bank = aadhaar(i), mobile(i), account(i)
        if lang == "hi":
            script = ("/start", "1", "मैं सहमत हूँ", "१५/०८/१९८८", "नहीं", "nahi", "नहीं", phone, number,
                      "राम कुमार", "1", "श्याम लाल", "2", "नहीं", "4", "1", "२४९४०१", "1",
                      "मकान 12, गली 3, ज्वालापुर", "नहीं", "21", "1", "छोड़ें", "7", bank, bank,
                      "sbin0001234", "सीता देवी", "1", "01/01/1992", "1")
        else:
            script = ("/start", "1", "1", "03-04-1985", "no", "no", "no", phone, number, "Lakshmi Devi",
                      "Female", "Ramaiah", "3", "no", "3", "1", "560034", "1", "12, 4th Cross, Koramangala",
                      "yes", "6", "4", "1", "skip", "10", bank, bank, "HDFC0000123", "Ramesh",
                      "Husband or wife", "12/12/1980", "1")
        return cls(i, lang, script, number, phone, bank)
