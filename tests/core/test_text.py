import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from entraide.core.text import SingleLineError, clean_single_line, has_control_characters, validate_single_line

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("value", ["Titre\nsuite", "Tab\there", "CR\rhere", "Form\x0cfeed", "Nul\x00", "C1\x85", "Sep\u2028x"])
def test_single_line_refuses_control_characters(value):
    assert has_control_characters(value)
    with translation.override("fr"), pytest.raises(SingleLineError) as raised:
        clean_single_line(value, field="title")
    assert raised.value.field == "title"
    assert "une seule ligne" in raised.value.message
    with pytest.raises(ValidationError):
        validate_single_line(value)


@pytest.mark.parametrize("value", ["L'Atelier & Cie « Ô »", "Groupe 👩\u200d👩\u200d👧 été", "  espaces  "])
def test_single_line_keeps_ordinary_text_and_emoji(value):
    assert not has_control_characters(value)
    assert clean_single_line(value) == value.strip()
    validate_single_line(value)


def test_single_line_raises_the_callers_domain_error_with_its_field():
    from entraide.events.domain.errors import EventError
    from entraide.followup.domain import FollowupError

    with translation.override("fr"), pytest.raises(EventError) as raised:
        clean_single_line("Titre\nsuite", "title", error=EventError)
    assert raised.value.field == "title" and "une seule ligne" in raised.value.message
    with translation.override("de"), pytest.raises(FollowupError) as refused:
        clean_single_line("Titel\rmehr", error=FollowupError)
    assert "eine Zeile" in refused.value.message


def test_a_single_line_refusal_is_a_domain_error_with_its_field():
    from entraide.core.actions import DomainError
    from entraide.core.text import SingleLineError, clean_single_line

    with pytest.raises(SingleLineError) as refused:
        clean_single_line("Titre\nsur deux lignes", "title")
    assert isinstance(refused.value, DomainError) and isinstance(refused.value, ValueError)
    assert (refused.value.code, refused.value.field) == ("not_one_line", "title")
