"""A retention period set by an organisation for one kind of content (``retention.KINDS``)."""

from django.db import models

from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager


class RetentionSetting(models.Model):
    """Overrides the default retention (``retention.Kind.default_days``) of ``kind`` in
    ``organisation``: content of that kind is deleted ``days`` days after it ended."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    days = models.PositiveIntegerField()

    objects = tenant_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="one_retention_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"
