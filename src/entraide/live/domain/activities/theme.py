"""The thematic input of a live session (activity ``theme``; field document 004: "une thématique
proposée sur chacun des ateliers"). Attaching or removing it is a live command like any other:
it goes through ``commands.execute`` (role check, lock, version bump, "changed" signal). A
theme planned in advance for the group session (``themes.PlannedTheme``) is attached when the
session is opened live and shown at the theme step until the facilitator changes it."""

from django.utils.translation import gettext as _

from ...models import LiveRole, LiveSession
from ..commands import CommandRefused, Context, Id, command

WHEN = (LiveSession.Status.OPEN, LiveSession.Status.RUNNING)


@command("attach_theme", roles={LiveRole.FACILITATOR}, when=WHEN)
def attach_theme(context: Context, theme: Id | None = None) -> None:
    """Make ``theme`` (an id of a theme visible to the session's organisation: a built-in or its
    own) the session's thematic input, replacing any other. Refused: none chosen, an unknown
    id, another organisation's theme (all "choose a theme from the list")."""
    from entraide.themes.domain.library import set_attachment
    from entraide.themes.models import Theme

    found = Theme.objects.filter(pk=theme).first() if theme is not None else None
    if found is None or found.organisation_id not in (None, context.session.organisation_id):
        raise CommandRefused("not_found", _("Choose a theme from the list."))
    set_attachment(context.session, found, context.actor.user if context.actor.user_id else None)


@command("detach_theme", roles={LiveRole.FACILITATOR}, when=WHEN)
def detach_theme(context: Context) -> None:
    """The session has no thematic input any more (a planned theme is not shown either)."""
    from entraide.themes.domain.library import clear_attachment

    clear_attachment(context.session)
