from django.utils.translation import gettext as _

from ..commands import CONTRIBUTOR, CommandRefused, Context, Id, OFFERER, PARTICIPANTS, clean_id, command
from ...models import Participant, Problem
from .vote import proposal_order
from .bringer import offerers_at


# --- Consent of the offerer --------------------------------------------------------------


@command("consent_case", roles=PARTICIPANTS, activities={"consent"})
def consent_case(context: Context, agrees: bool, problem: Id | None = None) -> None:
    """The author of the chosen problem (``problem``, its id, when the page sends it: a choice
    changed meanwhile is refused) agrees to offer it, or declines and the next is proposed."""
    session, table = context.session, context.table
    if problem is not None and clean_id(problem) != table.chosen_problem_id:
        raise CommandRefused("not_chosen", _("This problem is no longer the one proposed: look again."))
    problem = table.chosen_problem
    if problem is None or problem.author_id != context.actor.pk:
        raise CommandRefused("not_yours", _("Only the author of the chosen problem answers here."))
    if table.offerer_id is not None:
        raise CommandRefused("already", _("You have already consented."))
    if agrees:
        offerers_at(session, table).update(role=CONTRIBUTOR)
        context.actor.role = OFFERER
        table.offerer = context.actor
        context.notice = _("Thank you for the generosity of this sharing.")
        return
    problem.declined = True
    problem.save(update_fields=["declined"])
    declined = set(Problem.objects.filter(table=table, declined=True).values_list("pk", flat=True))
    following = [pid for pid in proposal_order(table) if pid not in declined]
    table.chosen_problem_id = following[0] if following else None
    context.notice = _("Thank you. The next problem is proposed to its author.")
