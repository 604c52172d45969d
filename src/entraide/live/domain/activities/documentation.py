from django.utils.translation import gettext as _

from ..commands import CommandRefused, Context, OFFERER, active_participants, clean_text, command
from ...models import Consent, LiveSession


# --- Documentation --------------------------------------------------------------------------

DOCUMENTATION_STATES = (LiveSession.Status.RUNNING, LiveSession.Status.ENDED)


@command("give_consent", when=DOCUMENTATION_STATES)
def give_consent(context: Context, agrees=None) -> None:
    session = context.session
    if session.status == LiveSession.Status.RUNNING and context.step.activity != "documentation":
        raise CommandRefused("wrong_step", _("This is not possible at this step."))
    if agrees not in (True, False, "yes", "no", "true", "false"):
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    value = agrees in (True, "yes", "true")
    Consent.objects.update_or_create(session=session, participant=context.actor, defaults={"agrees": value, "decided_at": context.now})


@command("write_record", roles={OFFERER}, when=DOCUMENTATION_STATES)
def write_record(context: Context, text=None) -> None:
    session = context.session
    if session.status == LiveSession.Status.RUNNING and context.step.activity != "documentation":
        raise CommandRefused("wrong_step", _("This is not possible at this step."))
    session.record = clean_text(context, text, "record")


def everyone_consents(session: LiveSession) -> bool:
    people = list(active_participants(session).values_list("pk", flat=True))
    agreeing = set(Consent.objects.filter(session=session, agrees=True).values_list("participant_id", flat=True))
    return bool(people) and set(people) <= agreeing
