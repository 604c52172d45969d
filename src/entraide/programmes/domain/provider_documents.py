"""The provider's documents for a commissioner (issue 14, part 4; field document 003, "La
proposition du prestataire devra apporter des éléments sur les points suivants"):

- the **methodological note**, "datée et signée, décrivant les modalités pratiques et
  pédagogiques de mise en œuvre du dispositif : Objectifs pédagogiques à atteindre ; Méthode et
  supports pédagogiques utilisés ; Rythme préconisé ; Modalités de l'évaluation de la
  prestation" — four sections, generated from the programme, its groups' protocol and its
  meetings;
- the **planning prévisionnel**: the programme's sessions as the planner placed them (date,
  hours, length, place, and the planner's reason for each date), with an introduction and
  remarks.

Both are generated, then edited by the coordinators or the intervenant before export as PDF. An
edited section is stored (``ProviderDocument.sections``) and wins over the generated text until
someone regenerates it. Nothing of a session's content goes there: the generators read the
programme, the protocol's published description and session dates only.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _, gettext_lazy

from entraide.core.actions import write
from entraide.core.text import has_control_characters
from entraide.protocols.domain import library

from ..models import Programme, ProgrammeMeeting, ProviderDocument
from . import ProgrammeError
from .programmes import programme_sessions

SECTION_MAX = 8000  # characters per section
SIGNATORY_MAX = 160

# The sections of each kind of document, in order: (key, title). The note's four titles are the
# field document's words.
SECTIONS = {
    ProviderDocument.Kind.METHOD_NOTE: (
        ("objectives", gettext_lazy("Learning objectives")),
        ("method", gettext_lazy("Method and teaching materials")),
        ("rhythm", gettext_lazy("Recommended rhythm")),
        ("evaluation", gettext_lazy("How the service is evaluated")),
    ),
    ProviderDocument.Kind.PLANNING: (
        ("introduction", gettext_lazy("Introduction")),
        ("remarks", gettext_lazy("Remarks")),
    ),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str
    edited: bool  # the stored text, not the generated one


@dataclass(frozen=True)
class PlannedRow:
    """One session of the planning prévisionnel. ``minutes``: its length; ``why``: the planner's
    reason for this date ("" when the session was entered by hand)."""

    number: int
    group: str
    day: date
    start: str
    end: str
    minutes: int
    place: str
    why: str


@dataclass(frozen=True)
class ProviderDocumentView:
    """What the form and the PDF show: the sections (stored or generated), the planning's rows
    (for the planning only), who signs and when, and who last edited it."""

    programme: Programme
    kind: str
    title: str
    sections: tuple[Section, ...]
    rows: tuple[PlannedRow, ...]
    signatory: str
    signed_on: date | None
    edited_by: str
    edited_on: datetime | None


def kinds() -> list[tuple[str, str]]:
    """The kinds of provider document: ``[(key, label)]``."""
    return [(kind.value, kind.label) for kind in ProviderDocument.Kind]


def _kind(kind: str) -> ProviderDocument.Kind:
    try:
        return ProviderDocument.Kind(kind)
    except ValueError:
        raise ProgrammeError(_("This kind of document does not exist."), code="kind", field="kind") from None


def _protocols(programme: Programme) -> list:
    seen, found = set(), []
    for group in programme.groups.order_by("name"):
        if group.protocol_key in seen:
            continue
        seen.add(group.protocol_key)
        protocol = library.protocol_in(programme.organisation, group.protocol_key)
        if protocol is not None:
            found.append(protocol)
    return found


def _date(day: date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else _("to be dated")


def _labelled(label: str, text: str) -> str:
    """"label: text" with the language's punctuation (French puts a space before the colon)."""
    return _("%(label)s: %(text)s") % {"label": label, "text": text}


def _objectives(programme: Programme) -> str:
    lines = []
    for protocol in _protocols(programme):
        spec = protocol.spec
        if spec.summary:
            lines.append(spec.summary.get())
        purposes = []
        for step in spec.steps:
            purpose = step.purpose.get() if step.purpose else ""
            if purpose and purpose not in purposes:
                purposes.append(purpose)
        lines.extend(f"- {purpose}" for purpose in purposes)
    if not lines:
        lines.append(_("Describe what the participants will be able to do at the end of the programme."))
    return "\n".join(lines)


def _method(programme: Programme) -> str:
    lines = []
    for protocol in _protocols(programme):
        spec = protocol.spec
        lines.append(_("Protocol: %(title)s (for %(low)d to %(high)d participants).") % {
            "title": spec.title.get(), "low": spec.participants_min, "high": spec.participants_max,
        })
        lines.append(_("Steps of a session:"))
        for number, step in enumerate((step for step in spec.steps if step.timed), start=1):
            length = f" ({step.duration.describe()})" if step.duration else ""
            lines.append(f"{number}. {step.title.get()}{length}")
        lines.append(_("Roles:"))
        lines.extend("- " + _labelled(role.name.get(), role.card.get()) for role in spec.roles.values())
        lines.append("")
    lines.append(_(
        "Materials: the printable kit (role cards, worksheets, the agenda of the session) and, "
        "for the participants who wish, the session followed on their phone. What is said in a "
        "session stays in the group: it is never written in a document for the commissioner."
    ))
    return "\n".join(lines).strip()


def _rhythm(programme: Programme) -> str:
    groups = ", ".join(programme.groups.order_by("name").values_list("name", flat=True)) or "—"
    text = _("%(n)d sessions per year of %(minutes)d minutes, from %(start)s to %(end)s.") % {
        "n": programme.sessions_per_year, "minutes": programme.session_minutes,
        "start": _date(programme.start), "end": _date(programme.end),
    }
    if programme.rhythm:
        text += " " + programme.rhythm.rstrip(".") + "."
    return text + "\n" + _("Groups: %(groups)s.") % {"groups": groups}


def _evaluation(programme: Programme) -> str:
    meetings = {meeting.kind: meeting for meeting in programme.meetings.all()}
    lines = []
    for kind in ProgrammeMeeting.Kind:
        meeting = meetings.get(kind.value)
        lines.append("- " + _labelled(str(kind.label).capitalize(), _date(meeting.date if meeting else None)))
    lines.append(_(
        "After the sessions, the participants answer an anonymous questionnaire (no link is kept "
        "between an answer and a person). The reports for the commissioner give aggregates only: "
        "every figure is withheld below five respondents, and free text never reaches the "
        "commissioner."
    ))
    return "\n".join(lines)


def _planning_introduction(programme: Programme) -> str:
    return _("Planned sessions of the programme «%(title)s» for %(commissioner)s: %(n)d sessions per year of %(minutes)d minutes, from %(start)s to %(end)s.") % {
        "title": programme.title, "commissioner": programme.commissioner_name, "n": programme.sessions_per_year,
        "minutes": programme.session_minutes, "start": _date(programme.start), "end": _date(programme.end),
    }


def _planning_remarks(programme: Programme) -> str:
    return _("Dates avoid public and school holidays where the planner was asked to. They may move by agreement; the commissioner is told in advance.")


GENERATORS = {
    "objectives": _objectives,
    "method": _method,
    "rhythm": _rhythm,
    "evaluation": _evaluation,
    "introduction": _planning_introduction,
    "remarks": _planning_remarks,
}


def planned_rows(programme: Programme) -> tuple[PlannedRow, ...]:
    """The programme's sessions, in date order, as the planning prévisionnel lists them."""
    rows = []
    for number, session in enumerate(programme_sessions(programme), start=1):
        minutes = (datetime.combine(session.date, session.end) - datetime.combine(session.date, session.start)).seconds // 60
        rows.append(PlannedRow(
            number=number, group=session.group.name, day=session.date,
            start=session.start.strftime("%H:%M"), end=session.end.strftime("%H:%M"), minutes=minutes,
            place=session.place or session.group.location, why=session.planned_because,
        ))
    return tuple(rows)


def provider_document(programme: Programme, kind: str) -> ProviderDocumentView:
    """The document ``kind`` ("method" or "planning") of ``programme``: stored sections where
    edited, generated ones elsewhere, in the active language. Raises ProgrammeError for an
    unknown kind. The caller has checked ``programmes.edit_provider_documents``."""
    kind = _kind(kind)
    stored = ProviderDocument.objects.filter(programme=programme, kind=kind).select_related("edited_by").first()
    saved = stored.sections if stored else {}
    sections = tuple(
        Section(key, str(title), saved[key] if key in saved else GENERATORS[key](programme), key in saved)
        for key, title in SECTIONS[kind]
    )
    return ProviderDocumentView(
        programme=programme, kind=kind.value, title=str(kind.label), sections=sections,
        rows=planned_rows(programme) if kind == ProviderDocument.Kind.PLANNING else (),
        signatory=stored.signatory if stored else "", signed_on=stored.signed_on if stored else None,
        edited_by=stored.edited_by.display_name if stored and stored.edited_by else "",
        edited_on=stored.edited_on if stored else None,
    )


def save_provider_document(programme: Programme, kind: str, sections: dict[str, str], signatory: str, signed_on: date | None, actor) -> ProviderDocument:
    """Store the edited document: ``sections`` maps each section key of the kind to its text
    (at most SECTION_MAX characters; an unknown key is refused); ``signatory`` one line; the
    date it is signed. Permission ``programmes.edit_provider_documents`` (coordinators and the
    intervenant). Raises ProgrammeError (nothing stored) on bad input."""
    kind = _kind(kind)
    keys = [key for key, _title in SECTIONS[kind]]
    unknown = set(sections) - set(keys)
    if unknown:
        raise ProgrammeError(_("This section does not belong to the document."), code="section", field=sorted(unknown)[0])
    cleaned = {}
    for key in keys:
        text = (sections.get(key) or "").replace("\r\n", "\n").strip()
        if len(text) > SECTION_MAX:
            raise ProgrammeError(_("A section holds at most %(n)s characters.") % {"n": SECTION_MAX}, code="too_long", field=key)
        if has_control_characters(text.replace("\n", "").replace("\t", "")):
            raise ProgrammeError(_("Remove the control characters from this text."), code="control", field=key)
        cleaned[key] = text
    signatory = (signatory or "").strip()
    if len(signatory) > SIGNATORY_MAX or "\n" in signatory or has_control_characters(signatory):
        raise ProgrammeError(_("The name of the signatory is one line of at most %(n)s characters.") % {"n": SIGNATORY_MAX}, code="signatory", field="signatory")
    with write(actor, "programmes.edit_provider_documents", programme, "programme.document_saved", lock=programme) as w:
        document, _created = ProviderDocument.objects.get_or_create(programme=programme, kind=kind)
        document.sections, document.signatory, document.signed_on = cleaned, signatory, signed_on
        document.edited_by, document.edited_on = actor, timezone.now()
        document.save()
        w.obj = document
    return document


def regenerate_provider_document(programme: Programme, kind: str, actor) -> None:
    """Forget the edited sections of the document (who signs and when stay): the next view
    generates them again from the programme. Permission as ``save_provider_document``."""
    kind = _kind(kind)
    with write(actor, "programmes.edit_provider_documents", programme, "programme.document_regenerated", lock=programme) as w:
        document = ProviderDocument.objects.filter(programme=programme, kind=kind).first()
        if document is None or not document.sections:
            w.unchanged()
            return
        document.sections = {}
        document.edited_by, document.edited_on = actor, timezone.now()
        document.save(update_fields=["sections", "edited_by", "edited_on"])
        w.obj = document
