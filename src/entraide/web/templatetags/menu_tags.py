"""``{% menu_url "web:followup-plans" organisation as url %}``: the entry's address when the
viewer may open it, "" otherwise (web/navigation.py)."""

from django import template

from entraide.web.navigation import menu_url as _menu_url

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_url(context, view_name: str, organisation=None) -> str:
    request = context.get("request")
    return _menu_url(getattr(request, "user", None), view_name, organisation)
