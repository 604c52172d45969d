"""The network's rules and every state change: the views call these (one function, every door)."""

from entraide.core.actions import DomainError


class NetworkError(DomainError):
    """A refused change of the network's services; nothing was changed."""

    default_code = "network_invalid"


def clean_text(value, *, field: str, max_length: int, required: bool = True, empty_message: str = "") -> str:
    """``value`` stripped, or ``NetworkError`` (translated, on ``field``) when it is required
    and empty, or longer than ``max_length`` characters."""
    from django.utils.translation import gettext as _

    text = (value or "").strip()
    if required and not text:
        raise NetworkError(empty_message or _("This field is required."), code="required", field=field)
    if len(text) > max_length:
        raise NetworkError(
            _("At most %(max)d characters (now %(length)d).") % {"max": max_length, "length": len(text)},
            code="too_long", field=field,
        )
    return text


def single_line_error(message, field: str | None = None) -> NetworkError:
    """``core.text.clean_single_line``'s ``error`` for the network: a ``NetworkError`` on ``field``."""
    return NetworkError(message, code="single_line", field=field)
