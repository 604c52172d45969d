"""The domain's one refusal type (issue 13, DESIGN.md "Architecture": one domain error type,
mapped once per door). Defined here, without any model import, so that pure modules (agenda
fitting, the planner, the rotation) can raise it; ``core.actions`` re-exports it."""


class DomainError(Exception):
    """A refusal of the domain; nothing was changed.

    ``message``: in the user's language (already translated, or lazy). ``code``: stable,
    machine-readable (``"not_member"``, ``"over_grant"``...). ``field``: the form field
    the message belongs to, or ``None`` for the whole request.
    """

    default_code = "invalid"

    def __init__(self, message, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def as_json(self) -> dict:
        """The API and websocket shape: ``{"code": str, "detail": str, "field": str|None}``."""
        return {"code": self.code, "detail": str(self.message), "field": self.field}
