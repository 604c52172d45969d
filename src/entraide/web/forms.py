"""Forms of the web door: they parse and validate input, the domain decides."""

from datetime import time

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from entraide.core.auth import client_address, reset_mail_allowed
from entraide.core.mail import send_plain_mail
from entraide.core.text import validate_single_line
from entraide.protocols.domain.spec import MAX_SOURCE_LENGTH


class AgendaForm(forms.Form):
    participants = forms.IntegerField(
        label=_("Participants, facilitator included"), min_value=2, max_value=500, initial=7
    )
    start = forms.TimeField(label=_("Start"), initial=time(14, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Announced end"), initial=time(16, 30), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The announced end must be after the start."))
        return cleaned


class ProtocolSourceForm(forms.Form):
    source = forms.CharField(
        label=_("Specification (YAML)"),
        max_length=MAX_SOURCE_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "wrap": "off", "class": "code"}),
    )


class OrganisationChoiceMixin:
    """An ``organisation`` field limited to the organisations given (those where the user
    holds the role the action needs); cleaned to the Organisation itself."""

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class CopyProtocolForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ChoiceField(label=_("Copy into"))


class OpenSessionForm(OrganisationChoiceMixin, AgendaForm):
    organisation = forms.ChoiceField(label=_("Organisation"))
    title = forms.CharField(label=_("Title (optional)"), max_length=120, required=False, validators=[validate_single_line])


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
    )
    name = forms.CharField(
        label=_("Your name, as the group will see it"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )


class KitForm(forms.Form):
    """The printable kit: the domain checks the number of participants against the protocol."""

    participants = forms.IntegerField(label=_("Participants, facilitator included"), initial=7)
    language = forms.ChoiceField(label=_("Language of the kit"), choices=settings.LANGUAGES)
    start = forms.TimeField(label=_("Start (optional)"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Announced end (optional)"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; the email goes out in the account's own language.

    The email (web/email/password_reset.txt) holds the link and nothing else: no
    session content, and Django's answer is the same whether the address has an account or not.
    Repeated requests are throttled per address and per account (core.auth.reset_mail_allowed):
    the answer stays the same, only the email does not go.
    """

    def save(self, *args, request=None, **kwargs):
        self._address = client_address(request) if request is not None else None
        return super().save(*args, request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        if not reset_mail_allowed(getattr(self, "_address", None), to_email):
            return
        language = getattr(context.get("user"), "language", None) or translation.get_language()
        send_plain_mail(to_email, language, email_template_name, context, subject_template=subject_template_name)
