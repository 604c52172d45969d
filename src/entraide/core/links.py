"""Absolute links for what leaves the site (emails, calendar files): the request's own address
when there is one (``base_url``), else ``ENTRAIDE_SITE_URL`` (commands run from cron)."""

from django.conf import settings


def site_url(base_url: str | None = None) -> str:
    return (base_url or settings.ENTRAIDE_SITE_URL).rstrip("/")
