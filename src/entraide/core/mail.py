"""Plain-text email: one way to render and send every mail the product sends.

A plain-text mail is not HTML: an apostrophe or an ampersand in a group's name must reach the
reader as it was typed, not as ``&#x27;`` or ``&amp;``. Django's template backend escapes
everything by default (it is made for HTML pages), so every mail template is rendered here with
autoescaping switched off, whatever the template says. Subjects are folded onto one line (a
line break in a header would split it).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context, engines
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    """A file joined to a mail: its name, its bytes and its MIME type."""

    filename: str
    content: bytes
    mimetype: str


def render_plain(template_name: str, context: Mapping[str, object]) -> str:
    """Render a text template for an email body without HTML escaping.

    ``template_name`` is looked up like any other template (app ``templates/`` folders); the
    active language is the caller's. Raises ``TemplateDoesNotExist`` / ``TemplateSyntaxError``
    like ``render_to_string``.
    """
    engine = engines["django"].engine
    return engine.get_template(template_name).render(Context(dict(context), autoescape=False))


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) folded into one space."""
    return " ".join(text.split())


def render_subject(template_name: str, context: Mapping[str, object]) -> str:
    """Render a subject template without HTML escaping, on one line."""
    return one_line(render_plain(template_name, context))


def send_plain_mail(
    to: str | Iterable[str],
    language: str,
    body_template: str,
    context: Mapping[str, object],
    *,
    subject_template: str | None = None,
    subject: str | None = None,
    attachments: Iterable[Attachment] = (),
) -> EmailMessage:
    """Render and send one plain-text mail in ``language``; return the message sent.

    The subject is either rendered from ``subject_template`` or given as ``subject`` (already
    translated by the caller, e.g. with ``gettext`` and ``%``-formatting, which escapes
    nothing); either way it is folded onto one line. Errors of the mail backend (``OSError``,
    ``smtplib.SMTPException``) propagate to the caller, who decides whether to retry.
    """
    if (subject_template is None) == (subject is None):
        raise ValueError("give either subject_template or subject")
    with translation.override(language):
        title = render_subject(subject_template, context) if subject_template else one_line(subject or "")
        body = render_plain(body_template, context)
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMessage(title, body, settings.DEFAULT_FROM_EMAIL, recipients)
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
    return message
