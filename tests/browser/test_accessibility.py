"""Accessibility to WCAG 2.1 AA (the RGAA's reference) checked by axe-core on every kind of page
(issue 15, part 3): the kinds of ``accessibility_pages.PAGE_KINDS``, in French, German and
English, on a 360×740 phone and a 1280×800 laptop, in Debian's Chromium.

axe-core comes from the npm registry at the exact version of package-lock.json (``make test``
runs ``npm ci``) and is injected with ``page.add_script_tag``; the contexts bypass the site's
Content-Security-Policy only so that this injected script may run. axe runs the rules tagged
wcag2a, wcag2aa, wcag21a and wcag21aa. A violation of impact "serious" or "critical" fails the
test of its language and size; moderate and minor ones, and what axe could not decide ("needs
review"), are printed and recorded.

The committed audit (``src/entraide/web/accessibility/audit.json``, from which the
accessibility statement at /accessibilite/ is generated): ``test_the_committed_audit_is_this_run``
compares it with this run, on the part that does not depend on the machine or the day: the axe
version, the rules, the kinds of pages (URL name, role, path) and the list of pages (kind,
role, language, size) with the rules each one violates, by impact. When they differ, the test REWRITES the file (with today's date, this
Chromium and what axe left to review) and FAILS, asking to commit it: so the published statement
always says what the tests found, and a clean clone in CI fails until the new results are
committed. The date, the browser version, the counts of rules passed and what axe left to review
are not compared (they change with the machine, the day or the demo's dates without anything to
fix); they are refreshed whenever the file is rewritten.
"""

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import SERVER
from tests.processes import BIN
from tests.browser.accessibility_pages import LANGUAGES, LOGINS, PAGE_KINDS, SETUP_CODE, SIZES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AUDIT_FILE = ROOT / "src" / "entraide" / "web" / "accessibility" / "audit.json"
ARTIFACTS = ROOT / "test-artifacts"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = {"critical", "serious"}
PASSWORD = "entraide-demo"
TIMEOUT = 15_000

# One entry per (kind, language, size) checked in this run; the last test compares them with
# the committed audit once every language and size has run.
RESULTS: dict[tuple[str, str, str], dict] = {}
RULES: dict[str, dict] = {}
RUN: dict = {}


@pytest.fixture(scope="module")
def prepared(server_url, browser) -> dict:
    """The test's own data (``SETUP_CODE``) and, per role, the cookies that open its pages:
    a login per account, once; the participant's seats through their personal links."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `make test` (or `npm ci`) to install node_modules/.")
    # conftest's server_manage, at the module's scope (it is function-scoped there).
    output = subprocess.run([str(BIN / "entraide"), "shell", "-c", SETUP_CODE], env=SERVER["env"], cwd=SERVER["workdir"],
                            check=True, capture_output=True, text=True, timeout=120).stdout
    ids = json.loads(next(line for line in reversed(output.splitlines()) if line.startswith("{")))
    cookies = {"anonymous": []}
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    for role, email in {**LOGINS, "author": ids["author"]}.items():
        context.clear_cookies()
        page.goto(server_url + "/connexion/")
        page.locator("input[name=username]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(server_url + "/")
        cookies[role] = context.cookies()
    context.clear_cookies()
    for name in ("lobby", "running"):
        page.goto(f"{server_url}/s/{ids[name]}/retour/{ids[name + '_secret']}/")
        page.wait_for_url(f"{server_url}/s/{ids[name]}/")
    cookies["participant"] = context.cookies()
    RUN["browser"] = browser.version
    context.close()
    return {"ids": ids, "cookies": cookies}


# What sticks out of a phone's screen: null when the page fits, else the widest elements. The
# layout viewport's width (clientWidth), not innerWidth: a mobile browser zooms out to show what
# overflows, and innerWidth grows with it.
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) { return null; }
  return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ': ' + (e.textContent || '').trim().slice(0, 40));
}"""


def run_axe(page) -> dict:
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']})", TAGS
    )


def check(page, server_url: str, kind, ids: dict) -> dict:
    """Open the page (press its button when it has one), run axe; returns what it found."""
    path = kind.path.format(**ids)
    response = page.goto(server_url + path)
    expected = 404 if kind.kind.startswith("error:404") else 200
    assert response is not None and response.status == expected, f"{kind.kind} {path}: HTTP {response.status if response else None}"
    if kind.submit:
        with page.expect_navigation():
            page.locator(kind.submit).first.click()
    page.wait_for_load_state("load")
    result = run_axe(page)
    RUN["axe"] = result["testEngine"]["version"]
    violations = {impact: [] for impact in IMPACTS}
    details = []
    for rule in result["violations"]:
        impact = rule["impact"] or "minor"
        violations[impact].append(rule["id"])
        RULES[rule["id"]] = {"impact": impact, "help": rule["help"], "url": rule["helpUrl"].split("?")[0]}
        for node in rule["nodes"][:5]:
            details.append(f"    {impact} {rule['id']}: {rule['help']}\n      {' '.join(node['target'])}: {node['html'][:200]}")
    review = sorted({rule["id"] for rule in result["incomplete"]})
    for impact in IMPACTS:
        violations[impact].sort()
    return {"violations": violations, "needs_review": review, "passed": len(result["passes"]), "details": details, "path": path}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_or_critical_violation(server_url, browser, prepared, language, size):
    """Every kind of page, in one browser context for this language and size: the language is
    the site's own choice (its ``entraide_language`` cookie, what the language buttons set),
    with the browser's Accept-Language agreeing; the role's cookies are swapped in turn."""
    width, height = SIZES[size]
    phone = size == "phone"
    context = browser.new_context(
        locale=language, viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone,
        bypass_csp=True, reduced_motion="reduce",
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.on("dialog", lambda dialog: dialog.dismiss())
    blocking, report = [], []
    current_role = None
    try:
        for kind in PAGE_KINDS:
            if kind.role != current_role:
                context.clear_cookies()
                context.add_cookies(prepared["cookies"][kind.role])
                context.add_cookies([{"name": "entraide_language", "value": language, "url": server_url}])
                current_role = kind.role
            found = check(page, server_url, kind, prepared["ids"])
            lang = page.evaluate("document.documentElement.lang")
            assert lang == language, f"{kind.kind}: <html lang={lang!r}> in a {language} run"
            # Reflow (WCAG 1.4.10, RGAA 10.11): at a phone's width nothing scrolls sideways, in
            # every language (a long German word in a heading once widened a page).
            if phone:
                wider = page.evaluate(WIDER_THAN_SCREEN)
                if wider:
                    blocking.append(f"{kind.kind} {language} {size}: wider than the screen (reflow, WCAG 1.4.10): {wider}")
            RESULTS[(kind.kind, language, size)] = {
                "kind": kind.kind, "role": kind.role, "language": language, "size": size,
                "violations": found["violations"], "needs_review": found["needs_review"], "passed": found["passed"],
            }
            counts = ", ".join(f"{impact} {len(found['violations'][impact])}" for impact in IMPACTS if found["violations"][impact])
            report.append(f"{kind.kind} ({kind.role}, {found['path']}) {language} {size}: {counts or 'no violation'}"
                          + (f"; to review: {', '.join(found['needs_review'])}" if found["needs_review"] else ""))
            report.extend(found["details"])
            if any(found["violations"][impact] for impact in BLOCKING):
                blocking.append(f"{kind.kind} {language} {size}: " + ", ".join(
                    f"{rule} ({impact})" for impact in BLOCKING for rule in found["violations"][impact]))
    finally:
        context.close()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"accessibility-{language}-{size}.txt").write_text("\n".join(report) + "\n")
        print("\n".join(report))
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(blocking)


def comparable(audit: dict) -> dict:
    """The part of an audit that the same code gives on any machine, any day."""
    return {
        "axe_version": audit["axe_version"],
        "tags": audit["tags"],
        "kinds": audit["kinds"],
        "pages": [{key: page[key] for key in ("kind", "role", "language", "size", "violations")} for page in audit["pages"]],
        "rules": audit["rules"],
    }


def dump(audit: dict) -> str:
    """The audit as JSON with one page per line, so that a diff shows which pages changed."""
    lines = []
    for key, value in audit.items():
        if key in ("kinds", "pages", "rules"):
            items = [json.dumps(item, ensure_ascii=False) for item in value] if key != "rules" else [
                f"{json.dumps(name)}: {json.dumps(rule, ensure_ascii=False)}" for name, rule in value.items()]
            opening, closing = ("[", "]") if key != "rules" else ("{", "}")
            body = ",\n".join("  " + item for item in items)
            lines.append(f"{json.dumps(key)}: {opening}\n{body}\n {closing}" if items else f"{json.dumps(key)}: {opening}{closing}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n " + ",\n ".join(lines) + "\n}\n"


def test_the_committed_audit_is_this_run():
    """See the module's docstring: a different audit is rewritten, and the test fails."""
    expected = {(kind.kind, language, size) for kind in PAGE_KINDS for language in LANGUAGES for size in SIZES}
    if set(RESULTS) != expected:
        pytest.skip("the audit is compared after a run of every language and size")
    pages = [RESULTS[(kind.kind, language, size)] for language in LANGUAGES for size in SIZES for kind in PAGE_KINDS]
    audit = {
        "standard": "WCAG 2.1 AA",
        "tool": "axe-core",
        "axe_version": RUN["axe"],
        "tags": TAGS,
        "languages": list(LANGUAGES),
        "sizes": {name: list(size) for name, size in SIZES.items()},
        "rules": dict(sorted(RULES.items())),
        "kinds": [{"kind": kind.kind, "role": kind.role, "path": kind.path} for kind in PAGE_KINDS],
        "pages": pages,
        "established": date.today().isoformat(),
        "browser": f"Chromium {RUN['browser']}",
    }
    committed = json.loads(AUDIT_FILE.read_text()) if AUDIT_FILE.exists() else None
    if committed is not None and comparable(committed) == comparable(audit):
        return
    AUDIT_FILE.parent.mkdir(parents=True, exist_ok=True)
    AUDIT_FILE.write_text(dump(audit))
    pytest.fail(f"The accessibility audit changed: {AUDIT_FILE.relative_to(ROOT)} is rewritten with this run's results; "
                "review and commit it (the accessibility statement is generated from it).")
