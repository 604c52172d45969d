from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.tokens import NAME_MAX
from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"), max_length=NAME_MAX,
        help_text=_("What the token is for, such as the tool that will use it."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect)
