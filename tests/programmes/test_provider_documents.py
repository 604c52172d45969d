"""The provider's documents (issue 14, part 4; field document 003): the methodological note
and the planning prévisionnel, generated from the programme, edited, exported as PDF."""

import subprocess
from datetime import time, timedelta

import pytest
from django.test import Client
from django.utils import translation

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions
from entraide.core.models import ActionLogEntry
from entraide.core.tenancy import tenant_scope
from entraide.programmes.domain import ProgrammeError, programmes as programme_domain, provider_documents as documents
from entraide.programmes.models import ProviderDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(organisation, group, coordinator):
    """Two sessions placed by the planner (with its reasons), one entered by hand."""
    today = group_domain.today()
    with tenant_scope(organisation):
        create_sessions(group, [
            NewSession(today + timedelta(days=30), time(9), time(12, 30), why="Premier mardi hors vacances scolaires"),
            NewSession(today + timedelta(days=90), time(9), time(12, 30), why="Évite le pont de l'Ascension"),
        ], coordinator, place="Salle du conseil")
        create_sessions(group, [NewSession(today + timedelta(days=60), time(14), time(16))], coordinator)


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())  # table cells wrap: compare words


def test_the_note_is_generated_from_the_programme_its_protocol_and_meetings(builtins, organisation, programme, coordinator):
    with tenant_scope(organisation), translation.override("fr"):
        programme_domain.schedule_meeting(programme, "framing", group_domain.today() + timedelta(days=7), "Poitiers", "DRRH", coordinator)
        note = documents.provider_document(programme, "method")
    titles = [section.title for section in note.sections]
    assert titles == ["Objectifs pédagogiques à atteindre", "Méthode et supports pédagogiques utilisés", "Rythme préconisé", "Modalités de l'évaluation de la prestation"]
    text = {section.key: section.text for section in note.sections}
    assert "Analyse des pratiques professionnelles" in text["method"] and "1. " in text["method"]  # the group's protocol and its steps
    assert "5 séances par an de 210 minutes" in text["rhythm"] and "hors vacances scolaires" in text["rhythm"]
    framing = (group_domain.today() + timedelta(days=7)).strftime("%Y")
    assert "Réunion de cadrage" in text["evaluation"] and framing in text["evaluation"] and "à dater" in text["evaluation"]
    assert not any(section.edited for section in note.sections)


def test_the_planning_lists_the_sessions_with_the_planners_reasons(organisation, programme, planned):
    with tenant_scope(organisation):
        planning = documents.provider_document(programme, "planning")
    assert [row.why for row in planning.rows] == ["Premier mardi hors vacances scolaires", "", "Évite le pont de l'Ascension"]
    assert [row.minutes for row in planning.rows] == [210, 120, 210]
    assert planning.rows[0].place == "Salle du conseil" and planning.rows[1].place == "Poitiers"  # the group's place by default
    assert [row.number for row in planning.rows] == [1, 2, 3]


def test_edits_win_until_regenerated_and_every_write_is_logged(organisation, programme, coordinator, facilitator):
    with tenant_scope(organisation):
        documents.save_provider_document(programme, "method", {"objectives": "Se rencontrer entre pairs.", "method": "", "rhythm": "Tous les deux mois.", "evaluation": "Bilan final."}, "Claire Intervenante", group_domain.today(), facilitator)
        note = documents.provider_document(programme, "method")
        assert note.sections[0].text == "Se rencontrer entre pairs." and note.sections[0].edited
        assert note.signatory == "Claire Intervenante" and note.edited_by == facilitator.display_name
        documents.regenerate_provider_document(programme, "method", coordinator)
        again = documents.provider_document(programme, "method")
        assert again.sections[0].text != "Se rencontrer entre pairs." and not again.sections[0].edited
        assert again.signatory == "Claire Intervenante"
        # In the organisation's journal (the log finds the organisation through the programme).
        verbs = list(ActionLogEntry.objects.filter(verb__startswith="programme.document").values_list("verb", flat=True).order_by("pk"))
    assert verbs == ["programme.document_saved", "programme.document_regenerated"]


@pytest.mark.parametrize("sections, signatory, field", [
    ({"objectives": "x" * (documents.SECTION_MAX + 1)}, "", "objectives"),
    ({"objectives": "ok", "introduction": "not in the note"}, "", "introduction"),
    ({"objectives": "ok\x07"}, "", "objectives"),
    ({"objectives": "ok"}, "Deux\nlignes", "signatory"),
])
def test_bad_input_is_refused_with_its_field_and_changes_nothing(organisation, programme, coordinator, sections, signatory, field):
    with tenant_scope(organisation):
        documents.save_provider_document(programme, "method", {"objectives": "Gardé."}, "", None, coordinator)
        with pytest.raises(ProgrammeError) as refused:
            documents.save_provider_document(programme, "method", sections, signatory, None, coordinator)
        assert refused.value.field == field
        assert ProviderDocument.objects.get(programme=programme, kind="method").sections["objectives"] == "Gardé."


def test_only_the_providers_side_edits(organisation, programme, commissioner, member):
    with tenant_scope(organisation):
        for person in (commissioner, member):
            with pytest.raises(Exception):
                documents.save_provider_document(programme, "method", {"objectives": "x"}, "", None, person)
        assert not ProviderDocument.objects.exists()


def test_edit_then_download_the_pdf_dated_and_signed(organisation, programme, planned, coordinator):
    client = Client()
    client.force_login(coordinator)
    url = f"/o/{organisation.slug}/programmes/{programme.pk}/documents/planning/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Premier mardi hors vacances scolaires" in body and "jamais" in body
    saved = client.post(url, {"save": "1", "introduction": "Cinq demi-journées à Poitiers.", "remarks": "Dates à confirmer en réunion de cadrage.",
                              "signatory": "Claire Intervenante", "signed_on": "2026-09-01"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert saved.status_code == 302
    text = _pdf_text(client.get(url + "pdf/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Planning prévisionnel" in text and "Cinq demi-journées à Poitiers." in text
    assert "Évite le pont de l'Ascension" in text and "Salle du conseil" in text and "210 min" in text
    assert "Fait le 1 septembre 2026" in text and "Claire Intervenante" in text


def test_the_form_keeps_what_was_typed_when_refused(organisation, programme, coordinator):
    client = Client()
    client.force_login(coordinator)
    url = f"/o/{organisation.slug}/programmes/{programme.pk}/documents/method/"
    refused = client.post(url, {"save": "1", "objectives": "Mes objectifs tapés", "signatory": "Deux", "signed_on": "pas une date"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Mes objectifs tapés" in body and "Rien n" in body
    with tenant_scope(organisation):
        assert not ProviderDocument.objects.exists()
    assert client.get(f"/o/{organisation.slug}/programmes/{programme.pk}/documents/nothing/").status_code == 404
