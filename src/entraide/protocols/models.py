"""Protocols and their versions.

A protocol's spec is never edited in place: each accepted edit is a new ``ProtocolVersion``,
so that a session (next issue) keeps pointing at the exact version it was run with, and an
invalid edit leaves the current version untouched.
"""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager

from .domain.spec import ProtocolSpec


class Protocol(models.Model):
    """A session format. ``organisation`` NULL: a built-in, shared with every organisation."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="protocols"
    )
    key = models.SlugField(_("key"), max_length=60)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
        verbose_name=_("copied from"),
    )
    current = models.OneToOneField(
        "ProtocolVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = tenant_manager(shared_when_null=True)

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="protocol_key_per_organisation"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(organisation__isnull=True), name="builtin_protocol_key"
            ),
        ]

    def __str__(self) -> str:
        return self.spec.title.get() if self.current_id else self.key

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    @property
    def spec(self) -> ProtocolSpec:
        return self.current.spec

    def url(self, name: str = "protocol") -> str:
        if self.is_builtin:
            return reverse(f"web:{name}", kwargs={"key": self.key})
        return reverse(f"web:org-{name}", kwargs={"org": self.organisation.slug, "key": self.key})

    def get_absolute_url(self) -> str:
        return self.url()

    @property
    def prepare_url(self) -> str:
        return self.url("protocol-prepare")


class ProtocolVersion(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    source = models.TextField(_("specification (YAML)"))
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = tenant_manager("protocol__organisation", shared_when_null=True)

    class Meta:
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.protocol.key} v{self.number}"

    @cached_property
    def spec(self) -> ProtocolSpec:
        return ProtocolSpec.from_data(self.data)
