"""The accessibility statement ("Déclaration d'accessibilité", RGAA 4.1's model), generated from
the audit that the browser test ``tests/browser/test_accessibility.py`` writes to ``audit.json``
next to this file: axe-core's rules tagged WCAG 2.1 A and AA, run on every kind of page, in each
language, at a phone's and a laptop's size.

The conformity state follows the RGAA's thresholds, applied to the rules axe checked: partially
conformant when the average of the pages' rates of rules respected is at least 50 %, not
conformant below. "Fully conformant" means every RGAA criterion respected, which an automated
audit cannot show (it covers only part of the criteria): it needs a manual audit recorded in the
audit file (``"manual_audit": true``) on top of an automated run without any violation.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

AUDIT_FILE = Path(__file__).with_name("audit.json")
IMPACTS = ("critical", "serious", "moderate", "minor")
FULLY, PARTIALLY, NOT = "full", "partial", "none"
# The RGAA's words for the state, as the footer and the statement say them.
STATE_LABELS = {FULLY: _("fully compliant"), PARTIALLY: _("partially compliant"), NOT: _("non-compliant")}
ROLE_LABELS = {
    "anonymous": _("a visitor without an account"),
    "participant": _("a participant of a live session, without an account"),
    "member": _("a member of a group"),
    "author": _("a member, the author of the roadmap"),
    "coordinator": _("a coordinator"),
    "facilitator": _("the facilitator of the live session"),
}
SIZE_LABELS = {"phone": _("phone"), "desktop": _("laptop")}


@dataclass(frozen=True)
class Finding:
    """One axe rule violated somewhere: its id, impact, help (axe's English text), the link to
    its documentation, and where (sorted ``(kind, language, size)`` triples)."""

    rule: str
    impact: str
    help: str
    url: str
    pages: tuple[tuple[str, str, str], ...]

    def where(self) -> list[tuple[str, list[str], list[str]]]:
        """The pages grouped by kind: ``(kind, languages, sizes)``, each list sorted."""
        grouped: dict[str, tuple[set, set]] = {}
        for kind, language, size in self.pages:
            languages, sizes = grouped.setdefault(kind, (set(), set()))
            languages.add(language)
            sizes.add(size)
        return [(kind, sorted(languages), sorted(str(SIZE_LABELS.get(size, size)) for size in sizes)) for kind, (languages, sizes) in sorted(grouped.items())]


@dataclass(frozen=True)
class CheckedKind:
    """A kind of page checked: its URL name (with ``#variant``), who opened it, its address."""

    kind: str
    role: str
    path: str

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))


@dataclass(frozen=True)
class Statement:
    """What the statement page shows, computed from one audit (see ``build``).

    ``rate``: average over the pages checked of rules respected / rules applicable, in percent
    (one decimal), or None when the audit recorded no counts. ``checks``: how many pages were
    checked (kinds × languages × sizes). ``by_impact``: how many (page, rule) violations per
    impact. ``to_review``: rules axe could not decide on some page, with the number of pages.
    """

    state: str
    rate: float | None
    established: date
    axe_version: str
    browser: str
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    sizes: dict[str, tuple[int, int]]
    kinds: tuple[CheckedKind, ...]
    checks: int
    by_impact: dict[str, int]
    findings: tuple[Finding, ...]
    to_review: tuple[tuple[str, int], ...] = field(default=())

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    def size_labels(self) -> list[tuple[str, int, int]]:
        """``(label, width, height)`` per screen size, in CSS pixels."""
        return [(str(SIZE_LABELS.get(name, name)), width, height) for name, (width, height) in self.sizes.items()]


def load_audit(path: Path = AUDIT_FILE) -> dict:
    """The audit as written by the browser test. Raises ``FileNotFoundError`` or
    ``json.JSONDecodeError`` when it is missing or damaged (a packaging mistake, not a user's)."""
    return json.loads(path.read_text(encoding="utf-8"))


def conformity(pages: list[dict], manual_audit: bool = False) -> tuple[str, float | None]:
    """The RGAA state (``FULLY``, ``PARTIALLY``, ``NOT``) and the average rate in percent.
    ``FULLY`` only with ``manual_audit`` (all RGAA criteria checked by a person) and no violation.

    ``pages``: the audit's entries, each with ``violations`` (rule ids by impact) and ``passed``
    (how many rules passed there; may be absent). No page at all gives ``NOT`` (nothing shown
    conformant)."""
    if not pages:
        return NOT, None
    violated = [sum(len(rules) for rules in page["violations"].values()) for page in pages]
    rates = [
        100 * page["passed"] / (page["passed"] + failed) if page["passed"] + failed else 100.0
        for page, failed in zip(pages, violated)
        if "passed" in page
    ]
    rate = round(sum(rates) / len(rates), 1) if len(rates) == len(pages) else None
    if not any(violated) and manual_audit:
        return FULLY, rate
    if rate is not None and rate >= 50:
        return PARTIALLY, rate
    return NOT, rate


def build(audit: dict) -> Statement:
    """The statement's content from an audit (``load_audit``'s shape)."""
    pages = audit["pages"]
    state, rate = conformity(pages, manual_audit=bool(audit.get("manual_audit")))
    where: dict[str, list[tuple[str, str, str]]] = {}
    review: dict[str, int] = {}
    by_impact = dict.fromkeys(IMPACTS, 0)
    for page in pages:
        for impact, rules in page["violations"].items():
            by_impact[impact] = by_impact.get(impact, 0) + len(rules)
            for rule in rules:
                where.setdefault(rule, []).append((page["kind"], page["language"], page["size"]))
        for rule in page.get("needs_review", []):
            review[rule] = review.get(rule, 0) + 1
    rules = audit.get("rules", {})
    findings = tuple(
        Finding(rule=rule, impact=rules.get(rule, {}).get("impact", "minor"), help=rules.get(rule, {}).get("help", ""),
                url=rules.get(rule, {}).get("url", ""), pages=tuple(sorted(found)))
        for rule, found in sorted(where.items(), key=lambda item: (IMPACTS.index(rules.get(item[0], {}).get("impact", "minor")), item[0]))
    )
    return Statement(
        state=state,
        rate=rate,
        established=date.fromisoformat(audit["established"]),
        axe_version=audit["axe_version"],
        browser=audit.get("browser", ""),
        tags=tuple(audit["tags"]),
        languages=tuple(audit["languages"]),
        sizes={name: tuple(size) for name, size in audit["sizes"].items()},
        kinds=tuple(CheckedKind(**kind) for kind in audit["kinds"]),
        checks=len(pages),
        by_impact=by_impact,
        findings=findings,
        to_review=tuple(sorted(review.items())),
    )


@lru_cache(maxsize=1)
def statement() -> Statement:
    """The statement of the audit shipped with the package (read once per process)."""
    return build(load_audit())
