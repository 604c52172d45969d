"""No page that holds content is ever kept by a browser or a shared cache (issue 10, "Caching").

Every URL of every app, as the person who may open it, answers ``Cache-Control: no-store,
private``: live pages and the state JSON, plans, session records and their .md/.pdf, kits, CSV
and iCalendar feeds, and the error pages. ``test_every_url_of_the_project_is_listed`` keeps the
list complete: a new URL must be added here (or to the POST-only list).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from entraide.community.domain import calendars
from entraide.community.models import Group, GroupSession
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.events.models import Event
from entraide.followup.domain import plans
from entraide.themes.models import Theme

pytestmark = pytest.mark.integration

COORDINATOR = "coordination@demo.entraide.test"
FACILITATOR = "facilitation@demo.entraide.test"
MEMBER = "membre@demo.entraide.test"
COMMISSIONER = "commanditaire@demo.entraide.test"
OFFERER = "membre01@demo.entraide.test"


@dataclass
class Demo:
    organisation: Organisation
    group: Group
    held: GroupSession
    plan_id: int
    action_id: int
    event: Event
    theme_id: int
    member_feed: str
    group_feed: str
    grant_id: int = 0
    receipt_id: int = 0
    offerer_id: int = 0
    network: dict = field(default_factory=dict)  # ids of the network's demo rows (issue 13)


def _paid_grant(organisation, offerer, coordinator) -> tuple[int, int]:
    """A training grant of the demo's offerer, granted, with a receipt, paid (issue 13)."""
    from django.utils import timezone

    from entraide.grants.domain import grants, receipts
    from entraide.grants.domain.receipts import add_receipt
    from tests.grants.conftest import ask, pdf_bytes

    grants.set_budget(coordinator, organisation, timezone.localdate().year, "1000")
    request = grants.decide(coordinator, ask(organisation, offerer), grants.FULL)
    receipt = add_receipt(offerer, request, "facture.pdf", pdf_bytes())
    grants.pay(coordinator, request, request.amount_granted, [receipt.pk])
    assert receipts.read_receipt(receipt)
    return request.pk, receipt.pk


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (load_demo: 20 s here) loaded once for the module, rolled back at its end."""
    from django.test import override_settings

    private = override_settings(ENTRAIDE_PRIVATE_DIR=tmp_path_factory.mktemp("private"))
    private.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_protocols", verbosity=0, stdout=io.StringIO())
            call_command("load_demo", verbosity=0, stdout=io.StringIO())
            organisation = Organisation.objects.get(slug="demo")
            with tenant_scope(organisation):
                group = Group.objects.get(organisation=organisation)
                held = GroupSession.objects.filter(group=group, live_session__join_code="PREC3467").first() or GroupSession.objects.filter(group=group).first()
                offerer = User.objects.get(email=OFFERER)
                plan = plans.create_roadmap(organisation, offerer, "Ma feuille de route")
                action = plans.add_action(plan, "Relire mes notes", "", actor=offerer)
                coordinator = User.objects.get(email=COORDINATOR)
                member_token = calendars.ensure_token(organisation, offerer, user=offerer)
                group_token = calendars.ensure_token(organisation, coordinator, group=group)
                grant_id, receipt_id = _paid_grant(organisation, offerer, coordinator)
            with all_tenants():
                event = Event.objects.get(organisation=organisation)
                theme_id = Theme.objects.filter(organisation__isnull=True).values_list("pk", flat=True).first()
            network = _network_rows(organisation, coordinator, offerer)
            yield Demo(organisation, group, held, plan.pk, action.pk, event, theme_id, member_token.token, group_token.token, grant_id, receipt_id, offerer.pk, network)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            private.disable()


def _network_rows(organisation, coordinator, offerer) -> dict:
    """A supervision request with its collective supervision, and a mentoring with a meeting."""
    from datetime import time, timedelta

    from entraide.community.domain.groups import today
    from entraide.network.domain import mentoring, requests, supervisions

    member = User.objects.get(email=MEMBER)
    request = requests.raise_request(offerer, organisation, "Une situation", "Le texte de la situation")
    requests.say_concerned(member, request, "")
    supervisions.propose(coordinator, request, supervisions.Proposal(date=today() + timedelta(days=7), start=time(14), end=time(17)))
    offer = mentoring.offer(member, organisation, "marraine", "écriture", 2)
    asked = mentoring.ask(offerer, organisation, "design", "one", "écriture", "Un atelier à concevoir")
    mentoring.match(offerer, asked, offer.pk)
    return {"request": request.pk, "mentoring": asked.pk}


@pytest.fixture
def demo(demo_data, db) -> Demo:
    return demo_data


def _as(email: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def _not_stored(response) -> bool:
    """``no-store, private``, or Django's stricter never_cache (the login and reset forms)."""
    words = {word.strip() for word in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= words and not any(word.startswith("max-age=") and word != "max-age=0" for word in words)


def _programme(d: Demo, tail: str = "") -> str:
    """A commissioned programme of the demo (created in the test's transaction), with a
    meeting and a questionnaire; the address of one of its pages."""
    from datetime import date, timedelta
    from decimal import Decimal

    from entraide.programmes.domain import programmes as programme_domain, questionnaires as q_domain
    from entraide.programmes.models import Programme

    with tenant_scope(d.organisation):
        programme = Programme.objects.filter(organisation=d.organisation, title="Programme DRH").first()  # not the demo's
        if programme is None:
            coordinator = User.objects.get(email=COORDINATOR)
            d.group.facilitators.add(User.objects.get(email=FACILITATOR))  # the intervenant writes the minutes
            programme = programme_domain.create_programme(d.organisation, programme_domain.ProgrammeData(
                "Programme DRH", "DRH", "", 5, 210, "", Decimal("400"), date.today() - timedelta(days=300), date.today() + timedelta(days=60),
                [d.group], [User.objects.get(email=COMMISSIONER)]), coordinator)
            programme_domain.schedule_meeting(programme, "framing", date.today(), "", "", coordinator)
            q_domain.create_questionnaire(programme, q_domain.NewQuestionnaire("Bilan", ["overall"], date.today() + timedelta(days=5)), coordinator)
        meeting = programme.meetings.first()
        questionnaire = programme.questionnaires.first()
    return f"/o/demo/programmes/{programme.pk}/" + tail.format(meeting=meeting.pk, questionnaire=questionnaire.pk)


# (name, who, address): every GET address of the project, as someone who may open it.
CASES: list[tuple[str, str | None, Callable[[Demo], str]]] = [
    ("web:home", None, lambda d: "/"),
    ("web:healthz", None, lambda d: "/healthz"),
    ("web:login", None, lambda d: "/connexion/"),
    ("web:accessibility", None, lambda d: "/accessibilite/"),
    ("web:password-change", MEMBER, lambda d: "/mot-de-passe/"),
    ("web:password-change-done", MEMBER, lambda d: "/mot-de-passe/modifie/"),
    ("web:password-reset", None, lambda d: "/mot-de-passe/oublie/"),
    ("web:password-reset-done", None, lambda d: "/mot-de-passe/oublie/envoye/"),
    ("web:password-reset-confirm", None, lambda d: "/mot-de-passe/nouveau/MQ/invalid-token/"),
    ("web:password-reset-complete", None, lambda d: "/mot-de-passe/nouveau/fait/"),
    ("web:protocol-library", None, lambda d: "/protocoles/"),
    ("web:protocol", None, lambda d: "/protocoles/atelier-entraide/"),
    ("web:protocol-prepare", None, lambda d: "/protocoles/atelier-entraide/preparer/?participants=7&start=14:00&end=16:30"),
    ("web:protocol-kit", None, lambda d: "/protocoles/atelier-entraide/kit/?participants=4&language=fr"),
    ("web:live-join", None, lambda d: "/rejoindre/"),
    ("web:live", FACILITATOR, lambda d: "/s/REVUE679/"),
    ("web:live-console", FACILITATOR, lambda d: "/s/REVUE679/console/"),
    ("web:live-projector", FACILITATOR, lambda d: "/s/REVUE679/projecteur/"),
    ("web:live-state", FACILITATOR, lambda d: "/s/REVUE679/etat.json"),
    ("web:live-qr", FACILITATOR, lambda d: "/s/REVUE679/qr.svg"),
    ("web:live-personal-qr", FACILITATOR, lambda d: "/s/REVUE679/mon-lien.svg"),  # with a seat: the test below
    ("web:live-kit", FACILITATOR, lambda d: "/s/REVUE679/kit.pdf"),
    ("web:live-rejoin", None, lambda d: "/s/REVUE679/retour/not-a-secret/"),
    ("web:organisation", MEMBER, lambda d: "/o/demo/"),
    ("web:community-invitation", None, lambda d: "/invitation/not-a-token/"),
    ("web:community-calendar-feed", None, lambda d: f"/calendrier/{d.member_feed}.ics"),
    ("web:community-calendar-feed", None, lambda d: f"/calendrier/{d.group_feed}.ics"),
    ("web:community-groups", MEMBER, lambda d: "/o/demo/groupes/"),
    ("web:community-group-create", COORDINATOR, lambda d: "/o/demo/groupes/nouveau/"),
    ("web:community-group", COORDINATOR, lambda d: f"/o/demo/groupes/{d.group.pk}/"),
    ("web:community-group-edit", COORDINATOR, lambda d: f"/o/demo/groupes/{d.group.pk}/modifier/"),
    ("web:community-group-plan", COORDINATOR, lambda d: f"/o/demo/groupes/{d.group.pk}/planifier/"),
    ("web:community-group-charter", OFFERER, lambda d: f"/o/demo/groupes/{d.group.pk}/charte/"),
    ("web:community-attendance", FACILITATOR, lambda d: f"/o/demo/groupes/{d.group.pk}/seances/{d.held.pk}/presences/"),
    ("web:community-members", COORDINATOR, lambda d: "/o/demo/membres/"),
    ("web:community-me", OFFERER, lambda d: "/o/demo/mon-espace/"),
    ("web:community-me-profile", OFFERER, lambda d: "/o/demo/mon-espace/profil/"),
    ("web:core-org-log", COORDINATOR, lambda d: "/o/demo/journal/"),
    ("web:core-my-log", OFFERER, lambda d: "/o/demo/mon-espace/journal/"),
    ("web:followup-plans", OFFERER, lambda d: "/o/demo/suivi/"),
    ("web:followup-plan", OFFERER, lambda d: f"/o/demo/suivi/plans/{d.plan_id}/"),
    ("web:followup-record", OFFERER, lambda d: f"/o/demo/suivi/comptes-rendus/{d.held.pk}/"),
    ("web:followup-record-md", OFFERER, lambda d: f"/o/demo/suivi/comptes-rendus/{d.held.pk}/compte-rendu.md"),
    ("web:followup-record-pdf", OFFERER, lambda d: f"/o/demo/suivi/comptes-rendus/{d.held.pk}/compte-rendu.pdf"),
    ("web:org-protocol", MEMBER, lambda d: "/o/demo/protocoles/not-a-copy/"),
    ("events:public", None, lambda d: f"/evenements/demo/{d.event.slug}/"),
    ("events:ics", None, lambda d: f"/evenements/demo/{d.event.slug}/evenement.ics"),
    ("events:cancel", None, lambda d: f"/evenements/demo/{d.event.slug}/annulation/not-a-token/"),
    ("events:upcoming", MEMBER, lambda d: "/o/demo/evenements/a-venir/"),
    ("events:list", COORDINATOR, lambda d: "/o/demo/evenements/"),
    ("events:create", COORDINATOR, lambda d: "/o/demo/evenements/nouveau/"),
    ("events:detail", COORDINATOR, lambda d: f"/o/demo/evenements/{d.event.slug}/"),
    ("events:edit", COORDINATOR, lambda d: f"/o/demo/evenements/{d.event.slug}/modifier/"),
    ("events:csv", COORDINATOR, lambda d: f"/o/demo/evenements/{d.event.slug}/inscriptions.csv"),
    ("events:questions", FACILITATOR, lambda d: f"/o/demo/evenements/{d.event.slug}/questions/"),
    ("themes:library", MEMBER, lambda d: "/o/demo/thematiques/"),
    ("themes:create", COORDINATOR, lambda d: "/o/demo/thematiques/nouvelle/"),
    ("themes:detail", MEMBER, lambda d: f"/o/demo/thematiques/{d.theme_id}/"),
    ("themes:session", FACILITATOR, lambda d: "/s/REVUE679/thematique/"),
    ("themes:plan", COORDINATOR, lambda d: f"/o/demo/seances/{d.held.pk}/thematique/"),
    ("grants:mine", OFFERER, lambda d: "/o/demo/bourses/"),
    ("grants:new", OFFERER, lambda d: "/o/demo/bourses/nouvelle/"),
    ("grants:all", COORDINATOR, lambda d: "/o/demo/bourses/toutes/"),
    ("grants:budget", COORDINATOR, lambda d: "/o/demo/bourses/budget/"),
    ("grants:detail", OFFERER, lambda d: f"/o/demo/bourses/{d.grant_id}/"),
    ("grants:receipt", OFFERER, lambda d: f"/o/demo/bourses/{d.grant_id}/justificatifs/{d.receipt_id}/"),
    ("grants:trace", OFFERER, lambda d: f"/o/demo/bourses/{d.grant_id}/trace.pdf"),
    ("grants:ledger", COORDINATOR, lambda d: "/o/demo/grand-livre/"),
    ("grants:ledger-csv", COORDINATOR, lambda d: "/o/demo/grand-livre/grand-livre.csv"),
    ("grants:statement", COORDINATOR, lambda d: f"/o/demo/grand-livre/releves/{d.offerer_id}.pdf"),
    ("grants:articles", MEMBER, lambda d: "/o/demo/articles/"),
    ("network:home", MEMBER, lambda d: "/o/demo/reseau/"),
    ("network:requests", MEMBER, lambda d: "/o/demo/demandes/"),
    ("network:request-new", MEMBER, lambda d: "/o/demo/demandes/nouvelle/"),
    ("network:request", MEMBER, lambda d: f"/o/demo/demandes/{d.network['request']}/"),
    ("network:supervision-propose", COORDINATOR, lambda d: f"/o/demo/demandes/{d.network['request']}/supervision/"),
    ("network:mentoring", MEMBER, lambda d: "/o/demo/parrainage/"),
    ("network:mentoring-new", MEMBER, lambda d: "/o/demo/parrainage/demande/"),
    ("network:mentoring-request", OFFERER, lambda d: f"/o/demo/parrainage/{d.network['mentoring']}/"),
    ("programmes:list", COMMISSIONER, lambda d: "/o/demo/programmes/"),
    ("programmes:create", COORDINATOR, lambda d: "/o/demo/programmes/nouveau/"),
    ("programmes:detail", COMMISSIONER, lambda d: _programme(d)),
    ("programmes:edit", COORDINATOR, lambda d: _programme(d, "modifier/")),
    ("programmes:meeting-create", COORDINATOR, lambda d: _programme(d, "reunions/nouvelle/")),
    ("programmes:meeting-edit", COORDINATOR, lambda d: _programme(d, "reunions/{meeting}/modifier/")),
    ("programmes:minutes", FACILITATOR, lambda d: _programme(d, "reunions/{meeting}/compte-rendu/")),
    ("programmes:questionnaire-create", COORDINATOR, lambda d: _programme(d, "questionnaires/nouveau/")),
    ("programmes:questionnaire", COMMISSIONER, lambda d: _programme(d, "questionnaires/{questionnaire}/")),
    ("programmes:report", COMMISSIONER, lambda d: _programme(d, "rapport/")),
    ("programmes:document", COORDINATOR, lambda d: _programme(d, "documents/method/")),
    ("programmes:document-pdf", COORDINATOR, lambda d: _programme(d, "documents/planning/pdf/")),
    ("programmes:report-csv", COMMISSIONER, lambda d: _programme(d, "rapport.csv")),
    ("programmes:report-pdf", COMMISSIONER, lambda d: _programme(d, "rapport.pdf")),
    ("programmes:answer", None, lambda d: "/evaluation/not-a-token/"),
    ("privacy:page", COMMISSIONER, lambda d: "/o/demo/donnees-et-confidentialite/"),
    ("privacy:page", COORDINATOR, lambda d: "/o/demo/donnees-et-confidentialite/"),
    ("mydata:home", MEMBER, lambda d: "/o/demo/mon-espace/mes-donnees/"),
    ("mydata:export-json", MEMBER, lambda d: "/o/demo/mon-espace/mes-donnees/export.json"),
    ("mydata:export-pdf", MEMBER, lambda d: "/o/demo/mon-espace/mes-donnees/export.pdf"),
    ("mydata:erase-seat", None, lambda d: "/s/REVUE679/retour/not-a-secret/effacer/"),
    ("web:api-tokens", MEMBER, lambda d: "/o/demo/mon-espace/api/"),
    ("api", None, lambda d: "/api/v1/protocols"),
    ("api:openapi-view", None, lambda d: "/api/v1/docs"),
    ("api", None, lambda d: "/api/v1/protocols/atelier-entraide/agenda?participants=7&start=14:00&end=16:30"),
    ("api", None, lambda d: "/api/v1/openapi.json"),
    ("admin", None, lambda d: "/admin/login/"),
    ("404", MEMBER, lambda d: "/nulle-part/"),
]

# Addresses that only take a POST (their GET answers 405, which passes here too) or that
# redirect to a page listed above.
POST_ONLY = {
    "web:logout", "web:protocol-copy", "web:live-open", "web:live-command", "web:org-live-open",
    "web:org-protocol-prepare", "web:org-protocol-copy", "web:org-protocol-edit", "web:org-protocol-kit",
    "web:community-group-join", "web:community-group-leave", "web:community-group-rotation",
    "web:community-group-calendar", "web:community-excuse", "web:community-unavailable",
    "web:community-session-status", "web:community-live", "web:community-member-role",
    "web:community-me-calendar", "web:followup-add-action", "web:followup-action", "web:followup-share",
    "web:followup-keep", "events:registration-cancel", "events:open-live", "themes:copy", "themes:edit", "web:live-seats",
    "grants:decide", "grants:upload", "grants:pay", "grants:article", "grants:review",
    "network:request-concern", "network:request-unconcern", "network:request-withdraw", "network:supervision-register",
    "network:supervision-decline", "network:supervision-paf", "network:supervision-paf-due", "network:mentor-offer", "network:mentoring-match",
    "network:mentoring-meeting", "network:meeting-note", "network:mentoring-end", "network:mentoring-paf",
    "mydata:erase", "web:api-token-revoke",
    "web:followup-keep", "events:registration-cancel", "programmes:questionnaire-close", "events:open-live", "themes:copy", "themes:edit", "web:live-seats",
}


@pytest.mark.parametrize(("name", "who", "address"), CASES, ids=[f"{name}:{i}" for i, (name, _w, _a) in enumerate(CASES)])
def test_every_page_is_sent_no_store_private(demo, name, who, address):
    url = address(demo)
    response = _as(who).get(url)
    assert response.status_code < 500, (url, response.status_code)
    assert _not_stored(response), (url, response.status_code, response.get("Cache-Control"))


def test_the_personal_link_qr_code_holds_a_secret_and_is_never_stored(demo):
    """The QR code of a participant's personal link encodes their rejoin secret."""
    phone = Client(REMOTE_ADDR="192.0.2.80")
    joined = phone.post("/rejoindre/", {"code": "REVUE679", "name": "Nouvelle personne"})
    assert joined.status_code == 302, joined.status_code
    response = phone.get("/s/REVUE679/mon-lien.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg")
    assert _not_stored(response), response.get("Cache-Control")


def test_content_pages_of_the_list_really_answer(demo):
    """The list above does reach content, not only error pages: the exports and feeds answer 200."""
    for name in ("web:live-state", "web:live-kit", "events:csv", "events:ics", "web:community-calendar-feed", "web:followup-plan", "web:live-console",
                 "grants:detail", "grants:receipt", "grants:trace", "grants:ledger-csv", "grants:statement", "grants:articles",
                 "programmes:report", "programmes:report-pdf", "programmes:report-csv", "programmes:minutes", "programmes:detail",
                 "mydata:home", "mydata:export-json", "mydata:export-pdf"):
        for case_name, who, address in CASES:
            if case_name == name:
                response = _as(who).get(address(demo))
                assert response.status_code == 200, (name, response.status_code)
                assert _not_stored(response)


# The API's GET operations (issue 15), as a coordinator's personal token reads them.
API_GETS = [
    "/api/v1/me", "/api/v1/groups", "/api/v1/groups/{group}", "/api/v1/groups/{group}/members", "/api/v1/members",
    "/api/v1/groups/{group}/sessions", "/api/v1/groups/{group}/attendance", "/api/v1/groups/{group}/sessions/{held}/attendance",
    "/api/v1/events", "/api/v1/events/upcoming", "/api/v1/events/{event}", "/api/v1/events/{event}/registrations",
    "/api/v1/programmes", "/api/v1/plans", "/api/v1/protocols", "/api/v1/protocols/atelier-entraide/agenda?participants=7&start=14:00&end=16:30",
]


def test_every_api_answer_is_sent_no_store_private(demo):
    from entraide.api.domain.tokens import create_token

    secret = create_token(User.objects.get(email=COORDINATOR), demo.organisation, "cache", "read").secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for template in API_GETS:
        url = template.format(group=demo.group.pk, held=demo.held.pk, event=demo.event.pk)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        assert _not_stored(response), (url, response.get("Cache-Control"))
    # Every GET path of the schema is exercised above.
    schema = Client().get("/api/v1/openapi.json").json()
    gets = {path for path, operations in schema["paths"].items() if "get" in operations}
    covered = {"/api/v1/" + t.split("?")[0].replace("{held}", "{session_id}").replace("{group}", "{group_id}").replace("{event}", "{event_id}").removeprefix("/api/v1/") for t in API_GETS}
    assert gets - covered <= {"/api/v1/plans/{plan_id}", "/api/v1/programmes/{programme_id}/report", "/api/v1/protocols/{key}/agenda"}


def test_a_view_that_forbids_storing_or_is_deliberately_public_keeps_its_header(rf, settings):
    from django.http import HttpResponse

    from entraide.web.middleware import NoStoreMiddleware

    for header in ("no-store, no-cache, must-revalidate, private, max-age=0", "public, max-age=86400"):
        response = HttpResponse("x")
        response["Cache-Control"] = header
        assert NoStoreMiddleware(lambda request: response)(rf.get("/"))["Cache-Control"] == header
    weak = HttpResponse("x")
    weak["Cache-Control"] = "private, max-age=300"
    assert NoStoreMiddleware(lambda request: weak)(rf.get("/"))["Cache-Control"] == "no-store, private"


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace in ("admin", "api") or str(pattern.pattern) == "i18n/":
                continue
            names |= _names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_of_the_project_is_listed():
    listed = {name for name, _who, _address in CASES}
    missing = _names(get_resolver()) - listed - POST_ONLY
    assert not missing, f"add these URLs to CASES or POST_ONLY: {sorted(missing)}"
