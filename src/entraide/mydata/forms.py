from django import forms
from django.utils.translation import gettext_lazy as _


class EraseAccountForm(forms.Form):
    """The confirmation of an account's erasure: the person's own password."""

    password = forms.CharField(label=_("Your password, to confirm"), widget=forms.PasswordInput, strip=False)
