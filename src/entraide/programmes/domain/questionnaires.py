"""Evaluation questionnaires, anonymous by construction (issue 14, part 2).

- A questionnaire is built from the question library (``questions.py``); it belongs to a
  programme and, optionally, to one group session.
- One single-use token per participant: the people present at the session (or, without a
  session, the current members of the programme's groups). A token is derived from the
  server's secret, the questionnaire and the person (HMAC), so that the person's link can be
  shown again in "Mon espace" without storing it; the database keeps only its SHA-256 hash and
  whether it was used. Nothing links a token to an answer.
- Answers are stored as rows per question (``Answer``) with no person, token or time; the
  token is marked used in the same transaction (so one answer per token, even under races).
- Anonymity is fixed at creation: :func:`set_anonymous` refuses once an answer exists. When a
  questionnaire is not anonymous, its coordinators and intervenant see who has not answered yet
  (to remind them), never what anyone answered.
- Results are computed only once the questionnaire is closed (``reports``).
"""

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import mail
from entraide.core.actions import write
from entraide.core.models import User

from ..models import Answer, AnswerToken, Programme, Questionnaire
from . import ProgrammeError
from .questions import BY_KEY, CHOICE, SCALE, TEXT, TEXT_MAX, questions_for


def _raw_token(questionnaire_id: int, user_id: int) -> str:
    key = hashlib.sha256(("entraide.programmes.answer-token:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, f"{questionnaire_id}:{user_id}".encode(), hashlib.sha256).hexdigest()[:40]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def participants(programme: Programme, group_session=None) -> list[User]:
    """Who is asked: those present at ``group_session`` or, without one, the current members of
    the programme's groups (commissioners never). Inside the tenant scope; two queries."""
    from entraide.community.models import Attendance, GroupMembership
    from entraide.core.models import Membership, Role

    if group_session is not None:
        ids = set(Attendance.objects.filter(session=group_session, status=Attendance.Status.PRESENT).values_list("user_id", flat=True))
    else:
        ids = set(GroupMembership.objects.filter(group__in=programme.groups.all(), left_on__isnull=True).values_list("user_id", flat=True))
    commissioners = set(
        Membership.objects.filter(organisation_id=programme.organisation_id, role=Role.COMMISSIONER).values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids - commissioners).order_by("pk"))


@dataclass
class NewQuestionnaire:
    title: str
    question_keys: list[str]
    closes_on: date
    group_session: object = None
    anonymous: bool = True


def create_questionnaire(programme: Programme, data: NewQuestionnaire, actor, *, base_url: str = "") -> Questionnaire:
    """Create a questionnaire and issue one token per participant; each participant gets the
    link by mail (after commit). ``base_url``: scheme and host for the links in the mails.
    Raises ProgrammeError: no question, unknown question, a closing date in the past, a
    session outside the programme's groups, nobody to ask."""
    keys = [key for key in data.question_keys if key in BY_KEY]
    if not keys or len(keys) != len(data.question_keys):
        raise ProgrammeError(_("Choose at least one question of the library."), code="questions", field="question_keys")
    if data.closes_on < timezone.localdate():
        raise ProgrammeError(_("The closing date cannot be in the past."), code="closes_on", field="closes_on")
    if data.group_session is not None and not programme.groups.filter(pk=data.group_session.group_id).exists():
        raise ProgrammeError(_("Choose a session of the programme's groups."), code="session", field="group_session")
    people = participants(programme, data.group_session)
    if not people:
        raise ProgrammeError(_("Nobody to ask: record the attendance of the session first."), code="nobody", field="group_session")
    with write(actor, "programmes.manage_questionnaires", programme, "questionnaire.created", lock=programme) as w:
        questionnaire = Questionnaire.objects.create(
            programme=programme, group_session=data.group_session, title=data.title, question_keys=keys,
            anonymous=data.anonymous, closes_on=data.closes_on,
        )
        AnswerToken.objects.bulk_create(
            [AnswerToken(questionnaire=questionnaire, token_hash=token_hash(_raw_token(questionnaire.pk, person.pk))) for person in people]
        )
        w.obj = questionnaire
        w.on_commit(lambda: _send_invitations(questionnaire, people, base_url))
    return questionnaire


def _send_invitations(questionnaire: Questionnaire, people: list[User], base_url: str) -> None:
    from django.urls import reverse

    for person in people:
        link = base_url + reverse("programmes:answer", kwargs={"token": _raw_token(questionnaire.pk, person.pk)})
        mail.send_plain_mail(
            person.email, getattr(person, "language", "fr") or "fr", "programmes/email/questionnaire.txt",
            {"person": person, "questionnaire": questionnaire, "link": link},
            subject=_("An evaluation questionnaire: %(title)s") % {"title": questionnaire.title},
        )


def token_for(questionnaire: Questionnaire, user) -> str | None:
    """The answer token of ``user`` for ``questionnaire`` when one was issued and is unused."""
    raw = _raw_token(questionnaire.pk, user.pk)
    if AnswerToken.objects.filter(questionnaire=questionnaire, token_hash=token_hash(raw), used=False).exists():
        return raw
    return None


def token_is_unused(token: str) -> bool:
    """Whether this raw token exists and was not used yet (any organisation)."""
    from entraide.core.tenancy import all_tenants

    with all_tenants():
        return AnswerToken.objects.filter(token_hash=token_hash(token), used=False).exists()


def open_for(user, organisation) -> list[tuple[Questionnaire, str]]:
    """[(questionnaire, token)] that ``user`` may still answer in ``organisation`` ("Mon espace")."""
    today = timezone.localdate()
    found = []
    for questionnaire in Questionnaire.objects.filter(
        programme__organisation=organisation, status=Questionnaire.Status.OPEN, closes_on__gte=today
    ).select_related("programme"):
        raw = token_for(questionnaire, user)
        if raw:
            found.append((questionnaire, raw))
    return found


def questionnaire_for_token(token: str) -> Questionnaire | None:
    """The questionnaire a raw token opens (any organisation: the caller enters its scope)."""
    from entraide.core.tenancy import all_tenants

    with all_tenants():
        row = AnswerToken.objects.filter(token_hash=token_hash(token)).select_related("questionnaire__programme__organisation").first()
    return row.questionnaire if row else None


def is_open(questionnaire: Questionnaire) -> bool:
    return questionnaire.status == Questionnaire.Status.OPEN and questionnaire.closes_on >= timezone.localdate()


def clean_answers(questionnaire: Questionnaire, posted: dict) -> list[tuple[str, str, str, bool]]:
    """[(question key, value, text, consent)] from a submitted form (``posted``: {name: str}).
    Blank answers are skipped (every question is optional). Raises ProgrammeError on a value
    outside the question's options or a text that is too long."""
    rows = []
    for question in questions_for(questionnaire.question_keys):
        raw = (posted.get(question.key) or "").strip()
        if not raw:
            continue
        if question.kind in (SCALE, CHOICE):
            if raw not in question.values:
                raise ProgrammeError(_("Choose one of the proposed answers."), code="value", field=question.key)
            rows.append((question.key, raw, "", False))
        elif question.kind == TEXT:
            if len(raw) > TEXT_MAX:
                raise ProgrammeError(_("At most %(n)s characters.") % {"n": TEXT_MAX}, code="too_long", field=question.key)
            rows.append((question.key, "", raw, posted.get(question.key + "_consent") in ("on", "1", "true")))
    if not rows:
        raise ProgrammeError(_("Answer at least one question."), code="empty")
    return rows


def submit_answers(token: str, posted: dict) -> Questionnaire:
    """Store one participant's answers and use up their token, in one transaction.

    ``posted``: {question key: value, "<key>_consent": "on"} as the answer form sends it.
    Goes through ``core.actions.write`` without an actor and without a permission: the
    single-use token is the right to answer (checked here), and the action-log row must not
    say who answered; it names only the questionnaire.
    Raises ProgrammeError: unknown or used token, questionnaire closed, bad values.
    """
    from entraide.core.tenancy import tenant_scope

    questionnaire = questionnaire_for_token(token)
    if questionnaire is None:
        raise ProgrammeError(_("This link is not valid."), code="token")
    with tenant_scope(questionnaire.programme.organisation), write(None, None, questionnaire, "questionnaire.answered", lock=questionnaire) as w:
        questionnaire = w.obj
        if not is_open(questionnaire):
            raise ProgrammeError(_("This questionnaire is closed."), code="closed")
        rows = clean_answers(questionnaire, posted)
        # The conditional update is the single use: a second submission updates no row.
        if AnswerToken.objects.filter(token_hash=token_hash(token), used=False).update(used=True) != 1:
            raise ProgrammeError(_("You have already answered this questionnaire. Thank you!"), code="used")
        Answer.objects.bulk_create(
            [Answer(questionnaire=questionnaire, question_key=key, value=value, text=text, consent_to_intervenant=consent) for key, value, text, consent in rows]
        )
        questionnaire.respondents += 1
        questionnaire.save(update_fields=["respondents"])
    return questionnaire


def close_questionnaire(questionnaire: Questionnaire, actor) -> Questionnaire:
    """Close it (coordinators, intervenant): no more answers; results can now be reported."""
    with write(actor, "programmes.manage_questionnaires", questionnaire.programme, "questionnaire.closed", lock=questionnaire) as w:
        if w.obj.status == Questionnaire.Status.CLOSED:
            raise ProgrammeError(_("This questionnaire is already closed."), code="closed")
        w.obj.status = Questionnaire.Status.CLOSED
        w.obj.closed_on = timezone.localdate()
        w.obj.save(update_fields=["status", "closed_on"])
    return w.obj


def close_due(today: date | None = None) -> int:
    """Close every open questionnaire whose closing date passed (cron: ``entraide
    close_questionnaires``); one action-log row each, no actor. Returns how many."""
    from django.db import transaction

    from entraide.core.actions import log
    from entraide.core.tenancy import all_tenants

    today = today or timezone.localdate()
    with all_tenants(), transaction.atomic():
        due = list(Questionnaire.objects.select_for_update().filter(status=Questionnaire.Status.OPEN, closes_on__lt=today).select_related("programme"))
        for questionnaire in due:
            questionnaire.status, questionnaire.closed_on = Questionnaire.Status.CLOSED, today
            questionnaire.save(update_fields=["status", "closed_on"])
            log(None, "questionnaire.closed", questionnaire, organisation=questionnaire.programme.organisation)
    return len(due)


def is_closed(questionnaire: Questionnaire) -> bool:
    """Closed by hand, or past its closing date."""
    return questionnaire.status == Questionnaire.Status.CLOSED or questionnaire.closes_on < timezone.localdate()


def set_anonymous(questionnaire: Questionnaire, anonymous: bool, actor) -> Questionnaire:
    """Anonymity is fixed at creation: refused as soon as one answer exists (and the token
    table says nothing else). Before any answer, a coordinator may still correct it."""
    with write(actor, "programmes.manage_questionnaires", questionnaire.programme, "questionnaire.anonymity", lock=questionnaire) as w:
        if w.obj.respondents or Answer.objects.filter(questionnaire=w.obj).exists():
            raise ProgrammeError(_("Anonymity cannot change once someone has answered."), code="anonymity_fixed", field="anonymous")
        w.obj.anonymous = anonymous
        w.obj.save(update_fields=["anonymous"])
    return w.obj


def not_answered(questionnaire: Questionnaire) -> list[User] | None:
    """Who has not answered yet, for reminders; None for an anonymous questionnaire."""
    if questionnaire.anonymous:
        return None
    unused = set(AnswerToken.objects.filter(questionnaire=questionnaire, used=False).values_list("token_hash", flat=True))
    people = participants(questionnaire.programme, questionnaire.group_session)
    return [person for person in people if token_hash(_raw_token(questionnaire.pk, person.pk)) in unused]


def counts(questionnaire: Questionnaire) -> dict[str, tuple[int, Counter]]:
    """{question key: (respondents to it, Counter of values)} for scale and choice questions.
    One query; no free text."""
    result: dict[str, tuple[int, Counter]] = {}
    for key, value in Answer.objects.filter(questionnaire=questionnaire).exclude(value="").values_list("question_key", "value"):
        total, counter = result.setdefault(key, (0, Counter()))
        counter[value] += 1
        result[key] = (total + 1, counter)
    return result


def consented_texts(questionnaire: Questionnaire) -> dict[str, list[str]]:
    """{question key: texts whose authors agreed the intervenant reads them}, sorted by text
    (never insertion order). Callers check ``programmes.read_consented_text``."""
    texts: dict[str, list[str]] = {}
    for answer in Answer.objects.filter(questionnaire=questionnaire, consent_to_intervenant=True):
        if answer.text:
            texts.setdefault(answer.question_key, []).append(answer.text)
    return {key: sorted(values) for key, values in texts.items()}
