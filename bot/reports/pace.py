"""Pace against a target: how much is done, what remains, how many
registrations a day the rest needs, and whether the drive is on track.

Days left count today: with the deadline today, all that remains is
needed today. A drive is *on track* when its recent pace (registrations a
day over the last 7 days) reaches what is needed a day from now on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    NO_TARGET = "no_target"   # no target, or a target of zero
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"         # the deadline has passed short of the target


@dataclass(frozen=True)
class Pace:
    target: int
    done: int
    deadline: date | None
    percent: float | None     # of the target done (may pass 100); None without a target
    remaining: int
    days_left: int | None     # today included; 0 once the deadline has passed
    per_day: int | None       # registrations a day needed from today; None if it cannot be met any more
    status: Status


def pace(target: int, done: int, deadline: date | None, today: date, recent_per_day: float) -> Pace:
    if target <= 0 or deadline is None:
        return Pace(max(target, 0), done, deadline, None, 0, None, None, Status.NO_TARGET)
    percent = 100.0 * done / target
    remaining = max(target - done, 0)
    days_left = max((deadline - today).days + 1, 0)
    if remaining == 0:
        return Pace(target, done, deadline, percent, 0, days_left, 0, Status.MET)
    if days_left == 0:
        return Pace(target, done, deadline, percent, remaining, 0, None, Status.MISSED)
    per_day = math.ceil(remaining / days_left)
    status = Status.ON_TRACK if recent_per_day >= per_day else Status.BEHIND
    return Pace(target, done, deadline, percent, remaining, days_left, per_day, status)
