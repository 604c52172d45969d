from entraide.core.errors import DomainError


class EventError(DomainError):
    """Bad input or a refused change: ``message`` is translated, ``field`` names the form field;
    ``code`` ``"event"`` unless the raiser names one (``"full"``, ``"closed"``...)."""

    default_code = "event"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)
