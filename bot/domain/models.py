"""The registration's data: a worker's draft while they answer, and the
application it becomes once submitted.

Answers are kept by step key (see ``bot.flow.steps``) as plain JSON values.
The Aadhaar, bank account and mobile numbers live in ``answers`` in clear only
in memory; the store encrypts them before anything reaches disk (which
answers hold them: ``bot.domain.sensitive``).
"""
from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Phase(StrEnum):
    """Where a worker is in the conversation."""

    FORM = "form"                      # answering the step named by Draft.step
    REVIEW = "review"                  # looking at the summary before submitting
    EDIT_PICK = "edit_pick"            # choosing which answer to change
    RESUME = "resume"                  # back after a while: continue or start over?
    CONFIRM_DELETE = "confirm_delete"  # really erase everything?
    PAUSED = "paused"                  # /cancel: draft kept, nothing asked
    DECLINED = "declined"              # did not give consent; nothing collected
    INELIGIBLE = "ineligible"          # told why; nothing more collected
    SUBMITTED = "submitted"            # application made; see Application


class ReviewState(StrEnum):
    """Review states of an application (after ODK Central's)."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    HAS_ISSUES = "has_issues"
    APPROVED = "approved"
    REJECTED = "rejected"


class Draft(BaseModel):
    """One worker's registration in progress; saved after every answer."""

    user_id: str
    lang: str | None = None
    phase: Phase = Phase.FORM
    step: str | None = None              # current step key while in FORM
    answers: dict[str, Any] = Field(default_factory=dict)
    #: phase to go back to after a confirmation (delete, restart, resume)
    back_to: Phase | None = None
    #: True while changing one answer from the review: go back there after it
    editing: bool = False
    ineligible_reason: str | None = None
    reference: str | None = None         # set on submit
    #: answers a CSC operator sent back to be fixed, after the one being asked
    fix: list[str] = Field(default_factory=list)
    meta: dict[str, str | bool] = Field(default_factory=dict)  # deep-link source, mobile_verified
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    def clone(self, **changes: Any) -> Draft:
        """A copy that can be changed without touching this one. Answers are
        plain values (text, numbers, yes/no, dates as text, lists of codes),
        so copying the containers is enough, and much faster than deepcopy."""
        copied = {"answers": {k: _copy_value(v) if isinstance(v, (list, dict)) else v for k, v in self.answers.items()},
                  "meta": dict(self.meta), "fix": list(self.fix)}
        return self.model_copy(update=copied | changes)


def _copy_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_copy_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy_value(v) for k, v in value.items()}
    return value


class Application(BaseModel):
    """A submitted registration, waiting for (or after) verification at a CSC."""

    reference: str
    user_id: str
    lang: str
    state: ReviewState = ReviewState.SUBMITTED
    answers: dict[str, Any]
    meta: dict[str, str | bool] = Field(default_factory=dict)
    uan: str | None = None
    submitted_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
