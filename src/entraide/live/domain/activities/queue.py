from django.utils.translation import gettext as _

from ..commands import CONTRIBUTOR, CommandRefused, Context, FACILITATOR, Id, OFFERER, PARTICIPANTS, clean_id, command
from ...models import LiveSession, SpeakingTurn
from .. import rules


# --- Exchanges: the fair speaking queue ---------------------------------------------------


def spoken_counts(table, step_key: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for pid in SpeakingTurn.objects.filter(table=table, step_key=step_key, started_at__isnull=False).values_list("participant_id", flat=True):
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def speaking_queue(table, step_key: str) -> list[SpeakingTurn]:
    waiting = list(SpeakingTurn.objects.filter(table=table, step_key=step_key, started_at__isnull=True, withdrawn=False))
    by_id = {turn.pk: turn for turn in waiting}
    hands = [rules.Hand(turn.participant_id, turn.raised_at) for turn in waiting]
    order = rules.speaking_order(hands, spoken_counts(table, step_key))
    by_person = {turn.participant_id: turn for turn in by_id.values()}
    return [by_person[hand.person] for hand in order]


def may_ask_floor(role: str, step) -> bool:
    """Whether a person of ``role`` queues for the floor at this exchange step (a LiveStep):
    contributors always; the offerer where the step's actors include them (the analysis of
    their own experience, field documents 003 and 004), not in the atelier's exchanges."""
    return role == CONTRIBUTOR or (role == OFFERER and OFFERER in step.step.actors)


def asks_floor(session: LiveSession, actor, step) -> CommandRefused | None:
    """The protocol rule of raising and lowering a hand (commands.refusal): may_ask_floor."""
    if step is not None and not may_ask_floor(actor.role, step):
        return CommandRefused("wrong_role", _("Your role does not allow this."))
    return None


@command("raise_hand", roles=PARTICIPANTS, activities={"exchange"}, allowed=asks_floor)
def raise_hand(context: Context) -> None:
    """Join the queue (raised now). A hand lowered earlier at this step is raised again rather
    than stored anew, so raising and lowering in a loop adds no rows."""
    key = context.step.key
    hands = SpeakingTurn.objects.filter(table=context.table, step_key=key, participant=context.actor, started_at__isnull=True)
    if hands.filter(withdrawn=False).exists():
        return  # already waiting: raising twice changes nothing
    lowered = hands.filter(withdrawn=True).first()
    if lowered is not None:
        lowered.withdrawn = False
        lowered.raised_at = context.now
        lowered.save(update_fields=["withdrawn", "raised_at"])
        return
    SpeakingTurn.objects.create(session=context.session, table=context.table, participant=context.actor, step_key=key, raised_at=context.now)


@command("lower_hand", roles=PARTICIPANTS, activities={"exchange"}, allowed=asks_floor)
def lower_hand(context: Context) -> None:
    SpeakingTurn.objects.filter(
        table=context.table, step_key=context.step.key, participant=context.actor, started_at__isnull=True, withdrawn=False
    ).update(withdrawn=True)


def close_floor(context: Context, table=None) -> None:
    """End whoever has the floor at ``table`` (the actor's by default)."""
    SpeakingTurn.objects.filter(table=table or context.table, started_at__isnull=False, ended_at__isnull=True).update(ended_at=context.now)


@command("give_floor", roles={FACILITATOR}, activities={"exchange"})
def give_floor(context: Context, participant: Id) -> None:
    """Give the floor to ``participant`` (an id), who must be first in the fair queue: a queue
    that changed since the facilitator looked is refused, never served by position."""
    person_id = clean_id(participant)
    queue = speaking_queue(context.table, context.step.key)
    if not queue:
        raise CommandRefused("queue_empty", _("Nobody is waiting to speak."))
    if person_id not in {turn.participant_id for turn in queue}:
        raise CommandRefused("not_waiting", _("This person is no longer waiting to speak: look at the queue again."))
    turn = queue[0]
    if turn.participant_id != person_id:
        raise CommandRefused("not_first", _("The queue has changed: someone else comes first now. Look at it again."))
    close_floor(context)
    turn.started_at = context.now
    turn.save(update_fields=["started_at"])


@command("end_floor", roles={FACILITATOR, CONTRIBUTOR, OFFERER}, activities={"exchange"})
def end_floor(context: Context, participant: Id) -> None:
    """End the floor of ``participant`` (an id: a contributor ends only their own)."""
    person_id = clean_id(participant)
    if context.actor.role != FACILITATOR and person_id != context.actor.pk:
        raise CommandRefused("wrong_role", _("Your role does not allow this."))
    speaking = SpeakingTurn.objects.filter(table=context.table, started_at__isnull=False, ended_at__isnull=True).first()
    if speaking is None or speaking.participant_id != person_id:
        raise CommandRefused("not_speaking", _("This person no longer has the floor: look again."))
    speaking.ended_at = context.now
    speaking.save(update_fields=["ended_at"])
