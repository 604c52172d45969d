"""The library of themes and tools a facilitator brings as a session's thematic input
(active listening, non-violent communication, transactional analysis…), and which theme is
attached to which live session.

A theme is written in one language; built-ins (``organisation`` NULL) exist in French, German
and English under the same key and are shared with every organisation, like built-in protocols.
Library texts are teaching material, not session content: they are stored in plain text.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager
from entraide.core.text import validate_single_line


class Theme(models.Model):
    class Kind(models.TextChoices):
        THEME = "theme", _("theme")
        TOOL = "tool", _("tool")

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(_("key"), max_length=60)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.THEME)
    title = models.CharField(_("title"), max_length=120, validators=[validate_single_line])
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("content"), help_text=_("Plain text; leave an empty line between paragraphs."))
    references = models.TextField(_("references and links"), blank=True, help_text=_("One per line."))
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies", verbose_name=_("copied from"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = tenant_manager(shared_when_null=True)

    class Meta:
        verbose_name = _("theme or tool")
        verbose_name_plural = _("themes and tools")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key", "language"], name="theme_key_per_organisation"),
            models.UniqueConstraint(
                fields=["key", "language"], condition=models.Q(organisation__isnull=True), name="builtin_theme_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    def url_in(self, organisation: Organisation, name: str = "detail") -> str:
        return reverse(f"themes:{name}", kwargs={"org": organisation.slug, "pk": self.pk})

    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()]

    def reference_lines(self) -> list[str]:
        return [line.strip() for line in self.references.splitlines() if line.strip()]


class ThemeAttachment(models.Model):
    """The theme a live session brings as its thematic input (one per session)."""

    live_session = models.OneToOneField("live.LiveSession", on_delete=models.CASCADE, related_name="theme_attachment")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="attachments")
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attached_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager("live_session__organisation")

    class Meta:
        verbose_name = _("thematic input of a session")
        verbose_name_plural = _("thematic inputs of sessions")

    def __str__(self) -> str:
        return f"{self.live_session} — {self.theme}"


class PlannedTheme(models.Model):
    """The theme planned in advance for one session of a group (field document 004: "une
    thématique proposée sur chacun des ateliers"); when that session runs live, its "theme" step
    shows it and the session's thematic input is attached from it (a live command)."""

    group_session = models.OneToOneField("community.GroupSession", on_delete=models.CASCADE, related_name="planned_theme")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="plans")
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    planned_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager("group_session__group__organisation")

    class Meta:
        verbose_name = _("planned theme of a group session")
        verbose_name_plural = _("planned themes of group sessions")
