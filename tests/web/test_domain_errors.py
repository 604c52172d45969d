"""The web door's one mapping of a domain refusal (web.domain_errors)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from entraide.core.actions import DomainError
from entraide.web.domain_errors import applied


class AmountForm(forms.Form):
    amount = forms.IntegerField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_lands_on_its_field_and_nothing_is_announced():
    request, form = _request(), AmountForm({"amount": "12"})

    def refuse(data):
        raise DomainError("Au-delà de la bourse accordée.", code="over_grant", field="amount")

    assert applied(request, form, refuse, "Enregistré.") is False
    assert form.errors == {"amount": ["Au-delà de la bourse accordée."]}
    assert not list(get_messages(request))


def test_an_invalid_form_never_reaches_the_domain_and_a_success_is_announced():
    calls = []
    request = _request()
    assert applied(request, AmountForm({"amount": "douze"}), calls.append, "Enregistré.") is False
    assert calls == []
    assert applied(request, AmountForm({"amount": "12"}), calls.append, "Enregistré.") is True
    assert calls == [{"amount": 12}] and [str(m) for m in get_messages(request)] == ["Enregistré."]


pytestmark = pytest.mark.unit
