from django.utils.translation import gettext as _

from ..commands import CommandRefused, Context, PARTICIPANTS, Text, clean_text, command
from ...models import Problem
from .vote import ballots_exist


# --- Problems and pitches -----------------------------------------------------------------


@command("write_problem", roles=PARTICIPANTS, activities={"problem_write", "pitch", "situations"})
def write_problem(context: Context, text: Text) -> None:
    """Write or rewrite one's problem (at a "situations" step: propose one's situation, a short
    title of at most LIMITS["situation"] characters); refused once a ballot of the vote exists
    (the ballots were cast on the problems as they were)."""
    if ballots_exist(context.table):
        raise CommandRefused("vote_started", _("The vote has begun: the problems can no longer change."))
    text = clean_text(context, text, "situation" if context.step.activity == "situations" else "problem")
    problem = Problem.objects.filter(table=context.table, author=context.actor).first()
    if problem is None:
        Problem.objects.create(session=context.session, table=context.table, author=context.actor, text=text)
    else:
        problem.text = text
        problem.save(update_fields=["text"])
