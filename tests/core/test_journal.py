"""The action log's pages: the organisation's "Journal" for its coordinators, and each person's
"what was done to my data" (issue 13). Who, what, which object, when: never content."""

import pytest

from entraide.community.domain import groups as group_domain
from entraide.core import actions
from entraide.core.domain import set_membership
from entraide.core.models import ActionLogEntry, Role
from entraide.followup.domain import plans

pytestmark = pytest.mark.integration

SECRET_TITLE = "Oser dire non à ma cheffe"


@pytest.fixture
def history(organisation, coordinator, member, facilitator):
    """A roadmap of the member (content: its title), a group they joined, a role changed."""
    plan = plans.create_roadmap(organisation, member, SECRET_TITLE)
    plans.add_action(plan, "Relire mes notes de séance", "", actor=member)
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Groupe du jeudi"), coordinator)
    group_domain.join_group(group, member)
    set_membership(organisation, facilitator, Role.MEMBER, actor=coordinator)
    return plan


def test_a_coordinator_reads_the_organisations_journal_without_content(client, organisation, coordinator, member, history):
    client.force_login(coordinator)
    response = client.get(f"/o/{organisation.slug}/journal/")
    assert response.status_code == 200
    html = response.content.decode()
    for words in ("a créé une feuille de route", "a créé un groupe", "a rejoint un groupe", "a changé un rôle dans l’organisation"):
        assert words in html, words
    assert "Membre" in html and "Coordination" in html
    assert SECRET_TITLE not in html and "Relire mes notes" not in html


def test_the_journal_is_paginated(client, organisation, coordinator):
    for n in range(55):
        actions.log(coordinator, "organisation.renamed", organisation)
    client.force_login(coordinator)
    first = client.get(f"/o/{organisation.slug}/journal/").content.decode()
    assert first.count("a renommé l’organisation") == 50 and "?page=2" in first
    second = client.get(f"/o/{organisation.slug}/journal/", {"page": 2}).content.decode()
    assert second.count("a renommé l’organisation") >= 5
    assert client.get(f"/o/{organisation.slug}/journal/", {"page": "x"}).status_code == 200


def test_a_member_may_not_open_the_journal_and_another_coordinator_gets_a_404(client, organisation, member, other_coordinator, history):
    client.force_login(member)
    assert client.get(f"/o/{organisation.slug}/journal/").status_code == 403
    client.force_login(other_coordinator)
    assert client.get(f"/o/{organisation.slug}/journal/").status_code == 404


def test_each_person_sees_what_was_done_to_their_own_records_only(client, organisation, coordinator, member, facilitator, history):
    client.force_login(member)
    html = client.get(f"/o/{organisation.slug}/mon-espace/journal/").content.decode()
    assert "a créé une feuille de route" in html and "a rejoint un groupe" in html
    assert "a changé un rôle" not in html  # that was done to the facilitator, not to them
    assert SECRET_TITLE not in html
    client.force_login(facilitator)
    html = client.get(f"/o/{organisation.slug}/mon-espace/journal/").content.decode()
    assert "a changé un rôle dans l’organisation" in html and "Coordination" in html
    assert "a créé une feuille de route" not in html and "a rejoint un groupe" not in html


def test_my_journal_is_for_members_only(client, organisation, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(f"/o/{organisation.slug}/mon-espace/journal/").status_code == 404
    client.logout()
    assert client.get(f"/o/{organisation.slug}/mon-espace/journal/").status_code == 302


def test_the_menus_show_the_journal_only_to_who_may_open_it(client, organisation, coordinator, member):
    client.force_login(member)
    home = client.get(f"/o/{organisation.slug}/").content.decode()
    assert f"/o/{organisation.slug}/mon-espace/journal/" in home and f'"/o/{organisation.slug}/journal/"' not in home
    client.force_login(coordinator)
    home = client.get(f"/o/{organisation.slug}/").content.decode()
    assert f'"/o/{organisation.slug}/journal/"' in home
    nav = client.get(f"/o/{organisation.slug}/mon-espace/journal/").content.decode()
    assert f'"/o/{organisation.slug}/journal/"' in nav


def test_every_logged_verb_has_a_label(organisation, coordinator, member, history):
    from entraide.core.verbs import VERB_LABELS

    verbs = set(ActionLogEntry.everywhere.values_list("verb", flat=True))
    assert verbs and verbs <= set(VERB_LABELS)


def test_every_verb_written_in_the_code_has_words():
    """A static sweep of the package: every ``object.what`` literal on a line that writes
    (``write(``, ``log(``, a ``verb =``) and is not a permission of ``core.access`` has a label
    (core.verbs), so the Journal never shows a raw verb; every ledger kind too (its verb is
    ``ledger.<kind>``)."""
    import re
    from importlib import resources

    import rules

    import entraide
    from entraide.core.verbs import VERB_LABELS
    from entraide.grants.models import LedgerEntry

    literal = re.compile(r'"([a-z_]+\.[a-z_]+)"')
    writes = re.compile(r"\bwrite\(|\blog\(|\bverb\s*=")
    found = set()
    for path in resources.files(entraide).rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if writes.search(line):
                found |= {text for text in literal.findall(line) if not rules.perm_exists(text)}
    found |= {f"ledger.{kind}" for kind in LedgerEntry.Kind.values}
    assert len(found) > 60, sorted(found)  # the sweep does find the verbs
    assert found <= set(VERB_LABELS), sorted(found - set(VERB_LABELS))
