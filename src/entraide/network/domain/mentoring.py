"""Mentoring (parrainage), field document 000, "Accompagnement individuel": "Un membre peut
demander à être accompagné par un parrain appelé à le conseiller, le soutenir dans la
conception, la réalisation ou l'évaluation d'un atelier par un entretien ponctuel ou par
quelques réunions de travail. Une PAF est demandée".

Members volunteer as parrain or marraine (their own word) with their fields and how many
people they can follow; a member asks for help (design, running or evaluation; one meeting or
a few; the text encrypted); the coordinator matches them, ranked suggestions at hand
(``rank_mentors``), or the member chooses a mentor themselves. Meetings are recorded by date;
what is said stays with the two people: each keeps their own private note per meeting
(encrypted, visible to its author only). The PAF follows the same rule as a supervision, with
one person paying (``paf.py``). Commissioners take no part.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import access, actions
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope
from entraide.core.text import clean_single_line

from ..models import MENTORING_TEXT_MAX, NOTE_MAX, Match, MeetingNote, MentoringMeeting, MentoringRequest, MentorOffer
from . import NetworkError, clean_text, single_line_error
from .paf import make_rule

CAPACITY_MAX = 10
TAGS_MAX = 8
TAG_MAX = 40


def parse_tags(raw) -> list[str]:
    """Fields typed as "écriture, jeunes publics" (or a list): trimmed, lower-cased, without
    repeats, in order. Raises ``NetworkError`` (field ``tags``) beyond ``TAGS_MAX`` fields
    or a field longer than ``TAG_MAX`` characters or holding a control character."""
    items = raw if isinstance(raw, (list, tuple)) else str(raw or "").split(",")
    tags: list[str] = []
    for item in items:
        tag = clean_single_line(str(item), field="tags", error=single_line_error).lower()
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX:
            raise NetworkError(_("A field is at most %(max)d characters long.") % {"max": TAG_MAX}, code="bad_tags", field="tags")
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise NetworkError(_("At most %(max)d fields.") % {"max": TAGS_MAX}, code="bad_tags", field="tags")
    return tags


# --- Suggestions: a pure rule -----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A mentor as the ranking sees them: their offer's id, the member, their fields, their
    capacity and how many people they follow now (matches not ended)."""

    offer_id: int
    member_id: int
    tags: tuple[str, ...]
    capacity: int
    following: int

    @property
    def free(self) -> int:
        return self.capacity - self.following


def rank_mentors(wanted: list[str] | tuple[str, ...], candidates: list[Candidate], mentee_id: int | None = None) -> list[Candidate]:
    """The mentors to suggest for a request with fields ``wanted``, best first: only those with
    a free place (capacity minus current matches > 0) who are not the mentee themself, ordered
    by the number of fields shared with the request (more first), then by free places (more
    first: the load is shared out), then by offer id (the older offer first, for a stable
    order). Pure: no database.

    >>> a = Candidate(1, 10, ("écriture",), 2, 1); b = Candidate(2, 11, (), 3, 0)
    >>> [c.offer_id for c in rank_mentors(["écriture"], [b, a])]
    [1, 2]
    """
    wanted_set = set(wanted)
    eligible = [c for c in candidates if c.free > 0 and c.member_id != mentee_id]
    return sorted(eligible, key=lambda c: (-len(wanted_set & set(c.tags)), -c.free, c.offer_id))


def candidates(organisation: Organisation) -> list[Candidate]:
    """The organisation's active mentor offers as ``Candidate`` (inside its scope); one query."""
    offers = MentorOffer.objects.filter(organisation=organisation, active=True).annotate(
        following=Count("matches", filter=Q(matches__ended_at__isnull=True))
    )
    return [Candidate(o.pk, o.member_id, tuple(o.tags), o.capacity, o.following) for o in offers]


def suggestions(viewer: User, request: MentoringRequest, limit: int = 5) -> list[tuple[Candidate, MentorOffer]]:
    """Ranked suggestions for ``request`` with their offers (for the coordinator and the
    mentee); two queries."""
    access.require(viewer, "network.match_mentoring", request)
    ranked = rank_mentors(request.tags, candidates(request.organisation), request.member_id)[:limit]
    offers = MentorOffer.objects.select_related("member").in_bulk([c.offer_id for c in ranked])
    return [(c, offers[c.offer_id]) for c in ranked]


# --- Writes ---------------------------------------------------------------------------------


def offer(actor: User, organisation: Organisation, wording: str, tags, capacity: int, active: bool = True) -> MentorOffer:
    """``actor`` volunteers (or updates their offer, or withdraws it with ``active`` False):
    ``wording`` one of ``MentorOffer.Wording`` (parrain, marraine, or both words), ``tags`` their
    fields, ``capacity`` 1..10 people at once. Raises ``NetworkError`` on bad input."""
    if wording not in MentorOffer.Wording.values:
        raise NetworkError(_("Choose how you want to be called."), code="bad_wording", field="wording")
    tags = parse_tags(tags)
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= CAPACITY_MAX:
        raise NetworkError(_("Between 1 and %(max)d people.") % {"max": CAPACITY_MAX}, code="bad_capacity", field="capacity")
    with tenant_scope(organisation), actions.write(actor, "network.take_part", organisation, "mentor_offer.saved", subject=actor) as w:
        w.obj, _created = MentorOffer.objects.update_or_create(
            organisation=organisation, member=actor, defaults={"wording": wording, "tags": tags, "capacity": capacity, "active": bool(active)}
        )
    return w.obj


def ask(actor: User, organisation: Organisation, kind: str, length: str, tags, text: str) -> MentoringRequest:
    """``actor`` asks for help with a workshop: ``kind`` (design, running, evaluation),
    ``length`` (one meeting or a few), ``tags`` the fields, ``text`` (required, at most
    ``MENTORING_TEXT_MAX`` characters, encrypted). Raises ``NetworkError`` on bad input."""
    if kind not in MentoringRequest.Kind.values:
        raise NetworkError(_("Choose what you need help with."), code="bad_kind", field="kind")
    if length not in MentoringRequest.Length.values:
        raise NetworkError(_("Choose one meeting or a few."), code="bad_length", field="length")
    tags = parse_tags(tags)
    text = clean_text(text, field="text", max_length=MENTORING_TEXT_MAX, empty_message=_("Say in a few words what it is about."))
    with tenant_scope(organisation), actions.write(actor, "network.take_part", organisation, "mentoring_request.asked", subject=actor) as w:
        w.obj = MentoringRequest.objects.create(organisation=organisation, member=actor, kind=kind, length=length, tags=tags, text=text)
    return w.obj


def match(actor: User, request: MentoringRequest, offer_id: int, base_url: str = "") -> Match:
    """The coordinator matches ``request`` with the mentor offer ``offer_id``, or the mentee
    chooses it themself. Refused (``NetworkError``): the request is not waiting, the offer is
    unknown, withdrawn, full, or the mentee's own. The mentor (and the mentee matched by a
    coordinator) are told by mail after commit (``mail.tell_of_match``)."""
    from .mail import tell_of_match

    with tenant_scope(request.organisation), actions.write(actor, "network.match_mentoring", request, "mentoring_request.matched", lock=request, subject=request.member) as w:
        locked: MentoringRequest = w.obj
        if locked.status != MentoringRequest.Status.OPEN:
            raise NetworkError(_("This request already has a mentor or is closed."), code="not_open")
        chosen = MentorOffer.objects.select_for_update().filter(organisation=locked.organisation, pk=offer_id, active=True).first()
        if chosen is None:
            raise NetworkError(_("Choose a mentor among those proposed."), code="bad_mentor", field="offer")
        if chosen.member_id == locked.member_id:
            raise NetworkError(_("You cannot mentor yourself."), code="own_offer", field="offer")
        if Match.objects.filter(mentor=chosen, ended_at__isnull=True).count() >= chosen.capacity:
            raise NetworkError(_("This mentor follows as many people as they can for now."), code="mentor_full", field="offer")
        found = Match.objects.create(request=locked, mentor=chosen, matched_by=actor)
        locked.status = MentoringRequest.Status.MATCHED
        locked.save(update_fields=["status"])
        w.on_commit(lambda: tell_of_match(found.pk, base_url))
    request.status = MentoringRequest.Status.MATCHED
    return found


def end(actor: User, request: MentoringRequest) -> None:
    """The mentee, the mentor or a coordinator closes the mentoring: the mentor's place frees up."""
    with tenant_scope(request.organisation):
        allowed = access.can(actor, "network.record_meeting", request) or access.can(actor, "network.coordinate", request.organisation)
    if not allowed:
        access.require(actor, "network.record_meeting", request)
    # Checked just above (the mentee, the mentor, or a coordinator: two rules).
    with tenant_scope(request.organisation), actions.write(actor, None, request, "mentoring_request.closed", lock=request, subject=request.member) as w:
        w.obj.status = MentoringRequest.Status.CLOSED
        w.obj.save(update_fields=["status"])
        Match.objects.filter(request=w.obj, ended_at__isnull=True).update(ended_at=timezone.now())
    request.status = MentoringRequest.Status.CLOSED


def record_meeting(actor: User, request: MentoringRequest, day) -> MentoringMeeting:
    """The mentee or the mentor records a meeting on ``day`` (a date or YYYY-MM-DD). Refused:
    no mentor yet, a bad date, a date more than a year away."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            day = None
    if not isinstance(day, date):
        raise NetworkError(_("Give the meeting's date."), code="bad_date", field="date")
    today = timezone.localdate()
    if abs((day - today).days) > 366:
        raise NetworkError(_("Give a date within a year of today."), code="bad_date", field="date")
    with tenant_scope(request.organisation), actions.write(actor, "network.record_meeting", request, "mentoring_meeting.recorded", lock=request, subject=request.member) as w:
        current = Match.objects.filter(request=w.obj, ended_at__isnull=True).first()
        if current is None:
            raise NetworkError(_("This mentoring has no mentor now."), code="no_match")
        meeting = MentoringMeeting.objects.create(match=current, date=day, recorded_by=actor)
    return meeting


def save_note(actor: User, meeting: MentoringMeeting, text: str) -> MeetingNote | None:
    """``actor`` (the mentee or the mentor) keeps their own private note on ``meeting``
    (encrypted, at most ``NOTE_MAX`` characters, visible to them only); an empty text deletes
    it. Returns the note, or None when deleted."""
    request = meeting.match.request
    text = clean_text(text, field="text", max_length=NOTE_MAX, required=False)
    with tenant_scope(request.organisation), actions.write(actor, "network.record_meeting", request, "mentoring_meeting.noted", subject=actor) as w:
        if not text:
            MeetingNote.objects.filter(meeting=meeting, author=actor).delete()
            return None
        note, _created = MeetingNote.objects.update_or_create(meeting=meeting, author=actor, defaults={"text": text, "updated_at": timezone.now()})
        w.obj = note
    return note


def set_paf(actor: User, request: MentoringRequest, speaker_name: str, fee, costs, floor, cap, currency: str = "EUR") -> MentoringRequest:
    """A coordinator sets the PAF of a mentoring (as for a supervision, one person paying)."""
    speaker = clean_single_line(speaker_name or "", field="speaker_name", error=single_line_error)[:120]
    rule = make_rule(fee, costs, floor, cap, currency)
    with tenant_scope(request.organisation), actions.write(actor, "network.coordinate", request.organisation, "mentoring_request.paf_set", lock=request) as w:
        w.obj.speaker_name = speaker
        w.obj.speaker_fee, w.obj.costs, w.obj.paf_floor, w.obj.paf_cap, w.obj.currency = rule.fee, rule.costs, rule.floor, rule.cap, rule.currency
        w.obj.save(update_fields=["speaker_name", "speaker_fee", "costs", "paf_floor", "paf_cap", "currency"])
    return w.obj


# --- Reads ----------------------------------------------------------------------------------


def request_or_404(viewer: User, organisation: Organisation, request_id: int) -> MentoringRequest:
    """The mentoring request ``request_id`` of ``organisation`` if ``viewer`` may read it (the
    mentee, the mentor, a coordinator), else ``Http404`` (inside the organisation's scope)."""
    found = MentoringRequest.objects.select_related("member", "organisation").filter(organisation=organisation, pk=request_id).first()
    if found is None or not access.can(viewer, "network.view_mentoring", found):
        raise Http404
    return found


def meetings_with_my_notes(viewer: User, request: MentoringRequest) -> list[tuple[MentoringMeeting, MeetingNote | None]]:
    """The meetings of ``request``'s matches by date, each with ``viewer``'s own note (never
    the other person's); two queries."""
    meetings = list(MentoringMeeting.objects.filter(match__request=request).select_related("match"))
    mine = {n.meeting_id: n for n in MeetingNote.objects.filter(meeting__in=meetings, author=viewer)}
    return [(m, mine.get(m.pk)) for m in meetings]


@dataclass(frozen=True)
class MyMentoring:
    """``viewer``'s mentoring in an organisation: their offer (or None), their requests (as
    mentee), the requests they follow (as mentor), and, for coordinators, the open requests."""

    offer: MentorOffer | None
    asked: list[MentoringRequest]
    following: list[MentoringRequest]
    waiting: list[MentoringRequest] | None


def mine(viewer: User, organisation: Organisation) -> MyMentoring:
    """Four queries at most. Raises ``PermissionDenied`` / ``Http404`` for a commissioner or a
    stranger."""
    access.require(viewer, "network.take_part", organisation)
    with tenant_scope(organisation):
        own = MentorOffer.objects.filter(organisation=organisation, member=viewer).first()
        asked = list(MentoringRequest.objects.filter(organisation=organisation, member=viewer).select_related("match__mentor__member"))
        following = list(
            MentoringRequest.objects.filter(organisation=organisation, match__mentor__member=viewer, match__ended_at__isnull=True).select_related("member")
        )
        waiting = None
        if access.can(viewer, "network.coordinate", organisation):
            waiting = list(MentoringRequest.objects.filter(organisation=organisation, status=MentoringRequest.Status.OPEN).select_related("member"))
    return MyMentoring(own, asked, following, waiting)
