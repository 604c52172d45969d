"""Action plans and roadmaps: kept from a live session, written between sessions, followed
by their author (statuses, notes), shared with the author's group or not.

Every change goes through ``core.actions.write``: the actor (``followup.change_plan``: the
author only, a 404 for anyone else, as the views answer), the plan's row locked, one action-log
row about the author (``plan.created``, ``plan.action_added``...; never the texts). Bad input
raises ``FollowupError`` with a message in the user's language and changes nothing.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.community.models import GroupMembership, GroupSession
from entraide.core import access, actions
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
    """The author's own copy of their action plan, owned by their account (``plan.kept``).
    Idempotent: a second call returns the first copy and logs nothing. ``participant`` is the
    seat the door found for ``user`` (their cookie or account): that is the permission."""
    if session.status != LiveSession.Status.ENDED:
        raise FollowupError(_("Your action plan can be kept once the session has ended."))
    if access.role_in(user, session.organisation_id) is None:
        raise FollowupError(_("Your account is not part of the organisation of this session."))
    with all_tenants(), actions.write(user, None, session, "plan.kept", subject=user) as w:
        existing = ActionPlan.objects.filter(live_session=session, author=user).first()
        if existing is not None:
            w.unchanged()
            return existing
        live_actions = list(Action.objects.filter(session=session, author=participant))
        if not live_actions:
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
            [PlanAction(plan=plan, text=a.text, due=a.due, position=i) for i, a in enumerate(live_actions)]
        )
        w.obj = plan
    return plan


# --- A roadmap written between sessions ---------------------------------------------------


def create_roadmap(organisation, user, title, group_id=None) -> ActionPlan:
    """A roadmap of ``user`` in ``organisation``, shared with one of their current groups or none.

    ``title``: one line, at most TITLE_MAX characters. Idempotent by (author, organisation,
    title): the author's roadmap with the same title is returned instead of a second one (a
    form posted twice creates one plan, logged once as ``plan.created``). Raises ``FollowupError``
    (nothing saved) on an empty, too long or multi-line title, or a group the author is not a
    member of today; ``Http404`` when ``user`` may not keep plans there (``followup.keep_plans``).
    """
    access.require(user, "followup.keep_plans", organisation)
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
    # The author's row serialises their own submissions; titles are encrypted, so compared here.
    with all_tenants(), actions.write(user, None, organisation, "plan.created", lock=user, subject=user, organisation=organisation) as w:
        for plan in ActionPlan.objects.filter(organisation=organisation, author=user, live_session__isnull=True):
            if plan.title.casefold() == title.casefold():
                w.unchanged()
                return plan
        w.obj = ActionPlan.objects.create(organisation=organisation, author=user, group=group, title=title)
    return w.obj


# --- Following it -------------------------------------------------------------------------


def _touch(plan: ActionPlan) -> None:
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])


def _write(actor, plan: ActionPlan, verb: str):
    """The plan's one write: its author only (``followup.change_plan``, else 404), the plan's row
    locked, logged about the author."""
    return actions.write(actor, "followup.change_plan", plan, verb, lock=plan, subject=plan.author)


def add_action(plan: ActionPlan, text, due, *, actor) -> PlanAction:
    """Add an action (text up to TEXT_MAX characters, optional due date) at the end of the plan.

    Idempotent by (plan, text, due): an identical action already in the plan is returned, so a
    form posted twice adds it once (logged once, ``plan.action_added``). Raises ``FollowupError``
    (nothing saved) on an empty or too long text, a malformed date, or a plan already holding
    MAX_ACTIONS actions.
    """
    text = clean_text(text)
    due_date = parse_due(due)
    with all_tenants(), _write(actor, plan, "plan.action_added") as w:
        for existing in PlanAction.objects.filter(plan=plan, due=due_date):
            if existing.text == text:
                w.unchanged()
                return existing
        count = PlanAction.objects.filter(plan=plan).count()
        if count >= MAX_ACTIONS:
            raise FollowupError(_("A plan holds at most %(max)d actions.") % {"max": MAX_ACTIONS})
        action = PlanAction.objects.create(plan=plan, text=text, due=due_date, position=count)
        _touch(w.obj)
    return action


def update_action(action: PlanAction, *, text, due, status, notes, actor) -> PlanAction:
    """Change an action's text, due date, status and notes (``plan.action_changed``). Everything
    is checked before anything is saved: ``FollowupError``, nothing changed."""
    text = clean_text(text)
    due_date = parse_due(due)
    status = parse_status(status)
    notes = clean_text(notes, NOTES_MAX, required=False)
    with _write(actor, action.plan, "plan.action_changed") as w:
        action.text, action.due, action.status, action.notes = text, due_date, status, notes
        action.updated_at = timezone.now()
        action.save()
        _touch(w.obj)
    return action


def set_status(action: PlanAction, status, *, actor) -> PlanAction:
    """One of ``PlanAction.Status`` (``plan.action_status_changed``); else ``FollowupError``."""
    status = parse_status(status)
    with _write(actor, action.plan, "plan.action_status_changed"):
        action.status = status
        action.updated_at = timezone.now()
        action.save(update_fields=["status", "updated_at"])
    return action


def remove_action(action: PlanAction, *, actor) -> None:
    """Remove an action from its plan (``plan.action_removed``)."""
    with _write(actor, action.plan, "plan.action_removed"):
        action.delete()


def set_shared(plan: ActionPlan, shared: bool, *, actor) -> ActionPlan:
    """Only with the author's group, and only while they are a member of it (``plan.shared`` /
    ``plan.unshared``); ``FollowupError`` otherwise, nothing changed."""
    with _write(actor, plan, "plan.shared" if shared else "plan.unshared") as w:
        if shared:
            if w.obj.group_id is None:
                raise FollowupError(_("This plan belongs to no group: there is nobody to share it with."), code="no_group")
            if not current_group_of(w.obj.author, w.obj.organisation, w.obj.group_id):
                raise FollowupError(_("You are no longer a member of this group."), code="not_member")
        w.obj.shared_with_group = shared
        w.obj.updated_at = timezone.now()
        w.obj.save(update_fields=["shared_with_group", "updated_at"])
    plan.shared_with_group, plan.updated_at = w.obj.shared_with_group, w.obj.updated_at
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
            verb = "plan.kept"
        else:
            verb = "plan.roadmap_changed"
        PlanAction.objects.filter(plan=plan).delete()
        PlanAction.objects.create(plan=plan, text=text, due=due, position=0)
        ActionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
        # The live command's own pipeline holds the lock and the transaction (live.domain.commands):
        # only the log row is added here, about the author.
        actions.log(user, verb, plan, subject=user)
    return plan
