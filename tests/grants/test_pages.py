"""The grant pages: every door asks the same rules; a permission sweep over every new URL."""

import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.grants.domain import articles, grants, ledger
from entraide.grants.models import Article, GrantRequest, LedgerEntry, Receipt

from .conftest import ask, pdf_bytes, png_bytes

pytestmark = pytest.mark.integration

TITLE = "Formation à l'animation d'ateliers d'écriture"
TITLE_HTML = "Formation à l&#x27;animation d&#x27;ateliers d&#x27;écriture"


def _client(user=None) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def paid(organisation, member, coordinator, granted):
    with tenant_scope(organisation):
        grants.pay(coordinator, granted, "400", [granted.receipt.pk])
        request = GrantRequest.objects.get(pk=granted.pk)
    request.receipt = granted.receipt
    return request


def test_a_member_asks_through_the_form_and_bad_input_changes_nothing(organisation, member):
    client = _client(member)
    page = client.get("/o/reseau/bourses/nouvelle/")
    assert page.status_code == 200 and "commitment" in page.content.decode()
    values = {
        "training_title": TITLE, "provider": "Les Ateliers du Sud", "starts_on": "2026-03-02", "ends_on": "2026-03-06",
        "cost": "1200", "amount_asked": "1 500,00", "commitment": "Un atelier pour le réseau.",
    }
    refused = client.post("/o/reseau/bourses/nouvelle/", values)
    assert refused.status_code == 400
    assert "partie" in refused.content.decode() or "part of the cost" in refused.content.decode()
    assert 'value="Les Ateliers du Sud"' in refused.content.decode()  # nothing typed is lost
    with all_tenants():
        assert not GrantRequest.objects.exists()
    done = client.post("/o/reseau/bourses/nouvelle/", {**values, "amount_asked": "600,50"})
    assert done.status_code == 302
    with all_tenants():
        request = GrantRequest.objects.get()
    assert request.amount_asked == Decimal("600.50") and done["Location"] == f"/o/reseau/bourses/{request.pk}/"
    assert TITLE_HTML in client.get(done["Location"]).content.decode()


def test_a_commissioner_gets_a_clear_refusal_at_every_members_door(organisation, commissioner):
    client = _client(commissioner)
    for url in ("/o/reseau/bourses/", "/o/reseau/bourses/nouvelle/", "/o/reseau/articles/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "membres" in response.content.decode() or "members" in response.content.decode()
    response = client.post("/o/reseau/bourses/nouvelle/", {"training_title": "x"})
    assert response.status_code == 403
    with all_tenants():
        assert not GrantRequest.objects.exists()


def test_the_menu_shows_grants_and_articles_to_members_only(organisation, member, commissioner):
    for user, shown in ((member, True), (commissioner, False)):
        page = _client(user).get("/o/reseau/mon-espace/").content.decode()
        assert ('href="/o/reseau/bourses/"' in page) is shown
        assert ('href="/o/reseau/articles/"' in page) is shown


def test_the_coordinator_decides_partly_and_a_reason_is_required(organisation, member, coordinator, budget):
    request = ask(organisation, member)
    client = _client(coordinator)
    refused = client.post(f"/o/reseau/bourses/{request.pk}/decision/", {"outcome": "partial", "amount": "300", "reason": ""})
    assert refused.status_code == 400
    with tenant_scope(organisation):
        assert GrantRequest.objects.get(pk=request.pk).status == "asked"
    done = client.post(f"/o/reseau/bourses/{request.pk}/decision/", {"outcome": "partial", "amount": "300", "reason": "Trois demandes cette année."})
    assert done.status_code == 302
    page = _client(member).get(f"/o/reseau/bourses/{request.pk}/").content.decode()
    assert "Trois demandes cette année." in page and "300" in page


def test_receipt_upload_probes_through_the_page(organisation, member, granted):
    client = _client(member)
    url = f"/o/reseau/bourses/{granted.pk}/justificatifs/"
    probes = [
        ("facture.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("recu.pdf.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("photo.png", b"\xff\xd8\xff\xe0" + png_bytes()[4:]),
        ("gros.pdf", pdf_bytes() + b" " * (11 * 1024 * 1024)),
    ]
    for name, data in probes:
        response = client.post(url, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})
        assert response.status_code == 400, name
        assert 'class="errorlist' in response.content.decode(), name
    with tenant_scope(organisation):
        assert Receipt.objects.filter(request=granted).count() == 1
    done = client.post(url, {"file": SimpleUploadedFile("../../../secret/Ticket.png", png_bytes(), content_type="text/html")})
    assert done.status_code == 302
    with tenant_scope(organisation):
        receipt = Receipt.objects.filter(request=granted).last()
    assert (receipt.original_name, receipt.content_type) == ("Ticket.png", "image/png")


def test_a_receipt_is_served_as_an_attachment_never_stored_to_its_people_only(organisation, member, coordinator, facilitator, commissioner, other_coordinator, granted):
    url = f"/o/reseau/bourses/{granted.pk}/justificatifs/{granted.receipt.pk}/"
    for user in (member, coordinator):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert response.content == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    for user in (facilitator, commissioner, other_coordinator):
        assert _client(user).get(url).status_code == 404
    assert _client().get(url).status_code == 302
    # The coordinator's read is on the request's log, for the member to see; the member's own is not.
    with tenant_scope(organisation):
        reads = [(entry.actor, entry.subject) for entry in grants.history(granted) if entry.verb == "grant.receipt_read"]
    assert reads == [(coordinator, member)]


def test_the_payer_sees_what_is_granted_and_not_paid_and_cannot_pay_more(organisation, member, coordinator, granted):
    client = _client(coordinator)
    overview = client.get("/o/reseau/bourses/toutes/").content.decode()
    assert "400" in overview and TITLE_HTML in overview
    page = client.get(f"/o/reseau/bourses/{granted.pk}/").content.decode()
    assert 'id="amount-to-pay"' in page
    refused = client.post(f"/o/reseau/bourses/{granted.pk}/paiement/", {"amount": "450", "receipts": [granted.receipt.pk]})
    assert refused.status_code == 400
    no_receipt = client.post(f"/o/reseau/bourses/{granted.pk}/paiement/", {"amount": "100"})
    assert no_receipt.status_code == 400
    with tenant_scope(organisation):
        assert not granted.payments.exists()
    assert client.post(f"/o/reseau/bourses/{granted.pk}/paiement/", {"amount": "400", "receipts": [granted.receipt.pk]}).status_code == 302
    with tenant_scope(organisation):
        assert GrantRequest.objects.get(pk=granted.pk).status == "paid"


def test_the_trace_of_an_accepted_request_is_a_pdf(organisation, member, coordinator, granted):
    response = _client(member).get(f"/o/reseau/bourses/{granted.pk}/trace.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "ateliers d'écriture" in text and "400,00" in text and "Budget partagé" in text
    asked = ask(organisation, member)
    assert _client(member).get(f"/o/reseau/bourses/{asked.pk}/trace.pdf").status_code == 404


def test_the_article_is_written_reviewed_and_published_to_members_only(organisation, member, coordinator, facilitator, commissioner, paid):
    writer = _client(member)
    url = f"/o/reseau/bourses/{paid.pk}/article/"
    assert writer.post(url, {"title": "", "body": "", "submit": "1"}).status_code == 400
    assert writer.post(url, {"title": "Ce que la formation m'a apporté", "body": "Un brouillon."}).status_code == 302
    assert writer.post(url, {"title": "Ce que la formation m'a apporté", "body": "Écrire avec le groupe.", "submit": "1"}).status_code == 302
    reviewer = _client(coordinator)
    review = f"/o/reseau/bourses/{paid.pk}/article/relecture/"
    assert reviewer.post(review, {"comment": "", "send_back": "1"}).status_code == 400
    assert reviewer.post(review, {"comment": "Ajoute un exemple.", "send_back": "1"}).status_code == 302
    assert "Ajoute un exemple." in writer.get(f"/o/reseau/bourses/{paid.pk}/").content.decode()
    assert "Écrire avec le groupe." not in _client(facilitator).get("/o/reseau/articles/").content.decode()
    assert writer.post(url, {"title": "Ce que la formation m'a apporté", "body": "Écrire avec le groupe, par exemple.", "submit": "1"}).status_code == 302
    assert reviewer.post(review, {"comment": "", "accept": "1"}).status_code == 302
    for user in (facilitator, member, coordinator):
        assert "Écrire avec le groupe, par exemple." in _client(user).get("/o/reseau/articles/").content.decode()
    assert "Écrire avec le groupe" not in _client(commissioner).get("/o/reseau/articles/").content.decode()
    with tenant_scope(organisation):
        assert GrantRequest.objects.get(pk=paid.pk).status == "closed"
    history = writer.get(f"/o/reseau/bourses/{paid.pk}/").content.decode()
    assert "Écrire avec le groupe" in history


def test_the_ledger_records_fees_exports_safe_csv_and_a_statement(organisation, member, coordinator, paid):
    client = _client(coordinator)
    assert client.post("/o/reseau/grand-livre/", {"member": member.pk, "kind": "fee_due", "amount": "-5", "label": "PAF"}).status_code == 400
    assert client.post("/o/reseau/grand-livre/", {"member": member.pk, "kind": "fee_due", "amount": "25", "label": "=HYPERLINK(\"http://x\")"}).status_code == 302
    assert client.post("/o/reseau/grand-livre/", {"member": member.pk, "kind": "fee_paid", "amount": "20", "label": "PAF supervision"}).status_code == 302
    csv = client.get("/o/reseau/grand-livre/grand-livre.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "\"'=HYPERLINK" in body and "400.00" in body and coordinator.display_name in body
    statement = client.get(f"/o/reseau/grand-livre/releves/{member.pk}.pdf")
    assert statement.status_code == 200
    text = pdf_text(statement.content)
    import re

    assert member.display_name in text and "PAF supervision" in text
    assert re.search(r"PAF dues\s+25,00 EUR", text) and re.search(r"PAF payées\s+20,00 EUR", text), text
    assert re.search(r"Reste dû\s+5,00 EUR", text) and re.search(r"Bourses versées au ou à la membre\s+400,00 EUR", text), text


def test_record_fee_due_for_other_apps(organisation, member, coordinator, commissioner, other_coordinator):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    entry = ledger.record_fee_due(coordinator, organisation, member, "15", "PAF supervision collective", source=organisation)
    assert (entry.kind, entry.amount, entry.recorded_by, entry.source_type) == ("fee_due", Decimal("15.00"), coordinator, "core.organisation")
    with pytest.raises(PermissionDenied):
        ledger.record_fee_due(member, organisation, member, "15", "PAF")
    with pytest.raises(Http404):
        ledger.record_fee_due(other_coordinator, organisation, member, "15", "PAF")
    stranger = ensure_account("ailleurs@example.org", "Ailleurs")
    from entraide.core.actions import DomainError

    with pytest.raises(DomainError) as refused:
        ledger.record_fee_due(coordinator, organisation, stranger, "15", "PAF")
    assert refused.value.code == "not_member"
    with all_tenants():
        assert LedgerEntry.objects.count() == 1


def test_overdue_articles_are_reminded_once_per_interval(organisation, member, paid, mailoutbox):
    from datetime import timedelta

    with tenant_scope(organisation):
        article = Article.objects.get(request=paid)
    today = article.due_on + timedelta(days=1)
    assert articles.send_article_reminders(article.due_on) == []  # not overdue yet
    sent = articles.send_article_reminders(today)
    assert [r.article.pk for r in sent] == [article.pk]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [member.email]
    assert f"/o/reseau/bourses/{paid.pk}/" in mailoutbox[0].body
    assert articles.send_article_reminders(today + timedelta(days=3)) == []
    assert len(articles.send_article_reminders(today + timedelta(days=articles.REMINDER_INTERVAL_DAYS))) == 1
    with tenant_scope(organisation):
        articles.save_article(member, article, "Titre", "Texte", submit=True)
    assert articles.send_article_reminders(today + timedelta(days=60)) == []


# --- The permission sweep --------------------------------------------------------------------

# (method, url template, kind): kind says who may use it.
URLS = [
    ("get", "/o/reseau/bourses/", "members"),
    ("get", "/o/reseau/bourses/nouvelle/", "members"),
    ("post", "/o/reseau/bourses/nouvelle/", "members"),
    ("get", "/o/reseau/articles/", "members"),
    ("get", "/o/reseau/bourses/toutes/", "coordinators"),
    ("get", "/o/reseau/bourses/budget/", "coordinators"),
    ("post", "/o/reseau/bourses/budget/", "coordinators"),
    ("get", "/o/reseau/grand-livre/", "coordinators"),
    ("post", "/o/reseau/grand-livre/", "coordinators"),
    ("get", "/o/reseau/grand-livre/grand-livre.csv", "coordinators"),
    ("get", "/o/reseau/grand-livre/releves/{member}.pdf", "coordinators"),
    ("get", "/o/reseau/bourses/{grant}/", "request"),
    ("get", "/o/reseau/bourses/{grant}/trace.pdf", "request"),
    ("get", "/o/reseau/bourses/{grant}/justificatifs/{receipt}/", "request"),
    ("post", "/o/reseau/bourses/{grant}/justificatifs/", "requester"),
    ("post", "/o/reseau/bourses/{grant}/article/", "requester"),
    ("post", "/o/reseau/bourses/{grant}/decision/", "request-coordinators"),
    ("post", "/o/reseau/bourses/{grant}/paiement/", "request-coordinators"),
    ("post", "/o/reseau/bourses/{grant}/article/relecture/", "request-coordinators"),
]
ALLOWED = {200, 302, 400}


def _expected(kind: str, who: str) -> set[int]:
    if who == "anonymous":
        return {302}
    if who == "other_coordinator":
        return {404}
    may = {
        "members": {"member", "requester", "facilitator", "coordinator"},
        "coordinators": {"coordinator"},
        "request": {"requester", "coordinator"},
        "requester": {"requester"},
        "request-coordinators": {"coordinator"},
    }[kind]
    if who in may:
        return ALLOWED
    if kind in ("members",):
        return {403}  # the members-only refusal, with its message
    if kind in ("coordinators", "request-coordinators"):
        return {403}  # the organisation's page says "not your role", and nothing of the request
    if kind in ("requester", "request-coordinators") and who in ("requester", "coordinator"):
        return {403}  # may see the request, not do this
    return {404}


@pytest.mark.parametrize("who", ["anonymous", "member", "requester", "facilitator", "coordinator", "commissioner", "other_coordinator"])
def test_permission_sweep_over_every_grants_url(request, organisation, who, paid):
    from django.urls import resolve

    people = {
        "requester": request.getfixturevalue("member"),
        "member": ensure_account("autre.membre@example.org", "Autre membre"),
        "facilitator": request.getfixturevalue("facilitator"),
        "coordinator": request.getfixturevalue("coordinator"),
        "commissioner": request.getfixturevalue("commissioner"),
        "other_coordinator": request.getfixturevalue("other_coordinator"),
    }
    set_membership(organisation, people["member"], Role.MEMBER)
    with tenant_scope(organisation):
        # An article to review, so that the review door reaches its form.
        articles.save_article(people["requester"], Article.objects.get(request=paid), "Titre", "Texte", submit=True)
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(people[who])
    values = {"grant": paid.pk, "receipt": paid.receipt.pk, "member": people["requester"].pk}
    names = set()
    for method, template, kind in URLS:
        url = template.format(**values)
        names.add(resolve(url).view_name)
        response = getattr(client, method)(url)
        assert response.status_code in _expected(kind, who), (who, method, url, response.status_code)
        if response.status_code in (403, 404):
            body = response.content.decode()
            assert TITLE_HTML not in body and "animation" not in body and "Texte" not in body and "facture" not in body, (who, url)
    from django.urls import get_resolver

    every = {f"grants:{name}" for name in get_resolver().namespace_dict["grants"][1].reverse_dict if isinstance(name, str)}
    assert every <= names, sorted(every - names)


def test_the_network_page_shows_my_grants_and_the_published_articles(organisation, member, coordinator, commissioner, paid):
    """Issue 13, point 6: "Mon réseau" and "Mon espace" show the network's articles and the
    member's own grants (grants.overview, a section of network.domain.overview)."""
    with tenant_scope(organisation):
        article = Article.objects.get(request=paid)
        articles.save_article(member, article, "Ce que la formation m'a apporté", "Un texte.", submit=True)
        articles.review_article(coordinator, Article.objects.get(pk=article.pk), accept=True)
    from html import escape

    title, training = escape("Ce que la formation m'a apporté"), escape(paid.training_title)
    page = _client(member).get(f"/o/{organisation.slug}/reseau/").content.decode()
    assert "Bourses et articles du réseau" in page and training in page
    assert title in page and f"#article-{article.pk}" in page
    me = _client(member).get(f"/o/{organisation.slug}/mon-espace/").content.decode()
    assert training in me
    other = ensure_account("autre@example.org", "Autre Membre")
    set_membership(organisation, other, Role.MEMBER)
    theirs = _client(other).get(f"/o/{organisation.slug}/reseau/").content.decode()
    assert title in theirs and training not in theirs  # only one's own grants
    assert _client(commissioner).get(f"/o/{organisation.slug}/reseau/").status_code == 403
