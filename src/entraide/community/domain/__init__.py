"""The community's rules and every state change: views, commands and the API call these."""


class CommunityError(Exception):
    """Bad input or a refused change: ``message`` is translated and says what to do; nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
