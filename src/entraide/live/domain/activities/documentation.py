"""Documentation (atelier d'entraide, step "Documentation"): each person says whether the
condensed record may be shared; the offerer writes it. Both stay possible after the session."""

from django.utils.translation import gettext as _

from ..commands import CommandRefused, Context, FACILITATOR, OFFERER, Text, active_participants, clean_text, command
from ...models import ROOM_NUMBER, Consent, LiveSession, LiveTable




DOCUMENTATION_STATES = (LiveSession.Status.RUNNING, LiveSession.Status.ENDED)


@command("give_consent", activities={"documentation"}, when=DOCUMENTATION_STATES)
def give_consent(context: Context, agrees: bool) -> None:
    session = context.session
    Consent.objects.update_or_create(table=context.table, participant=context.actor, defaults={"session": session, "agrees": agrees, "decided_at": context.now})


def record_writer(session: LiveSession, actor, step) -> CommandRefused | None:
    """The protocol rule of ``write_record``: the facilitator writes it only where nobody
    brings a situation (spec ``bringer: none``)."""
    if actor.role == FACILITATOR and session.protocol_version.spec.bringer != "none":
        return CommandRefused("wrong_role", _("Your role does not allow this."))
    return None


@command("write_record", roles={OFFERER, FACILITATOR}, activities={"documentation"}, when=DOCUMENTATION_STATES, allowed=record_writer)
def write_record(context: Context, text: Text) -> None:
    """Write the condensed record: the offerer's, or the facilitator's where nobody brings a
    situation (spec ``bringer: none``, the brouillon d'atelier run by its facilitator)."""
    table = context.table
    table.record = clean_text(context, text, "record")


def consented_tables(session: LiveSession) -> list[LiveTable]:
    """The tables whose condensed record and harvest may be shared with the group, in order.
    With one table (the atelier as a whole group): the room, when everybody agreed. Once
    tables have worked: each formed table whose members all agreed; a table's notes are its
    members' words, never shared on other people's say (field document 001, "Documentation")."""
    tables = list(LiveTable.objects.filter(session=session).order_by("number"))
    people = list(active_participants(session).values_list("pk", "table_id"))
    agreeing = set(Consent.objects.filter(session=session, agrees=True).values_list("participant_id", flat=True))
    if len(tables) < 2:
        return tables if people and {pk for pk, _table in people} <= agreeing else []
    consented = []
    for table in tables:
        if table.number == ROOM_NUMBER:
            continue
        members = {pk for pk, at in people if at == table.pk}
        if members and members <= agreeing:
            consented.append(table)
    return consented


def everyone_consents(session: LiveSession) -> bool:
    """Whether some record of the session may be shared (``consented_tables``)."""
    return bool(consented_tables(session))
