"""core.safe_yaml: plain data only, no anchors or aliases, bounded depth and size."""

import time

import pytest
import yaml
from django.utils import translation

from entraide.core.safe_yaml import MAX_DEPTH, MAX_NODES, UnsafeYAMLError, load_yaml
from entraide.protocols.domain.library import builtin_sources


def billion_laughs(levels: int = 9) -> str:
    """The classic: each level lists the previous one nine times (9**levels strings); about 500 bytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_the_billion_laughs_is_refused_at_once():
    source = billion_laughs()
    assert len(source) < 600
    started = time.perf_counter()
    with pytest.raises(UnsafeYAMLError) as refused:
        load_yaml(source)
    assert time.perf_counter() - started < 0.5
    assert "&a" in refused.value.problem and refused.value.problem_mark.line == 0


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("a: &x 1\nb: 2\n", "&x"),
        ("a: 1\nb: *x\n", "*x"),  # an alias without its anchor is refused as an alias, not expanded
        ("base: &base {x: 1}\nother:\n  <<: *base\n", "&base"),
        ("- !!str &s text\n", "&s"),
    ],
)
def test_every_anchor_and_alias_is_refused(source, needle):
    with pytest.raises(UnsafeYAMLError) as refused:
        load_yaml(source)
    assert needle in refused.value.problem


def test_the_message_is_translated():
    for language, words in (("fr", "ancres"), ("de", "Anker"), ("en", "anchors")):
        with translation.override(language), pytest.raises(UnsafeYAMLError) as refused:
            load_yaml("a: &x 1\n")
        assert words in refused.value.problem


def test_nesting_is_bounded_before_python_recursion():
    with pytest.raises(UnsafeYAMLError) as refused:
        load_yaml("[" * 100_000)
    assert str(MAX_DEPTH) in refused.value.problem
    assert load_yaml("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)) is not None


def test_the_number_of_values_is_bounded():
    with pytest.raises(UnsafeYAMLError) as refused:
        load_yaml("[" + ",".join(["1"] * (MAX_NODES + 1)) + "]")
    assert f"{MAX_NODES}" in refused.value.problem.replace("\u202f", "").replace(",", "")


def test_plain_yaml_and_the_builtins_load_as_before():
    assert load_yaml("a: 1\nb: [x, 'y', 2.5, true, null]\nc: {d: e}\n") == {"a": 1, "b": ["x", "y", 2.5, True, None], "c": {"d": "e"}}
    for source in builtin_sources():
        assert load_yaml(source.text) == yaml.safe_load(source.text)


def test_other_malformed_yaml_is_still_a_yaml_error():
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [1, 2\n")
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object:os.system {}\n")
