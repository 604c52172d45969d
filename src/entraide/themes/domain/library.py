"""Built-in themes, organisations' own themes (copies and new ones), and attaching a theme to a
live session as its thematic input."""

from dataclasses import dataclass
from importlib import resources

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from entraide.core import access, actions
from entraide.core.models import Organisation
from entraide.core.safe_yaml import load_yaml
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.core.errors import DomainError
from entraide.core.text import clean_single_line

from ..models import Theme, ThemeAttachment

BUILTIN_PACKAGE = "entraide.themes"
BUILTIN_FOLDER = "builtin"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
MAX_BODY = 20_000
MAX_REFERENCES = 3_000


class ThemeError(DomainError):
    """A refused theme change: ``message`` translated, ``field`` the form field concerned;
    ``code`` ``"theme"`` unless the raiser names one. Nothing was changed."""

    default_code = "theme"

    def __init__(self, message: str, field: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)


def builtin_definitions() -> list[dict]:
    """Every built-in theme, one dict per file: key, kind and fr/de/en texts (all required)."""
    folder = resources.files(BUILTIN_PACKAGE).joinpath(BUILTIN_FOLDER)
    definitions = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = load_yaml(entry.read_text(encoding="utf-8"))
        missing = [code for code in LANGUAGE_CODES if not (data.get(code) or {}).get("body")]
        if missing or data.get("kind") not in Theme.Kind.values:
            raise ValueError(f"{entry.name}: missing languages {missing} or invalid kind")
        definitions.append(data)
    return definitions


def load_builtin_themes(using: str = "default") -> dict[str, str]:
    """Create or update the built-in themes from the package (idempotent)."""
    status = {}
    with all_tenants(), transaction.atomic(using=using):
        for data in builtin_definitions():
            for code in LANGUAGE_CODES:
                texts = data[code]
                values = {
                    "kind": data["kind"],
                    "title": texts["title"].strip(),
                    "summary": texts["summary"].strip(),
                    "body": texts["body"].strip(),
                    "references": (texts.get("references") or "").strip(),
                }
                theme = Theme.objects.using(using).filter(organisation__isnull=True, key=data["key"], language=code).first()
                if theme is None:
                    Theme.objects.using(using).create(organisation=None, key=data["key"], language=code, **values)
                    status[f"{data['key']}.{code}"] = "created"
                elif any(getattr(theme, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(theme, name, value)
                    theme.updated_at = timezone.now()
                    theme.save(using=using)
                    status[f"{data['key']}.{code}"] = "updated"
                else:
                    status[f"{data['key']}.{code}"] = "unchanged"
    return status


def visible_themes(organisation: Organisation, language: str | None = None) -> list[Theme]:
    """The organisation's own themes and the built-ins, in one query."""
    with tenant_scope(organisation):
        themes = Theme.objects.all()
        if language:
            themes = themes.filter(language=language)
        return sorted(themes, key=lambda t: (t.organisation_id is None, t.title.lower()))


@dataclass
class ThemeData:
    title: str
    summary: str
    body: str
    language: str
    kind: str = Theme.Kind.THEME
    references: str = ""


def _check(data: ThemeData) -> None:
    clean_single_line(data.title, "title", error=ThemeError)
    if not data.title.strip():
        raise ThemeError(_("Give the theme a title."), "title")
    if len(data.title.strip()) > 120:
        raise ThemeError(_("The title is too long (at most 120 characters)."), "title")
    if not data.summary.strip():
        raise ThemeError(_("Write a summary in one or two sentences."), "summary")
    if len(data.summary.strip()) > 300:
        raise ThemeError(_("The summary is too long (at most 300 characters)."), "summary")
    if not data.body.strip():
        raise ThemeError(_("Write the content that the facilitator presents."), "body")
    if len(data.body) > MAX_BODY:
        raise ThemeError(_("The content is too long (at most %(max)d characters).") % {"max": MAX_BODY}, "body")
    if len(data.references) > MAX_REFERENCES:
        raise ThemeError(_("The references are too long (at most %(max)d characters).") % {"max": MAX_REFERENCES}, "references")
    if data.language not in LANGUAGE_CODES:
        raise ThemeError(_("Unknown language."), "language")
    if data.kind not in Theme.Kind.values:
        raise ThemeError(_("Choose theme or tool."), "kind")


def _free_key(organisation: Organisation, wanted: str, language: str) -> str:
    base = slugify(wanted)[:50] or "theme"
    taken = set(Theme.objects.filter(organisation=organisation, language=language).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _refuse_same_title(organisation: Organisation, data: ThemeData, theme: Theme | None = None) -> None:
    """An organisation's themes have distinct titles per language: the natural key that makes a
    second submission of the creation form create nothing."""
    others = Theme.objects.filter(organisation=organisation, language=data.language, title__iexact=data.title.strip())
    if theme is not None:
        others = others.exclude(pk=theme.pk)
    if others.exists():
        raise ThemeError(_("Your organisation already has a theme with this title in this language."), "title")


def create_theme(organisation: Organisation, actor, data: ThemeData, based_on: Theme | None = None) -> Theme:
    """A new theme of the organisation (or a copy of ``based_on``). ThemeError, nothing saved: bad
    input (see ``_check``) or a title the organisation already uses in that language. Logged as
    ``theme.created`` (``theme.copied`` for a copy); the organisation's row is locked."""
    access.require(actor, "themes.manage_themes", organisation)
    _check(data)
    verb = "theme.copied" if based_on is not None else "theme.created"
    with tenant_scope(organisation), actions.write(actor, "themes.manage_themes", organisation, verb, lock=organisation) as w:
        _refuse_same_title(organisation, data)
        key = _free_key(organisation, based_on.key if based_on else data.title, data.language)
        w.obj = Theme.objects.create(
            organisation=organisation, key=key, language=data.language, kind=data.kind,
            title=data.title.strip(), summary=data.summary.strip(), body=data.body.strip(),
            references=data.references.strip(), based_on=based_on, updated_by=actor,
        )
    return w.obj


def copy_theme(theme: Theme, organisation: Organisation, actor) -> Theme:
    """Copy a built-in (or one's own) theme into the organisation, to adapt it.

    Idempotent: when the organisation already holds a copy of this theme, that copy is
    returned (a second click on "copy" opens the same copy)."""
    access.require(actor, "themes.view_theme", theme)
    if theme.organisation_id not in (None, organisation.pk):
        raise ThemeError(_("This theme belongs to another organisation."))
    with tenant_scope(organisation):
        earlier = Theme.objects.filter(organisation=organisation, based_on=theme).order_by("pk").first()
    if earlier is not None:
        return earlier
    data = ThemeData(theme.title, theme.summary, theme.body, theme.language, theme.kind, theme.references)
    return create_theme(organisation, actor, data, based_on=theme)


def update_theme(theme: Theme, actor, data: ThemeData) -> Theme:
    """Change an organisation's own theme (``theme.changed``). Built-ins are copied first.
    ThemeError: unchanged."""
    access.require(actor, "themes.change_theme", theme)
    _check(data)
    with tenant_scope(theme.organisation), actions.write(actor, "themes.change_theme", theme, "theme.changed", lock=theme) as w:
        current = w.obj
        _refuse_same_title(current.organisation, data, current)
        if data.language != current.language and Theme.objects.filter(
            organisation=current.organisation, key=current.key, language=data.language
        ).exists():
            raise ThemeError(_("This theme already exists in that language."), "language")
        current.title, current.summary, current.body = data.title.strip(), data.summary.strip(), data.body.strip()
        current.references, current.language, current.kind = data.references.strip(), data.language, data.kind
        current.updated_by, current.updated_at = actor, timezone.now()
        current.save()
    return current


# --- Thematic input of a live session ------------------------------------------------------


def set_attachment(session, theme: Theme, actor=None) -> ThemeAttachment:
    """Make ``theme`` the thematic input of the live ``session`` (replacing any other). Only
    the live command ``attach_theme`` (live.domain.activities.theme) calls this, inside the
    command path's transaction, which bumps the session's version; and ``open_live`` for a new
    session (the planned theme). Raises ``ThemeError`` for another organisation's theme."""
    if theme.organisation_id not in (None, session.organisation_id):
        raise ThemeError(_("This theme belongs to another organisation."))
    with all_tenants():
        attachment, _created = ThemeAttachment.objects.update_or_create(
            live_session_id=session.pk,
            defaults={"theme": theme, "attached_by": actor if getattr(actor, "pk", None) else None, "attached_at": timezone.now()},
        )
    return attachment


def clear_attachment(session) -> None:
    """The session has no thematic input any more (live command ``detach_theme``)."""
    with all_tenants():
        ThemeAttachment.objects.filter(live_session_id=session.pk).delete()


def plan_theme(group_session, theme: Theme | None, actor) -> None:
    """Plan ``theme`` for a group session in advance (None: no planned theme any more). Refused
    (``ThemeError``): a theme of another organisation, a cancelled session, a session that has
    already taken place. Access: ``themes.plan_theme`` on the group session (core.access)."""
    from entraide.community.models import GroupSession

    from ..models import PlannedTheme

    access.require(actor, "themes.plan_theme", group_session)
    organisation = group_session.group.organisation
    if theme is not None and theme.organisation_id not in (None, organisation.pk):
        raise ThemeError(_("Choose a theme from the list."))
    if group_session.status == GroupSession.Status.CANCELLED:
        raise ThemeError(_("This session was cancelled."))
    if group_session.date < timezone.localdate():
        raise ThemeError(_("This session has already taken place."))
    if group_session.live_session_id is not None:
        raise ThemeError(_("This session is already open live: its facilitator chooses the theme from the console."))
    verb = "theme.unplanned" if theme is None else "theme.planned"
    with tenant_scope(organisation), actions.write(actor, "themes.plan_theme", group_session, verb, lock=group_session, organisation=organisation) as w:
        if theme is None:
            if not PlannedTheme.objects.filter(group_session=group_session).delete()[0]:
                w.unchanged()
        else:
            PlannedTheme.objects.update_or_create(
                group_session=group_session, defaults={"theme": theme, "planned_by": actor, "planned_at": timezone.now()}
            )


def planned_theme_of(group_session) -> Theme | None:
    """The theme planned for a group session, or None; one query."""
    from ..models import PlannedTheme

    with all_tenants():
        found = PlannedTheme.objects.select_related("theme").filter(group_session=group_session).first()
    return found.theme if found else None


def theme_for_session(session_id: int) -> Theme | None:
    """The session's thematic input, or None. Read for every view of every live change: the
    attachment is looked up in plain SQL (live.domain.rows; most sessions have none, and
    building the ORM query cost more than running it), the theme then by its id."""
    from entraide.live.domain.rows import select

    with all_tenants():
        found = select(ThemeAttachment, ["theme"], "live_session_id = %s", [session_id])
        return Theme.objects.filter(pk=found[0]["theme"]).first() if found else None
