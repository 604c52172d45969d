from django.utils.translation import gettext as _

from ..commands import CommandRefused, Context, Id, Text, clean_id, clean_text, command
from ...models import LiveSession, PrivateNote


@command("write_note")
def write_note(context: Context, text: Text) -> None:
    PrivateNote.objects.create(session=context.session, author=context.actor, step_key=context.step.key, text=clean_text(context, text, "note"))


@command("delete_note", when=(LiveSession.Status.RUNNING, LiveSession.Status.ENDED))
def delete_note(context: Context, note: Id) -> None:
    found = PrivateNote.objects.filter(session=context.session, author=context.actor, pk=clean_id(note)).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    found.delete()
