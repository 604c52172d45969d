"""The live pages ask for the session's thematic input; it is read once per request, however
many includes (console side card, step activity) ask for it."""

from django import template

from ..domain.library import theme_for_session

register = template.Library()


@register.simple_tag(takes_context=True)
def session_theme(context):
    live = context.get("live") or {}
    session_id = (live.get("session") or {}).get("id")
    if session_id is None:
        return None
    request = context.get("request")
    cache = getattr(request, "_entraide_session_themes", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._entraide_session_themes = cache
    if session_id not in cache:
        cache[session_id] = theme_for_session(session_id)
    return cache[session_id]
