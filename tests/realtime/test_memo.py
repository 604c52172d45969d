"""Kept parts ({% memo %}, web/templatetags/live_render.py): a part renders from its named
values only, is kept by them, and is never kept when it holds what must be fresh."""

from datetime import date, datetime, timezone

import pytest
from django.template import TemplateSyntaxError, engines
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import now as django_now
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from entraide.core.tenancy import all_tenants
from entraide.realtime import render
from entraide.web.live_views import CommandErrors, _Ids
from entraide.web.templatetags import live_render
from entraide.web.templatetags.live_render import MemoNode, Unkeyable, memo_key

from tests.realtime.test_fragments import LINKS


def template(source: str):
    return engines["django"].from_string("{% load live_render live_tags i18n %}" + source)


@pytest.fixture(autouse=True)
def empty_memo():
    live_render.clear_memo()
    yield
    live_render.clear_memo()


def test_values_that_render_differently_never_share_a_key():
    keys = [memo_key(value) for value in (1, True, 1.0, 0.0, -0.0, "1", [1], (1,), {"a": 1}, {"a": True}, None, "<b>", mark_safe("<b>"), date(2026, 1, 1),
                                          datetime(2026, 1, 1, tzinfo=timezone.utc))]
    assert len(set(keys)) == len(keys)
    assert memo_key({"a": [1, {"b": "x"}]}) == memo_key({"a": [1, {"b": "x"}]})
    # A dict renders in its own order when a template iterates it.
    assert memo_key({"a": 1, "b": 2}) != memo_key({"b": 2, "a": 1})


@pytest.mark.parametrize("value", [object(), _Ids(), CommandErrors({"vote": ["Trop de voix."]}), {"a": [object()]}])
def test_what_must_be_fresh_or_cannot_be_compared_is_never_kept(value):
    with pytest.raises(Unkeyable):
        memo_key(value)


def test_a_lazy_translation_is_keyed_by_its_text_and_no_errors_nor_pushed_ids_are_keyable():
    with translation.override("fr"):
        french = memo_key(gettext_lazy("Yes"))
    with translation.override("de"):
        german = memo_key(gettext_lazy("Yes"))
    assert french != german
    assert memo_key(CommandErrors()) == memo_key(CommandErrors())
    assert memo_key(render.NO_IDS) == memo_key(render.NO_IDS)


def test_a_part_sees_its_named_values_and_nothing_else():
    assert template("{% memo x=a %}[{{ x }}|{{ b }}]{% endmemo %}").render({"a": 1, "b": 2}) == "[1|]"


def test_a_part_is_rendered_once_per_values_and_language():
    # {% now "u" %} gives the microseconds of the render: a kept part shows the first one.
    part = template('{% memo x=a %}{{ x }}/{% now "u" %}/{% translate "Yes" %}{% endmemo %}')
    with translation.override("fr"):
        first = part.render({"a": 1})
        assert part.render({"a": 1}) == first
        assert part.render({"a": 2}) != first
        assert part.render({"a": 2}).startswith("2/") and first.endswith("/Oui")
    with translation.override("de"):
        assert part.render({"a": 1}).endswith("/Ja")


def test_a_kept_part_gets_fresh_client_ids_and_the_request_s_csrf_token_at_each_render():
    part = template('{% memo ids=ids csrf_token=csrf_token %}{% now "u" %}|{{ ids.a }}|{{ ids.b }}|{% csrf_token %}{% endmemo %}')
    pages = [part.render({"ids": _Ids(), "csrf_token": SimpleLazyObject(lambda: token)}) for token in ("T1" * 32, "T2" * 32)]
    (now_1, a_1, b_1, csrf_1), (now_2, a_2, b_2, csrf_2) = (page.split("|") for page in pages)
    assert now_1 == now_2  # kept
    assert len({a_1, b_1, a_2, b_2}) == 4 and all(len(uuid) == 36 for uuid in (a_1, b_1, a_2, b_2))
    assert 'value="' + "T1" * 32 + '"' in csrf_1 and 'value="' + "T2" * 32 + '"' in csrf_2
    pushed = {"ids": render.NO_IDS, "csrf_token": render.CSRF_PLACEHOLDER}
    assert part.render(pushed) == part.render(pushed)
    assert "||" in part.render(pushed) and render.CSRF_PLACEHOLDER in part.render(pushed)
    assert len(live_render._memo) == 2  # the page's, the push's


def test_a_part_with_errors_to_show_is_rendered_each_time():
    part = template('{% memo errors=command_errors %}{% now "u" %}{{ errors.vote.0 }}{% endmemo %}')
    errors = {"command_errors": CommandErrors({"vote": ["Trop de voix."]})}
    first = part.render(errors)
    assert first.endswith("Trop de voix.") and not live_render._memo


def test_a_personal_part_inside_a_kept_part_is_refused():
    with pytest.raises(TemplateSyntaxError):
        template("{% memo %}{% personal %}{{ live.me.name }}{% endpersonal %}{% endmemo %}")
    # Through an include, found when rendered.
    with pytest.raises(TemplateSyntaxError):
        template('{% memo live=live %}{% include "web/live/_participant.html" %}{% endmemo %}').render({"live": {"session": {"status": "open"}}})


def test_a_kept_part_inside_a_personal_part_reads_only_its_values():
    source = "{% personal %}{% memo n=live.me.name s=live.step.title %}{{ n }} {{ s }}{% endmemo %}{% endpersonal %}"
    node = next(n for n in template(source).template.nodelist if type(n).__name__ == "PersonalNode")
    needs = node.needs()
    assert needs.known and needs.identity and not needs.participants


def test_the_parts_are_used_where_they_count():
    # The console's people and the process overview, on every push.
    for name in ("web/live/_console.html", "web/live/_overview.html"):
        nodes = engines["django"].get_template(name).template.nodelist.get_nodes_by_type(MemoNode)
        assert nodes, name


@pytest.mark.django_db
def test_the_pushed_console_is_the_same_from_kept_parts(room, monkeypatch):
    """The console pushed after a change, its people's rows and overview kept from the render
    before, equals the console rendered with nothing kept."""
    facilitator = room.facilitator
    a, b = room.people[:2]
    room.run(facilitator, "start")
    with all_tenants(), translation.override("fr"):
        session = room.refresh()
        render.render_alone(session, facilitator, "console", LINKS)
        kept = len(live_render._memo)
        room.run(a, "set_ready", ready=True)
        session = room.refresh()
        now = django_now()
        from_kept = render.render_alone(session, facilitator, "console", LINKS, now)
        assert len(live_render._memo) == kept + 1  # only Amina's row changed
        monkeypatch.setattr(MemoNode, "render", lambda self, context: self.nodelist.render(
            context.new({name: value.resolve(context) for name, value in self.values.items()})))
        assert from_kept == render.render_alone(session, facilitator, "console", LINKS, now)
        assert "✓ prêt·e" in from_kept and b.display_name in from_kept


def test_text_a_person_wrote_is_never_taken_for_a_mark():
    """The marks hold a secret of the process: a name written with the same private-use
    characters stays as written, and gets neither the viewer's token nor an id."""
    part = template('{% memo name=name ids=ids csrf_token=csrf_token %}{{ name }}|{{ ids.new }}{% endmemo %}')
    for name in ("Eve\ue000csrf\ue000", "Eve\ue000id-1\ue000", "Eve\ue000id\ue000"):
        for _ in range(2):
            shown, client_id = part.render({"name": name, "ids": _Ids(), "csrf_token": SimpleLazyObject(lambda: "T" * 64)}).split("|")
            assert shown == name and len(client_id) == 36 and "T" * 64 not in shown


def test_one_id_used_twice_is_one_uuid_as_without_memo():
    part = template('{% memo ids=ids %}{% with i=ids.new %}{{ i }}|{{ i }}|{{ ids.other }}{% endwith %}{% endmemo %}')
    for _ in range(2):
        first, again, other = part.render({"ids": _Ids()}).split("|")
        assert first == again != other and len(other) == 36


def test_an_unhashable_key_renders_the_part_unkept():
    class Odd:
        def memo_key(self):
            return ["unhashable"]

    part = template('{% memo x=x %}{% now "u" %}{% endmemo %}')
    assert part.render({"x": Odd()}) and not live_render._memo
