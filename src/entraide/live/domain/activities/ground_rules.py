
from ..commands import Context, own_item, clean_text, command
from ...models import GroundRule


# --- Rules of the game ----------------------------------------------------------------------


@command("add_rule", activities={"rules"})
def add_rule(context: Context, text=None) -> None:
    GroundRule.objects.create(session=context.session, author=context.actor, text=clean_text(context, text, "rule"))


@command("remove_rule", activities={"rules"})
def remove_rule(context: Context, rule=None) -> None:
    own_item(GroundRule, context, rule).delete()
