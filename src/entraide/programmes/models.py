"""Commissioned programmes (issue 14, field document 003): who pays, for which groups, the
meetings with the commissioner, evaluation questionnaires and what reports were released.

Confidentiality (DESIGN.md): a commissioner pays and never sees what was said. The minutes of
a programme meeting are the intervenant's, encrypted at rest; session content never goes there.

Anonymous evaluation by construction: an :class:`Answer` row holds a questionnaire, a question
key and a value, and nothing else: no person, no token, no participant, no time (its primary
key is a random UUID so that insertion order says nothing either). An :class:`AnswerToken`
only says used or unused; it is not linked to any answer.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.fields import EncryptedTextField
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager
from entraide.core.text import validate_single_line

PROGRAMME_SCOPED = "programme__organisation"
QUESTIONNAIRE_SCOPED = "questionnaire__programme__organisation"


class Programme(models.Model):
    """A programme the network (``organisation``, the provider) runs for a commissioner."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=160, validators=[validate_single_line])
    commissioner_name = models.CharField(_("commissioning organisation"), max_length=160, validators=[validate_single_line])
    commissioner_contacts = models.TextField(_("contacts at the commissioner"), blank=True)
    # The commissioner's accounts (role commissioner in the organisation) who follow this programme.
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("commissioner's representatives")
    )
    groups = models.ManyToManyField("community.Group", blank=True, related_name="programmes", verbose_name=_("groups"))
    sessions_per_year = models.PositiveSmallIntegerField(_("sessions per year"))
    session_minutes = models.PositiveSmallIntegerField(_("session length (minutes)"))
    rhythm = models.CharField(_("rhythm"), max_length=200, blank=True, validators=[validate_single_line])
    price_per_session = models.DecimalField(_("price per session"), max_digits=9, decimal_places=2)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = tenant_manager()

    class Meta:
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="programme_ends_after_start"),
            models.CheckConstraint(condition=models.Q(price_per_session__gte=0), name="programme_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeMeeting(models.Model):
    """A dated meeting with the commissioner's representatives (not a live session)."""

    class Kind(models.TextChoices):
        FRAMING = "framing", _("framing meeting")
        MIDTERM = "midterm", _("mid-term review")
        FINAL = "final", _("final evaluation")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_single_line])
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = EncryptedTextField(_("minutes"), blank=True)
    minutes_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    minutes_on = models.DateField(null=True, blank=True)

    objects = tenant_manager(PROGRAMME_SCOPED)

    class Meta:
        ordering = ["date", "pk"]


class Questionnaire(models.Model):
    """An evaluation questionnaire of a programme (after a session, or for the programme)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questionnaires")
    group_session = models.ForeignKey(
        "community.GroupSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("session")
    )
    title = models.CharField(_("title"), max_length=160, validators=[validate_single_line])
    question_keys = models.JSONField(default=list)
    # Fixed at creation: domain.questionnaires refuses any change once an answer exists.
    anonymous = models.BooleanField(_("anonymous"), default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closes_on = models.DateField(_("closes on"))
    created_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    # How many answered: counted when the answer is stored, in the same transaction.
    respondents = models.PositiveIntegerField(default=0)

    objects = tenant_manager(PROGRAMME_SCOPED)

    class Meta:
        ordering = ["-created_on", "-pk"]

    def save(self, *args, **kwargs) -> None:
        """Anonymity never changes once someone has answered, whatever the path of the save
        (``domain.questionnaires.set_anonymous`` gives the person a message first)."""
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("anonymous", "respondents").first()
            if stored is not None and stored[0] != self.anonymous and (stored[1] or Answer._base_manager.filter(questionnaire_id=self.pk).exists()):
                raise ValueError("the anonymity of a questionnaire cannot change once it has answers")
        super().save(*args, **kwargs)


class AnswerToken(models.Model):
    """A single-use right to answer: its hash and whether it was used. Nothing else."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    objects = tenant_manager(QUESTIONNAIRE_SCOPED)


class Answer(models.Model):
    """One answer to one question. Deliberately no person, token, participant or time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answers")
    question_key = models.SlugField(max_length=60)
    value = models.CharField(max_length=60, blank=True)
    text = EncryptedTextField(blank=True)
    consent_to_intervenant = models.BooleanField(default=False)

    objects = tenant_manager(QUESTIONNAIRE_SCOPED)

    class Meta:
        # Never insertion order: by question, then value.
        ordering = ["question_key", "value"]


class ReportRelease(models.Model):
    """What a report released: its subject (``key``: "attendance" or "questionnaire:<id>"), how
    many respondents it counted and its figures (aggregates only, never free text). A new report
    that differs from a released one by fewer than k respondents shows the released one."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="releases")
    key = models.CharField(max_length=60)
    respondents = models.PositiveIntegerField()
    figures = models.JSONField(default=dict)
    released_on = models.DateField(default=timezone.localdate)

    objects = tenant_manager(PROGRAMME_SCOPED)

    class Meta:
        ordering = ["pk"]


class ProviderDocument(models.Model):
    """A document the provider hands to the commissioner (field document 003, "La proposition
    du prestataire"): the methodological note or the planning prévisionnel, as edited before
    export. ``sections`` maps a section key (``domain.provider_documents.SECTIONS``) to its
    text; a section missing there is generated from the programme. Never session content."""

    class Kind(models.TextChoices):
        METHOD_NOTE = "method", _("methodological note")
        PLANNING = "planning", _("provisional schedule")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sections = models.JSONField(default=dict)
    signatory = models.CharField(_("signed by"), max_length=160, blank=True, validators=[validate_single_line])
    signed_on = models.DateField(_("dated"), null=True, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    edited_on = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager(PROGRAMME_SCOPED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "kind"], name="one_provider_document_per_kind")]
