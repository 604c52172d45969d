from dataclasses import dataclass
from django.utils.translation import gettext as _

from ..commands import CONTRIBUTOR, CommandRefused, Context, FACILITATOR, Id, OFFERER, Text, clean_id, clean_text, command
from ...models import Question
from ..rows import instances
from .. import rules


# --- Clarification questions -------------------------------------------------------------


@command("ask_question", roles={CONTRIBUTOR}, activities={"clarify"})
def ask_question(context: Context, text: Text) -> None:
    Question.objects.create(session=context.session, table=context.table, author=context.actor, text=clean_text(context, text, "question"))


@dataclass(frozen=True)
class QuestionHand(rules.Hand):
    question: Question = None


def question_order(table) -> list[Question]:
    """Every question, one query: the pending ones in turn (each contributor asks once before
    anyone asks twice, the rule of the speaking queue), then those already asked."""
    questions = instances(Question, "table_id = %s", [table.pk])  # in created_at, pk order
    asked: dict[int, int] = {}
    for question in questions:
        if question.asked_at:
            asked[question.author_id] = asked.get(question.author_id, 0) + 1
    pending = [QuestionHand(q.author_id, q.created_at, q) for q in questions if not q.asked_at]
    return [hand.question for hand in rules.speaking_order(pending, asked)] + [q for q in questions if q.asked_at]


@command("mark_question_asked", roles={FACILITATOR, OFFERER}, activities={"clarify"})
def mark_question_asked(context: Context, question: Id) -> None:
    found = Question.objects.filter(table=context.table, pk=clean_id(question)).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    if found.asked_at is None:
        found.asked_at = context.now
        found.save(update_fields=["asked_at"])


@command("answer_question", roles={OFFERER}, activities={"clarify"})
def answer_question(context: Context, question: Id, text: Text) -> None:
    found = Question.objects.filter(table=context.table, pk=clean_id(question)).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    found.answer = clean_text(context, text, "answer")
    found.asked_at = found.asked_at or context.now
    found.save(update_fields=["answer", "asked_at"])
