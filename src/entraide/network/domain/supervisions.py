"""The collective supervision proposed from a request (field document 000: "Kalame proposera à
tous les membres qui se sentent concernés par les questions ou situations soulevées de
participer à une séance de supervision-intervision collective").

A coordinator proposes it: a group of its own (community.Group on the built-in
``supervision-collective`` protocol) with one session (date, times, place, facilitator), the
PAF rule (``paf.py``), and invitations by mail to the raiser and the members concerned (sent on
commit; no content in them). Registering is joining that group (community's open entry, so a
registration counts from the next day and the group's capacity and waiting list apply): the
group's members for the session's date are the registered, the live session seats them by
their account, and the group's page, "Mon espace" and the calendars list the session.

When the session is opened live (community ``open_live``), ``seat_bringer`` seats the raiser,
if registered, as the person who brings the situation (``offerer``).
"""

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from entraide.community.domain import CommunityError
from entraide.community.domain import groups as group_domain
from entraide.community.models import GroupSession
from entraide.core import access, actions
from entraide.core.mail import send_plain_mail
from entraide.core.models import Organisation, Role, User
from entraide.core.tenancy import tenant_scope
from entraide.core.text import clean_single_line

from ..models import Concern, CollectiveSupervision, SupervisionInvitation, SupervisionRequest
from . import NetworkError, single_line_error
from .mail import absolute
from .paf import PafRule, describe, describe_rule, make_rule, paf_per_person

PROTOCOL = "supervision-collective"
CAPACITY_MAX = 15  # the protocol's participants.max


@dataclass(frozen=True)
class Proposal:
    """What the coordinator sets: the session (``date`` after today; ``start`` < ``end``), its
    ``place`` (one line), who ``facilitator`` runs it (an account of the organisation that is
    not a commissioner, or None: any facilitator or coordinator), ``capacity`` (2..15) and the
    PAF (amounts as typed, see ``paf.make_rule``)."""

    date: date
    start: time
    end: time
    place: str = ""
    facilitator: User | None = None
    capacity: int = CAPACITY_MAX
    speaker_name: str = ""
    speaker_fee: object = "0"
    costs: object = "0"
    paf_floor: object = None
    paf_cap: object = None
    currency: str = "EUR"


def _community(error: CommunityError) -> NetworkError:
    return NetworkError(error.message, code="community")


def _validate(proposal: Proposal, organisation: Organisation) -> tuple[str, str, PafRule]:
    if proposal.date is None or proposal.date <= group_domain.today():
        raise NetworkError(_("Choose a date after today: a registration counts from the next day."), code="bad_date", field="date")
    if proposal.start is None or proposal.end is None or proposal.end <= proposal.start:
        raise NetworkError(_("The session must end after it starts."), code="bad_times", field="end")
    place = clean_single_line(proposal.place or "", field="place", error=single_line_error)[:200]
    speaker = clean_single_line(proposal.speaker_name or "", field="speaker_name", error=single_line_error)[:120]
    if not 2 <= int(proposal.capacity or 0) <= CAPACITY_MAX:
        raise NetworkError(_("Between 2 and %(max)d places.") % {"max": CAPACITY_MAX}, code="bad_capacity", field="capacity")
    if proposal.facilitator is not None and access.role_in(proposal.facilitator, organisation) in (None, Role.COMMISSIONER):
        raise NetworkError(_("The facilitator must be a member of the network."), code="bad_facilitator", field="facilitator")
    rule = make_rule(proposal.speaker_fee, proposal.costs, proposal.paf_floor, proposal.paf_cap, proposal.currency)
    return place, speaker, rule


def propose(actor: User, request: SupervisionRequest, proposal: Proposal, base_url: str = "") -> CollectiveSupervision:
    """A coordinator proposes a collective supervision for ``request`` (open, none proposed
    yet): creates its group and session, invites the raiser and the members concerned (mail on
    commit, in each person's language, with the date, place and PAF, never the situation), and
    marks the request proposed. Raises ``PermissionDenied`` / ``Http404`` (not a coordinator)
    or ``NetworkError`` (a field of ``Proposal``, or a request already proposed or closed);
    nothing is saved then."""
    from entraide.community.domain.sessions import NewSession, create_sessions

    organisation = request.organisation
    place, speaker, rule = _validate(proposal, organisation)
    with tenant_scope(organisation), actions.write(actor, "network.propose_supervision", request, "collective_supervision.proposed", lock=request) as w:
        locked: SupervisionRequest = w.obj
        if locked.status != SupervisionRequest.Status.OPEN:
            raise NetworkError(_("A collective supervision is already proposed for this request."), code="already_proposed")
        day = formats.date_format(proposal.date, "DATE_FORMAT")
        try:
            group = group_domain.create_group(
                organisation,
                group_domain.GroupData(
                    name=_("Collective supervision no. %(number)d, %(date)s") % {"number": locked.pk, "date": day},
                    capacity=int(proposal.capacity), protocol_key=PROTOCOL, location=place,
                ),
                actor,
            )
            session = create_sessions(group, [NewSession(proposal.date, proposal.start, proposal.end)], actor, place=place)[0]
        except CommunityError as error:
            raise _community(error) from None
        if proposal.facilitator is not None:
            GroupSession.objects.filter(pk=session.pk).update(facilitator=proposal.facilitator)
        supervision = CollectiveSupervision.objects.create(
            organisation=organisation, request=locked, group=group, session=session, created_by=actor,
            speaker_name=speaker, speaker_fee=rule.fee, costs=rule.costs, paf_floor=rule.floor, paf_cap=rule.cap, currency=rule.currency,
        )
        locked.status = SupervisionRequest.Status.PROPOSED
        locked.save(update_fields=["status"])
        people = [locked.raised_by] + [c.member for c in Concern.objects.filter(request=locked).select_related("member")]
        for person in people:
            _invite(w, supervision, person, base_url)
        w.obj = supervision
    return supervision


def _invite(w: actions.Write, supervision: CollectiveSupervision, person: User, base_url: str = "") -> None:
    invitation, created = SupervisionInvitation.objects.get_or_create(supervision=supervision, user=person)
    if created:
        w.on_commit(lambda: send_invitation(supervision.pk, person.pk, base_url))


def invite_late(w: actions.Write, request: SupervisionRequest, person: User) -> None:
    """Inside a write on ``request`` (proposed): a member who says they are concerned after the
    proposal is invited too (mail on commit)."""
    supervision = CollectiveSupervision.objects.filter(request=request).first()
    if supervision is not None:
        _invite(w, supervision, person)


def send_invitation(supervision_id: int, user_id: int, base_url: str = "") -> None:
    """Mail one invitation (after commit): when, where, the PAF rule and the link to register.
    Never the situation's title or text (content stays out of mail, DESIGN.md)."""
    from entraide.core.tenancy import all_tenants

    with all_tenants():
        supervision = CollectiveSupervision.objects.select_related("session", "organisation", "request").get(pk=supervision_id)
        user = User.objects.get(pk=user_id)
    session = supervision.session
    link = absolute(base_url, "network:request", org=supervision.organisation.slug, pk=supervision.request_id)
    with translation.override(user.language):
        context = {
            "organisation": supervision.organisation.name,
            "name": user.display_name,
            "date": formats.date_format(session.date, "DATE_FORMAT"),
            "start": session.start.strftime("%H:%M"),
            "end": session.end.strftime("%H:%M"),
            "place": session.place,
            "raiser": supervision.request.raised_by_id == user.pk,
            "speaker": supervision.speaker_name,
            "paf": describe_rule(supervision.paf_rule()),
            "link": link,
        }
        subject = _("%(organisation)s: collective supervision on %(date)s") % context
    send_plain_mail(user.email, user.language, "network/email/supervision_invitation.txt", context, subject=subject)


# --- Registration -------------------------------------------------------------------------


def _registration_open(supervision: CollectiveSupervision) -> bool:
    return supervision.session.status == GroupSession.Status.PLANNED and supervision.session.date > group_domain.today()


def register(actor: User, request: SupervisionRequest) -> bool:
    """An invited member registers (joins the supervision's group from the next day, which must
    be the session's date at the latest). Returns True when registered, False when on the
    waiting list (the group is full). Raises ``NetworkError``: not invited (say you are
    concerned first), registrations closed, already registered."""
    supervision = _supervision_or_error(request)
    with tenant_scope(request.organisation), actions.write(actor, "network.take_part", request.organisation, "collective_supervision.registered", lock=supervision, subject=actor) as w:
        invitation = SupervisionInvitation.objects.filter(supervision=w.obj, user=actor).first()
        if invitation is None:
            raise NetworkError(_("Say you are concerned first: the members concerned are invited."), code="not_invited")
        if not _registration_open(w.obj):
            raise NetworkError(_("Registrations for this session are closed."), code="closed")
        try:
            result = group_domain.join_group(w.obj.group, actor)
        except CommunityError as error:
            raise _community(error) from None
        if invitation.declined_at is not None:
            invitation.declined_at = None
            invitation.save(update_fields=["declined_at"])
    return result.joined


def decline(actor: User, request: SupervisionRequest) -> None:
    """An invited member declines (or unregisters: they leave the group, their place goes to
    the waiting list). Raises ``NetworkError`` when not invited or once the session is past."""
    supervision = _supervision_or_error(request)
    with tenant_scope(request.organisation), actions.write(actor, "network.take_part", request.organisation, "collective_supervision.declined", lock=supervision, subject=actor) as w:
        invitation = SupervisionInvitation.objects.filter(supervision=w.obj, user=actor).first()
        if invitation is None:
            raise NetworkError(_("You are not invited to this session."), code="not_invited")
        if not _registration_open(w.obj):
            raise NetworkError(_("Registrations for this session are closed."), code="closed")
        if group_domain.open_memberships(w.obj.group).filter(user=actor).exists() or group_domain.waiting_entries(w.obj.group).filter(user=actor).exists():
            try:
                group_domain.leave_group(w.obj.group, actor)
            except CommunityError as error:
                raise _community(error) from None
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])


def set_paf(actor: User, supervision: CollectiveSupervision, speaker_name: str, fee, costs, floor, cap, currency: str = "EUR") -> CollectiveSupervision:
    """A coordinator changes the outside speaker and the PAF rule (``paf.make_rule``'s errors)."""
    speaker = clean_single_line(speaker_name or "", field="speaker_name", error=single_line_error)[:120]
    rule = make_rule(fee, costs, floor, cap, currency)
    with tenant_scope(supervision.organisation), actions.write(actor, "network.manage_supervision", supervision, "collective_supervision.paf_set", lock=supervision) as w:
        w.obj.speaker_name = speaker
        w.obj.speaker_fee, w.obj.costs, w.obj.paf_floor, w.obj.paf_cap, w.obj.currency = rule.fee, rule.costs, rule.floor, rule.cap, rule.currency
        w.obj.save(update_fields=["speaker_name", "speaker_fee", "costs", "paf_floor", "paf_cap", "currency"])
    return w.obj


def record_paf_due(actor: User, supervision: CollectiveSupervision) -> int:
    """A coordinator enters in the network's ledger (``grants.domain.ledger``) the PAF each
    member registered now owes: the rule's amount for that number of people (``paf``), once
    per member and supervision (a member already recorded is skipped: running it again after
    late registrations records only the newcomers). All or nothing, in one transaction.
    Returns how many fees were recorded. Raises ``NetworkError`` "no_paf" when the rule gives no
    amount (nobody registered, or neither fee nor costs), ``PermissionDenied`` / ``Http404`` for
    anyone but the organisation's coordinators (field document 000: the PAF of a supervision)."""
    from django.db import transaction

    from entraide.grants.domain import ledger
    from entraide.grants.models import LedgerEntry

    access.require(actor, "network.manage_supervision", supervision)
    with tenant_scope(supervision.organisation):
        members = [m.user for m in group_domain.members_on(supervision.group, supervision.session.date)]
        amount = paf_per_person(supervision.paf_rule(), len(members))
        if not amount:
            raise NetworkError(_("There is no PAF to record: nobody is registered, or the PAF has neither fee nor costs."), code="no_paf")
        source_type = CollectiveSupervision._meta.label_lower
        done = set(
            LedgerEntry.objects.filter(source_type=source_type, source_id=str(supervision.pk), kind=LedgerEntry.Kind.FEE_DUE).values_list("member_id", flat=True)
        )
        label = _("PAF: collective supervision of %(date)s") % {"date": formats.date_format(supervision.session.date, "SHORT_DATE_FORMAT")}
        recorded = 0
        with transaction.atomic():
            for member in members:
                if member.pk not in done:
                    ledger.record_fee_due(actor, supervision.organisation, member, amount, label, source=supervision)
                    recorded += 1
    return recorded


def _supervision_or_error(request: SupervisionRequest) -> CollectiveSupervision:
    with tenant_scope(request.organisation):
        found = CollectiveSupervision.objects.select_related("group", "session", "organisation").filter(request=request).first()
    if found is None:
        raise NetworkError(_("No collective supervision is proposed for this request yet."), code="not_proposed")
    return found


# --- What a viewer sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionView:
    """The proposal as ``viewer`` sees it. ``registered``: names, for the coordinators only
    (others: None); ``invitations``: (person, status) for the coordinators only."""

    supervision: CollectiveSupervision
    session: GroupSession
    registered_count: int
    waiting_count: int
    paf_text: str
    paf_amount: Decimal | None
    my_status: str  # "registered", "waiting", "declined", "invited", "" (not invited)
    registration_open: bool
    registered: list[User] | None
    invitations: list[tuple[User, str]] | None
    can_manage: bool


def view_for(viewer: User, request: SupervisionRequest) -> SupervisionView | None:
    """The collective supervision of ``request`` as ``viewer`` sees it, or None when none was
    proposed. Runs in the request's tenant scope; five queries."""
    with tenant_scope(request.organisation):
        supervision = CollectiveSupervision.objects.select_related("group", "session", "session__facilitator").filter(request=request).first()
        if supervision is None:
            return None
        session = supervision.session
        members = list(group_domain.members_on(supervision.group, session.date))
        waiting_ids = list(group_domain.waiting_entries(supervision.group).values_list("user_id", flat=True))
        invitations = list(SupervisionInvitation.objects.filter(supervision=supervision).select_related("user"))
    member_ids = {m.user_id for m in members}

    def status_of(user_id: int, invitation: SupervisionInvitation | None) -> str:
        if user_id in member_ids:
            return "registered"
        if user_id in waiting_ids:
            return "waiting"
        if invitation is None:
            return ""
        return "declined" if invitation.declined_at else "invited"

    mine = next((i for i in invitations if i.user_id == viewer.pk), None)
    coordinator = access.can(viewer, "network.manage_supervision", supervision)
    rule = supervision.paf_rule()
    return SupervisionView(
        supervision=supervision,
        session=session,
        registered_count=len(members),
        waiting_count=len(waiting_ids),
        paf_text=describe(rule, len(members)),
        paf_amount=paf_per_person(rule, len(members)),
        my_status=status_of(viewer.pk, mine) if (mine or viewer.pk in member_ids) else "",
        registration_open=_registration_open(supervision),
        registered=[m.user for m in members] if coordinator else None,
        invitations=[(i.user, status_of(i.user_id, i)) for i in invitations] if coordinator else None,
        can_manage=coordinator,
    )


def open_calls(viewer: User, organisation: Organisation) -> list[SupervisionView]:
    """The collective supervisions still to come that ``viewer`` may read (the network page's
    "supervision calls"), soonest first."""
    access.require(viewer, "network.take_part", organisation)
    with tenant_scope(organisation):
        found = list(
            CollectiveSupervision.objects.filter(organisation=organisation, session__date__gt=group_domain.today(), session__status=GroupSession.Status.PLANNED)
            .exclude(request__status=SupervisionRequest.Status.CLOSED)
            .select_related("request", "request__organisation", "session")
            .order_by("session__date", "session__start")
        )
    return [view for view in (view_for(viewer, s.request) for s in found if access.can(viewer, "network.view_request", s.request)) if view]


# --- The live session -------------------------------------------------------------------------


def seat_bringer(group_session: GroupSession, live_session, actor: User) -> None:
    """Called by community ``open_live`` right after it created ``live_session`` for
    ``group_session`` (nobody joined yet). When that session is a collective supervision's
    and the person who raised the request is registered (a member of its group on the date)
    and is not the one opening it, they get their seat, tied to their account (the one they
    land in from any device, ``live.domain.opening.member_seat``), as the person who brings
    the situation (``bringer: raised``). If they do not come, the facilitator names someone
    else at the "situations" step (``name_bringer`` replaces the choice)."""
    from django.db import transaction

    from entraide.core.tenancy import all_tenants
    from entraide.followup.domain.records import is_member_at
    from entraide.live.domain.activities.bringer import make_offerer
    from entraide.live.domain.opening import bump_tables, member_seat
    from entraide.live.models import ROOM_NUMBER, LiveTable

    with all_tenants():
        supervision = CollectiveSupervision.objects.filter(session=group_session).select_related("request__raised_by").first()
    if supervision is None:
        return
    raiser = supervision.request.raised_by
    if raiser.pk == actor.pk or not is_member_at(raiser, group_session):
        return
    seat = member_seat(live_session, raiser)
    if seat is None:
        return
    with all_tenants(), transaction.atomic():
        room = LiveTable.objects.select_for_update().get(session=live_session, number=ROOM_NUMBER)
        make_offerer(live_session, room, seat.participant, None)
        room.save(update_fields=["offerer", "chosen_problem"])
        bump_tables(live_session)
