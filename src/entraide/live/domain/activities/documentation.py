"""Documentation (atelier d'entraide, step "Documentation"): each person says whether the
condensed record may be shared; the offerer writes it. Both stay possible after the session."""

from ..commands import Context, OFFERER, Text, active_participants, clean_text, command
from ...models import Consent, LiveSession




DOCUMENTATION_STATES = (LiveSession.Status.RUNNING, LiveSession.Status.ENDED)


@command("give_consent", activities={"documentation"}, when=DOCUMENTATION_STATES)
def give_consent(context: Context, agrees: bool) -> None:
    session = context.session
    Consent.objects.update_or_create(session=session, participant=context.actor, defaults={"agrees": agrees, "decided_at": context.now})


@command("write_record", roles={OFFERER}, activities={"documentation"}, when=DOCUMENTATION_STATES)
def write_record(context: Context, text: Text) -> None:
    table = context.table
    table.record = clean_text(context, text, "record")


def everyone_consents(session: LiveSession) -> bool:
    people = list(active_participants(session).values_list("pk", flat=True))
    agreeing = set(Consent.objects.filter(session=session, agrees=True).values_list("participant_id", flat=True))
    return bool(people) and set(people) <= agreeing
