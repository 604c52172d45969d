from django import template

from entraide.followup.domain.review import shared_plans as _shared_plans

register = template.Library()


@register.simple_tag
def shared_plans(live_session_id):
    """The plans members of the group shared, for the review step (one query)."""
    return _shared_plans(live_session_id)
