"""The community's rules and every state change: views, commands and the API call these."""


class CommunityError(Exception):
    """Bad input or a refused change: ``message`` is translated and says what to do; nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def single_line(value: str) -> str:
    """``value`` stripped; ``CommunityError`` (translated) when it holds a line break or another
    control character (names, titles, places: see ``entraide.core.text``)."""
    from entraide.core.text import clean_single_line

    return clean_single_line(value or "", error=CommunityError)
