"""Issue 10: plain-text mail renders names as typed — no ``&amp;``, no ``&#x27;``.

Every mail the product sends is sent here with names full of characters that HTML escaping
would change, and read back: subject and body hold the raw names. The set of mail templates
rendered is compared with every mail template in the package, so that a new mail without a
case here fails this test.
"""

import re
from datetime import time, timedelta
from importlib import resources
from pathlib import Path

import pytest
from django.core import mail

import entraide
from entraide.community.domain import groups as group_domain
from entraide.community.domain.mail import send_invitation, send_reminders
from entraide.community.domain.members import invite
from entraide.community.domain.sessions import NewSession, create_sessions
from entraide.core import mail as core_mail
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Organisation, Role
from entraide.core.tenancy import tenant_scope
from entraide.events.domain.events import EventData, save_event
from entraide.events.domain.registrations import cancel_registration, register
from entraide.events.models import Event, EventRoleKind
from entraide.followup.domain.reminders import send_plan_reminders
from entraide.live.domain.event_session import open_event_session
from entraide.followup.models import ActionPlan, PlanAction
from entraide.web.forms import PasswordResetForm

pytestmark = pytest.mark.django_db

ORGANISATION = "L'Atelier & Cie « Ô »"
GROUP = "Groupe d'Anne & Cie « Ô »"
PERSON = "Zoé O'Neil & Fils"
EVENT = "L'Atelier & Cie « Ô » <printemps>"
ESCAPES = re.compile(r"&(amp|lt|gt|quot|#x27|#39|#34);")


@pytest.fixture
def rendered(monkeypatch):
    """The names of the templates every mail rendered, through the one plain-text helper."""
    names: list[str] = []
    original = core_mail.render_plain

    def spy(template_name, context):
        names.append(template_name)
        return original(template_name, context)

    monkeypatch.setattr(core_mail, "render_plain", spy)
    return names


def _mail_templates() -> set[str]:
    """Every mail template of the package: ``<app>/templates/<app>/email/*.txt``."""
    root = Path(resources.files(entraide))
    return {
        str(path.relative_to(path.parents[2])).replace("\\", "/")
        for path in root.glob("*/templates/*/email/*.txt")
    }


def _assert_raw(message, *names: str, count: int | None = None) -> None:
    if count is not None:
        assert len(mail.outbox) == count, [m.subject for m in mail.outbox]
    text = message.subject + "\n" + message.body
    assert not ESCAPES.search(text), text
    for name in names:
        assert name in text, (name, text)


def test_every_mail_renders_names_without_html_escaping(builtins, rendered, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.ENTRAIDE_PRIVATE_DIR = tmp_path / "private"  # the receipt of the grants case
    organisation = Organisation.objects.create(name=ORGANISATION, slug="atelier")
    coordinator = ensure_account("coord@example.org", PERSON, password="correct horse battery staple")
    set_membership(organisation, coordinator, Role.COORDINATOR)
    member = ensure_account("membre@example.org", PERSON, password="correct horse battery staple")
    set_membership(organisation, member, Role.MEMBER)
    waiting = ensure_account("attente@example.org", PERSON, password="correct horse battery staple")
    set_membership(organisation, waiting, Role.MEMBER)
    today = group_domain.today()

    # Community: invitation (organisation, inviter, group in subject and body).
    group = group_domain.create_group(organisation, group_domain.GroupData(name=GROUP, capacity=1, location="Salle « Ô » & Cie"), coordinator)
    new = invite(organisation, "nouvelle@example.org", Role.MEMBER, coordinator, group=group)
    send_invitation(new.invitation, new.token, base_url="http://testserver")
    _assert_raw(mail.outbox[-1], ORGANISATION, PERSON, GROUP, count=1)

    # Community: promotion from the waiting list, then the session reminder.
    create_sessions(group, [NewSession(today + timedelta(days=2), time(9), time(12))], coordinator, place="Salle « Ô » & Cie")
    group_domain.join_group(group, member)
    group_domain.join_group(group, waiting)
    with django_capture_on_commit_callbacks(execute=True):
        group_domain.leave_group(group, member)
    _assert_raw(mail.outbox[-1], GROUP, PERSON, ORGANISATION, count=2)
    with tenant_scope(organisation):
        group.memberships.filter(user=waiting).update(joined_on=today)
    assert send_reminders(today)
    _assert_raw(mail.outbox[-1], GROUP, PERSON, ORGANISATION, "Salle « Ô » & Cie", count=3)

    # Events: confirmed, waiting list, promoted, event cancelled.
    data = EventData(
        title=EVENT, date=today + timedelta(days=10), start=time(14), end=time(17), place="Salle « Ô » & Cie",
        region="Val-d'Oise", languages=("fr",), status=Event.Status.PUBLISHED,
    )
    event = save_event(organisation, coordinator, data, {EventRoleKind.PARTICIPANT: 1})
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event, EventRoleKind.PARTICIPANT, PERSON, "un@example.org")
    _assert_raw(mail.outbox[-1], EVENT, PERSON, ORGANISATION, count=4)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, EventRoleKind.PARTICIPANT, PERSON, "deux@example.org")
    _assert_raw(mail.outbox[-1], EVENT, PERSON, count=5)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(first.registration)
    _assert_raw(mail.outbox[-1], EVENT, PERSON, count=6)
    with django_capture_on_commit_callbacks(execute=True):
        data.status = Event.Status.CANCELLED
        save_event(organisation, coordinator, data, {EventRoleKind.PARTICIPANT: 1}, event=event)
    _assert_raw(mail.outbox[-1], EVENT, PERSON, count=7)

    # Follow-up: the reminder before an action's due date.
    with tenant_scope(organisation):
        plan = ActionPlan.objects.create(organisation=organisation, author=member, title="Essayer")
        PlanAction.objects.create(plan=plan, text="Appeler", due=today + timedelta(days=2), position=0)
    assert send_plan_reminders(today)
    _assert_raw(mail.outbox[-1], PERSON, ORGANISATION, count=8)

    # Accounts: the password reset (the link and nothing else), through the site's form.
    form = PasswordResetForm({"email": member.email})
    assert form.is_valid()
    form.save(
        domain_override="testserver",
        subject_template_name="web/email/password_reset_subject.txt",
        email_template_name="web/email/password_reset.txt",
    )
    _assert_raw(mail.outbox[-1], "http://testserver/mot-de-passe/nouveau/", count=9)

    # Events: a presenter's personal link when the event's live session opens.
    live_event = save_event(organisation, coordinator, EventData(
        title=EVENT, date=today + timedelta(days=1), start=time(14), end=time(17), place="Suhr",
        region="", languages=("fr",), status=Event.Status.PUBLISHED,
    ), {EventRoleKind.PRESENTER: 1})
    register(live_event, EventRoleKind.PRESENTER, PERSON, "trois@example.org", question="Comment faire ?", notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        open_event_session(live_event, coordinator)
    _assert_raw(mail.outbox[-1], EVENT, PERSON, ORGANISATION, "/retour/", count=10)

    # Grants: the reminder of an overdue article (a link and the due date, nothing of it).
    from tests.grants.conftest import ask, pdf_bytes

    from entraide.grants.domain import grants
    from entraide.grants.domain.articles import send_article_reminders
    from entraide.grants.domain.receipts import add_receipt
    from entraide.grants.models import Article

    with tenant_scope(organisation):
        grants.set_budget(coordinator, organisation, today.year, "2000")
        request = grants.decide(coordinator, ask(organisation, member), grants.FULL)
        receipt = add_receipt(member, request, "facture.pdf", pdf_bytes())
        grants.pay(coordinator, request, request.amount_granted, [receipt.pk])
        due = Article.objects.get(request=request).due_on
    assert send_article_reminders(due + timedelta(days=1))
    _assert_raw(mail.outbox[-1], PERSON, ORGANISATION, count=11)

    # Network: the coordinators' notice of a new request; the invitations to the collective
    # supervision proposed from it (the raiser and who is concerned).
    from entraide.network.domain import requests as network_requests
    from entraide.network.domain import supervisions

    with tenant_scope(organisation), django_capture_on_commit_callbacks(execute=True):
        raised = network_requests.raise_request(member, organisation, "Une situation", "Le texte de la situation")
    _assert_raw(mail.outbox[-1], ORGANISATION, count=12)
    with tenant_scope(organisation), django_capture_on_commit_callbacks(execute=True):
        network_requests.say_concerned(waiting, raised, "")
        supervisions.propose(coordinator, raised, supervisions.Proposal(date=today + timedelta(days=7), start=time(14), end=time(17)))
    # Programmes: the link to an evaluation questionnaire (issue 14).
    from decimal import Decimal

    from entraide.programmes.domain import programmes as programme_domain
    from entraide.programmes.domain import questionnaires

    sent = len(mail.outbox)
    with tenant_scope(organisation), django_capture_on_commit_callbacks(execute=True):
        programme = programme_domain.create_programme(organisation, programme_domain.ProgrammeData(
            "Programme DRH", ORGANISATION, "", 5, 210, "", Decimal("400"), today, today + timedelta(days=90), [group], []), coordinator)
        questionnaires.create_questionnaire(programme, questionnaires.NewQuestionnaire(EVENT, ["overall"], today + timedelta(days=5)), coordinator)
    assert len(mail.outbox) > sent
    _assert_raw(mail.outbox[-1], EVENT, PERSON)
    _assert_raw(mail.outbox[-1], PERSON, ORGANISATION)

    # Programmes: the link to an evaluation questionnaire (issue 14).
    from decimal import Decimal

    from entraide.programmes.domain import programmes as programme_domain
    from entraide.programmes.domain import questionnaires

    sent = len(mail.outbox)
    with tenant_scope(organisation), django_capture_on_commit_callbacks(execute=True):
        programme = programme_domain.create_programme(organisation, programme_domain.ProgrammeData(
            "Programme DRH", ORGANISATION, "", 5, 210, "", Decimal("400"), today, today + timedelta(days=90), [group], []), coordinator)
        questionnaires.create_questionnaire(programme, questionnaires.NewQuestionnaire(EVENT, ["overall"], today + timedelta(days=5)), coordinator)
    assert len(mail.outbox) > sent
    _assert_raw(mail.outbox[-1], EVENT, PERSON)
    for message in mail.outbox:
        _assert_raw(message)
    # Every mail template of the package was rendered by one of the cases above.
    assert _mail_templates() == set(rendered), _mail_templates() ^ set(rendered)


def test_only_the_plain_mail_helper_builds_messages():
    """One place sends mail: no other module builds a message or calls send_mail."""
    root = Path(resources.files(entraide))
    builders = re.compile(r"(?<!def )\b(EmailMessage|EmailMultiAlternatives|send_mail|send_mass_mail)\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "mail.py" or path.parent.name != "core"
        if builders.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
