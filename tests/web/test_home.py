"""The home page shows every built-in format, from the library (issue 10: it listed 3 of 6)."""

import pytest
from django.test import Client
from django.utils.html import escape

from entraide.protocols.domain import library

pytestmark = pytest.mark.integration


def test_the_home_page_lists_every_built_in_format_in_the_librarys_order(builtins):
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/").content.decode()
    # Every YAML file shipped in the package, not a number written here.
    builtins_shown = [p for p in library.visible_protocols(None) if p.is_builtin]
    assert len(builtins_shown) == len(library.builtin_sources()) >= 6
    positions = []
    for protocol in builtins_shown:
        link = f'href="{protocol.get_absolute_url()}"'
        assert link in page, protocol.key
        assert escape(protocol.spec.title.get("fr")) in page
        positions.append(page.index(link))
    assert positions == sorted(positions)
