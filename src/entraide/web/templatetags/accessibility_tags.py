"""``{% accessibility_state %}``: the site's RGAA conformity state ("partially compliant"...),
from the committed audit (``web.accessibility``), for the footer's link to the statement."""

from django import template

from entraide.web import accessibility

register = template.Library()


@register.simple_tag
def accessibility_state() -> str:
    return accessibility.statement().state_label
