"""Who may do what: the one module of access checks.

Every view, websocket consumer, API endpoint and management command asks here, through
``can(user, permission, obj)`` / ``require(...)`` or the django-rules permissions registered
below (so templates can use ``{% has_perm %}`` and ``user.has_perm`` gives the same answer).

What must hold (see DESIGN.md, confidentiality model): coordinators and commissioners see
attendance and aggregates, never content; facilitators see what the group sees; private notes
are their author's only.
"""

from collections.abc import Iterable

import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Organisation, Role
from .tenancy import all_tenants

FACILITATING_ROLES = frozenset({Role.COORDINATOR, Role.FACILITATOR})


def roles_of(user) -> dict[int, str]:
    """{organisation id: role} for this user, loaded once per user object (once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_entraide_roles", None)
    if cached is None:
        with all_tenants():
            cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._entraide_roles = cached
    return cached


def forget_roles(user) -> None:
    """After a membership change, so that the next check reads it afresh."""
    if hasattr(user, "_entraide_roles"):
        del user._entraide_roles


def role_in(user, organisation: Organisation | int | None) -> str | None:
    if organisation is None:
        return None
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return roles_of(user).get(organisation_id)


def organisations_of(user, roles: Iterable[str] | None = None) -> list[Organisation]:
    wanted = set(roles) if roles is not None else None
    ids = [org_id for org_id, role in roles_of(user).items() if wanted is None or role in wanted]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


# --- Predicates ----------------------------------------------------------------------------


def _organisation_of(obj) -> Organisation | int | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation_id", None)


@rules.predicate
def is_member_of(user, obj) -> bool:
    return role_in(user, _organisation_of(obj)) is not None


@rules.predicate
def is_coordinator_of(user, obj) -> bool:
    return role_in(user, _organisation_of(obj)) == Role.COORDINATOR


@rules.predicate
def is_facilitator_of(user, obj) -> bool:
    return role_in(user, _organisation_of(obj)) in FACILITATING_ROLES


@rules.predicate
def is_facilitator_only_of(user, obj) -> bool:
    return role_in(user, _organisation_of(obj)) == Role.FACILITATOR


@rules.predicate
def is_shared_protocol(user, protocol) -> bool:
    return protocol is not None and protocol.organisation_id is None


@rules.predicate
def is_facilitator_seat(user, seat) -> bool:
    """obj: the viewer's seat in a live session (by cookie or account), as the console knows it."""
    return seat is not None and getattr(seat, "role", None) == "facilitator" and seat.removed_at is None


@rules.predicate
def is_staff(user) -> bool:
    return bool(user and user.is_active and user.is_staff)


rules.add_perm("core.view_organisation", is_member_of | is_staff)
rules.add_perm("core.manage_organisation", is_coordinator_of)
# A built-in protocol is public; an organisation's own version is its members'.
rules.add_perm("protocols.view_protocol", is_shared_protocol | is_member_of)
rules.add_perm("protocols.change_protocol", ~is_shared_protocol & is_coordinator_of)
# obj: the organisation that receives the copy.
rules.add_perm("protocols.copy_protocol_into", is_coordinator_of)
# obj: the organisation in which the session is opened.
rules.add_perm("live.open_session", is_facilitator_of)
# The printable kit of a protocol: whoever may see the protocol (a built-in: anyone).
rules.add_perm("kit.print_protocol_kit", is_shared_protocol | is_member_of)
# obj: the viewer's seat; a session's kit (with its join code) is for who runs the session.
rules.add_perm("kit.print_session_kit", is_facilitator_seat)
# Events: coordinators set them up and see who registered (names, roles, places), never the
# questions presenters bring; those are content, for the organisation's facilitators only.
rules.add_perm("events.manage_event", is_coordinator_of)
rules.add_perm("events.list_events", is_facilitator_of)


@rules.predicate
def is_event_facilitator(user, event) -> bool:
    """obj: an event (events.Event). The user is one of the facilitators the coordinator named
    for it (``Event.facilitators``) and still a member of its organisation, not as a
    commissioner. Any other object (an organisation): False. One query per event object."""
    from entraide.events.models import Event

    if not isinstance(event, Event) or user is None or not user.is_authenticated:
        return False
    if role_in(user, event.organisation_id) in (None, Role.COMMISSIONER):
        return False
    return user.pk in event.facilitator_ids()


# obj: an event. Its named facilitators run its live session; they see what the group will see
# (hosts, presenters with their questions, participants), never edit the event or cancel a
# registration. A coordinator who is not named does not facilitate (nor read the questions).
rules.add_perm("events.facilitate_event", is_event_facilitator)
# obj: an event. Its live session (atelier pratique, issue 12) is opened from its page by its
# named facilitators and by the coordinators; whoever opens it holds the facilitator's seat and
# sees the presenters' questions as the room will (they pose them in plenary).
rules.add_perm("events.open_live_session", is_coordinator_of | is_event_facilitator)
# obj: an event. Its page inside the organisation: the coordinators, and its facilitators.
rules.add_perm("events.view_event", is_coordinator_of | is_event_facilitator)
# obj: the organisation (its facilitators read every event's questions) or an event (its own
# facilitators too, whatever their role in the organisation).
rules.add_perm("events.view_presenter_questions", is_facilitator_only_of | is_event_facilitator)
# Themes and tools: built-ins are public; coordinators create, copy and edit their own. A live
# session's thematic input is its console's command (attach_theme); in advance, a group
# session's theme is planned (themes.plan_theme below).
rules.add_perm("themes.view_theme", is_shared_protocol | is_member_of)
rules.add_perm("themes.manage_themes", is_coordinator_of)
rules.add_perm("themes.change_theme", ~is_shared_protocol & is_coordinator_of)


@rules.predicate
def may_plan_theme(user, group_session) -> bool:
    """obj: a group session. Its coordinators and facilitators, or the member who facilitates it
    in turn (brouillons), plan its theme in advance."""
    if group_session is None:
        return False
    if group_session.facilitator_id is not None and user is not None and group_session.facilitator_id == user.pk:
        return role_in(user, group_session.group.organisation_id) not in (None, Role.COMMISSIONER)
    return is_facilitator_of(user, group_session.group)


rules.add_perm("themes.plan_theme", may_plan_theme)


# --- Community: members, groups, sessions, attendance (obj: the organisation or a group) ----


@rules.predicate
def is_commissioner_of(user, obj) -> bool:
    return role_in(user, _organisation_of(obj)) == Role.COMMISSIONER


# Everyone in the organisation sees its groups and their dates (open entry: members join).
rules.add_perm("community.view_groups", is_member_of)
rules.add_perm("community.manage_groups", is_coordinator_of)
# Names, profiles, waiting lists and each person's attendance: those who run the groups.
rules.add_perm("community.view_people", is_facilitator_of)
rules.add_perm("community.take_attendance", is_facilitator_of)
# Commissioners see attendance numbers (aggregates) only, never names or content.
rules.add_perm("community.view_attendance_numbers", is_facilitator_of | is_commissioner_of)
# Commissioners pay for a programme; they do not take part in it.
rules.add_perm("community.join_group", is_member_of & ~is_commissioner_of)


# --- Follow-up: action plans and the session record ----------------------------------------


@rules.predicate
def is_plan_author(user, plan) -> bool:
    """obj: an action plan. Its author only (still in the organisation): private by default;
    coordinators and commissioners never see its content."""
    return (
        plan is not None and user is not None and user.is_authenticated
        and plan.author_id == user.pk and role_in(user, plan.organisation_id) is not None
    )


@rules.predicate
def is_group_member_at_session(user, group_session) -> bool:
    """obj: a group session. A member of its group on the session's date (not a coordinator as such)."""
    from entraide.followup.domain.records import is_member_at

    return group_session is not None and role_in(user, group_session.group.organisation_id) is not None and is_member_at(user, group_session)


@rules.predicate
def record_is_consented(user, group_session) -> bool:
    """Every person present agreed, and nobody withdrew since."""
    from entraide.followup.domain.records import is_consented

    return group_session is not None and is_consented(group_session)


# --- Live runs of group sessions (obj: a GroupSession) --------------------------------------


def live_consoles_of(user) -> set[int]:
    """Ids of the live sessions whose facilitator's seat this account holds; one query, kept
    on the user object for the request (like ``roles_of``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_entraide_consoles", None)
    if cached is None:
        from entraide.live.models import LiveRole, Participant

        with all_tenants():
            cached = set(
                Participant.objects.filter(user=user, role=LiveRole.FACILITATOR, removed_at__isnull=True).values_list("session_id", flat=True)
            )
        user._entraide_consoles = cached
    return cached


@rules.predicate
def may_start_live(user, group_session) -> bool:
    """Not run live yet, and the user is its assigned facilitator (a member facilitating in turn
    included), or, with nobody assigned, a facilitator or coordinator of the organisation."""
    if group_session is None or group_session.live_session_id is not None:
        return False
    if group_session.facilitator_id is not None:
        # Rotation: the member whose turn it is facilitates, whatever their role.
        return (
            user is not None and group_session.facilitator_id == user.pk
            and role_in(user, group_session.group.organisation_id) not in (None, Role.COMMISSIONER)
        )
    return is_facilitator_of(user, group_session.group)


@rules.predicate
def holds_live_console(user, group_session) -> bool:
    """Already run live, and this account holds its facilitator's seat. Whoever the facilitator
    handed over to comes in by their own device's seat, not through the group's page."""
    if group_session is None or group_session.live_session_id is None:
        return False
    return group_session.live_session_id in live_consoles_of(user)


@rules.predicate
def is_group_member_of_live(user, live_session) -> bool:
    """obj: a live session. It runs a group session (community.GroupSession.live_session) and the
    user, signed in, is a member of that group on the session's date (not as a commissioner): their
    seat follows their account (live.domain.opening.seat_for / member_seat)."""
    if live_session is None or user is None or not user.is_authenticated:
        return False
    if role_in(user, live_session.organisation_id) in (None, Role.COMMISSIONER):
        return False
    from entraide.community.models import GroupSession
    from entraide.followup.domain.records import is_member_at

    with all_tenants():
        group_session = GroupSession.objects.filter(live_session_id=live_session.pk).select_related("group").first()
    return group_session is not None and is_member_at(user, group_session)


@rules.predicate
def owns_debrief(user, setup) -> bool:
    """obj: a live.DebriefSetup. The member who facilitated the trial workshop (the account of the
    seat that held the console when the debrief was set up), still in the organisation: the
    answers are theirs to read, nobody else's (coordinators see only that it took place)."""
    if setup is None or user is None or not user.is_authenticated:
        return False
    return (
        setup.owner_user_id is not None and setup.owner_user_id == user.pk
        and role_in(user, setup.session.organisation_id) not in (None, Role.COMMISSIONER)
    )


# A member of the group that a live session runs: lands in their own seat, any device.
rules.add_perm("live.take_member_seat", is_group_member_of_live)
# The debrief's answers (content): the facilitating member only.
rules.add_perm("live.read_debrief", owns_debrief)
# obj: a group. That a debrief took place and how many answered (never what): those who run groups.
rules.add_perm("live.view_debrief_count", is_facilitator_of)


# Starting or entering a group session's live run is for its facilitator (or whoever they hand
# over to); coordinators see that it runs (the group's page), never its console, code or QR.
rules.add_perm("community.run_live", may_start_live | holds_live_console)


rules.add_perm("followup.view_plan", is_plan_author)
rules.add_perm("followup.change_plan", is_plan_author)
# The members of the group only, and only with everyone's consent: never the organisation at large.
rules.add_perm("followup.view_session_record", is_group_member_at_session & record_is_consented)
# obj: the organisation; "Mes plans d'action" is for its members (commissioners take no part).
rules.add_perm("followup.keep_plans", is_member_of & ~is_commissioner_of)


# --- Helpers for the doors (views, consumers, API, commands) -----------------------------

VIEW_PERMISSION = {
    "protocols.change_protocol": "protocols.view_protocol",
    "core.manage_organisation": "core.view_organisation",
    "events.manage_event": "core.view_organisation",
    "events.list_events": "core.view_organisation",
    "events.view_presenter_questions": "core.view_organisation",
    "events.facilitate_event": "core.view_organisation",
    "events.open_live_session": "core.view_organisation",
    "events.view_event": "core.view_organisation",
    "themes.manage_themes": "core.view_organisation",
    "themes.change_theme": "themes.view_theme",
    "community.view_groups": "core.view_organisation",
    "community.manage_groups": "core.view_organisation",
    "community.view_people": "core.view_organisation",
    "community.take_attendance": "core.view_organisation",
    "community.view_attendance_numbers": "core.view_organisation",
    "community.join_group": "core.view_organisation",
    "community.run_live": "community.view_groups",
    "followup.keep_plans": "core.view_organisation",
    "themes.plan_theme": "community.view_groups",
}


def can(user, permission: str, obj=None) -> bool:
    return rules.has_perm(permission, user or AnonymousUser(), obj)


def require(user, permission: str, obj=None) -> None:
    """Raise 404 when the user may not even see the object (leaks nothing), 403 otherwise."""
    if can(user, permission, obj):
        return
    view_permission = VIEW_PERMISSION.get(permission)
    if view_permission is None or not can(user, view_permission, obj):
        raise Http404
    raise PermissionDenied
