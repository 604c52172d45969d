"""Forms of the grant pages: they parse; the rules live in ``grants.domain``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.receipts import MAX_BYTES


class Form(forms.Form):
    """Labels without Django's " :" suffix (the labels are the questions themselves)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _amount(label) -> forms.CharField:
    # Text, not a number field: "250,50" is how people write it; grants.domain.money parses it.
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


class GrantRequestForm(Form):
    training_title = forms.CharField(label=_("Training"), max_length=200)
    provider = forms.CharField(label=_("Training organisation"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    cost = _amount(_("Cost of the training"))
    amount_asked = _amount(_("Amount asked"))
    commitment = forms.CharField(
        label=_("What you commit to bring back to the network"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: an article, a workshop for the members, a tool shared with the network."),
    )


class DecisionForm(Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("full", _("Grant the amount asked")), ("partial", _("Grant part of it")), ("refused", _("Refuse"))],
    )
    amount = _amount(_("Amount granted (partial grant)"))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a partial grant and a refusal: budget left, the member's situation, the commitment."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False


class ReceiptForm(Form):
    file = forms.FileField(
        label=_("Receipt (PDF, JPEG or PNG, 10 MB at most)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    max_bytes = MAX_BYTES


class PaymentForm(Form):
    amount = _amount(_("Amount paid"))
    receipts = forms.TypedMultipleChoiceField(label=_("Receipts this payment covers"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, receipts=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receipts"].choices = [(r.pk, r.original_name) for r in receipts]


class BudgetForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = _amount(_("Grant budget"))


class ArticleForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(label=_("Article"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 12}))


class ReviewForm(Form):
    comment = forms.CharField(label=_("Comment for the author"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class FeeForm(Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("fee_due", _("Fee due")), ("fee_paid", _("Fee paid"))])
    amount = _amount(_("Amount"))
    label = forms.CharField(label=_("Label"), max_length=200, help_text=_("For example: PAF supervision of 12 March."))

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.display_name} <{m.email}>") for m in members]
