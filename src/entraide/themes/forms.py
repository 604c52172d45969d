from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.core.text import validate_single_line
from .domain.library import MAX_BODY, MAX_REFERENCES, ThemeData
from .models import Theme


class ThemeForm(forms.Form):
    title = forms.CharField(validators=[validate_single_line], label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Theme.Kind.choices, widget=forms.RadioSelect, initial=Theme.Kind.THEME)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    summary = forms.CharField(label=_("Summary"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(
        label=_("Content"), max_length=MAX_BODY, strip=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )
    references = forms.CharField(
        label=_("References and links"), max_length=MAX_REFERENCES, required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."),
    )

    def theme_data(self) -> ThemeData:
        d = self.cleaned_data
        return ThemeData(d["title"], d["summary"], d["body"], d["language"], d["kind"], d["references"])

    @staticmethod
    def initial_for(theme: Theme) -> dict:
        return {name: getattr(theme, name) for name in ("title", "kind", "language", "summary", "body", "references")}
