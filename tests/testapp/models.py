from django.db import models

from entraide.core.fields import EncryptedTextField
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_manager


class Note(models.Model):
    """Stands for every later model that stores what people write."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    text = EncryptedTextField()
    comment = EncryptedTextField(null=True, blank=True)

    objects = tenant_manager()
