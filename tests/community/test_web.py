"""The community pages: access for every role, the yearly plan in one click, errors that change
nothing, invitations, rotation, and a constant number of queries on the group page."""

import re
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions, record_attendance
from entraide.community.models import Group, GroupSession, Unavailability
from entraide.core.models import User
from entraide.core.tenancy import all_tenants, tenant_scope

from .conftest import backdate

pytestmark = pytest.mark.integration


def login(client, user):
    client.force_login(user)
    return client


def urls(organisation, group, session):
    org = organisation.slug
    g = {"org": org, "group": group.pk}
    s = {**g, "session": session.pk}
    return [
        ("get", reverse("web:community-groups", kwargs={"org": org})),
        ("get", reverse("web:community-group-create", kwargs={"org": org})),
        ("get", reverse("web:community-group", kwargs=g)),
        ("get", reverse("web:community-group-edit", kwargs=g)),
        ("get", reverse("web:community-group-plan", kwargs=g)),
        ("post", reverse("web:community-group-join", kwargs=g)),
        ("post", reverse("web:community-group-leave", kwargs=g)),
        ("get", reverse("web:community-group-charter", kwargs=g)),
        ("post", reverse("web:community-group-rotation", kwargs=g)),
        ("post", reverse("web:community-group-calendar", kwargs=g)),
        ("get", reverse("web:community-attendance", kwargs=s)),
        ("post", reverse("web:community-excuse", kwargs=s)),
        ("post", reverse("web:community-unavailable", kwargs=s)),
        ("post", reverse("web:community-live", kwargs=s)),
        ("post", reverse("web:community-session-status", kwargs=s)),
        ("get", reverse("web:community-members", kwargs={"org": org})),
        ("get", reverse("web:community-me", kwargs={"org": org})),
        ("post", reverse("web:community-me-profile", kwargs={"org": org})),
        ("post", reverse("web:community-me-calendar", kwargs={"org": org})),
    ]


def test_another_organisation_sees_nothing_404_everywhere(client, organisation, group, sessions, other_coordinator):
    login(client, other_coordinator)
    for method, url in urls(organisation, group, sessions[0]):
        assert getattr(client, method)(url).status_code == 404, url
    with tenant_scope(organisation):
        assert GroupSession.objects.count() == 5


def test_strangers_are_sent_to_log_in(client, organisation, group, sessions):
    for method, url in urls(organisation, group, sessions[0]):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"], url


def test_members_cannot_manage(client, organisation, group, sessions, member):
    login(client, member)
    org, g = organisation.slug, {"org": organisation.slug, "group": group.pk}
    for url in (
        reverse("web:community-group-create", kwargs={"org": org}),
        reverse("web:community-group-edit", kwargs=g),
        reverse("web:community-group-plan", kwargs=g),
        reverse("web:community-members", kwargs={"org": org}),
        reverse("web:community-attendance", kwargs={**g, "session": sessions[0].pk}),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("web:community-group-rotation", kwargs=g)).status_code == 403


def test_commissioners_see_attendance_numbers_only(client, organisation, group, sessions, coordinator, commissioner, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    backdate(group, person)
    group_domain.accept_charter(group, person)
    record_attendance(sessions[0], {person: "present"}, coordinator)
    login(client, commissioner)
    page = client.get(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Engagement" in html and "1 / 1" in html  # numbers
    assert person.display_name not in html and "Liste d'attente" not in html  # no names
    assert "S'inscrire" not in html and "M'inscrire" not in html
    assert client.post(reverse("web:community-group-join", kwargs={"org": organisation.slug, "group": group.pk})).status_code == 403


def test_plan_a_year_in_the_browser_then_create_the_sessions_in_one_click(client, organisation, group, coordinator):
    login(client, coordinator)
    url = reverse("web:community-group-plan", kwargs={"org": organisation.slug, "group": group.pk})
    answers = {
        "first": "2025-09-08", "last": "2026-07-03", "sessions": "5", "length": "half-day",
        "weekdays": ["0", "1", "2", "3", "4"], "country": "FR", "zone": "A", "subdivision": "", "closed": "",
    }
    proposal = client.get(url, answers)
    assert proposal.status_code == 200
    html = proposal.content.decode()
    assert html.count('<li><strong>') == 5 and "Créer ces séances" in html
    with tenant_scope(organisation):
        assert not GroupSession.objects.exists()  # proposing changes nothing
    created = client.post(url, {**answers, "place": "Poitiers, salle 2"})
    assert created.status_code == 302
    with tenant_scope(organisation):
        sessions = list(GroupSession.objects.filter(group=group))
    assert len(sessions) == 5 and all(s.place == "Poitiers, salle 2" for s in sessions)
    assert all(date(2025, 9, 8) <= s.date <= date(2026, 7, 3) and s.date.weekday() < 5 for s in sessions)
    # The same plan again overlaps: a clear message, nothing created.
    again = client.post(url, {**answers, "place": ""})
    assert again.status_code == 400
    assert "chevauchent" in again.content.decode()
    with tenant_scope(organisation):
        assert GroupSession.objects.count() == 5


def test_plan_bad_input_re_shows_the_form_with_a_message(client, organisation, group, coordinator):
    login(client, coordinator)
    url = reverse("web:community-group-plan", kwargs={"org": organisation.slug, "group": group.pk})
    base = {"first": "2025-09-08", "last": "2025-09-12", "sessions": "30", "length": "half-day", "weekdays": ["0"], "country": "FR", "zone": "A"}
    response = client.post(url, base)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    response = client.get(url, {**base, "last": "2025-01-01"})
    assert response.status_code == 400 and "après son début" in response.content.decode()
    response = client.get(url, {**base, "sessions": "2", "last": "2026-01-01", "closed": "2025-10-01; oops"})
    assert response.status_code == 400 and "AAAA-MM-JJ" in response.content.decode()
    with tenant_scope(organisation):
        assert not GroupSession.objects.exists()


def test_capacity_below_members_in_the_edit_form(client, builtins, organisation, group, coordinator, make_member):
    for n in range(3):
        group_domain.join_group(group, make_member(n))
    login(client, coordinator)
    url = reverse("web:community-group-edit", kwargs={"org": organisation.slug, "group": group.pk})
    response = client.post(url, {"name": "Renommé", "capacity": "2", "protocol_key": "analyse-des-pratiques", "time_zone": "Europe/Paris"})
    assert response.status_code == 400 and "3 membres" in response.content.decode()
    group.refresh_from_db()
    assert group.capacity == 15 and group.name == "Analyse des pratiques"


def test_create_a_group_in_the_browser(client, builtins, organisation, coordinator, facilitator, member):
    login(client, coordinator)
    url = reverse("web:community-group-create", kwargs={"org": organisation.slug})
    assert client.post(url, {"name": "", "capacity": "15", "protocol_key": "analyse-des-pratiques", "time_zone": "Europe/Paris"}).status_code == 400
    data = {"name": "Groupe de quinze", "capacity": "15", "protocol_key": "analyse-des-pratiques", "time_zone": "Europe/Paris"}
    assert client.post(url, {**data, "facilitators": [member.pk]}).status_code == 400  # only facilitators can facilitate
    response = client.post(url, {**data, "facilitators": [facilitator.pk]})
    assert response.status_code == 302
    with tenant_scope(organisation):
        group = Group.objects.get()
        assert group.name == "Groupe de quinze" and list(group.facilitators.all()) == [facilitator]
    page = client.get(response["Location"]).content.decode()
    assert "Animation :" in page and facilitator.display_name in page


def test_invite_accept_charter_and_join_through_the_pages(client, organisation, group, sessions, coordinator):
    login(client, coordinator)
    members_url = reverse("web:community-members", kwargs={"org": organisation.slug})
    response = client.post(members_url, {"email": "camille@example.org", "role": "member", "group": "", "language": "fr"})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Accepter l'invitation" in page.content.decode()
    bad = client.post(link, {"display_name": "Camille", "password": "x", "password_again": "y"})
    assert bad.status_code == 400
    accepted = client.post(link, {"display_name": "Camille", "password": "une phrase solide", "password_again": "une phrase solide"})
    assert accepted.status_code == 302
    camille = User.objects.get(email="camille@example.org")
    assert int(client.session["_auth_user_id"]) == camille.pk
    assert client.get(link).status_code == 400  # used
    g = {"org": organisation.slug, "group": group.pk}
    assert client.post(reverse("web:community-group-charter", kwargs=g), {"volunteering": "on"}).status_code == 400
    assert not group_domain.has_accepted_charter(group, camille)
    client.post(reverse("web:community-group-charter", kwargs=g), {k: "on" for k in ("volunteering", "non_judgement", "confidentiality", "commitment")})
    assert group_domain.has_accepted_charter(group, camille)
    client.post(reverse("web:community-group-join", kwargs=g))
    me = client.get(reverse("web:community-me", kwargs={"org": organisation.slug})).content.decode()
    assert "Mes prochaines séances" in me and "séance 3" in me  # joined from the next session


def test_rotation_through_the_page(client, organisation, group, coordinator, make_member):
    people = [make_member(n) for n in range(3)]
    for person in people:
        group_domain.join_group(group, person)
    today = group_domain.today()
    coming = create_sessions(group, [NewSession(today + timedelta(days=10 * n), time(18), time(20)) for n in (1, 2, 3)], coordinator)
    login(client, people[0])
    g = {"org": organisation.slug, "group": group.pk}
    client.post(reverse("web:community-unavailable", kwargs={**g, "session": coming[0].pk}), {"unavailable": "1"})
    with tenant_scope(organisation):
        assert Unavailability.objects.filter(user=people[0]).count() == 1
    login(client, coordinator)
    client.post(reverse("web:community-group-rotation", kwargs=g))
    with tenant_scope(organisation):
        rows = list(GroupSession.objects.filter(group=group).order_by("date"))
    assert {r.facilitator_id for r in rows} == {p.pk for p in people}
    assert rows[0].facilitator_id != people[0].pk
    assert all(r.protocol_key == "brouillon-atelier" for r in rows)
    login(client, people[1])
    me = client.get(reverse("web:community-me", kwargs={"org": organisation.slug})).content.decode()
    assert "Séances que j'anime" in me


def test_group_page_queries_do_not_grow_with_the_group(client, django_assert_num_queries, organisation, group, sessions, coordinator, make_member):
    """3 members, then 15: the same number of queries (no query per member or per session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(numbers):
        for n in numbers:
            person = make_member(n)
            group_domain.join_group(group, person)
            backdate(group, person)
            group_domain.accept_charter(group, person)
            record_attendance(sessions[0], {person: "present"}, coordinator)

    add(range(3))
    login(client, coordinator)
    url = reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk})
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(range(3, 15))
    with django_assert_num_queries(len(small)):
        page = client.get(url)
    assert page.content.decode().count('data-label="Depuis"') == 15


def test_attendance_form_refuses_present_before_charter_and_saves_nothing(client, organisation, group, sessions, coordinator, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    backdate(group, person)
    login(client, coordinator)
    url = reverse("web:community-attendance", kwargs={"org": organisation.slug, "group": group.pk, "session": sessions[0].pk})
    response = client.post(url, {f"status-{person.pk}": "present"})
    assert response.status_code == 400 and "charte" in response.content.decode()
    assert client.post(url, {f"status-{person.pk}": "excused"}).status_code == 302
    with all_tenants():
        from entraide.community.models import Attendance

        assert list(Attendance.objects.values_list("status", flat=True)) == ["excused"]


def test_organisation_home_and_header_link_to_the_community(client, organisation, member):
    login(client, member)
    html = client.get(reverse("web:organisation", kwargs={"org": organisation.slug})).content.decode()
    assert reverse("web:community-me", kwargs={"org": organisation.slug}) in html
    assert reverse("web:community-groups", kwargs={"org": organisation.slug}) in html
    assert "Mon espace" in html


def test_a_group_session_opens_live_with_the_groups_protocol_and_its_debrief_goes_to_the_facilitator(client, builtins, organisation, coordinator, facilitator, make_member):
    """Rotation sessions run the brouillon d'atelier; the facilitating member's page links to the
    live session where the debrief happens (its content stays in the live session)."""
    people = [make_member(n) for n in range(2)]
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Brouillons", capacity=7, protocol_key="brouillon-atelier"), coordinator)
    for person in people:
        group_domain.join_group(group, person)
    today = group_domain.today()
    create_sessions(group, [NewSession(today + timedelta(days=7 * n), time(18), time(20)) for n in (1, 2)], coordinator)
    login(client, coordinator)
    g = {"org": organisation.slug, "group": group.pk}
    client.post(reverse("web:community-group-rotation", kwargs=g))
    with tenant_scope(organisation):
        session = GroupSession.objects.filter(group=group).order_by("date").first()
    # The coordinator sees that it runs, never its console: the member whose turn it is runs it.
    refused = client.post(reverse("web:community-live", kwargs={**g, "session": session.pk}))
    assert refused.status_code == 302 and "/console/" not in refused["Location"]
    login(client, User.objects.get(pk=session.facilitator_id))
    response = client.post(reverse("web:community-live", kwargs={**g, "session": session.pk}))
    assert response.status_code == 302 and "/console/" in response["Location"]
    with tenant_scope(organisation):
        session.refresh_from_db()
        live = session.live_session
        assert live.protocol_version.protocol.key == "brouillon-atelier"
        assert live.title == "Brouillons, séance 1"
    # Opening again goes back to the same live session.
    again = client.post(reverse("web:community-live", kwargs={**g, "session": session.pk}))
    assert again["Location"] == response["Location"]
    me = client.get(reverse("web:community-me", kwargs={"org": organisation.slug})).content.decode()
    assert "ouvrir le débriefing" in me and reverse("web:live", kwargs={"code": live.join_code}) in me


def test_a_coordinator_cancels_and_restores_a_session(client, organisation, group, sessions, coordinator, member):
    url = reverse("web:community-session-status", kwargs={"org": organisation.slug, "group": group.pk, "session": sessions[3].pk})
    login(client, member)
    assert client.post(url, {"status": "cancelled"}).status_code == 403
    login(client, coordinator)
    client.post(url, {"status": "cancelled"})
    with tenant_scope(organisation):
        assert GroupSession.objects.get(pk=sessions[3].pk).status == "cancelled"
    client.post(url, {"status": "planned"})
    with tenant_scope(organisation):
        assert GroupSession.objects.get(pk=sessions[3].pk).status == "planned"


def test_coordinators_change_roles_but_never_remove_the_last_coordinator(client, organisation, coordinator, member, other_coordinator):
    from entraide.core import access

    login(client, coordinator)
    url = lambda user: reverse("web:community-member-role", kwargs={"org": organisation.slug, "user": user.pk})  # noqa: E731
    client.post(url(member), {"role": "facilitator"})
    access.forget_roles(member)
    assert access.role_in(member, organisation) == "facilitator"
    response = client.post(url(coordinator), {"role": "member"}, follow=True)
    assert "au moins un·e coordinateur·rice" in response.content.decode()
    access.forget_roles(coordinator)
    assert access.role_in(coordinator, organisation) == "coordinator"
    assert client.post(url(member), {"role": "king"}, follow=True).status_code == 200
    assert client.post(url(other_coordinator), {"role": "member"}).status_code == 404
    login(client, member)
    assert client.post(url(coordinator), {"role": "member"}).status_code == 403


def test_plan_for_a_swiss_canton_with_the_school_holidays_entered(client, organisation, group, coordinator):
    login(client, coordinator)
    url = reverse("web:community-group-plan", kwargs={"org": organisation.slug, "group": group.pk})
    answers = {
        "first": "2026-09-01", "last": "2026-12-18", "sessions": "3", "length": "evening", "weekdays": ["1", "3"],
        "country": "CH", "zone": "", "subdivision": "VD", "school_holidays": "entered",
        "closed": "2026-10-12, 2026-10-23, vacances d'automne",
    }
    page = client.get(url, answers)
    assert page.status_code == 200, page.content.decode()
    html = page.content.decode()
    assert html.count("<li><strong>") == 3 and "vacances d&#x27;automne" in html
    assert client.post(url, answers).status_code == 302
    with tenant_scope(organisation):
        days = list(GroupSession.objects.filter(group=group).values_list("date", flat=True))
    assert len(days) == 3 and not any(date(2026, 10, 12) <= d <= date(2026, 10, 23) for d in days)
    assert all(d.weekday() in (1, 3) for d in days)


def test_platform_staff_see_groups_and_sessions_in_the_admin(client, group, sessions):
    staff = User.objects.create_superuser("staff@example.org", "x", display_name="Staff")
    login(client, staff)
    for name in ("group", "groupsession", "invitation"):
        assert client.get(reverse(f"admin:community_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:community_group_change", args=[group.pk])).status_code == 200


def test_a_member_excuses_themself_from_the_group_page_and_takes_it_back(client, organisation, group, sessions, member):
    group_domain.join_group(group, member)
    login(client, member)
    g = {"org": organisation.slug, "group": group.pk}
    page = client.get(reverse("web:community-group", kwargs=g)).content.decode()
    assert page.count("Je ne pourrai pas venir") == 3  # the coming sessions
    url = reverse("web:community-excuse", kwargs={**g, "session": sessions[2].pk})
    client.post(url, {"excused": "1"})
    page = client.get(reverse("web:community-group", kwargs=g)).content.decode()
    assert "Finalement, je viendrai" in page and "excusé·e" in page
    client.post(url, {"excused": "0"})
    with tenant_scope(organisation):
        from entraide.community.models import Attendance

        assert not Attendance.objects.exists()
    assert client.post(reverse("web:community-excuse", kwargs={**g, "session": sessions[0].pk}), {"excused": "1"}, follow=True).status_code == 200
    with tenant_scope(organisation):
        assert not Attendance.objects.exists()  # a past session: refused


def test_the_excuse_form_never_redirects_elsewhere(client, organisation, group, sessions, member):
    group_domain.join_group(group, member)
    login(client, member)
    url = reverse("web:community-excuse", kwargs={"org": organisation.slug, "group": group.pk, "session": sessions[3].pk})
    response = client.post(url, {"excused": "1", "next": "https://evil.example/"})
    assert response["Location"].startswith("/o/")
    response = client.post(url, {"excused": "0", "next": "/o/reseau/mon-espace/"})
    assert response["Location"] == "/o/reseau/mon-espace/"
