"""Personal API tokens: hashed, scoped, revocable, last use recorded, membership asked on
every call, and their page in Mon espace."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from entraide.api.domain import TokenError, tokens
from entraide.api.models import ApiToken
from entraide.core.actions import organisation_log
from entraide.core.models import Membership
from entraide.core.tenancy import all_tenants, tenant_scope

from .conftest import bearer

pytestmark = pytest.mark.integration


def test_only_the_hash_of_the_secret_is_stored(member, organisation):
    created = tokens.create_token(member, organisation, "Tableur", "read")
    with all_tenants():
        stored = ApiToken.objects.get()
    assert created.secret.startswith("ent_") and len(created.secret) > 40
    assert stored.token_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in {stored.token_hash, stored.prefix, stored.name}
    assert stored.prefix == created.secret[:12]
    with tenant_scope(organisation):
        entry = organisation_log(organisation).first()
    assert entry.verb == "api_token.created" and entry.subject_id == member.pk


def test_a_token_answers_and_a_wrong_or_missing_one_gets_401(member, organisation, token_for):
    _token, client = token_for(member, organisation)
    me = client.get("/api/v1/me")
    assert me.status_code == 200, me.content
    assert me.json()["organisation"]["slug"] == organisation.slug and me.json()["scope"] == "read"
    assert Client().get("/api/v1/me").status_code == 401
    refused = bearer("ent_" + "x" * 43).get("/api/v1/me")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert refused.json()["code"] == "unauthenticated" and refused.json()["detail"]


def test_a_revoked_token_is_refused_at_once(member, organisation, token_for):
    token, client = token_for(member, organisation)
    assert client.get("/api/v1/me").status_code == 200
    tokens.revoke_token(member, organisation, token.pk)
    assert client.get("/api/v1/me").status_code == 401
    with tenant_scope(organisation):
        assert [e.verb for e in organisation_log(organisation)[:1]] == ["api_token.revoked"]


def test_nobody_else_revokes_my_token(member, coordinator, organisation, token_for):
    token, client = token_for(member, organisation)
    with pytest.raises(tokens.access.Http404):
        tokens.revoke_token(coordinator, organisation, token.pk)
    assert client.get("/api/v1/me").status_code == 200


def test_a_token_stops_working_when_its_owner_leaves_the_organisation(member, organisation, token_for):
    _token, client = token_for(member, organisation)
    assert client.get("/api/v1/me").status_code == 200
    with tenant_scope(organisation):
        Membership.objects.filter(user=member).delete()
    assert client.get("/api/v1/me").status_code == 401


def test_the_last_use_is_recorded(member, organisation, token_for):
    token, client = token_for(member, organisation)
    assert token.last_used_at is None
    client.get("/api/v1/me")
    with all_tenants():
        first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    with all_tenants():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(hours=2))
    client.get("/api/v1/groups")
    with all_tenants():
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(seconds=1)


def test_bad_names_and_scopes_are_refused_and_nothing_is_saved(member, organisation):
    for name, scope, field in (("", "read", "name"), ("a\nb", "read", "name"), ("x" * 81, "read", "name"), ("ok", "admin", "scope")):
        with pytest.raises(TokenError) as refused:
            tokens.create_token(member, organisation, name, scope)
        assert refused.value.field == field
    with all_tenants():
        assert not ApiToken.objects.exists()


def test_a_token_is_for_an_organisation_its_owner_belongs_to(member, other_organisation):
    with pytest.raises(tokens.access.Http404):
        tokens.create_token(member, other_organisation, "Ailleurs", "read")


def test_a_read_token_gets_403_on_a_write_endpoint_and_a_write_token_passes(world, token_for):
    _read, reader = token_for(world.member, world.organisation, "read")
    _write, writer = token_for(world.member, world.organisation, "write")
    with tenant_scope(world.organisation):
        action = world.plan.actions.get()
    url = f"/api/v1/plans/{world.plan.pk}/actions/{action.pk}"
    refused = reader.patch(url, {"status": "done"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "read_only_token" and refused.json()["detail"]
    changed = writer.patch(url, {"status": "done"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["status"] == "done"
    bad = writer.patch(url, {"status": "finished"}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"code", "detail", "field"}
    registered = writer.post(f"/api/v1/events/{world.event.pk}/registrations", {"role": "participant"}, content_type="application/json")
    assert registered.status_code == 201, registered.content
    assert registered.json()["email"] == world.member.email and registered.json()["status"] == "confirmed"
    again = writer.post(f"/api/v1/events/{world.event.pk}/registrations", {"role": "participant"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["field"] == "email"
    assert reader.post(f"/api/v1/events/{world.event.pk}/registrations", {"role": "host"}, content_type="application/json").status_code == 403


def test_the_token_page_creates_shows_the_secret_once_and_revokes(member, organisation):
    browser = Client()
    browser.force_login(member)
    me = browser.get(f"/o/{organisation.slug}/mon-espace/")
    assert f"/o/{organisation.slug}/mon-espace/api/" in me.content.decode()
    created = browser.post(f"/o/{organisation.slug}/mon-espace/api/", {"name": "Mon tableur", "scope": "read"})
    assert created.status_code == 200
    with all_tenants():
        token = ApiToken.objects.get(user=member)
    page = created.content.decode()
    secret = page.split('data-testid="api-secret"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert secret.startswith(token.prefix) and ApiToken.hash_secret(secret) == token.token_hash
    listed = browser.get(f"/o/{organisation.slug}/mon-espace/api/").content.decode()
    assert token.prefix in listed and secret not in listed and "Mon tableur" in listed
    assert bearer(secret).get("/api/v1/me").status_code == 200
    refused = browser.post(f"/o/{organisation.slug}/mon-espace/api/", {"name": "", "scope": "read"})
    assert refused.status_code == 400
    revoked = browser.post(f"/o/{organisation.slug}/mon-espace/api/{token.pk}/revoquer/")
    assert revoked.status_code == 302
    assert bearer(secret).get("/api/v1/me").status_code == 401


def test_the_token_page_is_for_members_only(other_coordinator, organisation):
    browser = Client()
    browser.force_login(other_coordinator)
    assert browser.get(f"/o/{organisation.slug}/mon-espace/api/").status_code == 404
