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


def part(name: str):
    """Register ``builder(PartContext) -> JSON-able`` as the view model's part ``name``."""

    def register(builder):
        PARTS[name] = builder
        return builder

    return register


def build_parts(context: PartContext) -> dict:
    """{name: what its builder gives} for every registered part."""
    return {name: builder(context) for name, builder in PARTS.items()}
