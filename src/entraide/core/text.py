"""Single-line text (titles, names, subjects): one rule for every door.

A title or a name ends up in an email subject, a calendar file, a CSV cell, a PDF or a page
heading; a line break or another control character in it breaks mail headers, smuggles CSS or
splits a CSV row. So single-line fields refuse control characters at the domain level, with a
message in the user's language, before anything is saved.
"""

import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import DomainError

# Unicode categories refused in a single line: control characters (Cc: tab, CR, LF, form feed,
# NUL, the C1 range) and the line and paragraph separators (Zl, Zp). Format characters (Cf)
# stay allowed: the zero-width joiner is part of many emoji.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


class SingleLineError(DomainError, ValueError):
    """A single-line field holds a control character; ``message`` is translated, ``code``
    ``"not_one_line"``, ``field`` the form field concerned."""

    default_code = "not_one_line"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)


def single_line_message() -> str:
    """The refusal, in the active language: the same words at every door."""
    return _("This field must fit on one line, without line breaks or control characters.")


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a character of Unicode category Cc, Zl or Zp."""
    return any(unicodedata.category(character) in _REFUSED_CATEGORIES for character in value)


def clean_single_line(value: str, field: str | None = None, error: Callable[..., Exception] = SingleLineError) -> str:
    """Return ``value`` stripped of surrounding spaces.

    Raises ``error`` (``SingleLineError`` by default, or the caller's domain error type) with the
    translated message, and ``field`` as second argument when one is given, when ``value`` holds a
    line break, a tab or any other control character.
    """
    if has_control_characters(value):
        message = single_line_message()
        raise error(message) if field is None else error(message, field)
    return value.strip()


def validate_single_line(value: str) -> None:
    """Django validator for model and form fields (same rule as ``clean_single_line``)."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(single_line_message(), code="control_characters")
