"""The printable kit: what a session of a protocol needs on paper, sized to the group.

``build_kit`` turns (protocol version, participants, language, optional live session, optional
start and end) into a ``Kit``; ``render_kit_html`` makes it one HTML document and
``render_kit_pdf`` one PDF (a single WeasyPrint render, A4, print margins).

What is in the kit (field document 001, "supports d'atelier"):

- always: the agenda fitted to the window, with what each role does at each step; a poster
  of the process; the role cards, one per person (one facilitator, one offerer when the
  protocol has that role, the others contributors), with cut lines;
- a worksheet only when a step of the protocol uses it (the spec's ``worksheet`` field), so
  that a protocol prints the sheets it works with and no others: "rules of the game" (one),
  "participants' problems" (one per participant other than the facilitator), "formulating the
  problem" (one), "echoes on the problem" (one per contributor), "harvest and action plan"
  (one);
- for a live session, a poster with its join code and QR code.

Every text is either in the spec (titles, role cards, the instructions of the steps that use a
sheet, printed on it for the person who holds it) or a gettext string, rendered in the kit's
language; nothing else is written on the sheets.
"""

from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.core.errors import DomainError
from entraide.core.exports import render_pdf
from entraide.protocols.domain.agenda import (
    Agenda,
    AgendaError,
    check_participants,
    fit_agenda,
    format_length,
    minutes_to_time,
    time_to_minutes,
)
from entraide.protocols.domain.spec import LANGUAGES, ProtocolSpec, Step
from entraide.protocols.models import ProtocolVersion

if TYPE_CHECKING:
    from entraide.live.models import LiveSession

DEFAULT_START = time(14, 0)
MINUTES_PER_DAY = 24 * 60

# The sheets, in the order they are used in a session, and whose instructions each one
# carries: the roles are tried in order, the first with an instruction for the step wins
# (None: the step's own actors other than the facilitator, e.g. whoever pitches a problem).
SHEET_ORDER = ("rules", "problems", "formulation", "rebound", "harvest")
SHEET_HOLDERS: dict[str, tuple[str | None, ...]] = {
    "rules": ("facilitator", "contributor"),
    "problems": (None, "contributor", "offerer", "facilitator"),
    "formulation": ("offerer", "facilitator"),
    "rebound": ("contributor", "facilitator"),
    "harvest": ("offerer", "facilitator"),
}
CARDS_PER_PAGE = 8
CARDS_PER_ROW = 2


class KitError(DomainError, ValueError):
    """The kit cannot be made; ``message`` says why, in the user's language; ``code``
    ``"kit_impossible"``."""

    default_code = "kit_impossible"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message, code=code, field=field)


@dataclass(frozen=True)
class SheetStep:
    """A step that uses a sheet, as printed on it: its title, time and instruction."""

    title: str
    length: str
    instruction: str


@dataclass(frozen=True)
class Sheet:
    kind: str
    copies: int
    steps: tuple[SheetStep, ...]
    minutes: int  # fitted minutes of the session steps using it

    @property
    def numbers(self) -> range:
        return range(1, self.copies + 1)


@dataclass(frozen=True)
class RoleCard:
    role: str
    name: str
    text: str


@dataclass(frozen=True)
class SessionPoster:
    title: str
    code: str
    join_url: str
    qr_data_uri: str


@dataclass(frozen=True)
class Kit:
    spec: ProtocolSpec
    version_number: int | None
    participants: int
    language: str
    agenda: Agenda
    sheets: tuple[Sheet, ...]
    cards: tuple[RoleCard, ...]
    poster: SessionPoster | None = None

    def sheet(self, kind: str) -> Sheet | None:
        return next((sheet for sheet in self.sheets if sheet.kind == kind), None)

    def copies(self, kind: str) -> int:
        sheet = self.sheet(kind)
        return sheet.copies if sheet else 0

    @property
    def card_pages(self) -> list[list[tuple[RoleCard, ...]]]:
        """Pages of rows of cards: a grid whose shared edges are the cut lines."""
        pages = [self.cards[i : i + CARDS_PER_PAGE] for i in range(0, len(self.cards), CARDS_PER_PAGE)]
        return [[page[i : i + CARDS_PER_ROW] for i in range(0, len(page), CARDS_PER_ROW)] for page in pages]

    @property
    def filename(self) -> str:
        suffix = f"-{self.poster.code.lower()}" if self.poster else ""
        return f"kit-{self.spec.key}-{self.participants}-{self.language}{suffix}.pdf"


# --- Building -------------------------------------------------------------------------------


def build_kit(
    version: ProtocolVersion,
    participants: int | str,
    language: str,
    *,
    start: time | None = None,
    end: time | None = None,
    session_poster: SessionPoster | None = None,
) -> Kit:
    """The kit of a protocol for a group. Raise ``KitError`` (in the active language) on bad input.

    ``version``: the protocol version printed (a session's own, or a protocol's current one).
    ``participants`` counts the facilitator. Without ``start``/``end`` the agenda starts at
    14:00 (or ends at ``end``) and keeps every step at its indicative duration.
    """
    spec = version.spec
    language = check_language(language)
    participants = check_kit_participants(spec, participants)
    start, end = _window(spec, participants, start, end)
    try:
        agenda = fit_agenda(spec, participants, start, end)
    except AgendaError as error:
        raise KitError(error.message) from None
    with translation.override(language):
        sheets = tuple(_sheets(spec, participants, agenda, language))
        cards = tuple(_cards(spec, participants, language))
    return Kit(
        spec=spec,
        version_number=version.number,
        participants=participants,
        language=language,
        agenda=agenda,
        sheets=sheets,
        cards=cards,
        poster=session_poster,
    )


def build_session_kit(session: "LiveSession", language: str, join_url: str) -> Kit:
    """The kit of a live session: sized to its planned group and window, with its join poster."""
    version = session.protocol_version
    poster = SessionPoster(
        title=session.title or version.spec.title.get(check_language(language)),
        code=session.join_code,
        join_url=join_url,
        qr_data_uri=qr_data_uri(join_url),
    )
    return build_kit(
        version,
        session.planned_participants,
        language,
        start=session.planned_start,
        end=session.planned_end,
        session_poster=poster,
    )


def check_language(language: str | None) -> str:
    code = (language or "").strip().lower()
    if code not in LANGUAGES:
        raise KitError(
            _("Unknown language “%(language)s”: choose one of %(choices)s.")
            % {"language": language or "", "choices": ", ".join(LANGUAGES)}
        )
    return code


def check_kit_participants(spec: ProtocolSpec, participants: int | str) -> int:
    try:
        count = int(str(participants).strip())
    except ValueError:
        raise KitError(
            _("“%(value)s” is not a number of participants; write a whole number, e.g. 7.") % {"value": participants}
        ) from None
    if count < 2:
        raise KitError(
            _("A kit needs at least 2 participants, the facilitator included (asked: %(count)d).") % {"count": count}
        )
    try:
        check_participants(spec, count)
    except AgendaError as error:
        raise KitError(error.message) from None
    return count


def _window(spec: ProtocolSpec, participants: int, start: time | None, end: time | None) -> tuple[time, time]:
    """The given window, completed with the indicative length when a bound is missing."""
    if start is not None and end is not None:
        return start, end
    indicative = sum(step.duration.bounds(participants)[1] for step in spec.timed_steps)
    if start is None and end is None:
        start = DEFAULT_START
    if end is None:
        last = time_to_minutes(start) + indicative
        if last >= MINUTES_PER_DAY:
            raise KitError(_("The agenda would end after midnight: choose an earlier start."))
        return start, minutes_to_time(last)
    first = time_to_minutes(end) - indicative
    if first < 0:
        raise KitError(_("The agenda would start before midnight: choose a later end."))
    return minutes_to_time(first), end


def contributor_count(spec: ProtocolSpec, participants: int) -> int:
    """Everyone but the facilitator and, when the protocol has one, the offerer."""
    return max(participants - 1 - (1 if "offerer" in spec.roles else 0), 0)


def sheet_copies(spec: ProtocolSpec, kind: str, participants: int) -> int:
    if kind == "problems":
        return participants - 1
    if kind == "rebound":
        return contributor_count(spec, participants)
    return 1


def _sheets(spec: ProtocolSpec, participants: int, agenda: Agenda, language: str):
    minutes = {item.step.key: item.minutes for item in agenda.items}
    for kind in SHEET_ORDER:
        steps = [step for step in spec.steps if step.worksheet == kind]
        copies = sheet_copies(spec, kind, participants)
        if not steps or copies < 1:
            continue
        yield Sheet(
            kind=kind,
            copies=copies,
            steps=tuple(
                SheetStep(
                    title=step.title.get(language),
                    length=format_length(minutes[step.key]) if step.key in minutes else "",
                    instruction=_holder_instruction(step, kind, language),
                )
                for step in steps
            ),
            minutes=sum(minutes.get(step.key, 0) for step in steps),
        )


def _holder_instruction(step: Step, kind: str, language: str) -> str:
    for role in SHEET_HOLDERS[kind]:
        candidates = [actor for actor in step.actors if actor != "facilitator"] if role is None else [role]
        for candidate in candidates:
            text = step.instruction(candidate, language)
            if text:
                return text
    return next((text.get(language) for text in step.instructions.values()), "")


def _cards(spec: ProtocolSpec, participants: int, language: str):
    counts = {"facilitator": 1, "offerer": 1, "contributor": contributor_count(spec, participants)}
    for key in ("facilitator", "offerer", "contributor"):
        role = spec.roles.get(key)
        if role is None:
            continue
        for _number in range(counts[key]):
            yield RoleCard(role=key, name=role.name.get(language), text=role.card.get(language))


def qr_data_uri(url: str) -> str:
    """The join link as a QR code, an SVG that scales to the box it is printed in."""
    return segno.make(url, error="m").svg_data_uri(scale=1, border=2, dark="#000000", light="#ffffff", omitsize=True)


# --- Rendering ------------------------------------------------------------------------------


def render_kit_html(kit: Kit) -> str:
    with translation.override(kit.language):
        return render_to_string(
            "kit/kit.html",
            {
                "kit": kit,
                "spec": kit.spec,
                "agenda": kit.agenda,
                "total_length": format_length(kit.agenda.total_minutes),
                "sheets": {sheet.kind: sheet for sheet in kit.sheets},
                "poster_columns": poster_columns(kit.agenda),
                "footer": f"{kit.spec.title.get(kit.language)} · {_('Printable kit')}",
                "writing_lines": range(24),
                "short_lines": range(7),
                "plan_rows": range(7),
            },
        )


def poster_columns(agenda: Agenda) -> list[list[tuple[int, object]]]:
    """The numbered steps in two columns, the first one longer (a table: WeasyPrint's
    balanced CSS columns cost more than the rest of the kit together)."""
    numbered = list(enumerate(agenda.items, start=1))
    half = (len(numbered) + 1) // 2
    return [numbered[:half], numbered[half:]]


def render_kit_pdf(kit: Kit) -> bytes:
    """The kit as PDF bytes, through the one PDF render of ``core.exports`` (its URL fetcher
    serves only the package's own files; the spec's texts reach the page as HTML text only)."""
    return render_pdf(render_kit_html(kit))
