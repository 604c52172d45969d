"""How the live fragments are rendered, not what they say.

``{% personal %}…{% endpersonal %}`` marks a part of a live fragment that depends on who
looks (their name, ballot, notes, ready state, personal link, the forms they may send). On an
ordinary render (every HTTP page, with or without JavaScript) the part is rendered in place,
exactly as if the tag were not there. On a *shared* render (``realtime.render``: once per
session version, view, role and language, for every viewer of that role) the part is left out:
a marker ``<!--personal:N-->`` takes its place and the part is kept with the variables in scope
at that point, so that ``fill`` renders it for each viewer from their own state, small and
apart. ``{% personal name=expr %}`` re-evaluates ``expr`` against the viewer's context (a
``with`` variable taken from ``live``, say), since the kept variables are those of the shared
render.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

SLOTS = "personal_slots"  # context key: a list while rendering a shared fragment


class PersonalNode(template.Node):
    def __init__(self, nodelist, rebind: dict) -> None:
        self.nodelist = nodelist
        self.rebind = rebind

    def render(self, context) -> str:
        slots = context.get(SLOTS)
        if slots is None:
            return self.nodelist.render(context)
        slots.append((self, context.flatten()))
        return f"<!--personal:{len(slots) - 1}-->"

    def render_for(self, kept: dict, viewer: dict, bound) -> str:
        """This part for one viewer: the variables kept at the shared render, overridden by the
        viewer's (``viewer``: live, ids, rejoin_url...), then the re-bound names."""
        context = template.Context({**kept, **viewer, SLOTS: None}, autoescape=True)
        with context.bind_template(bound):
            for name, expression in self.rebind.items():
                context[name] = expression.resolve(context)
            return self.nodelist.render(context)


@register.tag
def personal(parser, token) -> PersonalNode:
    bits = token.split_contents()[1:]
    rebind = {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if not sep:
            raise template.TemplateSyntaxError("personal takes name=expression arguments only")
        rebind[name] = parser.compile_filter(value)
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, rebind)


@register.simple_tag(takes_context=True)
def live_button(context, command, label, style=None, field=None, value=None, field2=None, value2=None, confirm=None) -> str:
    """A one-tap command form, as ``{% include "web/live/_button.html" with ... %}`` renders
    it (the same arguments), in one call instead of three template includes: the console
    holds dozens of them (two per person)."""
    token = context.get("csrf_token")
    parts = [
        format_html('<form class="inline-form" method="post" action="{}" data-live-command', context.get("command_url", "")),
        format_html(' data-confirm="{}"', confirm) if confirm else "",
        ">\n  ",
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token) if token and token != "NOTPROVIDED" else "",
        format_html(
            '<input type="hidden" name="command" value="{}"><input type="hidden" name="client_id" value="{}"><input type="hidden" name="view" value="{}">',
            command, getattr(context.get("ids"), "new", ""), context.get("view", ""),
        ),
    ]
    if not context.get("error_below"):
        errors = context.get("command_errors")
        said = errors.get(str(command)) if errors else None
        if said:
            parts.append(format_html('<p class="form-error" role="alert" data-testid="form-error-{}">{}</p>', command, " ".join(str(text) for text in said)))
    parts.append("\n  ")
    if field:
        parts.append(format_html('<input type="hidden" name="{}" value="{}">', field, value if value is not None else ""))
    parts.append("\n  ")
    if field2:
        parts.append(format_html('<input type="hidden" name="{}" value="{}">', field2, value2 if value2 is not None else ""))
    parts.append(format_html('\n  <button type="submit" class="{}">{}</button>\n</form>\n', style or "secondary", label))
    return mark_safe("".join(parts))
