"""The v1 endpoints: the same access rules as the pages, 404 across organisations,
pagination, date ranges, the rate limit, and no content or withheld figure leaking."""

from datetime import timedelta

import pytest

from entraide.community.domain.groups import today
from entraide.core.models import Role
from entraide.core.tenancy import tenant_scope

from .conftest import account

pytestmark = pytest.mark.integration


def test_groups_sessions_and_attendance_for_a_coordinator(world, token_for):
    _token, client = token_for(world.coordinator, world.organisation)
    groups = client.get("/api/v1/groups").json()
    assert groups["count"] == 1 and groups["items"][0]["name"] == "Analyse des pratiques" and groups["items"][0]["members"] == 2
    sessions = client.get(f"/api/v1/groups/{world.group.pk}/sessions").json()
    assert [s["number"] for s in sessions["items"]] == [1, 2, 3, 4]
    attendance = client.get(f"/api/v1/groups/{world.group.pk}/attendance").json()
    assert attendance["withheld"] is False and attendance["k"] is None
    first, second, third = attendance["items"]
    assert (first["present"], first["absent"]) == (2, 0) and (second["present"], second["absent"]) == (1, 1)
    assert third["unrecorded"] == 2 and attendance["group"]["present"] == 3
    sheet = client.get(f"/api/v1/groups/{world.group.pk}/sessions/{world.sessions[1].pk}/attendance").json()
    assert {row["display_name"]: row["status"] for row in sheet["items"]} == {"Membre": "absent", "Facilitation": "present"}


def test_a_commissioner_sees_attendance_only_withheld_below_k(world, token_for):
    _token, client = token_for(world.commissioner, world.organisation)
    attendance = client.get(f"/api/v1/groups/{world.group.pk}/attendance")
    assert attendance.status_code == 200
    data = attendance.json()
    assert data["withheld"] is True and data["k"] == 5
    assert all(row["present"] is None and row["absent"] is None for row in data["items"])  # 2 people: below k
    assert client.get(f"/api/v1/groups/{world.group.pk}/sessions/{world.sessions[0].pk}/attendance").status_code == 403
    assert client.get(f"/api/v1/groups/{world.group.pk}/members").status_code == 403
    assert client.get("/api/v1/plans").status_code == 403


def test_a_member_sees_groups_and_sessions_but_no_names_or_numbers(world, token_for):
    _token, client = token_for(world.member, world.organisation)
    assert client.get("/api/v1/groups").status_code == 200
    assert client.get(f"/api/v1/groups/{world.group.pk}/sessions").status_code == 200
    for url in (f"/api/v1/groups/{world.group.pk}/attendance", f"/api/v1/groups/{world.group.pk}/members", "/api/v1/members", "/api/v1/events"):
        refused = client.get(url)
        assert refused.status_code == 403, url
        assert refused.json()["code"] == "forbidden" and refused.json()["detail"]


def test_members_with_email_for_coordinators_only(world, token_for):
    _token, coordinator = token_for(world.coordinator, world.organisation)
    members = coordinator.get("/api/v1/members").json()
    assert {m["email"] for m in members["items"]} >= {world.member.email, world.coordinator.email}
    in_group = coordinator.get(f"/api/v1/groups/{world.group.pk}/members").json()
    assert {m["email"] for m in in_group["items"]} == {world.member.email, world.facilitator.email}
    _token, facilitator = token_for(world.facilitator, world.organisation)
    assert facilitator.get("/api/v1/members").status_code == 403
    names = facilitator.get(f"/api/v1/groups/{world.group.pk}/members").json()["items"]
    assert len(names) == 2 and all(m["email"] is None for m in names)


def test_another_organisations_ids_give_404(world, token_for):
    _token, client = token_for(world.coordinator, world.organisation)
    for url in (
        f"/api/v1/groups/{world.other_group.pk}",
        f"/api/v1/groups/{world.other_group.pk}/sessions",
        f"/api/v1/groups/{world.other_group.pk}/attendance",
        f"/api/v1/groups/{world.other_group.pk}/members",
        f"/api/v1/groups/{world.other_group.pk}/sessions/{world.other_session.pk}/attendance",
        f"/api/v1/groups/{world.group.pk}/sessions/{world.other_session.pk}/attendance",
        f"/api/v1/events/{world.other_event.pk}",
        f"/api/v1/events/{world.other_event.pk}/registrations",
        "/api/v1/programmes/999999/report",
        "/api/v1/plans/999999",
    ):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert response.json()["code"] == "not_found" and response.json()["detail"]
    _token, writer = token_for(world.coordinator, world.organisation, "write")
    assert writer.post(f"/api/v1/events/{world.other_event.pk}/registrations", {"role": "participant"}, content_type="application/json").status_code == 404


def test_someone_elses_plan_is_404_and_mine_comes_with_its_actions(world, token_for):
    _token, author = token_for(world.member, world.organisation)
    plans = author.get("/api/v1/plans").json()
    assert plans["count"] == 1 and plans["items"][0]["actions"][0]["text"] == "Relire mes notes"
    assert author.get(f"/api/v1/plans/{world.plan.pk}").json()["title"] == "Ma feuille de route"
    _token, coordinator = token_for(world.coordinator, world.organisation)
    assert coordinator.get(f"/api/v1/plans/{world.plan.pk}").status_code == 404
    assert coordinator.get("/api/v1/plans").json()["count"] == 0


def test_events_and_registrations_never_carry_the_presenters_questions(world, token_for):
    from entraide.events.domain.registrations import register

    register(world.event, "presenter", "Présentatrice", "p@example.org", question="Une question très personnelle")
    _token, client = token_for(world.coordinator, world.organisation)
    events = client.get("/api/v1/events").json()
    assert events["items"][0]["confirmed"] == 1
    detail = client.get(f"/api/v1/events/{world.event.pk}").json()
    assert {p["role"]: p["confirmed"] for p in detail["places"]}["presenter"] == 1
    registrations = client.get(f"/api/v1/events/{world.event.pk}/registrations")
    assert registrations.json()["items"][0]["email"] == "p@example.org"
    assert "personnelle" not in registrations.content.decode()


def test_pagination_has_a_maximum_page_size(world, token_for):
    for number in range(5):
        account(world.organisation, f"personne{number}@example.org", Role.MEMBER)
    _token, client = token_for(world.coordinator, world.organisation)
    everyone = client.get("/api/v1/members").json()
    assert everyone["count"] == 9 and len(everyone["items"]) == 9 and everyone["limit"] == 50
    first = client.get("/api/v1/members", {"limit": 3}).json()
    second = client.get("/api/v1/members", {"limit": 3, "offset": 3}).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 3 and second["offset"] == 3
    assert not {m["user_id"] for m in first["items"]} & {m["user_id"] for m in second["items"]}
    assert client.get("/api/v1/members", {"offset": 8}).json()["items"][0]["user_id"] == everyone["items"][8]["user_id"]
    for bad in ({"limit": 201}, {"limit": 0}, {"offset": -1}, {"limit": "many"}):
        refused = client.get("/api/v1/members", bad)
        assert refused.status_code == 400, bad
        assert refused.json()["code"] == "invalid_input" and refused.json()["field"] in bad


def test_dates_filter_sessions_attendance_and_events(world, token_for):
    _token, client = token_for(world.coordinator, world.organisation)
    day = today()
    since = (day - timedelta(days=25)).isoformat()
    until = (day - timedelta(days=5)).isoformat()
    sessions = client.get(f"/api/v1/groups/{world.group.pk}/sessions", {"since": since, "until": until}).json()
    assert [s["number"] for s in sessions["items"]] == [2, 3]
    attendance = client.get(f"/api/v1/groups/{world.group.pk}/attendance", {"since": since}).json()
    assert [row["number"] for row in attendance["items"]] == [2, 3]
    assert client.get("/api/v1/events", {"until": since}).json()["count"] == 0
    assert client.get("/api/v1/events", {"since": since}).json()["count"] == 1


@pytest.mark.parametrize("url", ["/api/v1/groups/{group}/sessions", "/api/v1/groups/{group}/attendance", "/api/v1/events"])
def test_a_bad_date_range_is_a_clear_400(world, token_for, url):
    _token, client = token_for(world.coordinator, world.organisation)
    url = url.format(group=world.group.pk)
    reversed_range = client.get(url, {"since": "2026-05-01", "until": "2026-04-01"})
    assert reversed_range.status_code == 400
    assert reversed_range.json()["code"] == "bad_range" and reversed_range.json()["field"] == "until"
    assert "2026-04-01" in reversed_range.json()["detail"]
    not_a_date = client.get(url, {"since": "1er mai"})
    assert not_a_date.status_code == 400 and not_a_date.json()["field"] == "since"


def test_the_rate_limit_answers_429_with_retry_after(world, token_for, settings):
    settings.ENTRAIDE_API_RATE_LIMIT = 3
    token, client = token_for(world.member, world.organisation)
    _other, other_client = token_for(world.coordinator, world.organisation)
    answers = [client.get("/api/v1/me").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/groups")
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= settings.ENTRAIDE_API_RATE_WINDOW
    assert limited.json()["code"] == "rate_limited" and limited.json()["detail"]
    assert other_client.get("/api/v1/me").status_code == 200  # per token


def test_the_rate_limit_window_ends(settings):
    from entraide.api.domain import limits

    settings.ENTRAIDE_API_RATE_LIMIT, settings.ENTRAIDE_API_RATE_WINDOW = 2, 60
    start = 1_800_000_000.0  # a window boundary (divisible by 60)
    assert [limits.hit(7, now=start + 1), limits.hit(7, now=start + 2), limits.hit(7, now=start + 50)] == [None, None, 10]
    assert limits.hit(7, now=start + 61) is None


def test_programme_report_uses_the_k_rule(world, token_for):
    from datetime import date
    from decimal import Decimal

    from entraide.programmes.domain import programmes as programme_domain

    with tenant_scope(world.organisation):
        programme = programme_domain.create_programme(world.organisation, programme_domain.ProgrammeData(
            "Programme DRH", "DRH", "", 5, 180, "", Decimal("100"), date.today() - timedelta(days=60), date.today() + timedelta(days=60),
            [world.group], [world.commissioner]), world.coordinator)
    _token, client = token_for(world.commissioner, world.organisation)
    listed = client.get("/api/v1/programmes").json()
    assert [p["id"] for p in listed["items"]] == [programme.pk]
    report = client.get(f"/api/v1/programmes/{programme.pk}/report")
    assert report.status_code == 200, report.content
    data = report.json()
    assert data["k"] == 5 and data["attendance"]["overall"] is None  # 3 present in all: below k
    assert all(row["present"] is None for row in data["attendance"]["sessions"])
    _token, member = token_for(world.member, world.organisation)
    assert member.get(f"/api/v1/programmes/{programme.pk}/report").status_code in (403, 404)


def test_protocols_and_agenda_need_a_token(builtins, member, organisation, token_for):
    from django.test import Client

    assert Client().get("/api/v1/protocols").status_code == 401
    _token, client = token_for(member, organisation)
    keys = {p["key"] for p in client.get("/api/v1/protocols").json()["items"]}
    assert "atelier-entraide" in keys and len(keys) == 6
    agenda = client.get("/api/v1/protocols/atelier-entraide/agenda", {"participants": 7, "start": "14:00", "end": "16:30"})
    assert agenda.status_code == 200 and agenda.json()["end"] == "16:30"
    short = client.get("/api/v1/protocols/atelier-entraide/agenda", {"participants": 7, "start": "14:00", "end": "14:30"})
    assert short.status_code == 400 and short.json()["code"] == "window_too_short"
    assert client.get("/api/v1/protocols/inconnu/agenda", {"participants": 7, "start": "14:00", "end": "16:30"}).status_code == 404


def test_the_schema_is_openapi_3_1_and_declares_every_error(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert schema["components"]["securitySchemes"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)
            assert operation.get("security"), (method, path)


def test_the_docs_page_is_served_without_a_cdn(client):
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body and "cdn" not in body.lower()
    assert "script-src 'self'" in docs["Content-Security-Policy"]
