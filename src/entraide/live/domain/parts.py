"""Parts other apps add to the live view model (a theme, the plans shared for review...).

An app registers a builder with ``@part(name)`` when it is ready; ``session_state`` calls each
builder once per view and puts its result, which must be JSON-able, at ``state["parts"][name]``.
The live templates read ``live.parts.<name>``: no template tag queries the database."""

from collections.abc import Callable
from dataclasses import dataclass

from ..models import LiveSession, LiveTable, Participant
from .steps import LiveStep


@dataclass(frozen=True)
class PartContext:
    """What a builder may look at: the session, the viewer's table, the viewer and the current
    step (None when the session is not running)."""

    session: LiveSession
    table: LiveTable
    viewer: Participant
    step: LiveStep | None


PARTS: dict[str, Callable[[PartContext], object]] = {}
# Parts that depend on who looks (the viewer's own contacts...): the realtime path, which
# renders once for a phantom viewer of each role, builds these again for each viewer
# (realtime.render.personal_state, through ``personal_parts``).
PERSONAL: set[str] = set()


def part(name: str, personal: bool = False):
    """Register ``builder(PartContext) -> JSON-able`` as the view model's part ``name``;
    ``personal``: its content depends on the viewer (a personal builder must not read
    ``context.table``, which the realtime path does not give)."""

    def register(builder):
        PARTS[name] = builder
        if personal:
            PERSONAL.add(name)
        else:
            PERSONAL.discard(name)
        return builder

    return register


def build_parts(context: PartContext) -> dict:
    """{name: what its builder gives} for every registered part."""
    return {name: builder(context) for name, builder in PARTS.items()}


def shared_parts(context: PartContext) -> dict:
    """{name: what its builder gives} for every registered part but the PERSONAL ones: what
    every viewer of the view sees alike. They come from other apps and may change without the
    live version (a plan shared from "Mon espace", a theme planned for the session), so a page
    kept for its version is served only while these are unchanged (realtime.render)."""
    return {name: builder(context) for name, builder in PARTS.items() if name not in PERSONAL}


def personal_parts(parts: dict, context: PartContext) -> dict:
    """``parts`` (built for another viewer of the same role) with every PERSONAL part built
    again for ``context.viewer``; the others are kept as they are (not copied)."""
    if not PERSONAL:
        return parts
    return {**parts, **{name: PARTS[name](context) for name in PERSONAL if name in PARTS}}
