"""Forms of the programme pages: they parse and validate input; the domain decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.core.text import validate_single_line

from .domain.provider_documents import SECTION_MAX, SIGNATORY_MAX
from .domain.questions import LIBRARY, TEXT, TEXT_MAX
from .models import ProgrammeMeeting

DATE_WIDGET = {"type": "date"}


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title of the programme"), max_length=160, validators=[validate_single_line])
    commissioner_name = forms.CharField(label=_("Commissioning organisation"), max_length=160, validators=[validate_single_line])
    commissioner_contacts = forms.CharField(label=_("Contacts at the commissioner"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    representatives = forms.TypedMultipleChoiceField(
        label=_("Commissioner's representatives with an account"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("They see the programme, its meetings and the reports: never what is said in sessions."),
    )
    groups = forms.TypedMultipleChoiceField(label=_("Groups"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple)
    sessions_per_year = forms.IntegerField(label=_("Sessions per year"), min_value=1, max_value=60, initial=5)
    session_minutes = forms.IntegerField(label=_("Length of a session (minutes)"), min_value=15, max_value=600, initial=210)
    rhythm = forms.CharField(label=_("Rhythm"), max_length=200, required=False, validators=[validate_single_line])
    price_per_session = forms.DecimalField(label=_("Price per session (€)"), min_value=0, max_digits=9, decimal_places=2)
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))

    def __init__(self, *args, groups=(), commissioners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.group_objects = {group.pk: group for group in groups}
        self.person_objects = {person.pk: person for person in commissioners}
        self.fields["groups"].choices = [(group.pk, group.name) for group in groups]
        self.fields["representatives"].choices = [(person.pk, person.display_name) for person in commissioners]

    def clean_groups(self) -> list:
        return [self.group_objects[pk] for pk in self.cleaned_data.get("groups", []) if pk in self.group_objects]

    def clean_representatives(self) -> list:
        return [self.person_objects[pk] for pk in self.cleaned_data.get("representatives", []) if pk in self.person_objects]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Meeting"), choices=ProgrammeMeeting.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False, validators=[validate_single_line])
    attendees = forms.CharField(
        label=_("Attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The commissioner's representatives, the intervenant, the coordinators."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000,
        help_text=_(
            "The commissioner reads these minutes. What is said in the sessions never goes here: "
            "no situation, no name, no quotation; only how the programme runs."
        ),
    )


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160, validators=[validate_single_line])
    group_session = forms.TypedChoiceField(label=_("After the session"), required=False, coerce=int, empty_value=None)
    question_keys = forms.MultipleChoiceField(label=_("Questions"), widget=forms.CheckboxSelectMultiple)
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    anonymous = forms.BooleanField(
        label=_("Anonymous"), required=False, initial=True,
        help_text=_("Fixed once someone has answered. Anonymous: nobody sees who answered. Otherwise you see who has not answered yet, never what anyone answered."),
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.session_objects = {session.pk: session for session in sessions}
        self.fields["group_session"].choices = [("", _("The whole programme"))] + [
            (session.pk, f"{session.group.name} — {session.date:%d/%m/%Y}") for session in sessions
        ]
        self.fields["question_keys"].choices = [(q.key, q.text()) for q in LIBRARY]

    def clean_group_session(self):
        pk = self.cleaned_data.get("group_session")
        return self.session_objects.get(pk) if pk else None


class AnswerForm(forms.Form):
    """Built from the questionnaire's questions: every question optional."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            if question.kind == TEXT:
                self.fields[question.key] = forms.CharField(
                    label=question.text(), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
                )
                self.fields[question.key + "_consent"] = forms.BooleanField(
                    label=_("I agree that the intervenant reads this text (the commissioner never does)."), required=False
                )
            else:
                self.fields[question.key] = forms.ChoiceField(
                    label=question.text(), required=False, choices=question.choices(), widget=forms.RadioSelect
                )


class ProviderDocumentForm(forms.Form):
    """The sections of a provider document (one text area each, from the domain's view) and who
    signs it and when. Limits are the domain's (``provider_documents``), which refuses too."""

    signatory = forms.CharField(label=_("Signed by"), max_length=SIGNATORY_MAX, required=False, validators=[validate_single_line])
    signed_on = forms.DateField(label=_("Dated"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        sections = {}
        for section in document.sections:
            sections[section.key] = forms.CharField(
                label=section.title, required=False, max_length=SECTION_MAX, initial=section.text,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
        self.fields = {**sections, "signatory": self.fields["signatory"], "signed_on": self.fields["signed_on"]}
        self.fields["signatory"].initial = document.signatory
        self.fields["signed_on"].initial = document.signed_on
        self.section_keys = list(sections)
