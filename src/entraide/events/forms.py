"""Forms of the events pages: they parse input; the domain (events.domain) decides."""

from datetime import time
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.core.text import validate_single_line
from .domain.events import MAX_CAPACITY, EventData, default_time_zone, facilitator_choices
from .models import QUESTION_MAX_LENGTH, Event, EventRoleKind


class EventForm(forms.Form):
    title = forms.CharField(validators=[validate_single_line], label=_("Title"), max_length=160)
    slug = forms.SlugField(
        label=_("Short name in the address"), max_length=80, required=False,
        help_text=_("Letters, digits and hyphens; made from the title when left empty."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("Start"), initial=time(14, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("End"), initial=time(17, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    # Checked by the domain (events.domain.events._check) against zoneinfo.available_timezones();
    # the page offers the list (a datalist) so that a phone keyboard suggests names.
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=60, required=False,
        help_text=_("Date, start and end are times of this zone, e.g. Europe/Zurich for Lausanne, America/Toronto for Montréal."),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
    )
    mode = forms.ChoiceField(label=_("Format"), choices=Event.Mode.choices, initial=Event.Mode.ON_SITE, widget=forms.RadioSelect)
    place = forms.CharField(validators=[validate_single_line],
        label=_("Place"), max_length=200, required=False,
        help_text=_("The address on site; online, the meeting link or leave empty."),
    )
    region = forms.CharField(validators=[validate_single_line], label=_("Region"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages of the event"), choices=settings.LANGUAGES, initial=["fr"], widget=forms.CheckboxSelectMultiple
    )
    facilitators = forms.TypedMultipleChoiceField(
        label=_("Facilitators of the event"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("They open the live session, see the hosts, the presenters with their questions and the participants; they cannot edit the event."),
    )
    capacity_host = forms.IntegerField(label=_("Places for hosts of a table"), min_value=0, max_value=MAX_CAPACITY, initial=4)
    capacity_presenter = forms.IntegerField(label=_("Places for presenters of a situation"), min_value=0, max_value=MAX_CAPACITY, initial=4)
    capacity_participant = forms.IntegerField(label=_("Places for participants"), min_value=0, max_value=MAX_CAPACITY, initial=16)
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices, initial=Event.Status.DRAFT)
    public = forms.BooleanField(label=_("Public page open to everyone (otherwise members only)"), required=False, initial=True)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].choices = facilitator_choices(organisation)
        self.fields["time_zone"].initial = default_time_zone(organisation)

    @staticmethod
    def time_zones() -> list[str]:
        """Every zone name the domain accepts, sorted: the suggestions of the time zone field."""
        return sorted(available_timezones())

    def event_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            title=data["title"], slug=data["slug"], description=data["description"], date=data["date"],
            start=data["start"], end=data["end"], mode=data["mode"], place=data["place"], region=data["region"],
            languages=tuple(data["languages"]), status=data["status"], public=data["public"],
            timezone=data["time_zone"].strip(), facilitators=tuple(data["facilitators"]),
        )

    def capacities(self) -> dict[str, int]:
        return {role: self.cleaned_data[f"capacity_{role}"] for role in EventRoleKind.values}

    @classmethod
    def initial_for(cls, event: Event, capacities: dict[str, int]) -> dict:
        return {
            "title": event.title, "slug": event.slug, "description": event.description, "date": event.date,
            "start": event.start, "end": event.end, "time_zone": event.time_zone,
            "facilitators": sorted(event.facilitator_ids()), "mode": event.mode, "place": event.place, "region": event.region,
            "languages": event.languages, "status": event.status, "public": event.public,
            **{f"capacity_{role}": capacities.get(role, 0) for role in EventRoleKind.values},
        }


class RegistrationForm(forms.Form):
    role = forms.ChoiceField(label=_("I take part as"), widget=forms.RadioSelect)
    name = forms.CharField(validators=[validate_single_line], label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)
    question = forms.CharField(
        label=_("Presenters: your question, in a few words"), required=False, max_length=QUESTION_MAX_LENGTH,
        help_text=_("At most 280 characters. Only the event's facilitators read it; it is never sent by email."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUESTION_MAX_LENGTH}),
    )

    def __init__(self, *args, places: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(p["role"], p["choice_label"]) for p in places if p["open"]]
