class EventError(Exception):
    """Bad input or a refused change: ``message`` is translated, ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
