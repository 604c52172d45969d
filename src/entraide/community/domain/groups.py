"""Groups: creation, capacity, open entry and exit, waiting list, charter.

Open entry and exit (field document 003, "entrées et sorties permanentes, d'une séance à
l'autre"): joining or leaving is recorded at once and takes effect from the next session;
a membership is closed, never deleted. A place freed is offered to the waiting list in order
of arrival, at once.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from entraide.core import access, actions
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope

from ..models import CharterAcceptance, Group, GroupMembership, GroupSession, WaitingListEntry
from . import CommunityError, single_line
from .charter import default_charter

MAX_CAPACITY = 500


@dataclass(frozen=True)
class GroupData:
    name: str
    capacity: int = 15
    description: str = ""
    protocol_key: str = "analyse-des-pratiques"
    charter: str = ""
    location: str = ""
    online: bool = False
    time_zone: str = "Europe/Paris"


@dataclass(frozen=True)
class JoinResult:
    joined: bool  # False: on the waiting list
    membership: GroupMembership | None
    waiting_position: int | None
    effective_from: date


def today() -> date:
    return timezone.localdate()


def effective_day() -> date:
    """A change made today counts from the next session: sessions dated after today."""
    return today() + timedelta(days=1)


def _validate(data: GroupData) -> None:
    single_line(data.name)
    single_line(data.location)
    if not data.name.strip():
        raise CommunityError(_("Please give the group a name."))
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise CommunityError(_("The capacity must be between 1 and %(max)d.") % {"max": MAX_CAPACITY})
    try:
        ZoneInfo(data.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommunityError(_("Unknown time zone: %(zone)s.") % {"zone": data.time_zone}) from None


def _refuse_same_name(organisation: Organisation, name: str, group: Group | None = None) -> None:
    """Group names are unique in an organisation (case aside): the natural key that makes a
    second submission of the same creation form create nothing."""
    others = Group.objects.filter(organisation=organisation, name__iexact=name.strip())
    if group is not None:
        others = others.exclude(pk=group.pk)
    if others.exists():
        raise CommunityError(
            _("The organisation already has a group named “%(name)s”: open it, or choose another name.") % {"name": name.strip()}
        )


def create_group(organisation: Organisation, data: GroupData, actor: User) -> Group:
    """Create a group. Raises ``CommunityError`` (nothing saved) on a missing or multi-line name,
    a capacity outside 1..MAX_CAPACITY, an unknown time zone, or a name the organisation's
    other groups already use (so posting the form twice creates one group)."""
    access.require(actor, "community.manage_groups", organisation)
    _validate(data)
    with tenant_scope(organisation), actions.write(actor, "community.manage_groups", organisation, "group.created", lock=organisation) as w:
        _refuse_same_name(organisation, data.name)
        w.obj = Group.objects.create(
            organisation=organisation,
            name=data.name.strip(),
            capacity=data.capacity,
            description=data.description.strip(),
            protocol_key=data.protocol_key,
            charter=data.charter.strip() or default_charter(organisation.language),
            location=data.location.strip(),
            online=data.online,
            time_zone=data.time_zone,
        )
    return w.obj


def update_group(group: Group, data: GroupData, actor: User) -> Group:
    """Change a group's settings. A capacity below the current number of members is refused
    (nobody is pushed out): nothing is changed then."""
    access.require(actor, "community.manage_groups", group)
    _validate(data)
    with tenant_scope(group.organisation), actions.write(actor, "community.manage_groups", group, "group.changed", lock=group) as w:
        locked = w.obj
        _refuse_same_name(locked.organisation, data.name, locked)
        current = current_member_count(locked)
        if data.capacity < current:
            raise CommunityError(
                ngettext(
                    "The capacity cannot be %(capacity)d: the group has %(members)d member. "
                    "Members leave by themselves; the capacity can then be lowered.",
                    "The capacity cannot be %(capacity)d: the group has %(members)d members. "
                    "Members leave by themselves; the capacity can then be lowered.",
                    current,
                )
                % {"capacity": data.capacity, "members": current}
            )
        locked.name = data.name.strip()
        locked.capacity = data.capacity
        locked.description = data.description.strip()
        locked.protocol_key = data.protocol_key
        locked.charter = data.charter.strip() or locked.charter
        locked.location = data.location.strip()
        locked.online = data.online
        locked.time_zone = data.time_zone
        locked.save()
        _promote(locked, actor, w)
    group.refresh_from_db()
    return group


def set_capacity(group: Group, capacity: int, actor: User) -> Group:
    data = GroupData(
        name=group.name, capacity=capacity, description=group.description, protocol_key=group.protocol_key,
        charter=group.charter, location=group.location, online=group.online, time_zone=group.time_zone,
    )
    return update_group(group, data, actor)


def set_facilitators(group: Group, users: list[User], actor: User) -> None:
    with tenant_scope(group.organisation), actions.write(actor, "community.manage_groups", group, "group.facilitators_set", lock=group):
        allowed = {u.pk for u in users if access.can(u, "community.take_attendance", group)}
        group.facilitators.set([u for u in users if u.pk in allowed])


# --- Membership -----------------------------------------------------------------------------


def groups_with_counts(organisation: Organisation) -> list[Group]:
    """The organisation's groups, by name, each with ``members``: how many belong to it today
    (open memberships). One query; runs inside the organisation's tenant scope. Read by the
    groups page and the API (who may see them: ``community.view_groups``, asked by the door)."""
    from django.db.models import Count, Q

    return list(
        Group.objects.filter(organisation=organisation).annotate(
            members=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True),
        )
    )


def open_memberships(group: Group):
    return GroupMembership.objects.filter(group=group, left_on__isnull=True)


def current_member_count(group: Group) -> int:
    return open_memberships(group).count()


def waiting_entries(group: Group):
    return WaitingListEntry.objects.filter(group=group, promoted_at__isnull=True, withdrawn_at__isnull=True)


def waiting_position(group: Group, user: User) -> int | None:
    with tenant_scope(group.organisation):
        ids = list(waiting_entries(group).values_list("user_id", flat=True))
    return ids.index(user.pk) + 1 if user.pk in ids else None


def _add_member(group: Group, user: User) -> GroupMembership:
    return GroupMembership.objects.create(group=group, user=user, joined_on=effective_day())


def _promote(group: Group, actor: User | None, w: actions.Write) -> list[GroupMembership]:
    """Fill free places from the waiting list, in order of arrival (inside the caller's write and
    lock). Each promotion is logged (``membership.promoted``, about the person promoted); their
    mail leaves on commit."""
    promoted = []
    free = group.capacity - current_member_count(group)
    if free <= 0:
        return promoted
    for entry in list(waiting_entries(group)[:free]):
        entry.promoted_at = timezone.now()
        entry.save(update_fields=["promoted_at"])
        membership = _add_member(group, entry.user)
        promoted.append(membership)
        actions.log(actor, "membership.promoted", membership, subject=entry.user, organisation=group.organisation)
        w.on_commit(lambda membership=membership: _tell_promoted(membership))
    return promoted


def _tell_promoted(membership: GroupMembership) -> None:
    from .mail import send_promotion

    send_promotion(membership)


def join_group(group: Group, user: User, actor: User | None = None) -> JoinResult:
    """``user`` joins (or asks to join) the group; ``actor`` is who does it (themself by default).

    A full group puts them on the waiting list. Joining takes effect from the next session.
    Logs ``group.joined`` (or ``group.waiting``) about ``user``. Raises ``CommunityError``
    (``already_member``, ``already_waiting``), nothing changed.
    """
    actor = actor or user
    if actor != user:
        access.require(actor, "community.manage_groups", group)
    access.require(user, "community.join_group", group)
    # Both rules are checked above (the actor's and the joiner's).
    with tenant_scope(group.organisation), actions.write(actor, None, group, "group.joined", lock=group, subject=user) as w:
        locked = w.obj
        _promote(locked, actor, w)  # those already waiting come first
        if open_memberships(locked).filter(user=user).exists():
            raise CommunityError(_("You are already a member of this group."), code="already_member")
        if waiting_entries(locked).filter(user=user).exists():
            raise CommunityError(
                _("You are already on the waiting list (position %(position)d).")
                % {"position": waiting_position(locked, user)},
                code="already_waiting",
            )
        if current_member_count(locked) < locked.capacity and not waiting_entries(locked).exists():
            membership = _add_member(locked, user)
            result = JoinResult(True, membership, None, membership.joined_on)
        else:
            WaitingListEntry.objects.create(group=locked, user=user)
            w.verb = "group.waiting"
            result = JoinResult(False, None, waiting_position(locked, user), effective_day())
    return result


def leave_group(group: Group, user: User, actor: User | None = None) -> list[GroupMembership]:
    """Leave the group (or the waiting list) from the next session on; history is kept.

    Returns the memberships of the people promoted from the waiting list into the freed place.
    Logs ``group.left`` (or ``group.waiting_withdrawn``) about ``user``; ``CommunityError``
    (``not_member``) when they are neither member nor waiting.
    """
    actor = actor or user
    if actor != user:
        access.require(actor, "community.manage_groups", group)
    # Leaving needs no rule of one's own (a former member may leave); another actor's is checked above.
    with tenant_scope(group.organisation), actions.write(actor, None, group, "group.left", lock=group, subject=user) as w:
        locked = w.obj
        membership = open_memberships(locked).filter(user=user).first()
        if membership is None:
            waiting = waiting_entries(locked).filter(user=user).first()
            if waiting is None:
                raise CommunityError(_("You are not a member of this group."), code="not_member")
            waiting.withdrawn_at = timezone.now()
            waiting.save(update_fields=["withdrawn_at"])
            w.verb = "group.waiting_withdrawn"
            promoted = []
        else:
            membership.left_on = max(effective_day(), membership.joined_on)
            membership.left_at = timezone.now()
            membership.save(update_fields=["left_on", "left_at"])
            promoted = _promote(locked, actor, w)
    return promoted


def promote_waiting(group: Group, actor: User) -> list[GroupMembership]:
    with tenant_scope(group.organisation), actions.write(actor, "community.manage_groups", group, "group.waiting_promoted", lock=group) as w:
        promoted = _promote(w.obj, actor, w)
        if not promoted:
            w.unchanged()
    return promoted


def members_on(group: Group, day: date):
    """The memberships that count for a session on ``day``."""
    return (
        GroupMembership.objects.filter(group=group, joined_on__lte=day)
        .exclude(left_on__lte=day)
        .select_related("user")
    )


def next_session(group: Group, after: date | None = None) -> GroupSession | None:
    return (
        GroupSession.objects.filter(group=group, date__gte=after or today())
        .exclude(status=GroupSession.Status.CANCELLED)
        .order_by("date", "start")
        .first()
    )


# --- Charter --------------------------------------------------------------------------------


def has_accepted_charter(group: Group, user: User, current_only: bool = False) -> bool:
    with tenant_scope(group.organisation):
        acceptances = CharterAcceptance.objects.filter(group=group, user=user)
        if current_only:
            acceptances = acceptances.filter(charter_hash=group.charter_hash)
        return acceptances.exists()


def accept_charter(group: Group, user: User) -> CharterAcceptance:
    """The member accepts the group's current charter (idempotent)."""
    with tenant_scope(group.organisation), actions.write(user, "community.join_group", group, "charter.accepted", subject=user) as w:
        acceptance, created = CharterAcceptance.objects.get_or_create(
            group=group, user=user, charter_hash=group.charter_hash
        )
        w.obj = acceptance
        if not created:
            w.unchanged()
    return acceptance
