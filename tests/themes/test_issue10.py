"""Issue 10 in themes: a title is one line; the creation and copy forms create once."""

import pytest
from django.urls import reverse

from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.themes.domain.library import ThemeData, ThemeError, create_theme, update_theme
from entraide.themes.models import Theme

pytestmark = pytest.mark.django_db

ONE_LINE_FR = "Ce champ doit tenir sur une seule ligne"


def _data(title: str = "Process Communication") -> ThemeData:
    return ThemeData(title, "Six types de personnalité.", "Un.\n\nDeux.", "fr", "tool")


def _own(organisation) -> list[Theme]:
    with tenant_scope(organisation):
        return list(Theme.objects.filter(organisation=organisation))


@pytest.mark.parametrize("title", ["Titre\nsur deux lignes", "Titre\t", "Titre\x00", "Titre\u2029"])
def test_a_theme_title_with_a_control_character_is_refused_and_nothing_saved(organisation, coordinator, title):
    with pytest.raises(ThemeError, match=ONE_LINE_FR) as refused:
        create_theme(organisation, coordinator, _data(title))
    assert refused.value.field == "title"
    assert _own(organisation) == []


def test_editing_a_theme_title_with_a_line_break_changes_nothing(organisation, coordinator):
    theme = create_theme(organisation, coordinator, _data())
    with pytest.raises(ThemeError, match=ONE_LINE_FR):
        update_theme(theme, coordinator, _data("Process\nCommunication"))
    assert [t.title for t in _own(organisation)] == ["Process Communication"]


def test_the_theme_form_says_it_too(client, organisation, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("themes:create", kwargs={"org": organisation.slug}),
        {"title": "Titre\nA", "kind": "theme", "language": "fr", "summary": "Résumé.", "body": "Texte."},
    )
    assert response.status_code == 400 and ONE_LINE_FR in response.content.decode()
    assert _own(organisation) == []


def test_posting_the_theme_form_twice_creates_one_theme(client, organisation, coordinator):
    client.force_login(coordinator)
    url = reverse("themes:create", kwargs={"org": organisation.slug})
    data = {"title": "Écoute", "kind": "theme", "language": "fr", "summary": "Résumé.", "body": "Texte."}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400
    assert "a déjà un thème de ce titre dans cette langue" in response.content.decode()
    assert len(_own(organisation)) == 1
    # The same title in another language is another theme.
    assert client.post(url, {**data, "language": "de"}).status_code == 302


def test_clicking_copy_twice_makes_one_copy(client, organisation, coordinator):
    with all_tenants():
        original = Theme.objects.get(organisation=None, key="ecoute-active", language="fr")
    client.force_login(coordinator)
    url = reverse("themes:copy", kwargs={"org": organisation.slug, "pk": original.pk})
    first, second = client.post(url), client.post(url)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert len(_own(organisation)) == 1
