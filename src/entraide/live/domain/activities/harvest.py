from datetime import date
from django.utils.translation import gettext as _

from ...models import Action, Idea
from ..commands import CommandRefused, Context, DateText, Id, MAX_IDEAS, OFFERER, Text, clean_text, command, own_item


# --- Harvest, action plan ------------------------------------------------------------------


@command("add_idea", roles={OFFERER}, activities={"harvest", "action_plan"})
def add_idea(context: Context, text: Text) -> None:
    text = clean_text(context, text, "idea")
    if Idea.objects.filter(table=context.table).count() >= MAX_IDEAS:
        raise CommandRefused("too_many", _("Keep 2 or 3 ideas: remove one to add another."))
    Idea.objects.create(session=context.session, table=context.table, author=context.actor, text=text)


@command("remove_idea", roles={OFFERER}, activities={"harvest", "action_plan"})
def remove_idea(context: Context, idea: Id) -> None:
    own_item(Idea, context, idea).delete()


@command("add_action", roles={OFFERER}, activities={"action_plan", "share_round", "harvest"})
def add_action(context: Context, text: Text, due: DateText | None = None) -> None:
    text = clean_text(context, text, "action")
    due_date = None
    if due not in (None, ""):
        try:
            due_date = date.fromisoformat(str(due))
        except ValueError:
            raise CommandRefused("bad_date", _("Write the date as a calendar date.")) from None
        if due_date < context.now.date():
            raise CommandRefused("past_date", _("The date is in the past."))
    Action.objects.create(session=context.session, table=context.table, author=context.actor, text=text, due=due_date)


@command("remove_action", roles={OFFERER}, activities={"action_plan", "share_round", "harvest"})
def remove_action(context: Context, action: Id) -> None:
    own_item(Action, context, action).delete()
