"""Choosing the person who brings the situation (role "offerer"), as the protocol's ``bringer``
says (protocols/domain/spec.py, BRINGERS). The dot vote and the consent (``vote``) live in
vote.py and consent.py; here: "volunteers" (field documents 003, 004: participants propose a
situation with a short title on their phone, the facilitator picks one on the console) and
"raised" (document 000, supervisions: the facilitator names the person who raised it, among
those who proposed it or directly). Nobody is chosen with "none" (brouillons d'ateliers)."""

from django.utils.translation import gettext as _

from ...models import ROOM_NUMBER, LiveSession, LiveTable, Participant, Problem
from ..commands import CONTRIBUTOR, FACILITATOR, OFFERER, PARTICIPANTS, CommandRefused, Context, Id, clean_id, command, present_participant

# Steps where volunteers come forward and the facilitator picks (a pitch step too, when the
# protocol's bringer is "volunteers": each person shares an experience in turn, then one is kept).
CHOOSING = {"situations", "pitch"}
PICKED_BY_FACILITATOR = ("volunteers", "raised")


def role_name(session: LiveSession, role: str) -> str:
    """What this session's protocol calls ``role`` (spec.roles[role].name, in the current
    language): messages name roles as the protocol does, never the atelier's names."""
    found = session.protocol_version.spec.roles.get(role)
    return found.name.get() if found else role


def _facilitator_refused(session: LiveSession) -> CommandRefused:
    return CommandRefused(
        "offerer",
        _("“%(role)s” gives the turns and cannot also bring the situation: hand the facilitation over first.")
        % {"role": role_name(session, FACILITATOR)},
    )


def bringer_of(session: LiveSession) -> str:
    """How this session's protocol chooses its offerer: one of spec.BRINGERS."""
    return session.protocol_version.spec.bringer


def _wrong_step() -> CommandRefused:
    return CommandRefused("wrong_step", _("This is not possible at this step."))


def picked_by_facilitator(session: LiveSession, actor: Participant, step) -> CommandRefused | None:
    """The protocol rule of the volunteers' commands (commands.refusal): the protocol's bringer
    is "volunteers" or "raised"."""
    return None if bringer_of(session) in PICKED_BY_FACILITATOR else _wrong_step()


def named_by_facilitator(session: LiveSession, actor: Participant, step) -> CommandRefused | None:
    """The protocol rule of ``name_bringer``: the protocol's bringer is "raised"."""
    return None if bringer_of(session) == "raised" else _wrong_step()


def cases_make_tables(session: LiveSession, table: LiveTable) -> bool:
    """At the room of a protocol with ``scope: table`` steps where the tables hold 3 to 5
    people around a case (spec ``tables``: the atelier pratique, field document 002), the cases
    proposed in plenary are each worked at their own table: ``form_tables`` seats each author
    as their table's presenter, so nobody is picked at the room."""
    spec = session.protocol_version.spec
    return table.number == ROOM_NUMBER and bool(spec.table_min) and any(s.scope == "table" for s in spec.steps)


def offerers_at(session: LiveSession, table: LiveTable):
    """The holders of the offerer role whose case is ``table``'s: at the room, every one of the
    session (one case at a time, as always); at a formed table, its offerer and its members
    holding the role, so that the other tables keep theirs."""
    offerers = Participant.objects.filter(session=session, role=OFFERER)
    if table.number == ROOM_NUMBER and not LiveTable.objects.filter(session=session, number__gt=ROOM_NUMBER).exists():
        return offerers
    from django.db.models import Q

    return offerers.filter(Q(table=table) | Q(pk=table.offerer_id))


def make_offerer(session: LiveSession, table: LiveTable, person: Participant, problem: Problem | None) -> None:
    """``person`` becomes the offerer-role holder of ``table`` in ``session`` (the previous one,
    if any, is a contributor again) and ``problem`` (or none) the situation worked on."""
    offerers_at(session, table).exclude(pk=person.pk).update(role=CONTRIBUTOR)
    if person.role != OFFERER:
        person.role = OFFERER
        person.save(update_fields=["role"])
    table.offerer = person
    table.chosen_problem = problem


@command("withdraw_situation", roles=PARTICIPANTS, activities=CHOOSING, allowed=picked_by_facilitator)
def withdraw_situation(context: Context) -> None:
    """Withdraw the situation one proposed; refused once it is chosen (the facilitator changes
    the choice first)."""
    problem = Problem.objects.filter(table=context.table, author=context.actor).first()
    if problem is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    if context.table.chosen_problem_id == problem.pk:
        raise CommandRefused(
            "chosen",
            _("Your situation is the one chosen: ask “%(role)s” to choose another first.") % {"role": role_name(context.session, FACILITATOR)},
        )
    problem.delete()


@command("choose_situation", roles={FACILITATOR}, activities=CHOOSING, allowed=picked_by_facilitator)
def choose_situation(context: Context, problem: Id) -> None:
    """Pick the situation ``problem`` (an id) among those proposed: its author becomes the
    person who brings it. Choosing again replaces the choice while the step lasts."""
    found = Problem.objects.filter(table=context.table, pk=clean_id(problem)).select_related("author").first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    author = found.author
    if author.removed_at is not None:
        raise CommandRefused("no_participant", _("This person is not in the session."))
    if author.role == FACILITATOR:
        raise _facilitator_refused(context.session)
    make_offerer(context.session, context.table, author, found)


@command("name_bringer", roles={FACILITATOR}, activities={"situations"}, allowed=named_by_facilitator)
def name_bringer(context: Context, participant: Id) -> None:
    """Name ``participant`` (an id) as the person who raised the situation and brings it, when
    the protocol's bringer is "raised"; their proposed situation, if any, is the one worked."""
    person = present_participant(context.session, participant)
    if person.role == FACILITATOR:
        raise _facilitator_refused(context.session)
    make_offerer(context.session, context.table, person, Problem.objects.filter(table=context.table, author=person).first())
