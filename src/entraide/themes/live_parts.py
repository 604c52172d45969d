"""The theme attached to a live session, as a part of the live view model (live.domain.parts)."""

from entraide.live.domain.parts import PartContext, part
from entraide.live.domain.reads import read

from .domain.library import theme_for_session


@part("theme")
def theme_part(context: PartContext) -> dict | None:
    """The session's thematic input ({"id", "title", "kind", "kind_label", "summary",
    "paragraphs", "reference_lines"}), or None when none is attached."""
    theme = read(("theme", context.session.pk), lambda: theme_for_session(context.session.pk))
    if theme is None:
        return None
    return {
        "id": theme.pk,
        "title": theme.title,
        "kind": theme.kind,
        "kind_label": str(theme.get_kind_display()),
        "summary": theme.summary,
        "paragraphs": theme.paragraphs(),
        "reference_lines": theme.reference_lines(),
    }
