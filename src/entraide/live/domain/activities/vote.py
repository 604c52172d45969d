from django.utils.translation import gettext as _

from ..commands import CommandRefused, Context, FACILITATOR, Id, PARTICIPANTS, clean_id, command
from ...models import LiveSession, LiveTable, Problem, Vote
from .. import rules


# --- The vote -----------------------------------------------------------------------------


def candidates(table: LiveTable) -> list[int]:
    """The problem ids of the current vote round. They follow the problems as long as no
    ballot exists; the first ballot of the round fixes them (a new round after a tie fixes
    the tied ones)."""
    if table.vote_candidates:
        return list(table.vote_candidates)
    return list(Problem.objects.filter(table=table, declined=False).values_list("pk", flat=True))


def ballots_exist(table: LiveTable) -> bool:
    return Vote.objects.filter(table=table, round=table.vote_round).exists()


@command("cast_vote", roles=PARTICIPANTS, activities={"vote"})
def cast_vote(context: Context, ballot: dict) -> None:
    session, table = context.session, context.table
    if table.votes_revealed:
        raise CommandRefused("vote_closed", _("The vote is closed."))
    if not isinstance(ballot, dict):
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    try:
        cleaned = rules.check_ballot({clean_id(k): v for k, v in ballot.items()}, candidates(table))
    except rules.RuleError as error:
        raise CommandRefused("vote_rule", error.message) from None
    Vote.objects.filter(table=table, voter=context.actor, round=table.vote_round).delete()
    Vote.objects.bulk_create(
        [Vote(session=session, table=table, voter=context.actor, problem_id=pid, round=table.vote_round, count=n) for pid, n in cleaned.items()]
    )
    if table.vote_round == 1:
        # The first ballot fixes the candidates; withdrawing every ballot frees them again.
        table.vote_candidates = candidates(table) if ballots_exist(table) else []


def current_tally(table: LiveTable) -> rules.VoteResult:
    ballots: dict[int, dict[int, int]] = {}
    for voter, problem, count in Vote.objects.filter(table=table, round=table.vote_round).values_list("voter_id", "problem_id", "count"):
        ballots.setdefault(voter, {})[problem] = count
    return rules.tally(ballots.values(), candidates(table))


def proposal_order(table: LiveTable) -> list[int]:
    """The problems in the order they are proposed to their authors: the current round's
    ranking, then (after a tie) the first round's ranking of every other problem, so that
    declines never run out while a problem is left."""
    order = list(current_tally(table).ranking)
    if table.vote_round > 1:
        ballots: dict[int, dict[int, int]] = {}
        for voter, problem, count in Vote.objects.filter(table=table, round=1).values_list("voter_id", "problem_id", "count"):
            ballots.setdefault(voter, {})[problem] = count
        everything = list(Problem.objects.filter(table=table).values_list("pk", flat=True))
        order += [pid for pid in rules.tally(ballots.values(), everything).ranking if pid not in order]
    return order


@command("reveal_votes", roles={FACILITATOR}, activities={"vote"})
def reveal_votes(context: Context) -> None:
    table = context.table
    result = current_tally(table)
    if not result.ranking:
        raise CommandRefused("no_problem", _("There is no problem to vote on."))
    if sum(result.totals.values()) == 0:
        raise CommandRefused("no_vote", _("Nobody has voted yet."))
    table.votes_revealed = True
    table.chosen_problem_id = None if result.tied else result.leaders[0]


@command("choose_problem", roles={FACILITATOR}, activities={"vote"})
def choose_problem(context: Context, problem: Id) -> None:
    table = context.table
    if not table.votes_revealed:
        raise CommandRefused("not_revealed", _("Reveal the votes first."))
    result = current_tally(table)
    chosen = clean_id(problem)
    if chosen not in result.leaders:
        raise CommandRefused("not_tied", _("Choose among the problems that came first."))
    table.chosen_problem_id = chosen


@command("revote", roles={FACILITATOR}, activities={"vote"})
def revote(context: Context) -> None:
    table = context.table
    result = current_tally(table)
    if not table.votes_revealed or not result.tied:
        raise CommandRefused("not_tied", _("A new vote is only for a tie."))
    table.vote_candidates = list(result.leaders)
    table.vote_round += 1
    table.votes_revealed = False
    table.chosen_problem_id = None
