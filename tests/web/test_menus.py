"""Menus show only what the role may open (issue 10: the commissioner's menu offered "Mes plans
d'action", which answered 403). Every link of every menu (the site's bar, the organisation's
actions, the community and follow-up sub-menus), for each role, answers 200."""

import re
from html import unescape

import pytest
from django.test import Client

pytestmark = pytest.mark.integration

ROLES = ["coordinator", "facilitator", "member", "commissioner", None]
MENU = re.compile(r'<nav\b[^>]*>(.*?)</nav>|<p class="breadcrumb">(.*?)</p>', re.S)
HREF = re.compile(r'href="([^"#]+)"')


def _menu_links(page: str) -> set[str]:
    links = set()
    for nav, breadcrumb in MENU.findall(page):
        for href in HREF.findall(nav or breadcrumb):
            href = unescape(href)
            if not href.startswith("?"):  # the themes' language switch stays on its page
                links.add(href)
    return links


def _pages(organisation) -> list[str]:
    slug = organisation.slug
    return ["/", "/protocoles/", f"/o/{slug}/", f"/o/{slug}/mon-espace/", f"/o/{slug}/groupes/", f"/o/{slug}/suivi/", f"/o/{slug}/membres/"]


@pytest.mark.parametrize("role", ROLES, ids=[role or "anonymous" for role in ROLES])
def test_every_menu_link_answers_200_for_the_role(request, organisation, role):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if role:
        client.force_login(request.getfixturevalue(role))
    links: set[str] = set()
    opened = 0
    for page in _pages(organisation):
        response = client.get(page)
        if response.status_code == 200:
            opened += 1
            links |= _menu_links(response.content.decode())
    assert opened >= (2 if role is None else 5)
    assert links, "no menu found"
    for link in sorted(links):
        response = client.get(link)
        assert response.status_code == 200, (role, link, response.status_code)


def test_the_commissioner_is_not_offered_the_action_plans(organisation, commissioner):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(commissioner)
    for page in (f"/o/{organisation.slug}/", f"/o/{organisation.slug}/mon-espace/", f"/o/{organisation.slug}/groupes/"):
        response = client.get(page)
        assert response.status_code == 200
        assert f"/o/{organisation.slug}/suivi/" not in _menu_links(response.content.decode())
        assert "Mes plans d" not in response.content.decode()


def test_the_member_is_offered_the_action_plans_but_not_the_members_list(organisation, member):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(member)
    links = _menu_links(client.get(f"/o/{organisation.slug}/mon-espace/").content.decode())
    assert f"/o/{organisation.slug}/suivi/" in links
    assert f"/o/{organisation.slug}/membres/" not in links


def test_a_menu_entry_asks_the_views_own_permission(organisation, coordinator, facilitator):
    from entraide.web.navigation import menu_url

    assert menu_url(coordinator, "web:community-members", organisation) == f"/o/{organisation.slug}/membres/"
    assert menu_url(facilitator, "web:community-members", organisation) == ""
    assert menu_url(None, "web:protocol-library") == "/protocoles/"
