"""Forms of the network's pages: they parse; the domain decides (and refuses with its message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TITLE_MAX, WORD_MAX

DATE_WIDGET = {"type": "date"}
TIME_WIDGET = {"type": "time"}


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}))
    situation = forms.CharField(
        label=_("The situation you meet"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Encrypted at rest. Members of the network read it; commissioners never do."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous to the other members"), required=False,
        help_text=_("The coordinators still see your name: they invite you to the collective supervision."),
    )


class ConcernForm(forms.Form):
    word = forms.CharField(
        label=_("A word (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "maxlength": WORD_MAX}),
        help_text=_("Read by the coordinators and the person who raised it."),
    )


class PafForm(forms.Form):
    """The outside speaker and the PAF rule; amounts are parsed by the domain (``paf.make_rule``)."""

    speaker_name = forms.CharField(label=_("Outside speaker (optional)"), required=False)
    speaker_fee = forms.CharField(label=_("Speaker's fee"), required=False, initial="0")
    costs = forms.CharField(label=_("Other costs (room, travel)"), required=False, initial="0")
    paf_floor = forms.CharField(label=_("At least, per person (optional)"), required=False)
    paf_cap = forms.CharField(label=_("At most, per person (optional)"), required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=[("EUR", "€"), ("CHF", "CHF")], initial="EUR")


class ProposalForm(PafForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs=TIME_WIDGET, format="%H:%M"))
    end = forms.TimeField(label=_("End"), widget=forms.TimeInput(attrs=TIME_WIDGET, format="%H:%M"))
    place = forms.CharField(label=_("Place"), required=False)
    capacity = forms.IntegerField(label=_("Places"), initial=15)
    facilitator = forms.TypedChoiceField(label=_("Facilitator"), coerce=int, required=False, empty_value=None)

    field_order = ["date", "start", "end", "place", "capacity", "facilitator", "speaker_name", "speaker_fee", "costs", "paf_floor", "paf_cap", "currency"]

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {user.pk: user for user in people}
        self.fields["facilitator"].choices = [("", _("Any facilitator or coordinator"))] + [(u.pk, u.display_name) for u in people]


class OfferForm(forms.Form):
    wording = forms.ChoiceField(label=_("I am"), choices=[("parrain", _("parrain")), ("marraine", _("marraine")), ("neutral", _("parrain or marraine"))])
    tags = forms.CharField(label=_("My fields"), required=False, help_text=_("Separated by commas, e.g. writing, young people, evaluation."))
    capacity = forms.IntegerField(label=_("How many people I can follow at once"), initial=1)
    active = forms.BooleanField(label=_("I am available"), required=False, initial=True)


class AskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Help with"), choices=[("design", _("designing a workshop")), ("running", _("running a workshop")), ("evaluation", _("evaluating a workshop"))])
    length = forms.ChoiceField(label=_("How long"), choices=[("one", _("one meeting")), ("few", _("a few working meetings"))])
    tags = forms.CharField(label=_("Fields"), required=False, help_text=_("Separated by commas: they rank the mentors suggested."))
    text = forms.CharField(
        label=_("What it is about"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Encrypted; read by the coordinators and your mentor."),
    )


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date of the meeting"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("My private note"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Only you read it."))
