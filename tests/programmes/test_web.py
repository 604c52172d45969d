"""Programme pages: a permission sweep over every URL, the report as page, CSV and PDF, the
answer page, and the commissioner's view of a group page (issue 14)."""

import subprocess
from datetime import timedelta

import pytest
from django.test import Client

from entraide.community.domain import groups as group_domain
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role
from entraide.core.tenancy import tenant_scope
from entraide.programmes.domain import programmes as programme_domain, questionnaires as q_domain
from entraide.programmes.models import Answer, Programme, ProgrammeMeeting

from ..conftest import PASSWORD
from .conftest import attend

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def setting(organisation, programme, coordinator, facilitator, members, sessions):
    with tenant_scope(organisation):
        meeting = programme_domain.schedule_meeting(programme, "framing", group_domain.today(), "Poitiers", "DRRH", coordinator)
        programme_domain.write_minutes(meeting, "Cadre posé avec la DRRH.", facilitator)
        questionnaire = q_domain.create_questionnaire(
            programme, q_domain.NewQuestionnaire("Bilan intermédiaire", ["overall", "rhythm", "comment"], group_domain.today() + timedelta(days=3)), coordinator
        )
    return {"meeting": meeting, "questionnaire": questionnaire}


def _urls(organisation, programme, setting) -> dict[str, str]:
    base = f"/o/{organisation.slug}/programmes/{programme.pk}/"
    return {
        "list": f"/o/{organisation.slug}/programmes/",
        "create": f"/o/{organisation.slug}/programmes/nouveau/",
        "detail": base,
        "edit": base + "modifier/",
        "meeting-create": base + "reunions/nouvelle/",
        "minutes": base + f"reunions/{setting['meeting'].pk}/compte-rendu/",
        "meeting-edit": base + f"reunions/{setting['meeting'].pk}/modifier/",
        "questionnaire-create": base + "questionnaires/nouveau/",
        "questionnaire": base + f"questionnaires/{setting['questionnaire'].pk}/",
        "report": base + "rapport/",
        "report-csv": base + "rapport.csv",
        "report-pdf": base + "rapport.pdf",
        "document": base + "documents/method/",
        "document-pdf": base + "documents/planning/pdf/",
    }


OK, DENIED, HIDDEN = 200, 403, 404
# Who sees what (GET). The list and the creation form belong to the organisation: a member gets
# 403 there (the organisation is theirs); every page of a programme is 404 to whoever may not see it.
EXPECTED = {
    "coordinator": {name: OK for name in ("list", "create", "detail", "edit", "meeting-create", "meeting-edit", "questionnaire-create", "questionnaire", "report", "report-csv", "report-pdf", "document", "document-pdf")} | {"minutes": DENIED},
    "facilitator": {"list": OK, "create": HIDDEN, "detail": OK, "edit": DENIED, "meeting-create": DENIED, "meeting-edit": DENIED, "minutes": OK, "questionnaire-create": OK,
                    "questionnaire": OK, "report": OK, "report-csv": OK, "report-pdf": OK, "document": OK, "document-pdf": OK},
    "commissioner": {"list": OK, "create": HIDDEN, "detail": OK, "edit": DENIED, "meeting-create": DENIED, "meeting-edit": DENIED, "minutes": DENIED, "questionnaire-create": DENIED,
                     "questionnaire": OK, "report": OK, "report-csv": OK, "report-pdf": OK, "document": DENIED, "document-pdf": DENIED},
    "member": {"list": DENIED, "create": HIDDEN} | {name: HIDDEN for name in ("detail", "edit", "meeting-create", "meeting-edit", "minutes", "questionnaire-create", "questionnaire", "report", "report-csv", "report-pdf", "document", "document-pdf")},
    "other_commissioner": {"list": OK, "create": HIDDEN} | {name: HIDDEN for name in ("detail", "edit", "meeting-create", "meeting-edit", "minutes", "questionnaire-create", "questionnaire", "report", "report-csv", "report-pdf", "document", "document-pdf")},
    "stranger": {name: HIDDEN for name in ("list", "create", "detail", "edit", "meeting-create", "meeting-edit", "minutes", "questionnaire-create", "questionnaire", "report", "report-csv", "report-pdf", "document", "document-pdf")},
}


def test_permission_sweep_over_every_programme_url(organisation, programme, setting, coordinator, facilitator, commissioner, member, other_coordinator):
    other_commissioner = ensure_account("autre-drh@example.org", "Autre DRH", password=PASSWORD)
    set_membership(organisation, other_commissioner, Role.COMMISSIONER)
    people = {"coordinator": coordinator, "facilitator": facilitator, "commissioner": commissioner, "member": member,
              "other_commissioner": other_commissioner, "stranger": other_coordinator}
    urls = _urls(organisation, programme, setting)
    for who, expected in EXPECTED.items():
        client = _client(people[who])
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == expected[name], (who, name, response.status_code)
            if response.status_code in (DENIED, HIDDEN):
                body = response.content.decode()
                assert programme.title not in body and "Cadre posé" not in body, (who, name)
    anonymous = _client()
    for name, url in urls.items():
        response = anonymous.get(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"], name


def test_post_doors_refuse_who_may_not_write(organisation, programme, setting, commissioner, member, facilitator):
    base = f"/o/{organisation.slug}/programmes/{programme.pk}/"
    close = base + f"questionnaires/{setting['questionnaire'].pk}/cloturer/"
    assert _client(commissioner).post(close).status_code == DENIED
    assert _client(member).post(close).status_code == HIDDEN
    assert _client(commissioner).post(base + f"reunions/{setting['meeting'].pk}/compte-rendu/", {"minutes": "x"}).status_code == DENIED
    with tenant_scope(organisation):
        assert ProgrammeMeeting.objects.get(pk=setting["meeting"].pk).minutes == "Cadre posé avec la DRRH."
    assert _client(facilitator).post(close).status_code == 302


def test_a_coordinator_creates_a_programme_and_bad_input_changes_nothing(organisation, coordinator, group, commissioner):
    client = _client(coordinator)
    data = {"title": "Supervision DRH", "commissioner_name": "Département", "commissioner_contacts": "", "groups": [group.pk],
            "representatives": [commissioner.pk], "sessions_per_year": "5", "session_minutes": "210", "rhythm": "",
            "price_per_session": "450", "start": "2026-09-01", "end": "2026-06-30"}
    refused = client.post(f"/o/{organisation.slug}/programmes/nouveau/", data)
    assert refused.status_code == 400
    assert "doit se terminer" in refused.content.decode() or "must end" in refused.content.decode()
    with tenant_scope(organisation):
        assert not Programme.objects.exists()
    data["end"] = "2027-06-30"
    created = client.post(f"/o/{organisation.slug}/programmes/nouveau/", data)
    assert created.status_code == 302
    with tenant_scope(organisation):
        programme = Programme.objects.get()
        assert list(programme.groups.all()) == [group] and list(programme.representatives.all()) == [commissioner]


def test_the_minutes_form_reminds_that_session_content_never_goes_there(organisation, programme, setting, facilitator):
    page = _client(facilitator).get(f"/o/{organisation.slug}/programmes/{programme.pk}/reunions/{setting['meeting'].pk}/compte-rendu/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "jamais" in text or "never" in text


def test_answer_page_once_and_the_report_after_closing(organisation, programme, setting, members, sessions, coordinator, facilitator, commissioner):
    questionnaire = setting["questionnaire"]
    attend(organisation, sessions[0], members[:6], facilitator)
    attend(organisation, sessions[1], members[1:6], facilitator)
    with tenant_scope(organisation):
        tokens = [q_domain.token_for(questionnaire, person) for person in members]
    anonymous = _client()
    bad = anonymous.post(f"/evaluation/{tokens[0]}/", {"overall": "7"})
    assert bad.status_code == 400
    with tenant_scope(organisation):
        assert not Answer.objects.exists()
    for index, token in enumerate(tokens):
        answer = {"overall": "4" if index < 5 else "2", "rhythm": "yes", "comment": f"Secret {index}", "comment_consent": "on" if index == 0 else ""}
        assert anonymous.post(f"/evaluation/{token}/", answer).status_code == 200
    again = anonymous.get(f"/evaluation/{tokens[0]}/")
    assert "déjà répondu" in again.content.decode() or "already answered" in again.content.decode()
    assert anonymous.get("/evaluation/nope/").status_code == 404

    report_url = f"/o/{organisation.slug}/programmes/{programme.pk}/rapport/"
    open_report = _client(commissioner).get(report_url).content.decode()
    assert "Secret" not in open_report and "mean" not in open_report.lower()
    with tenant_scope(organisation):
        q_domain.close_questionnaire(questionnaire, coordinator)
    for user in (commissioner, coordinator):
        page = _client(user).get(report_url).content.decode()
        assert "Secret" not in page
        assert "<svg role=\"img\"" in page and "<desc" in page and "<table" in page, page[page.find("attendance-title"):][:1500]  # the attendance chart (6 and 5 present)
        assert "7 répondant" in page or "7 respondent" in page
    # The intervenant reads the one text whose author agreed; the commissioner none.
    q_url = f"/o/{organisation.slug}/programmes/{programme.pk}/questionnaires/{questionnaire.pk}/"
    mine = _client(facilitator).get(q_url).content.decode()
    assert "Secret 0" in mine and "Secret 1" not in mine
    theirs = _client(commissioner).get(q_url).content.decode()
    assert "Secret" not in theirs

    csv_body = _client(commissioner).get(report_url.replace("rapport/", "rapport.csv")).content.decode("utf-8-sig")
    assert "Secret" not in csv_body and "< 5" in csv_body and "Bilan intermédiaire" in csv_body
    pdf = _client(commissioner).get(report_url.replace("rapport/", "rapport.pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Bilan intermédiaire" in text and "Secret" not in text and "< 5" in text


def test_a_commissioner_sees_no_attendance_below_k_on_a_group_page(organisation, group, programme, members, sessions, facilitator, commissioner):
    attend(organisation, sessions[0], members[:1], facilitator)
    page = _client(commissioner).get(f"/o/{organisation.slug}/groupes/{group.pk}/").content.decode()
    assert "1 / 7" not in page and "1 / 1" not in page
    assert "&lt; 5" in page
    facilitator_page = _client(facilitator).get(f"/o/{organisation.slug}/groupes/{group.pk}/").content.decode()
    assert "1 / 7" in facilitator_page


def test_mon_espace_shows_a_member_their_link(organisation, programme, setting, members):
    page = _client(members[0]).get(f"/o/{organisation.slug}/mon-espace/").content.decode()
    with tenant_scope(organisation):
        token = q_domain.token_for(setting["questionnaire"], members[0])
    assert f"/evaluation/{token}/" in page


def test_a_coordinator_moves_a_meeting_and_a_bad_date_changes_nothing(organisation, programme, setting, coordinator):
    url = f"/o/{organisation.slug}/programmes/{programme.pk}/reunions/{setting['meeting'].pk}/modifier/"
    client = _client(coordinator)
    refused = client.post(url, {"kind": "final", "date": "pas une date", "place": "Ailleurs", "attendees": ""})
    assert refused.status_code == 400
    with tenant_scope(organisation):
        meeting = ProgrammeMeeting.objects.get(pk=setting["meeting"].pk)
    assert meeting.place == "Poitiers" and meeting.kind == "framing"
    moved = client.post(url, {"kind": "final", "date": "2027-01-15", "place": "Châtellerault", "attendees": "DRRH"})
    assert moved.status_code == 302
    with tenant_scope(organisation):
        meeting = ProgrammeMeeting.objects.get(pk=setting["meeting"].pk)
    # The kind is fixed (disabled field): only the date, place and attendees change.
    assert (meeting.kind, str(meeting.date), meeting.place) == ("framing", "2027-01-15", "Châtellerault")
