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

from dataclasses import dataclass

from django import template
from django.template.base import FilterExpression, Node, NodeList, Token, TokenType, Variable
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode
from django.template.smartif import TokenBase
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

SLOTS = "personal_slots"  # context key: a list while rendering a shared fragment


@dataclass(frozen=True)
class Needs:
    """What of the viewer a personal part reads, found in its template (``needs_of``):
    ``participants`` (the list with each person's "me" flag), ``identity`` (the viewer's id or
    name, or the whole of ``live.me``), ``links`` (their personal link). ``known`` is False when
    the part reads something the analysis cannot follow (an include by a variable name, a tag
    of ours not listed in CONTEXT_FREE_TAGS): such a part is rendered for each viewer."""

    known: bool
    participants: bool = False
    identity: bool = False
    links: bool = False


# Tags of ours that take the context but read none of the viewer's state (see live_button).
CONTEXT_FREE_TAGS = {"live_button"}
# Filters that take the whole view model and read only what is in a viewer's fingerprint
# (realtime.render.fill): never the participants, the viewer's id or name.
WHOLE_STATE_FILTERS = {"my_problem"}
LINK_NAMES = {"rejoin_url", "rejoin_path", "join_url"}


def needs_of(nodelist: NodeList, rebind: dict) -> Needs:
    """What of the viewer ``nodelist`` (and the templates it includes by a constant name)
    reads: every variable it names, with their filters, is looked at."""
    names: set[tuple[str, ...]] = set()
    filters: dict[tuple[str, ...], set[str]] = {}
    known = [True]
    seen: set[str] = set()

    def expression(value: FilterExpression) -> None:
        variables = [value.var] + [arg for _func, args in value.filters for _lookup, arg in args]
        for variable in variables:
            if isinstance(variable, Variable) and variable.lookups:
                names.add(variable.lookups)
                filters.setdefault(variable.lookups, set()).update(func.__name__ for func, _args in value.filters)

    def scan(value) -> None:
        if isinstance(value, Token):
            # {% blocktranslate %}'s {{ name }}: a variable of the context unless bound by its "with".
            if value.token_type == TokenType.VAR:
                names.add(tuple(value.contents.split("|")[0].strip().split(".")))
        elif isinstance(value, FilterExpression):
            expression(value)
        elif isinstance(value, Node):
            node(value)
        elif isinstance(value, NodeList):
            for child in value:
                node(child)
        elif isinstance(value, TokenBase):
            for attribute in ("value", "first", "second"):
                if hasattr(value, attribute):
                    scan(getattr(value, attribute))
        elif isinstance(value, dict):
            for item in value.values():
                scan(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                scan(item)

    def node(value: Node) -> None:
        if isinstance(value, IncludeNode):
            name = value.template.var if isinstance(value.template, FilterExpression) else None
            if not isinstance(name, str) or isinstance(name, Variable):
                known[0] = False
            elif name not in seen:
                seen.add(name)
                scan(get_template(name).template.nodelist)
        func = getattr(value, "func", None)
        if func is not None and getattr(value, "takes_context", False) and func.__name__ not in CONTEXT_FREE_TAGS:
            known[0] = False
        if not type(value).__module__.startswith("django."):
            known[0] = False  # a node of ours reads the context its own way
        for attribute, item in vars(value).items():
            if attribute not in ("token", "origin", "func"):
                scan(item)

    scan(nodelist)
    for expression_ in rebind.values():
        expression(expression_)
    participants = identity = links = False
    for lookups in names:
        if "participants" in lookups:
            participants = True
        if lookups[0] in LINK_NAMES:
            links = True
        if lookups == ("live",) and not filters.get(lookups, set()) <= WHOLE_STATE_FILTERS:
            known[0] = False
        if "me" in lookups:
            after = lookups[lookups.index("me") + 1:]
            if not after or after[0] in ("id", "name"):
                identity = True
    return Needs(known[0], participants, identity, links)


class PersonalNode(template.Node):
    def __init__(self, nodelist, rebind: dict) -> None:
        self.nodelist = nodelist
        self.rebind = rebind
        self._needs: Needs | None = None

    def needs(self) -> Needs:
        """What of the viewer this part reads (``needs_of``), found once."""
        if self._needs is None:
            self._needs = needs_of(self.nodelist, self.rebind)
        return self._needs

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
