from django.utils.translation import gettext as _

from ..commands import CommandRefused, Context, FACILITATOR, Id, ROOM_NUMBER, active_participants, clean_id, command, present_participant
from ...models import LiveSession, LiveTable, Participant, Problem
from ..steps import LiveStep


def members_at(session: LiveSession, table: LiveTable | None) -> list[Participant]:
    """The people working at ``table`` now: everybody at the room (the plenary), a formed
    table's members (and the facilitator) at a formed table."""
    people = list(active_participants(session))
    if table is None or table.number == ROOM_NUMBER:
        return people
    return [p for p in people if p.table_id == table.pk or p.role == FACILITATOR]


def turn_order(session: LiveSession, step: LiveStep, table: LiveTable | None = None) -> list[Participant]:
    """Who speaks in turn at this step: problem authors for pitches; in a share round the
    step's actors, never the facilitator unless the step's ``facilitator_turn`` says first or
    last (all but the facilitator when no actor is left)."""
    people = members_at(session, table)
    if step.activity == "pitch":
        problems = Problem.objects.filter(table=table) if table is not None else Problem.objects.filter(session=session)
        authors = set(problems.values_list("author_id", flat=True))
        return [p for p in people if p.pk in authors]
    if step.activity == "share_round":
        # The facilitator gives the turns; they take one only where the step says so
        # (spec field ``facilitator_turn``: "first" or "last").
        actors = set(step.step.actors) - {FACILITATOR}
        sharers = [p for p in people if p.role in actors] or [p for p in people if p.role != FACILITATOR]
        facilitators = [p for p in people if p.role == FACILITATOR]
        if step.step.facilitator_turn == "first":
            return facilitators + sharers
        if step.step.facilitator_turn == "last":
            return sharers + facilitators
        return sharers
    return []


def next_in_turn(table: LiveTable, step: LiveStep, order: list[Participant] | None = None) -> Participant | None:
    """Who comes after the person who has the turn (the first when nobody has it); None after
    the last. What the console offers; the command itself names the person."""
    order = turn_order(table.session, step, table) if order is None else order
    ids = [p.pk for p in order]
    position = ids.index(table.turn_participant_id) + 1 if table.turn_participant_id in ids else 0
    return order[position] if position < len(order) else None


@command("next_turn", roles={FACILITATOR}, activities={"pitch", "share_round"})
def next_turn(context: Context, participant: Id) -> None:
    """Give the turn to ``participant`` (an id of the turn order); their clock starts now, or at
    resume during a pause. Giving it to the person who has it changes nothing."""
    session, table = context.session, context.table
    person = present_participant(session, participant)
    if person.pk not in {p.pk for p in turn_order(session, context.step, table)}:
        raise CommandRefused("not_in_turn", _("This person has no turn at this step."))
    if table.turn_participant_id == person.pk:
        return
    table.turn_participant = person
    table.turn_started_at = context.now
    table.turn_extra_seconds = 0
    if context.step.activity == "pitch":
        Problem.objects.filter(table=table, author=person, pitched_at__isnull=True).update(pitched_at=context.now)


@command("end_turn", roles={FACILITATOR}, activities={"pitch", "share_round"})
def end_turn(context: Context, participant: Id) -> None:
    """End the turn of ``participant`` (an id), who must have it."""
    table = context.table
    if table.turn_participant_id is None or table.turn_participant_id != clean_id(participant):
        raise CommandRefused("not_their_turn", _("This person does not have the turn any more: look again."))
    table.turn_participant = None
    table.turn_started_at = None
    table.turn_extra_seconds = 0
