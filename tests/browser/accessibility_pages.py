"""Every kind of page the accessibility test (``test_accessibility.py``) checks with axe-core,
and as whom. Imported by that browser test and by ``tests/web/test_accessibility_statement.py``,
which checks that the committed audit (``entraide.web.accessibility``) lists each of them, so
that a kind added here cannot be missing from the published statement.

A kind is a URL name (``namespace:name``), with ``#variant`` when one address shows distinct
states (a live session not started yet and running; a form sent back with its errors). The
paths use the ids the browser test prepares (``{group}``, ``{lobby}``...): see ``SETUP_CODE``.
"""

from dataclasses import dataclass

# Who opens the page. ``participant`` holds seats of two live sessions (no account);
# ``author`` is an account of the test's own with a roadmap (a demo account's plans are
# left alone); the others are the demo accounts, which the test only reads.
ROLES = ("anonymous", "participant", "member", "author", "coordinator", "facilitator")
LOGINS = {
    "member": "membre@demo.entraide.test",
    "coordinator": "coordination@demo.entraide.test",
    "facilitator": "facilitation@demo.entraide.test",
}
LANGUAGES = ("fr", "de", "en")
# Width × height in CSS pixels: a participant's phone and a laptop.
SIZES = {"phone": (360, 740), "desktop": (1280, 800)}


@dataclass(frozen=True)
class PageKind:
    """One kind of page: ``kind`` (URL name, maybe ``#variant``), who opens it, its path with
    ``{placeholders}`` filled from the prepared ids, and ``submit``: the CSS selector of a
    button pressed (empty form, nothing saved) before checking, to see the page with errors."""

    kind: str
    role: str
    path: str
    submit: str = ""


PAGE_KINDS: tuple[PageKind, ...] = (
    # Anyone, without an account.
    PageKind("web:home", "anonymous", "/"),
    PageKind("web:login", "anonymous", "/connexion/"),
    PageKind("web:password-reset", "anonymous", "/mot-de-passe/oublie/"),
    PageKind("web:protocol-library", "anonymous", "/protocoles/"),
    PageKind("web:protocol", "anonymous", "/protocoles/atelier-entraide/"),
    PageKind("web:protocol-prepare", "anonymous", "/protocoles/atelier-entraide/preparer/"),
    PageKind("web:live-join", "anonymous", "/rejoindre/"),
    PageKind("events:public", "anonymous", "/evenements/demo/{event}/"),
    PageKind("events:public#registration-errors", "anonymous", "/evenements/demo/{event}/", submit="form.registration-form button[type=submit]"),
    PageKind("web:accessibility", "anonymous", "/accessibilite/"),
    PageKind("error:404", "anonymous", "/cette-page-n-existe-pas/"),
    # A participant's phone, in a live session.
    PageKind("web:live#lobby", "participant", "/s/{lobby}/"),
    PageKind("web:live#running", "participant", "/s/{running}/"),
    # A member of the demo group.
    PageKind("web:organisation", "member", "/o/demo/"),
    PageKind("web:community-me", "member", "/o/demo/mon-espace/"),
    PageKind("web:api-tokens", "member", "/o/demo/mon-espace/api/"),
    PageKind("web:community-groups", "member", "/o/demo/groupes/"),
    PageKind("web:community-group", "member", "/o/demo/groupes/{group}/"),
    PageKind("web:community-group-charter", "member", "/o/demo/groupes/{group}/charte/"),
    PageKind("events:upcoming", "member", "/o/demo/evenements/a-venir/"),
    PageKind("web:followup-plans", "member", "/o/demo/suivi/"),
    PageKind("network:home", "member", "/o/demo/reseau/"),
    PageKind("network:requests", "member", "/o/demo/demandes/"),
    PageKind("network:request", "member", "/o/demo/demandes/{request}/"),
    PageKind("network:request-new", "member", "/o/demo/demandes/nouvelle/"),
    PageKind("network:mentoring", "member", "/o/demo/parrainage/"),
    PageKind("network:mentoring-new", "member", "/o/demo/parrainage/demande/"),
    PageKind("grants:mine", "member", "/o/demo/bourses/"),
    PageKind("grants:new", "member", "/o/demo/bourses/nouvelle/"),
    PageKind("grants:articles", "member", "/o/demo/articles/"),
    PageKind("mydata:home", "member", "/o/demo/mon-espace/mes-donnees/"),
    PageKind("privacy:page", "member", "/o/demo/donnees-et-confidentialite/"),
    PageKind("web:core-my-log", "member", "/o/demo/mon-espace/journal/"),
    PageKind("web:password-change", "member", "/mot-de-passe/"),
    # The test's own member and the roadmap it wrote.
    PageKind("web:followup-plan", "author", "/o/demo/suivi/plans/{plan}/"),
    # The coordinator of the demo network.
    PageKind("web:community-group-plan", "coordinator", "/o/demo/groupes/{group}/planifier/"),
    PageKind("web:community-group-plan#proposal", "coordinator", "/o/demo/groupes/{group}/planifier/", submit="form.plan-form button[type=submit]"),
    PageKind("web:community-group-create", "coordinator", "/o/demo/groupes/nouveau/"),
    PageKind("web:community-group-edit", "coordinator", "/o/demo/groupes/{group}/modifier/"),
    PageKind("web:community-attendance", "coordinator", "/o/demo/groupes/{group}/seances/{held}/presences/"),
    PageKind("web:community-members", "coordinator", "/o/demo/membres/"),
    PageKind("programmes:list", "coordinator", "/o/demo/programmes/"),
    PageKind("programmes:create", "coordinator", "/o/demo/programmes/nouveau/"),
    PageKind("programmes:detail", "coordinator", "/o/demo/programmes/{programme}/"),
    PageKind("programmes:report", "coordinator", "/o/demo/programmes/{programme}/rapport/"),
    PageKind("programmes:document#method", "coordinator", "/o/demo/programmes/{programme}/documents/method/"),
    PageKind("programmes:document#planning", "coordinator", "/o/demo/programmes/{programme}/documents/planning/"),
    PageKind("grants:all", "coordinator", "/o/demo/bourses/toutes/"),
    PageKind("grants:budget", "coordinator", "/o/demo/bourses/budget/"),
    PageKind("grants:detail", "coordinator", "/o/demo/bourses/{grant}/"),
    PageKind("grants:ledger", "coordinator", "/o/demo/grand-livre/"),
    PageKind("network:supervision-propose", "coordinator", "/o/demo/demandes/{request}/supervision/"),
    PageKind("events:list", "coordinator", "/o/demo/evenements/"),
    PageKind("events:create", "coordinator", "/o/demo/evenements/nouveau/"),
    PageKind("events:detail", "coordinator", "/o/demo/evenements/{event}/"),
    PageKind("themes:library", "coordinator", "/o/demo/thematiques/"),
    PageKind("themes:detail", "coordinator", "/o/demo/thematiques/{theme}/"),
    PageKind("web:core-org-log", "coordinator", "/o/demo/journal/"),
    # The facilitator of the two live sessions, and the demo event's.
    PageKind("web:live-console#lobby", "facilitator", "/s/{lobby}/console/"),
    PageKind("web:live-console#running", "facilitator", "/s/{running}/console/"),
    PageKind("web:live-projector", "facilitator", "/s/{running}/projecteur/"),
    PageKind("events:questions", "facilitator", "/o/demo/evenements/{event}/questions/"),
)

# Run by the server's own ``entraide shell -c`` (its database): the test's own data, printed as
# JSON. Two live sessions of the demo facilitator (one left in its lobby, one started) with one
# participant each; an account of the test's own with a roadmap; the ids of demo rows it reads.
SETUP_CODE = r'''
import json, uuid
from datetime import time, timedelta
from django.utils import timezone
from entraide.community.demo import DEMO_GROUP
from entraide.community.models import Group, GroupSession
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Organisation, Role, User
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.events.domain.demo import DEMO_SLUG
from entraide.followup.domain import plans
from entraide.grants.models import GrantRequest
from entraide.live.domain import commands
from entraide.live.domain.opening import join, open_session
from entraide.network.models import SupervisionRequest
from entraide.programmes.models import Programme
from entraide.protocols.domain import library
from entraide.themes.models import Theme

organisation = Organisation.objects.get(slug="demo")
facilitator = User.objects.get(email="facilitation@demo.entraide.test")
protocol = library.builtin_protocol("atelier-entraide")
ids = {"event": DEMO_SLUG}
with tenant_scope(organisation):
    for name in ("lobby", "running"):
        session, seat = open_session(organisation=organisation, protocol=protocol, facilitator=facilitator,
                                     participants=6, start=time(14), end=time(16, 30), title="Accessibilité")
        guest = join(session, "Alex")
        join(session, "Sam")
        if name == "running":
            commands.execute(session.pk, seat.participant.pk, str(uuid.uuid4()), "start", {})
        ids[name] = session.join_code
        ids[name + "_secret"] = guest.secret
    email = f"a11y-{uuid.uuid4().hex[:8]}@test.entraide.test"
    author = ensure_account(email, "Alex Accessibilité", password="entraide-demo")
    set_membership(organisation, author, Role.MEMBER)
    ids["author"] = email
    plan = plans.create_roadmap(organisation, author, "Ma feuille de route")
    plans.add_action(plan, "Relire mes notes de séance", timezone.localdate() + timedelta(days=10), actor=author)
    ids["plan"] = plan.pk
    group = Group.objects.get(organisation=organisation, name=DEMO_GROUP)
    ids["group"] = group.pk
    ids["held"] = GroupSession.objects.filter(group=group, status=GroupSession.Status.HELD).order_by("date").first().pk
    ids["programme"] = Programme.objects.filter(organisation=organisation).order_by("pk").first().pk
    ids["grant"] = GrantRequest.objects.filter(organisation=organisation).order_by("pk").first().pk
    ids["request"] = SupervisionRequest.objects.filter(organisation=organisation).order_by("pk").first().pk
    ids["theme"] = Theme.objects.filter(organisation__isnull=True).order_by("pk").first().pk  # a built-in theme
print(json.dumps(ids))
'''
