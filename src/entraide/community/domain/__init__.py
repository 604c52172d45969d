"""The community's rules and every state change: views, commands and the API call these."""

from entraide.core.errors import DomainError


class CommunityError(DomainError):
    """Bad input or a refused change: ``message`` is translated and says what to do; nothing
    changed. ``code``: stable, ``"community"`` unless the raiser names one; ``field``: the form
    field concerned, or ``None``."""

    default_code = "community"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)


def single_line(value: str) -> str:
    """``value`` stripped; ``CommunityError`` (translated) when it holds a line break or another
    control character (names, titles, places: see ``entraide.core.text``)."""
    from entraide.core.text import clean_single_line

    return clean_single_line(value or "", error=CommunityError)
