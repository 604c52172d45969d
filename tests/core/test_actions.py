"""The one rule for every write (core.actions): permission, lock, one transaction, a log row
without content, side effects only on commit."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from entraide.core import actions
from entraide.core.models import ActionLogEntry, Organisation


def organisation_entries():
    """The rows these tests write (the fixtures' memberships are logged too, as system writes)."""
    return ActionLogEntry.everywhere.filter(verb__startswith="organisation.")


def test_a_write_logs_who_what_and_when_but_no_content(coordinator, member, organisation):
    with actions.write(coordinator, "core.manage_organisation", organisation, "organisation.renamed", lock=organisation, subject=member) as w:
        w.obj.name = "Réseau confidentiel"
        w.obj.save(update_fields=["name"])
    entry = organisation_entries().get()
    assert (entry.actor, entry.subject, entry.organisation, entry.verb) == (coordinator, member, organisation, "organisation.renamed")
    assert (entry.object_type, entry.object_id) == ("core.organisation", str(organisation.pk))
    assert "confidentiel" not in " ".join(str(getattr(entry, f.attname)) for f in ActionLogEntry._meta.fields)
    assert actions.entries_for_organisation(organisation)[0] == entry
    assert entry in actions.entries_about(member)
    assert entry not in actions.entries_about(coordinator)


def test_a_refusal_changes_nothing_logs_nothing_and_sends_nothing(coordinator, organisation):
    sent = []
    with pytest.raises(actions.DomainError) as refused:
        with actions.write(coordinator, "core.manage_organisation", organisation, "organisation.renamed", lock=organisation) as w:
            w.obj.name = "Changed"
            w.obj.save(update_fields=["name"])
            w.on_commit(lambda: sent.append("mail"))
            raise actions.DomainError("Budget dépassé", code="over_budget", field="amount")
    assert refused.value.as_json() == {"code": "over_budget", "detail": "Budget dépassé", "field": "amount"}
    assert Organisation.objects.get(pk=organisation.pk).name != "Changed"
    assert not organisation_entries().exists()
    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_mail_and_signals_leave_only_after_the_commit(coordinator, organisation):
    sent = []
    with actions.write(coordinator, "core.manage_organisation", organisation, "organisation.touched") as w:
        w.on_commit(lambda: sent.append("mail"))
        assert sent == []
    assert sent == ["mail"]


def test_permission_is_asked_before_anything(member, other_coordinator, organisation):
    with pytest.raises(PermissionDenied):
        with actions.write(member, "core.manage_organisation", organisation, "organisation.renamed"):
            pytest.fail("the block must not run")
    with pytest.raises(Http404):
        with actions.write(other_coordinator, "core.manage_organisation", organisation, "organisation.renamed"):
            pytest.fail("the block must not run")
    assert not organisation_entries().exists()


def test_fixtures_memberships_are_logged_as_system_writes(member, organisation):
    entry = ActionLogEntry.everywhere.get(subject=member, verb="membership.created")
    assert entry.actor is None and entry.organisation == organisation and entry.object_type == "core.membership"


def test_an_unchanged_write_logs_nothing_and_sends_nothing(coordinator, organisation):
    sent = []
    with actions.write(coordinator, "core.manage_organisation", organisation, "organisation.renamed") as w:
        w.on_commit(lambda: sent.append("mail"))
        w.unchanged()
    assert not organisation_entries().exists() and sent == []


def test_the_block_names_what_it_created_and_refines_the_verb(coordinator, member, organisation):
    from entraide.core.domain import set_membership

    set_membership(organisation, member, "facilitator", actor=coordinator)
    entry = ActionLogEntry.everywhere.filter(subject=member).first()
    assert (entry.verb, entry.actor, entry.object_type) == ("membership.role_changed", coordinator, "core.membership")
    set_membership(organisation, member, "facilitator", actor=coordinator)
    assert ActionLogEntry.everywhere.filter(subject=member, verb="membership.role_changed").count() == 1
