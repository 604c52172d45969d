"""The API's own domain: personal tokens and their rate limit."""

from entraide.core.actions import DomainError


class TokenError(DomainError):
    """A refusal about a personal API token; nothing was changed."""
