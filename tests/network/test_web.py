"""The network's pages (issue 13): the members-only rule at every door, and a permission sweep
over every new URL as anonymous, as each role and as another organisation (404, nothing
leaked); the network page and "Mon espace"; a refused form changes nothing."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from entraide.community.domain import groups as group_domain
from entraide.core.models import ActionLogEntry
from entraide.core.tenancy import tenant_scope
from entraide.network.domain import mentoring, supervisions
from entraide.network.domain import requests as request_domain
from entraide.network.models import MentoringMeeting, SupervisionRequest

pytestmark = pytest.mark.integration

SITUATION = "Un participant monopolise la parole à chaque atelier"


@pytest.fixture
def data(builtins, organisation, coordinator, facilitator, member, make_member):
    raiser = make_member(1)
    request = request_domain.raise_request(raiser, organisation, "Parole monopolisée", SITUATION, anonymous=True)
    request_domain.say_concerned(member, request, "Chez moi aussi")
    supervisions.propose(
        coordinator, request,
        supervisions.Proposal(date=group_domain.today() + timedelta(days=7), start=time(14), end=time(17), place="Lyon", speaker_fee="200", costs="0"),
    )
    open_request = request_domain.raise_request(raiser, organisation, "Autre situation", SITUATION)
    mentor = make_member(2)
    offer = mentoring.offer(mentor, organisation, "marraine", "écriture", 2)
    asked = mentoring.ask(raiser, organisation, "design", "one", "écriture", "Concevoir un atelier")
    mentoring.match(raiser, asked, offer.pk)
    meeting = mentoring.record_meeting(mentor, asked, group_domain.today())
    return {"proposed": request, "open": open_request, "asked": asked, "meeting": meeting, "raiser": raiser, "mentor": mentor}


def urls(org: str, data: dict) -> list[tuple[str, str, str]]:
    """(method, url, who may use it: "member" = any member but commissioners, "coordinator",
    "party" = the mentee and the mentor and coordinators (mentoring pages))."""
    r, o, m = data["proposed"].pk, data["open"].pk, data["asked"].pk
    meeting = data["meeting"].pk
    return [
        ("get", reverse("network:home", kwargs={"org": org}), "member"),
        ("get", reverse("network:requests", kwargs={"org": org}), "member"),
        ("get", reverse("network:request-new", kwargs={"org": org}), "member"),
        ("post", reverse("network:request-new", kwargs={"org": org}), "member"),
        ("get", reverse("network:request", kwargs={"org": org, "pk": r}), "member"),
        ("post", reverse("network:request-concern", kwargs={"org": org, "pk": o}), "member"),
        ("post", reverse("network:request-unconcern", kwargs={"org": org, "pk": o}), "member"),
        ("post", reverse("network:request-withdraw", kwargs={"org": org, "pk": o}), "raiser"),
        ("get", reverse("network:supervision-propose", kwargs={"org": org, "pk": o}), "coordinator"),
        ("post", reverse("network:supervision-propose", kwargs={"org": org, "pk": o}), "coordinator"),
        ("post", reverse("network:supervision-register", kwargs={"org": org, "pk": r}), "member"),
        ("post", reverse("network:supervision-decline", kwargs={"org": org, "pk": r}), "member"),
        ("post", reverse("network:supervision-paf", kwargs={"org": org, "pk": r}), "coordinator"),
        ("post", reverse("network:supervision-paf-due", kwargs={"org": org, "pk": r}), "coordinator"),
        ("get", reverse("network:mentoring", kwargs={"org": org}), "member"),
        ("post", reverse("network:mentor-offer", kwargs={"org": org}), "member"),
        ("get", reverse("network:mentoring-new", kwargs={"org": org}), "member"),
        ("post", reverse("network:mentoring-new", kwargs={"org": org}), "member"),
        ("get", reverse("network:mentoring-request", kwargs={"org": org, "pk": m}), "party"),
        ("post", reverse("network:mentoring-match", kwargs={"org": org, "pk": m}), "party"),
        ("post", reverse("network:mentoring-meeting", kwargs={"org": org, "pk": m}), "party"),
        ("post", reverse("network:meeting-note", kwargs={"org": org, "pk": m, "meeting": meeting}), "party"),
        ("post", reverse("network:mentoring-end", kwargs={"org": org, "pk": m}), "party"),
        ("post", reverse("network:mentoring-paf", kwargs={"org": org, "pk": m}), "coordinator"),
    ]


def test_every_url_of_the_network_is_swept(organisation, data):
    from django.urls import get_resolver, resolve

    from tests.web.test_cache_control import _names

    existing = {name for name in _names(get_resolver()) if name.startswith("network:")}
    swept = {resolve(url).view_name for _method, url, _who in urls(organisation.slug, data)}
    assert swept == existing


def _untouched(organisation, before_log: int) -> bool:
    return ActionLogEntry.everywhere.count() == before_log


def test_anonymous_is_sent_to_log_in_everywhere(client, organisation, data):
    for method, url, _who in urls(organisation.slug, data):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"], url


def test_another_organisation_gets_404_everywhere_and_nothing_changes(client, organisation, data, other_coordinator):
    client.force_login(other_coordinator)
    before = ActionLogEntry.everywhere.count()
    for method, url, _who in urls(organisation.slug, data):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
        assert "monopolis" not in response.content.decode() and "Parole" not in response.content.decode()
    assert _untouched(organisation, before)


def test_a_commissioner_is_refused_at_every_door(client, organisation, data, commissioner):
    client.force_login(commissioner)
    before = ActionLogEntry.everywhere.count()
    for method, url, _who in urls(organisation.slug, data):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), url
        assert "monopolis" not in response.content.decode()
    assert _untouched(organisation, before)
    # and nothing of the network in their space or their menu
    page = client.get(reverse("web:community-me", kwargs={"org": organisation.slug})).content.decode()
    assert reverse("network:home", kwargs={"org": organisation.slug}) not in page and "Parole" not in page


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "member"])
def test_each_role_opens_the_pages_it_may_and_is_refused_the_others(client, organisation, data, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for method, url, who in urls(organisation.slug, data):
        if method != "get":
            continue
        status = client.get(url).status_code
        if who == "member" or (who in ("coordinator", "party") and role == "coordinator"):
            assert status == 200, (url, status)
        else:
            assert status in (403, 404), (url, status)


def test_the_raiser_and_mentor_pages_and_mon_espace(client, organisation, data, member):
    client.force_login(data["mentor"])
    assert client.get(reverse("network:mentoring-request", kwargs={"org": organisation.slug, "pk": data["asked"].pk})).status_code == 200
    client.force_login(member)
    home = client.get(reverse("network:home", kwargs={"org": organisation.slug})).content.decode()
    assert "Autre situation" in home  # an open request to say concerned by
    assert "Lyon" in home  # the supervision call
    space = client.get(reverse("web:community-me", kwargs={"org": organisation.slug})).content.decode()
    assert 'id="network"' in space and "Lyon" in space
    detail = client.get(reverse("network:request", kwargs={"org": organisation.slug, "pk": data["proposed"].pk})).content.decode()
    assert "Personne 01" not in detail  # anonymous to the other members
    assert "200,00\u00a0€" in detail and "partagés entre les personnes inscrites" in detail  # the PAF rule, in words


def test_a_refused_form_shows_its_message_and_changes_nothing(client, organisation, data, member):
    client.force_login(member)
    response = client.post(reverse("network:request-new", kwargs={"org": organisation.slug}), {"title": "", "situation": "Quelque chose"})
    assert response.status_code == 400 and "Donnez un titre court" in response.content.decode()
    with tenant_scope(organisation):
        assert SupervisionRequest.objects.count() == 2


def test_a_member_raises_and_another_says_concerned_through_the_pages(client, organisation, data, member, facilitator):
    client.force_login(member)
    response = client.post(reverse("network:request-new", kwargs={"org": organisation.slug}), {"title": "Un groupe qui s'essouffle", "situation": "Depuis janvier…", "anonymous": "on"})
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    client.force_login(facilitator)
    assert client.post(reverse("network:request-concern", kwargs={"org": organisation.slug, "pk": pk}), {"word": "oui"}).status_code == 302
    with tenant_scope(organisation):
        assert SupervisionRequest.objects.get(pk=pk).concerns.get().word == "oui"
        assert MentoringMeeting.objects.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_request_list_costs_the_same_queries_for_one_or_three_requests(client, organisation, member, make_member, count, django_assert_num_queries):
    raiser = make_member(5)
    for number in range(count):
        request = request_domain.raise_request(raiser, organisation, f"Situation {number}", SITUATION, anonymous=bool(number % 2))
        request_domain.say_concerned(member, request, "oui")
    client.force_login(member)
    # The session, the user, the organisation, their roles, the requests with their counts, the
    # viewer's concerns, the menus' check: seven, whether there are 1 or 3 requests.
    with django_assert_num_queries(7):
        response = client.get(reverse("network:requests", kwargs={"org": organisation.slug}))
    assert response.status_code == 200 and response.content.decode().count('class="card"') >= count
