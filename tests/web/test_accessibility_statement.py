"""The accessibility statement (issue 15, part 3): generated from the committed audit, which must
list every page kind, language and size the browser test (tests/browser/test_accessibility.py)
checks, so that the published statement cannot silently go stale."""

import json
from pathlib import Path

import pytest
from django.test import Client

from entraide.web import accessibility
from entraide.web.accessibility import FULLY, NOT, PARTIALLY, build, conformity, load_audit
from tests.browser.accessibility_pages import LANGUAGES, PAGE_KINDS, ROLES, SIZES

pytestmark = pytest.mark.integration


def page(kind="web:home", language="fr", size="phone", passed=20, **violations):
    return {
        "kind": kind, "role": "anonymous", "language": language, "size": size, "passed": passed,
        "violations": {impact: violations.get(impact, []) for impact in accessibility.IMPACTS},
    }


def test_the_committed_audit_lists_every_page_kind_language_and_size_checked():
    audit = load_audit()
    assert audit["kinds"] == [{"kind": kind.kind, "role": kind.role, "path": kind.path} for kind in PAGE_KINDS]
    checked = [(entry["kind"], entry["language"], entry["size"]) for entry in audit["pages"]]
    expected = {(kind.kind, language, size) for kind in PAGE_KINDS for language in LANGUAGES for size in SIZES}
    assert len(checked) == len(set(checked)) and set(checked) == expected
    assert audit["languages"] == list(LANGUAGES)
    assert audit["sizes"] == {name: list(size) for name, size in SIZES.items()}
    assert {kind.role for kind in PAGE_KINDS} <= set(ROLES) and set(ROLES) <= set(accessibility.ROLE_LABELS)
    locked = json.loads((Path(__file__).resolve().parents[2] / "package-lock.json").read_text())
    assert audit["axe_version"] == locked["packages"]["node_modules/axe-core"]["version"]  # the axe the tests install


def test_the_statement_renders_from_the_committed_audit(db):
    audit = load_audit()
    statement = build(audit)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Entraide is <strong>{statement.state_label}</strong>" in text
    assert f"axe-core {audit['axe_version']}" in text and audit["browser"] in text
    for kind in PAGE_KINDS:
        assert f"<code>{kind.kind}</code>" in text
    assert f"checked {len(audit['pages'])} pages" in text
    assert "Défenseur des droits" in text and "Libre réponse 71120" in text
    # Every page links to it from the footer, with the state.
    home = client.get("/").content.decode()
    assert f'<a href="/accessibilite/">Accessibility: {statement.state_label}</a>' in home


def test_the_statement_lists_each_rule_violated_and_where(db, monkeypatch):
    audit = load_audit() | {
        "pages": [page("web:home", "fr", "phone", moderate=["region"]), page("web:home", "de", "phone", moderate=["region"]),
                  page("web:login", passed=19, minor=["scrollable-region-focusable"])],
        "rules": {"region": {"impact": "moderate", "help": "All page content should be contained by landmarks", "url": "https://dequeuniversity.com/rules/axe/4.14/region"},
                  "scrollable-region-focusable": {"impact": "minor", "help": "Scrollable region must have keyboard access", "url": ""}},
    }
    statement = build(audit)
    assert statement.state == PARTIALLY and statement.by_impact == {"critical": 0, "serious": 0, "moderate": 2, "minor": 1}
    assert [finding.rule for finding in statement.findings] == ["region", "scrollable-region-focusable"]
    assert statement.findings[0].where() == [("web:home", ["de", "fr"], ["phone"])]
    monkeypatch.setattr(accessibility, "statement", lambda: statement)
    text = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accessibilite/").content.decode()
    assert '<code>region</code> (moderate): <span lang="en">All page content should be contained by landmarks</span>' in text
    assert "<code>web:home</code> — de, fr · phone" in text
    assert "partially compliant" in text


@pytest.mark.parametrize(
    ("pages", "state", "rate"),
    [
        ([], NOT, None),
        # No violation found by the tool: only partially compliant without a manual audit.
        ([page(), page("web:login", passed=30)], PARTIALLY, 100.0),
        # 20/(20+1) and 10/(10+10): 95.2 % and 50 % → 72.6 % on average
        ([page(critical=["image-alt"]), page("web:login", passed=10, serious=[f"rule-{n}" for n in range(10)])], PARTIALLY, 72.6),
        ([page(passed=1, serious=["a", "b", "c"]), page("web:login", passed=2, minor=["d", "e", "f"])], NOT, 32.5),
    ],
)
def test_the_conformity_state_follows_the_rgaa_thresholds(pages, state, rate):
    assert conformity(pages) == (state, rate)


def test_fully_compliant_needs_a_manual_audit_and_no_violation():
    assert conformity([page()], manual_audit=True) == (FULLY, 100.0)
    assert conformity([page(critical=["image-alt"])], manual_audit=True)[0] == PARTIALLY


def test_a_violation_without_counts_of_rules_passed_is_not_conformant():
    entry = page(serious=["color-contrast"])
    del entry["passed"]
    assert conformity([entry]) == (NOT, None)
