"""Real PDFs from WeasyPrint, read back with pdftotext; page 1 rendered to PNG with pdftoppm."""

import subprocess
from functools import cache
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image

from entraide.kit.domain.kit import build_kit, render_kit_pdf

from .pdf import occurrences, pages_with, pdf_pages

pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

SHEET_TITLES = {
    "rules": "Rules of the game",
    "problems": "Participants' problem",
    "formulation": "Formulating the problem",
    "rebound": "Echoes on the problem",
    "harvest": "Harvest and action plan",
}


@pytest.fixture(scope="module")
def kit_pdf(builtin_versions):
    @cache
    def make(key: str, participants: int, language: str) -> tuple[object, bytes]:
        kit = build_kit(builtin_versions[key], participants, language)
        return kit, render_kit_pdf(kit)

    return make


def expected_titles(kit) -> dict[str, str]:
    """The printed titles in the kit's language: sheet titles are set in capitals."""
    with translation.override(kit.language):
        return {
            "process": _("The process"),
            "cards": _("Role cards").upper(),
            **{kind: _(title).upper() for kind, title in SHEET_TITLES.items()},
        }


def check_kit(kit, pages: list[str]) -> None:
    titles = expected_titles(kit)
    title = kit.spec.title.get(kit.language)
    assert title in pages[0]
    assert pages_with(pages, titles["process"]) >= 1
    assert pages_with(pages, titles["cards"]) == 1
    for kind in SHEET_TITLES:
        sheet = kit.sheet(kind)
        # One page per sheet, as many sheets as the group needs, none for a sheet not used.
        assert pages_with(pages, titles[kind]) == (sheet.copies if sheet else 0), kind
        assert occurrences(pages, titles[kind]) == (sheet.copies if sheet else 0), kind
    # Role names are set in capitals on the cards only; other capitals (titles) set aside.
    others = sorted([*titles.values(), kit.spec.title.get(kit.language).upper()], key=len, reverse=True)
    card_text = []
    for page in pages:
        for text in others:
            page = page.replace(text, " ")
        card_text.append(page)
    for key, role in kit.spec.roles.items():
        name = role.name.get(kit.language).upper()
        expected = sum(1 for card in kit.cards if card.role == key)
        assert occurrences(card_text, name) == expected, name


@pytest.mark.parametrize(
    ("key", "participants"),
    [
        ("atelier-entraide", 4),
        ("atelier-entraide", 7),
        ("atelier-entraide", 12),
        ("analyse-des-pratiques", 15),
        ("supervision-collective", 3),
    ],
)
def test_sheet_and_card_counts_follow_the_participants(kit_pdf, key, participants):
    kit, pdf = kit_pdf(key, participants, "fr")
    pages = pdf_pages(pdf)
    check_kit(kit, pages)
    if key == "atelier-entraide":
        # The field document's sheets, by their French titles.
        assert pages_with(pages, "Déroulé : Atelier d'entraide") >= 1
        assert pages_with(pages, "Le déroulement") == 1
        assert pages_with(pages, "RÈGLES DU JEU") == 1
        assert pages_with(pages, "PROBLÉMATIQUE DES PARTICIPANT·ES") == participants - 1
        assert pages_with(pages, "CARTES RÔLES") == 1
        assert occurrences(pages, "FACILITATEUR·RICE") == 1
        assert occurrences(pages, "OFFREUR·SE DE SITUATION") == 1
        assert occurrences(pages, "CONTRIBUTEUR·RICE") == participants - 2
        assert pages_with(pages, "FORMULATION DE LA PROBLÉMATIQUE") == 1
        formulation = next(page for page in pages if "FORMULATION DE LA PROBLÉMATIQUE" in page)
        assert "J'aimerais que le groupe m'aide à…" in formulation
        assert pages_with(pages, "REBOND SUR LA PROBLÉMATIQUE") == participants - 2
        assert pages_with(pages, "RÉCOLTE ET PLAN D'ACTION") == 1
        # The agenda says what each role does.
        assert "Répondez de manière factuelle" in " ".join(pages[:3])


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("fr", ["Déroulé : Atelier d'entraide", "PROBLÉMATIQUE DES PARTICIPANT·ES", "CONTRIBUTEUR·RICE", "Qu'est-ce qui est important pour vous"]),
        ("de", ["ANLIEGEN DER TEILNEHMENDEN", "BERATENDE", "ROLLENKARTEN", "Was ist Ihnen wichtig, damit es gut läuft?"]),
        ("en", ["PARTICIPANTS' PROBLEM", "CONTRIBUTOR", "ROLE CARDS", "What matters to you for this to go well?"]),
    ],
)
def test_each_language(kit_pdf, language, texts):
    kit, pdf = kit_pdf("atelier-entraide", 7, language)
    pages = pdf_pages(pdf)
    check_kit(kit, pages)
    for text in texts:
        assert pages_with(pages, text) >= 1, text
    if language != "fr":
        assert not any("problématique" in page.lower() for page in pages)


@pytest.mark.parametrize(
    "key",
    ["analyse-des-pratiques", "atelier-entraide", "atelier-pratique", "brouillon-atelier", "echange-de-pratiques", "supervision-collective"],
)
def test_every_builtin_protocol_renders(kit_pdf, builtin_versions, key):
    spec = builtin_versions[key].spec
    kit, pdf = kit_pdf(key, spec.participants_min, "en")
    pages = pdf_pages(pdf)
    check_kit(kit, pages)
    for item in kit.agenda.items:
        assert item.step.title.get("en") in " ".join(pages), item.step.key


def test_page_one_as_an_image(kit_pdf, tmp_path):
    _kit, pdf = kit_pdf("atelier-entraide", 7, "fr")
    source = tmp_path / "kit.pdf"
    source.write_bytes(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "kit-page-1"
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "100", "-png", "-singlefile", str(source), str(target)], check=True, timeout=60)
    with Image.open(ARTIFACTS / "kit-page-1.png") as image:
        width, height = image.size
        # The agenda is printed in landscape A4.
        assert abs(width / height - 297 / 210) < 0.01
        dark = sum(image.convert("L").histogram()[:128])
    assert dark > 0.005 * width * height  # not a blank page


def test_the_pdf_pages_are_a4(kit_pdf, tmp_path):
    _kit, pdf = kit_pdf("atelier-entraide", 4, "fr")
    source = tmp_path / "kit.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(source)], capture_output=True, text=True, check=True).stdout
    sizes = {line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines() if line.startswith("Page") and "size" in line}
    assert sizes == {"841.89 x 595.276", "595.276 x 841.89"}, sizes
