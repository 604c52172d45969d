from django.utils.translation import gettext as _

from ..commands import CommandRefused, Context, FACILITATOR, Id, PARTICIPANTS, clean_id, command
from ...models import LiveSession, Problem, Vote
from .. import rules


# --- The vote -----------------------------------------------------------------------------


def candidates(session: LiveSession) -> list[int]:
    """The problem ids of the current vote round. They follow the problems as long as no
    ballot exists; the first ballot of the round fixes them (a new round after a tie fixes
    the tied ones)."""
    if session.vote_candidates:
        return list(session.vote_candidates)
    return list(Problem.objects.filter(session=session, declined=False).values_list("pk", flat=True))


def ballots_exist(session: LiveSession) -> bool:
    return Vote.objects.filter(session=session, round=session.vote_round).exists()


@command("cast_vote", roles=PARTICIPANTS, activities={"vote"})
def cast_vote(context: Context, ballot: dict) -> None:
    session = context.session
    if session.votes_revealed:
        raise CommandRefused("vote_closed", _("The vote is closed."))
    if not isinstance(ballot, dict):
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    try:
        cleaned = rules.check_ballot({clean_id(k): v for k, v in ballot.items()}, candidates(session))
    except rules.RuleError as error:
        raise CommandRefused("vote_rule", error.message) from None
    Vote.objects.filter(session=session, voter=context.actor, round=session.vote_round).delete()
    Vote.objects.bulk_create(
        [Vote(session=session, voter=context.actor, problem_id=pid, round=session.vote_round, count=n) for pid, n in cleaned.items()]
    )
    if session.vote_round == 1:
        # The first ballot fixes the candidates; withdrawing every ballot frees them again.
        session.vote_candidates = candidates(session) if ballots_exist(session) else []


def current_tally(session: LiveSession) -> rules.VoteResult:
    ballots: dict[int, dict[int, int]] = {}
    for voter, problem, count in Vote.objects.filter(session=session, round=session.vote_round).values_list("voter_id", "problem_id", "count"):
        ballots.setdefault(voter, {})[problem] = count
    return rules.tally(ballots.values(), candidates(session))


def proposal_order(session: LiveSession) -> list[int]:
    """The problems in the order they are proposed to their authors: the current round's
    ranking, then (after a tie) the first round's ranking of every other problem, so that
    declines never run out while a problem is left."""
    order = list(current_tally(session).ranking)
    if session.vote_round > 1:
        ballots: dict[int, dict[int, int]] = {}
        for voter, problem, count in Vote.objects.filter(session=session, round=1).values_list("voter_id", "problem_id", "count"):
            ballots.setdefault(voter, {})[problem] = count
        everything = list(Problem.objects.filter(session=session).values_list("pk", flat=True))
        order += [pid for pid in rules.tally(ballots.values(), everything).ranking if pid not in order]
    return order


@command("reveal_votes", roles={FACILITATOR}, activities={"vote"})
def reveal_votes(context: Context) -> None:
    session = context.session
    result = current_tally(session)
    if not result.ranking:
        raise CommandRefused("no_problem", _("There is no problem to vote on."))
    if sum(result.totals.values()) == 0:
        raise CommandRefused("no_vote", _("Nobody has voted yet."))
    session.votes_revealed = True
    session.chosen_problem_id = None if result.tied else result.leaders[0]


@command("choose_problem", roles={FACILITATOR}, activities={"vote"})
def choose_problem(context: Context, problem: Id) -> None:
    session = context.session
    if not session.votes_revealed:
        raise CommandRefused("not_revealed", _("Reveal the votes first."))
    result = current_tally(session)
    chosen = clean_id(problem)
    if chosen not in result.leaders:
        raise CommandRefused("not_tied", _("Choose among the problems that came first."))
    session.chosen_problem_id = chosen


@command("revote", roles={FACILITATOR}, activities={"vote"})
def revote(context: Context) -> None:
    session = context.session
    result = current_tally(session)
    if not session.votes_revealed or not result.tied:
        raise CommandRefused("not_tied", _("A new vote is only for a tie."))
    session.vote_candidates = list(result.leaders)
    session.vote_round += 1
    session.votes_revealed = False
    session.chosen_problem_id = None
