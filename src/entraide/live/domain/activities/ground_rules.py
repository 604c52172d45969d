
from ..commands import Context, Id, Text, clean_text, command, own_item
from ...models import GroundRule


# --- Rules of the game ----------------------------------------------------------------------


@command("add_rule", activities={"rules"})
def add_rule(context: Context, text: Text) -> None:
    GroundRule.objects.create(session=context.session, author=context.actor, text=clean_text(context, text, "rule"))


@command("remove_rule", activities={"rules"})
def remove_rule(context: Context, rule: Id) -> None:
    own_item(GroundRule, context, rule).delete()
