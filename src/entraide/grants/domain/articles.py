"""The article a grant's member owes the network, its review and its publication (issue 13,
point 4; field document 000: "A la fin du projet, le demandeur enverra à Kalame un article
destiné à exposer les points marquants de l'expérience afin d'en faire bénéficier le réseau").

An article is owed once a grant is fully paid (``grants.pay``), due ``ARTICLE_DUE_MONTHS``
after the training's last day. The member writes it and submits it; the coordinators accept
it (it is published on the "Articles du réseau" page, for the organisation's members only) or
send it back with a comment. While it is overdue, its author is reminded every
``REMINDER_INTERVAL_DAYS`` days (``send_article_reminders``, for cron).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.actions import DomainError, write
from entraide.core.links import site_url
from entraide.core.mail import send_plain_mail
from entraide.core.tenancy import all_tenants

from ..models import Article, GrantRequest

TITLE_MAX, BODY_MAX = 200, 20_000
REMINDER_INTERVAL_DAYS = 14
WRITABLE = (Article.Status.OWED, Article.Status.SENT_BACK)


def save_article(actor, article: Article, title: str, body: str, *, submit: bool) -> Article:
    """Save the author's draft (``submit=False``) or submit it for review (``submit=True``,
    both fields required). Only while owed or sent back.

    Raises ``DomainError`` codes ``"not_writable"`` (submitted or published), ``"required"``,
    ``"too_long"`` (title over 200, body over 20 000 characters); ``PermissionDenied`` /
    ``Http404`` for anyone but the author (still a current member).
    """
    title, body = " ".join((title or "").split()), (body or "").strip()
    if len(title) > TITLE_MAX:
        raise DomainError(_("The title is too long (200 characters at most)."), code="too_long", field="title")
    if len(body) > BODY_MAX:
        raise DomainError(_("The article is too long (20,000 characters at most)."), code="too_long", field="body")
    if submit:
        for name, value in (("title", title), ("body", body)):
            if not value:
                raise DomainError(_("This field is required."), code="required", field=name)
    verb = "article.submitted" if submit else "article.saved"
    with write(actor, "grants.change_request", article, verb, lock=article, subject=actor) as w:
        locked: Article = w.obj
        if locked.status not in WRITABLE:
            raise DomainError(_("This article is under review or published: it can no longer be changed."), code="not_writable")
        locked.title, locked.body = title, body
        fields = ["title", "body"]
        if submit:
            locked.status, locked.submitted_at = Article.Status.SUBMITTED, timezone.now()
            fields += ["status", "submitted_at"]
        locked.save(update_fields=fields)
        # The request's page shows its article's steps in its log.
        w.obj = locked.request
    return locked


def review_article(actor, article: Article, *, accept: bool, comment: str = "") -> Article:
    """The coordinators' review of a submitted article: accept (published now; the request is
    closed) or send back with a comment (required) for the author to revise.

    Raises ``DomainError`` codes ``"not_submitted"``, ``"comment_required"``;
    ``PermissionDenied`` / ``Http404`` for anyone but the organisation's coordinators.
    """
    comment = (comment or "").strip()
    if not accept and not comment:
        raise DomainError(_("Say what to change: the author will read your comment."), code="comment_required", field="comment")
    verb = "article.published" if accept else "article.sent_back"
    with write(actor, "grants.manage", article, verb, lock=article, subject=article.author) as w:
        locked: Article = w.obj
        if locked.status != Article.Status.SUBMITTED:
            raise DomainError(_("Only a submitted article can be reviewed."), code="not_submitted")
        locked.review_comment, locked.reviewed_by = comment or None, actor
        if accept:
            locked.status, locked.published_at = Article.Status.PUBLISHED, timezone.now()
            GrantRequest.objects.filter(pk=locked.request_id).update(status=GrantRequest.Status.CLOSED)
        else:
            locked.status = Article.Status.SENT_BACK
        locked.save(update_fields=["review_comment", "reviewed_by", "status", "published_at"])
        w.obj = locked.request
    return locked


def published_articles(organisation) -> list[Article]:
    """The organisation's published articles, newest first, with their author and request."""
    return list(Article.objects.filter(organisation=organisation, status=Article.Status.PUBLISHED).select_related("author", "request"))


def to_review(organisation) -> list[Article]:
    return list(Article.objects.filter(organisation=organisation, status=Article.Status.SUBMITTED).select_related("author", "request"))


# --- Reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleReminder:
    article: Article
    on: date


def due_article_reminders(today: date) -> list[ArticleReminder]:
    """Articles past their due date, not submitted, whose author is active and was not reminded
    in the last ``REMINDER_INTERVAL_DAYS`` days. Every organisation; one query."""
    from django.db.models import Q

    recent = today - timedelta(days=REMINDER_INTERVAL_DAYS)
    with all_tenants():
        found = Article.objects.filter(
            Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=recent),
            due_on__lt=today, status__in=WRITABLE, author__is_active=True,
        ).select_related("author", "organisation").order_by("pk")
        return [ArticleReminder(article, today) for article in found]


def send_article_reminder(reminder: ArticleReminder) -> bool:
    """Record the reminder (only if no other run did today), then mail the author in their
    language: a link and the due date, nothing of the article. False when already done."""
    article = reminder.article
    user, organisation = article.author, article.organisation
    recent = reminder.on - timedelta(days=REMINDER_INTERVAL_DAYS)
    try:
        with all_tenants(), transaction.atomic():
            from django.db.models import Q

            claimed = Article.objects.filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=recent), pk=article.pk).update(last_reminded_on=reminder.on)
            if not claimed:
                return False
            send_plain_mail(
                user.email, user.language or organisation.language, "grants/email/article_reminder.txt",
                {
                    "name": user.display_name, "organisation": organisation.name, "due": article.due_on,
                    "link": site_url() + reverse("grants:detail", kwargs={"org": organisation.slug, "pk": article.request_id}),
                },
                subject_template="grants/email/article_reminder_subject.txt",
            )
    except IntegrityError:
        return False
    return True


def send_article_reminders(today: date, dry_run: bool = False) -> list[ArticleReminder]:
    """Remind every overdue article's author (see ``due_article_reminders``); returns those sent."""
    due = due_article_reminders(today)
    if dry_run:
        return due
    return [reminder for reminder in due if send_article_reminder(reminder)]
