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

``{% memo name=expr … %}…{% endmemo %}`` renders its part from the named values only (a fresh
context holding nothing else) and keeps the result, keyed by those values, the language, the
time zone and the script prefix: a part whose values did not change since it was last rendered, by any
viewer of any session in this process, is not rendered again (``MemoNode``).
"""

import itertools
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime

from django import template
from django.template.base import FilterExpression, Node, NodeList, Token, TokenType, Variable, token_kwargs
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode
from django.template.smartif import TokenBase
from django.urls import get_script_prefix
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

register = template.Library()

SLOTS = "personal_slots"  # context key: a list while rendering a shared fragment
IN_MEMO = "memo_part"  # context key: set while rendering a {% memo %} part


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
        if isinstance(value, MemoNode):
            # Its part reads nothing but its named values (a fresh context).
            for item in value.values.values():
                expression(item)
            return
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
        if context.get(IN_MEMO):
            # Kept for every viewer, it would show this one's part to the others.
            raise template.TemplateSyntaxError("a {% personal %} part cannot be rendered inside {% memo %}")
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


def _named_expressions(parser, token) -> dict:
    """A tag's ``name=expression`` arguments (Django's ``token_kwargs``), each compiled; raises
    TemplateSyntaxError for anything else."""
    tag, *bits = token.split_contents()
    named = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"{tag} takes name=expression arguments only")
    return named


@register.tag
def personal(parser, token) -> PersonalNode:
    rebind = _named_expressions(parser, token)
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, rebind)


class Unkeyable(Exception):
    """A value a kept part cannot be keyed by (a fresh-ids generator, a lazy CSRF token, an
    object): the part is then rendered, not kept."""


def memo_key(value) -> object:
    """``value`` as a hashable key that two values share only if a template renders them the
    same: str, int, float, bool, None, dates, lazy translations (as rendered in the active
    language, which the key holds), lists, tuples and dicts of those (a dict in its own order,
    as a template iterates it), and objects whose class defines ``memo_key(self)`` (returning
    a key, or None when that instance is not to be kept). A safe string (``{% translate … as
    label %}`` gives one) is keyed apart from the equal str, which renders escaped. Raises
    Unkeyable for anything else."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if kind is SafeString:
        return ("safe", str.__str__(value))
    if kind is dict:
        return ("dict", tuple((memo_key(key), memo_key(item)) for key, item in value.items()))
    if kind is list or kind is tuple:
        return (kind.__name__, tuple(memo_key(item) for item in value))
    if kind is bool:
        return ("bool", value)
    if kind is float:
        return ("float", repr(value))  # -0.0 renders apart from 0.0
    if kind is datetime or kind is date:
        return (kind.__name__, value.isoformat(), str(getattr(value, "tzinfo", None)))
    own = getattr(kind, "memo_key", None)
    if own is not None:
        key = own(value)
        if key is not None:
            return (kind, key)
    elif isinstance(value, Promise) and not isinstance(value, SafeData):
        return ("lazy", str(value))
    raise Unkeyable(kind.__name__)


MEMO_ENTRIES = 8192  # kept parts per process, the least recently used dropped first
_memo: OrderedDict = OrderedDict()
_memo_lock = threading.Lock()
_memo_ids = itertools.count()


def clear_memo() -> None:
    """Forget every kept part (tests)."""
    with _memo_lock:
        _memo.clear()


# What an HTTP page puts into a kept part's forms at each render: its CSRF token and a fresh
# client id per form. The part is kept with these marks (private-use characters, which escaping
# leaves as they are, around a secret of this process, so that no text a person writes can be
# taken for one) and the page's own values replace them (``bind``). A live page rendered once
# for its version (realtime.render) is kept with the same marks.
_SECRET = secrets.token_hex(8)
CSRF_MARK = f"\ue000csrf-{_SECRET}\ue000"
_ID_MARK = re.compile(f"\ue000id-{_SECRET}-([a-z]*\\d+)\ue000")


class MarkedIds:
    """Client ids as marks, one per id asked for (``ids.new``), the same mark where one id is
    used twice (``{% with i=ids.new %}``) as the same uuid would be. ``scope`` keeps apart the
    marks of renders that end up in one page (a shared fragment and a viewer's personal parts).
    Fresh at each render, like the uuids they stand for (``fresh_ids``)."""

    fresh_ids = True

    def __init__(self, scope: str = "") -> None:
        self.scope = scope
        self.count = 0

    def memo_key(self) -> str:
        return "marked"

    def __getattr__(self, name: str) -> str:
        self.count += 1
        return f"\ue000id-{_SECRET}-{self.scope}{self.count}\ue000"


def bind(html: str, csrf_token: str | None = None, ids=None) -> str:
    """``html`` with the marks of ``CSRF_MARK`` and ``MarkedIds`` replaced: the CSRF mark by
    ``csrf_token``, each distinct id mark by one ``ids.new`` (a fresh uuid for an HTTP page,
    "" for a pushed fragment, another mark for a kept part inside a page kept too). A mark
    whose value is None is left as it is."""
    if csrf_token is not None and CSRF_MARK in html:
        html = html.replace(CSRF_MARK, csrf_token)
    if ids is not None:
        given: dict[str, str] = {}
        html = _ID_MARK.sub(lambda mark: given.get(mark.group(1)) or given.setdefault(mark.group(1), ids.new), html)
    return html


class MemoNode(template.Node):
    """``{% memo name=expr … %}``: see the module docstring. The part sees the named values and
    nothing else, so that what it shows depends only on what its key holds. Two per-render
    values are bound late rather than keyed: Django's CSRF token (``csrf_token``, lazy, per
    request) and fresh client ids (an ``ids`` whose class says ``fresh_ids``: one per form and
    render, web.live_views._Ids) are kept as marks and replaced at each render. Command errors
    to show make the part render every time (``CommandErrors.memo_key``)."""

    def __init__(self, nodelist: NodeList, values: dict) -> None:
        self.nodelist = nodelist
        self.values = values
        self.ident = next(_memo_ids)

    def render(self, context) -> str:
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        marked = dict(values)
        token = values.get("csrf_token")
        if token is not None and type(token) is not str:
            token = str(token)  # the request's own (get_token)
            marked["csrf_token"] = CSRF_MARK if token and token != "NOTPROVIDED" else token
        fresh_ids = getattr(type(values.get("ids")), "fresh_ids", False)
        if fresh_ids:
            marked["ids"] = MarkedIds()
        try:
            key = (self.ident, get_language(), get_current_timezone_name(), get_script_prefix(), context.autoescape,
                   context.use_l10n, context.use_tz, tuple(memo_key(value) for value in marked.values()))
            with _memo_lock:
                html = _memo.get(key)  # TypeError: a class's memo_key gave something unhashable
                if html is not None:
                    _memo.move_to_end(key)
        except (Unkeyable, TypeError):
            return self.nodelist.render(context.new({**values, IN_MEMO: True}))
        if html is None:
            html = self.nodelist.render(context.new({**marked, IN_MEMO: True}))
            with _memo_lock:
                _memo[key] = html
                if len(_memo) > MEMO_ENTRIES:
                    _memo.popitem(last=False)
        html = bind(html, token if marked.get("csrf_token") is CSRF_MARK else None, values["ids"] if fresh_ids else None)
        return mark_safe(html)


@register.tag
def memo(parser, token) -> MemoNode:
    values = _named_expressions(parser, token)
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(PersonalNode):
        raise template.TemplateSyntaxError("a {% personal %} part cannot be inside {% memo %}: it would be kept for everybody")
    return MemoNode(nodelist, values)


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
