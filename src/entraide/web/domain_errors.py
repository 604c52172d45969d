"""The web door's one mapping of ``core.actions.DomainError``: onto the form field it names
(or the form as a whole), or onto a message when there is no form. Nothing was changed."""

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest

from entraide.core.actions import DomainError


def add_to_form(form: Form, error: DomainError) -> None:
    """Show ``error`` on ``form``: on its field when the form has that field, else on top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def add_to_messages(request: HttpRequest, error: DomainError) -> None:
    """Show ``error`` as an error message on the next page (after a redirect)."""
    messages.error(request, str(error.message))


def applied(request: HttpRequest, form: Form, action, success: str = "") -> bool:
    """The web door of a form that writes: validate ``form``, then run ``action(cleaned_data)``
    (a domain write). True when it went through (``success``, if any, is shown as a message on
    the next page); False when the form or the domain refused: the refusal is on the form
    (``add_to_form``) and nothing was changed, the view then shows the form again (400)."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as error:
        add_to_form(form, error)
        return False
    if success:
        messages.success(request, success)
    return True


def attempted(request: HttpRequest, action, success: str = "") -> bool:
    """The web door of a button that writes (no form): run ``action()`` (a domain write); True
    with ``success`` shown as a message when it went through, False with the refusal shown as a
    message (``add_to_messages``) when the domain refused; nothing was changed then."""
    try:
        action()
    except DomainError as error:
        add_to_messages(request, error)
        return False
    if success:
        messages.success(request, success)
    return True
