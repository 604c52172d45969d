"""The themes library: built-ins in three languages, copies, edits, and every refusal."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.themes.domain.library import (
    ThemeData,
    ThemeError,
    copy_theme,
    create_theme,
    load_builtin_themes,
    update_theme,
    visible_themes,
)
from entraide.themes.models import Theme

pytestmark = pytest.mark.integration

BUILTIN_KEYS = {
    "ecoute-active", "communication-non-violente", "analyse-transactionnelle", "mediation",
    "outils-de-coaching", "co-construction-de-solutions",
}
TITLES = {
    ("ecoute-active", "fr"): "Écoute active",
    ("ecoute-active", "de"): "Aktives Zuhören",
    ("ecoute-active", "en"): "Active listening",
    ("communication-non-violente", "de"): "Gewaltfreie Kommunikation",
    ("analyse-transactionnelle", "en"): "Transactional analysis",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


def builtin(key: str, language: str) -> Theme:
    with all_tenants():
        return Theme.objects.get(organisation=None, key=key, language=language)


def test_builtins_exist_in_french_german_and_english(db):
    with all_tenants():
        rows = list(Theme.objects.filter(organisation=None))
    assert {(t.key, t.language) for t in rows} == {(k, l) for k in BUILTIN_KEYS for l in ("fr", "de", "en")}
    for (key, language), title in TITLES.items():
        assert builtin(key, language).title == title
    for theme in rows:
        assert len(theme.paragraphs()) >= 3, theme
        assert theme.summary and len(theme.summary) <= 300
    assert "Rosenberg" in builtin("communication-non-violente", "fr").body
    assert "GROW" in builtin("outils-de-coaching", "de").body
    assert builtin("analyse-transactionnelle", "fr").kind == Theme.Kind.THEME
    assert builtin("ecoute-active", "en").kind == Theme.Kind.TOOL


def test_loading_again_is_idempotent_and_restores_the_shipped_text(db):
    theme = builtin("mediation", "fr")
    with all_tenants():
        Theme.objects.filter(pk=theme.pk).update(title="Abîmé")
    status = load_builtin_themes()
    assert status["mediation.fr"] == "updated"
    assert set(status.values()) == {"updated", "unchanged"}
    assert builtin("mediation", "fr").title == "Médiation"
    assert set(load_builtin_themes().values()) == {"unchanged"}


def test_an_organisation_sees_its_own_themes_and_the_builtins_only(organisation, other_organisation, coordinator, other_coordinator):
    mine = create_theme(organisation, coordinator, ThemeData("Process Communication", "Six types de personnalité.", "Un.\n\nDeux.", "fr", "tool"))
    theirs = create_theme(other_organisation, other_coordinator, ThemeData("Leur outil", "Résumé.", "Texte.", "fr"))
    visible = visible_themes(organisation, "fr")
    assert mine in visible and theirs not in visible
    assert len([t for t in visible if t.is_builtin]) == len(BUILTIN_KEYS)


def test_copy_then_edit_a_builtin(organisation, coordinator):
    original = builtin("ecoute-active", "fr")
    copy = copy_theme(original, organisation, coordinator)
    assert (copy.organisation_id, copy.based_on_id, copy.key, copy.body) == (organisation.pk, original.pk, "ecoute-active", original.body)
    second = copy_theme(original, organisation, coordinator)  # the copy button clicked twice
    assert second.pk == copy.pk
    edited = update_theme(copy, coordinator, ThemeData("Écoute active (notre version)", copy.summary, copy.body + "\n\nNotre exercice.", "fr", "tool"))
    assert edited.title == "Écoute active (notre version)"
    assert edited.paragraphs()[-1] == "Notre exercice."
    assert builtin("ecoute-active", "fr").title == "Écoute active"  # the built-in is untouched


@pytest.mark.parametrize("changes, field", [
    ({"title": " "}, "title"),
    ({"title": "x" * 121}, "title"),
    ({"summary": ""}, "summary"),
    ({"summary": "x" * 301}, "summary"),
    ({"body": "  "}, "body"),
    ({"language": "it"}, "language"),
    ({"kind": "recipe"}, "kind"),
])
def test_bad_theme_input_is_refused_and_nothing_changes(organisation, coordinator, changes, field):
    theme = create_theme(organisation, coordinator, ThemeData("Titre", "Résumé.", "Corps.", "fr"))
    values = {"title": "Titre 2", "summary": "Résumé 2.", "body": "Corps 2.", "language": "fr", "kind": "theme", **changes}
    with pytest.raises(ThemeError) as refused:
        update_theme(theme, coordinator, ThemeData(**values))
    assert refused.value.field == field
    with pytest.raises(ThemeError):
        create_theme(organisation, coordinator, ThemeData(**values))
    with tenant_scope(organisation):
        assert Theme.objects.filter(organisation=organisation).count() == 1
        assert Theme.objects.get(pk=theme.pk).title == "Titre"


def test_builtins_cannot_be_edited_and_members_cannot_create(organisation, coordinator, member):
    with pytest.raises(PermissionDenied):
        update_theme(builtin("mediation", "fr"), coordinator, ThemeData("X", "Y", "Z", "fr"))
    with pytest.raises(PermissionDenied):
        create_theme(organisation, member, ThemeData("X", "Y", "Z", "fr"))


# --- Pages ---------------------------------------------------------------------------------


def test_library_page_per_language(client, organisation, member):
    client.force_login(member)
    url = reverse("themes:library", kwargs={"org": organisation.slug})
    assert "Communication non violente" in text(client.get(url + "?langue=fr"))
    german = text(client.get(url + "?langue=de"))
    assert "Gewaltfreie Kommunikation" in german and "Communication non violente" not in german
    detail = text(client.get(reverse("themes:detail", kwargs={"org": organisation.slug, "pk": builtin("mediation", "en").pk})))
    assert "Getting to Yes" in detail


def test_coordinator_copies_and_edits_in_the_browser_bad_input_keeps_everything(client, organisation, coordinator):
    client.force_login(coordinator)
    original = builtin("communication-non-violente", "fr")
    response = client.post(reverse("themes:copy", kwargs={"org": organisation.slug, "pk": original.pk}))
    assert response.status_code == 302
    with tenant_scope(organisation):
        copy = Theme.objects.get(organisation=organisation)
    edit = reverse("themes:edit", kwargs={"org": organisation.slug, "pk": copy.pk})
    assert response["Location"] == edit
    form = {"title": "CNV pour l'équipe", "kind": "tool", "language": "fr", "summary": copy.summary, "body": "", "references": ""}
    refused = client.post(edit, form)
    assert refused.status_code == 400
    assert "Rien n'a été enregistré" in text(refused)
    assert "CNV pour l&#x27;équipe" in refused.content.decode() or "CNV pour l'équipe" in text(refused)  # what was typed stays
    with tenant_scope(organisation):
        assert Theme.objects.get(pk=copy.pk).body == original.body
    form["body"] = "Premier paragraphe.\n\nSecond paragraphe."
    assert client.post(edit, form).status_code == 302
    with tenant_scope(organisation):
        assert Theme.objects.get(pk=copy.pk).title == "CNV pour l'équipe"


def test_theme_pages_access(client, organisation, coordinator, facilitator, other_coordinator):
    mediation = builtin("mediation", "fr")
    create = reverse("themes:create", kwargs={"org": organisation.slug})
    client.force_login(facilitator)
    assert client.get(create).status_code == 403
    assert client.get(reverse("themes:edit", kwargs={"org": organisation.slug, "pk": mediation.pk})).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(create).status_code == 404
    theirs = create_theme(organisation, coordinator, ThemeData("À nous", "Résumé.", "Texte.", "fr"))
    with all_tenants():
        other_slug = other_coordinator.memberships.get().organisation.slug
    assert client.get(reverse("themes:detail", kwargs={"org": other_slug, "pk": theirs.pk})).status_code == 404


def test_create_in_the_browser(client, organisation, coordinator):
    client.force_login(coordinator)
    create = reverse("themes:create", kwargs={"org": organisation.slug})
    response = client.post(create, {"title": "Process Communication", "kind": "tool", "language": "fr",
                                    "summary": "Six types de personnalité.", "body": "Un.\n\nDeux.", "references": "Taibi Kahler"})
    assert response.status_code == 302
    assert "Process Communication" in text(client.get(response["Location"]))
