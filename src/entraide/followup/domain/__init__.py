"""Follow-up rules: plans (plans.py), the review at the next session (review.py), the
session record (records.py), reminders (reminders.py)."""

from entraide.core.errors import DomainError


class FollowupError(DomainError):
    """A refusal, with a message in the user's language; nothing was changed. ``code``
    ``"followup"`` unless the raiser names one; ``field`` the form field concerned, or ``None``."""

    default_code = "followup"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)
