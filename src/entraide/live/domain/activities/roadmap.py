"""Roadmaps (field document 004: "la mise en pratique de sa feuille de route en intersession,
analysée lors de l'atelier suivant"; échange de pratiques, steps with the ``roadmap`` worksheet).

At a roadmap step (activity ``action_plan`` with worksheet ``roadmap``) EVERY participant writes
their own roadmap, not only the offerer. It is kept in the session (``models.Roadmap``) and, when
the seat is tied to an account, in that person's plans (``followup.ActionPlan``, private by
default). At the group's next session the ``review_roadmaps`` step shows each person their own
last roadmap, and the facilitator only how many people have one (never the content unless its
author shared it with the group: ``followup.domain.review.shared_plans``).
"""

from datetime import date

from django.utils.translation import gettext as _

from entraide.core.tenancy import all_tenants

from ...models import LiveRole, LiveSession, Participant, Roadmap
from ..commands import LIMITS, CommandRefused, Context, DateText, Text, clean_text, command

ROADMAP_MAX = 1000
LIMITS.setdefault("roadmap", ROADMAP_MAX)
WORKSHEET = "roadmap"


def is_roadmap_step(step) -> bool:
    """A step where everyone writes their roadmap: ``action_plan`` with the roadmap worksheet."""
    return step is not None and step.activity == "action_plan" and step.worksheet == WORKSHEET


def parse_due(value, today: date) -> date | None:
    """An optional calendar date (YYYY-MM-DD), not in the past; ``CommandRefused`` otherwise."""
    if value in (None, ""):
        return None
    try:
        due = date.fromisoformat(str(value))
    except ValueError:
        raise CommandRefused("bad_date", _("Write the date as a calendar date.")) from None
    if due < today:
        raise CommandRefused("past_date", _("The date is in the past."))
    return due


def at_roadmap_step(session: LiveSession, actor: Participant, step) -> CommandRefused | None:
    """The protocol rule of ``write_roadmap`` (commands.refusal): the current step is a roadmap
    step; the atelier d'entraide's action plan is the offerer's alone."""
    if step is not None and is_roadmap_step(step.step):
        return None
    return CommandRefused("wrong_step", _("This is not possible at this step."))


@command("write_roadmap", roles={LiveRole.OFFERER, LiveRole.CONTRIBUTOR}, activities={"action_plan"}, allowed=at_roadmap_step)
def write_roadmap(context: Context, text: Text, due: DateText | None = None) -> None:
    """The actor's roadmap at this step (a new version replaces the previous one), at most
    ``ROADMAP_MAX`` characters, charged to the write quota; ``due``: an optional date. Refused at
    an action plan step that is not a roadmap step (the atelier's plan is the offerer's)."""
    text = clean_text(context, text, "roadmap")
    due_date = parse_due(due, context.now.date())
    Roadmap.objects.update_or_create(
        session=context.session, author=context.actor, step_key=context.step.key, defaults={"text": text, "due": due_date}
    )
    if context.actor.user_id:
        from entraide.followup.domain.plans import keep_roadmap

        keep_roadmap(context.session, context.actor, text, due_date)
    context.notice = _("Your roadmap is saved in your plans (only you see it).") if context.actor.user_id else _("Your roadmap is saved.")


def view(session: LiveSession, viewer: Participant, current) -> dict | None:
    """The roadmap part of ``viewer``'s state, at a roadmap step or a ``review_roadmaps`` step;
    None elsewhere. ``mine``: the viewer's roadmap of this step; ``last``: their own last roadmap
    from an earlier session of the group (review); ``written`` / ``with_last``: counts only, for
    the facilitator."""
    if current is None:
        return None
    writing = is_roadmap_step(current.step)
    reviewing = current.activity == "review_roadmaps"
    if not (writing or reviewing):
        return None
    is_facilitator = viewer.role == LiveRole.FACILITATOR
    with all_tenants():
        part: dict = {"writing": writing, "reviewing": reviewing, "max": ROADMAP_MAX, "mine": None, "last": None}
        if writing:
            mine = Roadmap.objects.filter(session=session, author=viewer, step_key=current.key).first()
            part["mine"] = {"text": mine.text, "due": mine.due.isoformat() if mine.due else ""} if mine else None
            part["written"] = Roadmap.objects.filter(session=session, step_key=current.key).values("author").distinct().count() if is_facilitator else None
        if reviewing:
            from entraide.followup.domain.review import last_roadmaps

            last = last_roadmaps(session)
            part["last"] = last.get(viewer.pk)
            part["with_last"] = len(last) if is_facilitator else None
    return part
