"""Training grants paid against receipts, the network's small ledger, and the articles owed
afterwards (issue 13, points 4, 5 and 7; field document 000 "Bourses", "Procédure").

Amounts are ``Decimal`` with two places, in the organisation's currency (``currency_of``).
What people write about themselves (the commitment, the decision's reason, the article under
review) is encrypted at rest; receipts' files are encrypted on disk outside the static files
(``grants.domain.receipts``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.fields import EncryptedTextField
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager

MONEY = {"max_digits": 12, "decimal_places": 2}


class GrantBudget(models.Model):
    """What the network sets aside for training grants in one calendar year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget"), **MONEY)

    objects = tenant_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_grant_budget_per_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class GrantRequest(models.Model):
    """A member's request for a training grant, and the coordinators' decision on it."""

    class Status(models.TextChoices):
        ASKED = "asked", _("asked")
        GRANTED = "granted", _("granted")
        PARTIAL = "partial", _("partly granted")
        REFUSED = "refused", _("refused")
        PAID = "paid", _("paid")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    training_title = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("training organisation"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    cost = models.DecimalField(_("cost of the training"), **MONEY)
    amount_asked = models.DecimalField(_("amount asked"), **MONEY)
    commitment = EncryptedTextField(_("what you commit to bring back to the network"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ASKED)
    amount_granted = models.DecimalField(_("amount granted"), null=True, blank=True, **MONEY)
    decision_reason = EncryptedTextField(_("reason"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # The year whose budget the grant is counted in: the year of the decision.
    budget_year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.training_title

    @property
    def decision_label(self) -> str:
        """The decision as taken (granted, partly granted, refused), whatever happened since."""
        if self.decided_at is None:
            return ""
        if self.amount_granted is None:
            return self.Status.REFUSED.label
        return (self.Status.PARTIAL if self.amount_granted < self.amount_asked else self.Status.GRANTED).label

    @property
    def is_accepted(self) -> bool:
        return self.status in (self.Status.GRANTED, self.Status.PARTIAL, self.Status.PAID, self.Status.CLOSED)


class Receipt(models.Model):
    """A proof of expense (invoice, receipt) joined to a request before any payment. The file
    lives encrypted under ``settings.ENTRAIDE_PRIVATE_DIR``; ``purged_at`` once the retention
    period (``ENTRAIDE_RECEIPT_RETENTION_YEARS``) removed it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(GrantRequest, on_delete=models.CASCADE, related_name="receipts")
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    purged_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class GrantPayment(models.Model):
    """Money paid out on a grant, against the receipts it covers. The sum of a request's
    payments never exceeds its amount granted (``grants.domain.grants.pay``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(GrantRequest, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    paid_at = models.DateTimeField(default=timezone.now)
    receipts = models.ManyToManyField(Receipt, related_name="payments")

    objects = tenant_manager()

    class Meta:
        ordering = ["paid_at", "pk"]


class LedgerEntry(models.Model):
    """One line of the organisation's small ledger: a fee due, a fee paid, a grant paid out.
    Recording only: no money moves through Entraide."""

    class Kind(models.TextChoices):
        FEE_DUE = "fee_due", _("fee due")
        FEE_PAID = "fee_paid", _("fee paid")
        GRANT_PAYMENT = "grant_payment", _("grant paid")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    label = models.CharField(_("label"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    source_type = models.CharField(max_length=80, blank=True)
    source_id = models.CharField(max_length=40, blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["organisation", "member"])]


class Article(models.Model):
    """The article a paid grant's member owes the network (field document 000: "un article
    destiné à exposer les points marquants de l'expérience"): written, reviewed by the
    coordinators, then published to the organisation's members."""

    class Status(models.TextChoices):
        OWED = "owed", _("to write")
        SUBMITTED = "submitted", _("submitted for review")
        SENT_BACK = "sent_back", _("sent back")
        PUBLISHED = "published", _("published")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.OneToOneField(GrantRequest, on_delete=models.CASCADE, related_name="article")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = EncryptedTextField(_("article"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OWED)
    due_on = models.DateField(_("due"))
    review_comment = EncryptedTextField(_("comment"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
