"""Action plans and roadmaps: kept from a live session, written between sessions, followed
by their author (statuses, notes), shared with the author's group or not.

Only the author reaches these functions (the views ask ``core.access`` first). Bad input raises
``FollowupError`` with a message in the user's language and changes nothing.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.community.models import GroupMembership, GroupSession
from entraide.core import access
from entraide.core.tenancy import all_tenants
from entraide.core.text import clean_single_line
from entraide.live.models import Action, Idea, LiveSession, Participant

from ..models import ActionPlan, PlanAction
from . import FollowupError

TEXT_MAX = 300
NOTES_MAX = 2000
TITLE_MAX = 120
MAX_ACTIONS = 20


def clean_text(raw, limit: int = TEXT_MAX, required: bool = True) -> str:
    text = (raw or "").strip() if isinstance(raw, str) or raw is None else None
    if text is None:
        raise FollowupError(_("Please write a text."))
    if required and not text:
        raise FollowupError(_("The text is empty."))
    if len(text) > limit:
        raise FollowupError(_("The text is too long: %(length)d characters, at most %(max)d.") % {"length": len(text), "max": limit})
    return text


def parse_due(raw) -> date | None:
    """A calendar date (YYYY-MM-DD, as a date field sends it), or none."""
    value = (raw or "").strip() if isinstance(raw, str) or raw is None else ""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FollowupError(_("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-03-15.") % {"value": value[:20]}) from None


def parse_status(raw) -> str:
    if raw not in PlanAction.Status.values:
        raise FollowupError(_("Unknown status."))
    return raw


def current_group_of(user, organisation, group_id=None):
    """The groups this user is a member of today (for sharing a roadmap with one)."""
    today = timezone.localdate()
    with all_tenants():
        return _current_groups(user, organisation, group_id, today)


def _current_groups(user, organisation, group_id, today):
    memberships = GroupMembership.objects.filter(user=user, group__organisation=organisation, joined_on__lte=today).exclude(left_on__lte=today)
    if group_id is not None:
        memberships = memberships.filter(group_id=group_id)
    return [m.group for m in memberships.select_related("group")]


# --- Keeping the plan of a live session ----------------------------------------------------


def keepable(session: LiveSession, participant: Participant) -> bool:
    """Is there an action plan of this person in this ended session?"""
    with all_tenants():
        return session.status == LiveSession.Status.ENDED and Action.objects.filter(session=session, author=participant).exists()


def keep_from_session(session: LiveSession, participant: Participant, user) -> ActionPlan:
    """The author's own copy of their action plan, owned by their account. Idempotent."""
    if session.status != LiveSession.Status.ENDED:
        raise FollowupError(_("Your action plan can be kept once the session has ended."))
    if access.role_in(user, session.organisation_id) is None:
        raise FollowupError(_("Your account is not part of the organisation of this session."))
    with all_tenants(), transaction.atomic():
        existing = ActionPlan.objects.filter(live_session=session, author=user).first()
        if existing is not None:
            return existing
        actions = list(Action.objects.filter(session=session, author=participant))
        if not actions:
            raise FollowupError(_("You have no action plan in this session."))
        ideas = [idea.text for idea in Idea.objects.filter(session=session, author=participant)]
        group_session = GroupSession.objects.filter(live_session=session).select_related("group").first()
        plan = ActionPlan.objects.create(
            organisation_id=session.organisation_id,
            author=user,
            group=group_session.group if group_session else None,
            live_session=session,
            participant=participant,
            title=(session.title or session.protocol_version.spec.title.get())[:TITLE_MAX],
            ideas="\n".join(ideas),
        )
        PlanAction.objects.bulk_create(
            [PlanAction(plan=plan, text=a.text, due=a.due, position=i) for i, a in enumerate(actions)]
        )
    return plan


# --- A roadmap written between sessions ---------------------------------------------------


def create_roadmap(organisation, user, title, group_id=None) -> ActionPlan:
    """A roadmap of ``user`` in ``organisation``, shared with one of their current groups or none.

    ``title``: one line, at most TITLE_MAX characters. Idempotent by (author, organisation,
    title): the author's roadmap with the same title is returned instead of a second one (a
    form posted twice creates one plan). Raises ``FollowupError`` (nothing saved) on an empty,
    too long or multi-line title, or a group the author is not a member of today.
    """
    title = clean_single_line(title, error=FollowupError) if isinstance(title, str) else title
    title = clean_text(title, TITLE_MAX)
    group = None
    if group_id not in (None, ""):
        try:
            group_id = int(group_id)
        except (TypeError, ValueError):
            raise FollowupError(_("Choose one of your groups.")) from None
        groups = current_group_of(user, organisation, group_id)
        if not groups:
            raise FollowupError(_("Choose one of your groups."))
        group = groups[0]
    with all_tenants(), transaction.atomic():
        # The author's row serialises their own submissions; titles are encrypted, so compared here.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        for plan in ActionPlan.objects.filter(organisation=organisation, author=user, live_session__isnull=True):
            if plan.title.casefold() == title.casefold():
                return plan
        return ActionPlan.objects.create(organisation=organisation, author=user, group=group, title=title)


# --- Following it -------------------------------------------------------------------------


def _touch(plan: ActionPlan) -> None:
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])


def add_action(plan: ActionPlan, text, due) -> PlanAction:
    """Add an action (text up to TEXT_MAX characters, optional due date) at the end of the plan.

    Idempotent by (plan, text, due): an identical action already in the plan is returned, so a
    form posted twice adds it once. Raises ``FollowupError`` (nothing saved) on an empty or too
    long text, a malformed date, or a plan already holding MAX_ACTIONS actions.
    """
    text = clean_text(text)
    due_date = parse_due(due)
    with all_tenants(), transaction.atomic():
        ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
        for existing in PlanAction.objects.filter(plan=plan, due=due_date):
            if existing.text == text:
                return existing
        count = PlanAction.objects.filter(plan=plan).count()
        if count >= MAX_ACTIONS:
            raise FollowupError(_("A plan holds at most %(max)d actions.") % {"max": MAX_ACTIONS})
        action = PlanAction.objects.create(plan=plan, text=text, due=due_date, position=count)
        _touch(plan)
    return action


def update_action(action: PlanAction, *, text, due, status, notes) -> PlanAction:
    """Everything is checked before anything is saved."""
    action.text = clean_text(text)
    action.due = parse_due(due)
    action.status = parse_status(status)
    action.notes = clean_text(notes, NOTES_MAX, required=False)
    action.updated_at = timezone.now()
    with transaction.atomic():
        action.save()
        _touch(action.plan)
    return action


def set_status(action: PlanAction, status) -> PlanAction:
    action.status = parse_status(status)
    action.updated_at = timezone.now()
    action.save(update_fields=["status", "updated_at"])
    return action


def remove_action(action: PlanAction) -> None:
    action.delete()


def set_shared(plan: ActionPlan, shared: bool) -> ActionPlan:
    """Only with the author's group, and only while they are a member of it."""
    if shared:
        if plan.group_id is None:
            raise FollowupError(_("This plan belongs to no group: there is nobody to share it with."))
        if not current_group_of(plan.author, plan.organisation, plan.group_id):
            raise FollowupError(_("You are no longer a member of this group."))
    plan.shared_with_group = shared
    plan.updated_at = timezone.now()
    plan.save(update_fields=["shared_with_group", "updated_at"])
    return plan


# --- A roadmap written live, at a roadmap step (live.domain.activities.roadmap) --------------


def keep_roadmap(session: LiveSession, participant: Participant, text: str, due: date | None) -> ActionPlan | None:
    """The roadmap ``participant`` wrote live, kept in their account's plans (private by
    default, ``shared_with_group`` False): one plan per session and author, its one action
    replaced by each new version. Called inside the live command's transaction; the text was
    checked there. None when the seat has no account or the account left the organisation."""
    user = participant.user
    if user is None or access.role_in(user, session.organisation_id) is None:
        return None
    with all_tenants():
        group_session = GroupSession.objects.filter(live_session=session).select_related("group").first()
        plan = ActionPlan.objects.filter(live_session=session, author=user).first()
        if plan is None:
            title = _("Roadmap — %(session)s") % {"session": session.title or session.protocol_version.spec.title.get()}
            plan = ActionPlan.objects.create(
                organisation_id=session.organisation_id, author=user, group=group_session.group if group_session else None,
                live_session=session, participant=participant, title=title[:TITLE_MAX],
            )
        PlanAction.objects.filter(plan=plan).delete()
        PlanAction.objects.create(plan=plan, text=text, due=due, position=0)
        ActionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return plan
