"""Forms of the community pages: they parse and validate input; the domain decides."""

from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.core.text import validate_single_line
from entraide.core.models import Role

from .domain.charter import charter_commitments
from .domain.groups import MAX_CAPACITY

DATE_WIDGET = {"type": "date"}
TIME_WIDGET = {"type": "time"}
TIME_ZONES = ["Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Berlin", "Europe/Luxembourg", "America/Montreal"]
WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]
COUNTRIES = [("FR", _("France")), ("BE", _("Belgium")), ("CH", _("Switzerland")), ("DE", _("Germany")), ("LU", _("Luxembourg"))]
ZONES = [("", _("No school zone")), ("A", _("Zone A")), ("B", _("Zone B")), ("C", _("Zone C"))]


class GroupForm(forms.Form):
    name = forms.CharField(validators=[validate_single_line], label=_("Name of the group"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    protocol_key = forms.ChoiceField(label=_("Format of the sessions"))
    capacity = forms.IntegerField(
        label=_("Capacity (members)"), min_value=1, max_value=MAX_CAPACITY, initial=15,
        help_text=_("Beyond it, people who register go on the waiting list."),
    )
    location = forms.CharField(validators=[validate_single_line], label=_("Usual place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Sessions online"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in TIME_ZONES], initial="Europe/Paris")
    charter = forms.CharField(
        label=_("Charter"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Each member accepts it before their first session. Left empty: the default charter (volunteering, non-judgement, confidentiality, commitment to attend)."),
    )

    facilitators = forms.TypedMultipleChoiceField(
        label=_("Facilitators of the group"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("They take the attendance and run the sessions live."),
    )

    def __init__(self, *args, protocols=(), facilitators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol_key"].choices = protocols
        self.facilitator_users = {user.pk: user for user in facilitators}
        self.fields["facilitators"].choices = [(user.pk, user.display_name) for user in facilitators]

    def clean_facilitators(self) -> list:
        return [self.facilitator_users[pk] for pk in self.cleaned_data.get("facilitators", []) if pk in self.facilitator_users]


class PlanForm(forms.Form):
    """The yearly planner's question. A GET form: proposing changes nothing."""

    first = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    last = forms.DateField(label=_("To"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    sessions = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=60, initial=5)
    length = forms.ChoiceField(label=_("Length of each session"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, coerce=int, initial=[0, 1, 2, 3, 4], widget=forms.CheckboxSelectMultiple
    )
    country = forms.ChoiceField(label=_("Public holidays of"), choices=COUNTRIES, initial="FR")
    zone = forms.ChoiceField(label=_("School holidays (France)"), choices=ZONES, required=False, initial="A")
    school_holidays = forms.ChoiceField(label=_("School holidays to avoid"), required=False)
    subdivision = forms.CharField(
        label=_("Region or canton (optional)"), max_length=10, required=False,
        help_text=_("For example VD, GE, BY, 57: its public holidays are avoided too."),
    )
    start_time = forms.TimeField(label=_("Start time (optional)"), required=False, widget=forms.TimeInput(attrs=TIME_WIDGET, format="%H:%M"))
    end_time = forms.TimeField(label=_("End time (optional)"), required=False, widget=forms.TimeInput(attrs=TIME_WIDGET, format="%H:%M"))
    closed = forms.CharField(
        label=_("Closed periods (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: first day, last day, label. For example: 2026-04-13, 2026-04-17, seminar week"),
    )

    def __init__(self, *args, lengths=(), school_holidays=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["length"].choices = lengths
        self.fields["school_holidays"].choices = school_holidays

    def clean_closed(self) -> tuple:
        periods = []
        for number, line in enumerate(self.cleaned_data.get("closed", "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",", 2)]
            try:
                first = date.fromisoformat(parts[0])
                last = date.fromisoformat(parts[1]) if len(parts) > 1 and parts[1] else first
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(number)d: write the dates as YYYY-MM-DD, separated by a comma.") % {"number": number}
                ) from None
            if last < first:
                raise forms.ValidationError(_("Line %(number)d: the last day is before the first.") % {"number": number})
            periods.append((first, last, parts[2] if len(parts) > 2 else ""))
        return tuple(periods)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and last <= first:
            self.add_error("last", _("The end of the period must be after its start."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if (start is None) != (end is None):
            self.add_error("end_time", _("Give both the start and the end time, or neither."))
        elif start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        if not cleaned.get("weekdays") and "weekdays" not in self.errors:
            self.add_error("weekdays", _("Choose at least one day of the week."))
        return cleaned


class CreateSessionsForm(forms.Form):
    place = forms.CharField(validators=[validate_single_line], label=_("Place of the sessions"), max_length=200, required=False)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role in the organisation"), choices=Role.choices, initial=Role.MEMBER)
    group = forms.ChoiceField(label=_("Invite to the group (optional)"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the email"), choices=settings.LANGUAGES,
        help_text=_("Used when the person has no account yet; otherwise their own language is used."),
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["group"].choices = [("", "—")] + [(str(g.pk), g.name) for g in groups]

    def clean_group(self):
        value = self.cleaned_data.get("group")
        return self.groups.get(value) if value else None


class AcceptInvitationForm(forms.Form):
    display_name = forms.CharField(validators=[validate_single_line],
        label=_("Your name, as the others will see it"), max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False)
    password_again = forms.CharField(
        label=_("The password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password_again") and cleaned["password"] != cleaned["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(validators=[validate_single_line], label=_("Your name, as the others will see it"), max_length=80)
    profession = forms.CharField(validators=[validate_single_line], label=_("Profession"), max_length=120, required=False)
    structure = forms.CharField(validators=[validate_single_line], label=_("Structure"), max_length=160, required=False)
    languages = forms.CharField(validators=[validate_single_line], label=_("Languages spoken"), max_length=120, required=False, help_text=_("For example: français, Deutsch"))


class CharterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in charter_commitments():
            self.fields[key] = forms.BooleanField(label=text, required=True, error_messages={"required": _("Please tick each commitment to accept the charter.")})

