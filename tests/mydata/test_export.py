"""The export of a member's own data (issue 14, point 5): only their own, never others'."""

import json
import subprocess

import pytest
from django.test import Client

from entraide.core.tenancy import tenant_scope
from entraide.mydata.domain import export

from ..conftest import PASSWORD
from .conftest import MARKER_A, MARKER_B

pytestmark = pytest.mark.integration


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_export_holds_its_owners_question_not_the_neighbours(table_of_two, organisation, member, colleague):
    with tenant_scope(organisation):
        text = export.as_json(member, organisation)
    data = json.loads(text)
    assert MARKER_A in text
    assert MARKER_B not in text
    assert colleague.email not in text
    assert [q["text"] for q in data["sections"]["questions"]] == [f"Question {MARKER_A}"]
    assert [n["text"] for n in data["sections"]["private_notes"]] == [f"Note {MARKER_A}"]
    assert data["sections"]["account"][0]["email"] == member.email
    # The plan and actions of the offerer are theirs.
    assert data["sections"]["plans"] and data["sections"]["plan_actions"]
    # No secret is handed out.
    assert "secret_hash" not in text and "password" not in text


def test_the_neighbours_export_is_theirs(table_of_two, organisation, member, colleague):
    with tenant_scope(organisation):
        text = export.as_json(colleague, organisation)
    assert MARKER_B in text and MARKER_A not in text
    assert member.email not in text


def test_json_download_from_my_space(table_of_two, member):
    response = _client(member).get("/o/reseau/mon-espace/mes-donnees/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert MARKER_A in body and MARKER_B not in body


def test_pdf_download_reads_back(table_of_two, member, tmp_path):
    response = _client(member).get("/o/reseau/mon-espace/mes-donnees/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "export.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert MARKER_A in text
    assert MARKER_B not in text
    assert member.email in text


def test_my_space_links_to_my_data(member):
    page = _client(member).get("/o/reseau/mon-espace/").content.decode()
    assert "/o/reseau/mon-espace/mes-donnees/" in page
    home = _client(member).get("/o/reseau/mon-espace/mes-donnees/")
    assert home.status_code == 200
    assert "export.pdf" in home.content.decode()


@pytest.mark.parametrize("address", [
    "/o/reseau/mon-espace/mes-donnees/",
    "/o/reseau/mon-espace/mes-donnees/export.json",
    "/o/reseau/mon-espace/mes-donnees/export.pdf",
])
def test_anonymous_is_sent_to_login_and_another_organisation_gets_404(address, member, other_coordinator):
    response = Client().get(address)
    assert response.status_code == 302 and "?next=" in response["Location"]
    assert _client(other_coordinator).get(address).status_code == 404
    assert _client(other_coordinator).post("/o/reseau/mon-espace/mes-donnees/supprimer/", {"password": PASSWORD}).status_code == 404


def test_the_offerers_record_is_in_their_export_not_in_the_neighbours(table_of_two, organisation, member, colleague):
    with tenant_scope(organisation):
        mine = json.loads(export.as_json(member, organisation))
        theirs = json.loads(export.as_json(colleague, organisation))
    assert [t["record"] for t in mine["sections"]["tables_offered"]] == [f"{member.display_name} a présenté sa situation ; la table l'a écoutée."]
    assert theirs["sections"]["tables_offered"] == []


def test_an_export_holds_nothing_of_another_organisation(table_of_two, organisation, other_organisation, member):
    from entraide.core.domain import set_membership
    from entraide.core.models import Role
    from entraide.followup.domain import plans

    set_membership(other_organisation, member, Role.MEMBER)
    plans.create_roadmap(other_organisation, member, "Feuille de route ailleurs-xyzzy")
    with tenant_scope(organisation):
        here = export.as_json(member, organisation)
    with tenant_scope(other_organisation):
        there = export.as_json(member, other_organisation)
    assert "ailleurs-xyzzy" not in here and "ailleurs-xyzzy" in there
    assert MARKER_A in here and MARKER_A not in there


def test_the_export_costs_a_bounded_number_of_queries(table_of_two, organisation, member, django_assert_max_num_queries):
    with tenant_scope(organisation), django_assert_max_num_queries(40):
        export.collect(member, organisation)
