"""Follow-up rules: plans (plans.py), the review at the next session (review.py), the
session record (records.py), reminders (reminders.py)."""


class FollowupError(Exception):
    """A refusal, with a message in the user's language; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
