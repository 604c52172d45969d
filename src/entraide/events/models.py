"""Network events such as the atelier pratique, their places per role, and registrations.

An event belongs to an organisation. People register without an account, as host of a table,
presenter of a situation (with the short question they bring, encrypted at rest) or
participant; each role has its capacity, beyond which registrations wait in line.
"""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.fields import EncryptedTextField
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager
from entraide.core.text import validate_single_line

QUESTION_MAX_LENGTH = 280


class EventRoleKind(models.TextChoices):
    HOST = "host", _("host of a table")
    PRESENTER = "presenter", _("presenter of a situation")
    PARTICIPANT = "participant", _("participant")


class Event(models.Model):
    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        ONLINE = "online", _("online")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=160, validators=[validate_single_line])
    slug = models.SlugField(_("short name in the address"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    protocol = models.ForeignKey(
        "protocols.Protocol", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("protocol"),
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    time_zone = models.CharField(_("time zone"), max_length=60, default="Europe/Paris")
    mode = models.CharField(_("format"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_single_line])
    region = models.CharField(_("region"), max_length=100, blank=True, validators=[validate_single_line])
    languages = models.JSONField(_("languages"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    public = models.BooleanField(_("public page open to everyone"), default=True)
    # Who runs the event's live session (tables, rounds, harvest): members of the organisation
    # the coordinator names; they read the event's page and the presenters' questions
    # (core/access.py, events.facilitate_event), without editing the event.
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_events", verbose_name=_("facilitators"),
    )
    # The iCalendar UID: stable across edits, so calendars update the event instead of adding one.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = tenant_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date", "-start"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="event_slug_per_organisation")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def public_url(self) -> str:
        return reverse("events:public", kwargs={"org": self.organisation.slug, "slug": self.slug})

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"org": self.organisation.slug, "slug": self.slug})

    @property
    def zone(self) -> ZoneInfo:
        """The zone of the event's place: date, start and end are wall-clock times there."""
        return ZoneInfo(self.time_zone)

    def starts_at(self) -> datetime:
        """The start as an aware datetime in the event's zone."""
        return datetime.combine(self.date, self.start, tzinfo=self.zone)

    def ends_at(self) -> datetime:
        """The end as an aware datetime in the event's zone (the next day if it ends past
        midnight, which the form refuses but older rows may hold)."""
        end = datetime.combine(self.date, self.end, tzinfo=self.zone)
        return end if end > self.starts_at() else end + timedelta(days=1)

    def facilitator_ids(self) -> frozenset[int]:
        """Ids of the event's facilitators: one query, then kept on this object (access checks
        ask it several times per request)."""
        cached = getattr(self, "_facilitator_ids", None)
        if cached is None:
            cached = self._facilitator_ids = frozenset(self.facilitators.values_list("pk", flat=True))
        return cached

    def language_names(self) -> list[str]:
        names = dict(settings.LANGUAGES)
        return [names.get(code, code) for code in self.languages]


class EventRole(models.Model):
    """The places of one role at one event. Capacity 0: nobody can register in this role."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=12, choices=EventRoleKind.choices)
    capacity = models.PositiveIntegerField(_("places"), default=0)

    objects = tenant_manager("event__organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "role"], name="one_capacity_per_role")]

    def __str__(self) -> str:
        return f"{self.event} — {self.get_role_display()} ({self.capacity})"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    role = models.CharField(_("role"), max_length=12, choices=EventRoleKind.choices)
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The short question a presenter brings: for the event's facilitators only (see access.py).
    question = EncryptedTextField(_("your question"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    waiting_position = models.PositiveIntegerField(null=True, blank=True)
    # sha256 of the secret of the personal cancellation link; the secret is only in the email.
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager("event__organisation")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], condition=~models.Q(status="cancelled"), name="one_registration_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event} ({self.get_role_display()})"
