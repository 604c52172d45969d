from django.utils.translation import gettext as _

from ..commands import CONTRIBUTOR, CommandRefused, Context, FACILITATOR, Id, OFFERER, SESSION, StepKey, command, present_participant
from ...models import LiveSession, SpeakingTurn
from .bringer import role_name
from .course import check_current_step


# --- People -------------------------------------------------------------------------------


@command("remove_participant", roles={FACILITATOR}, when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING), scope=SESSION)
def remove_participant(context: Context, participant: Id) -> None:
    person = present_participant(context.session, participant)
    if person.pk == context.actor.pk:
        raise CommandRefused("self", _("Hand the facilitation over before leaving."))
    if any(person.pk == table.offerer_id for table in context.tables):
        raise CommandRefused(
            "offerer",
            _("“%(role)s” cannot be removed while the situation is being worked on.") % {"role": role_name(context.session, OFFERER)},
        )
    person.removed_at = context.now
    person.save(update_fields=["removed_at"])
    SpeakingTurn.objects.filter(session=context.session, participant=person, started_at__isnull=True).update(withdrawn=True)


@command("hand_over", roles={FACILITATOR}, when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING), scope=SESSION)
def hand_over(context: Context, participant: Id) -> None:
    """Give the facilitator's role to a participant (the facilitator's device died, say)."""
    person = present_participant(context.session, participant)
    if person.pk == context.actor.pk:
        raise CommandRefused("self", _("Choose someone else."))
    if person.role == OFFERER:
        raise CommandRefused("offerer", _("“%(role)s” cannot also facilitate.") % {"role": role_name(context.session, OFFERER)})
    person.role = FACILITATOR
    person.save(update_fields=["role"])
    context.actor.role = CONTRIBUTOR


@command("set_ready", when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING))
def set_ready(context: Context, ready: bool = True, step: StepKey | None = None) -> None:
    """Say one is ready (or not) for the current step ``step`` (its key; a stale page is refused)."""
    if context.session.status == LiveSession.Status.RUNNING:
        check_current_step(context, step)
    context.actor.ready_step = context.table.step_index if ready else None
