"""core.exports: one helper per export format, each tested with hostile values."""

import csv
import io
import re
import subprocess
from pathlib import Path

import pytest

from entraide.core.exports import (
    PACKAGE_ROOT,
    ResourceRefused,
    csv_cell,
    csv_document,
    ics_text,
    markdown_block,
    markdown_inline,
    markdown_link,
    package_url_fetcher,
    print_font_files,
    render_pdf,
)
from tests.http_recorder import recording_server

HOSTILE_CELLS = ["=HYPERLINK(\"http://evil/\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_CELLS)
def test_a_csv_cell_beginning_like_a_formula_gets_an_apostrophe(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Anne Dupont", "anne@example.org", "2026-03-04 09:00", "", "Émile = Zoé", "a-b"])
def test_an_ordinary_csv_cell_is_unchanged(value):
    assert csv_cell(value) == value


def test_csv_cells_of_other_types():
    assert csv_cell(None) == "" and csv_cell(3) == "3" and csv_cell(-3) == "'-3"


def test_a_csv_document_neutralises_every_cell_and_keeps_one_row_per_row():
    text = csv_document(["=Name", "Email"], [[value, "=x@example.org"] for value in HOSTILE_CELLS])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 1 + len(HOSTILE_CELLS)  # a CR in a cell does not split the row
    assert rows[0] == ["'=Name", "Email"]
    for row, value in zip(rows[1:], HOSTILE_CELLS, strict=True):
        assert row == ["'" + value, "'=x@example.org"]
        assert all(cell[:1] not in "=+-@\t\r" for cell in row)


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_inline_leaves_no_html_link_or_image():
    hostile = '<script>alert(1)</script> <img src=x onerror=alert(1)> [clic](javascript:alert(1)) ![p](http://evil/p.png) <javascript:alert(1)> & *gras*'
    text = markdown_inline(hostile)
    assert "<" not in text and ">" not in text
    assert "&lt;script&gt;" in text and "&amp;" in text
    assert "\\[clic\\]\\(javascript:alert\\(1\\)\\)" in text
    assert "\\!\\[p\\]\\(http://evil/p.png\\)" in text
    assert "\\*gras\\*" in text
    # Once the backslash-escaped characters are set aside, no Markdown or HTML syntax is left.
    assert not set(re.sub(r"\\.", "", text)) & set("[]()<>*!`_")


def test_markdown_inline_is_one_line():
    text = markdown_inline("Idée\n# Titre injecté\r\n- liste\u2028> citation\x0cfin\x00")
    assert "\n" not in text and "\r" not in text and "\x0c" not in text and "\x00" not in text
    assert text == "Idée \\# Titre injecté - liste &gt; citation fin"


def test_markdown_block_escapes_every_line_start():
    text = markdown_block("# titre\n    code indenté\n1. liste\n- puce\n+ puce\n=====\n```\n> citation\n\n\n\nfin")
    lines = text.split("\n")
    assert lines == [
        "\\# titre  ",
        "code indenté  ",
        "1\\. liste  ",
        "\\- puce  ",
        "\\+ puce  ",
        "\\=====  ",
        "\\`\\`\\`  ",
        "&gt; citation",
        "",
        "fin",
    ]


def test_bare_web_addresses_stay_readable_for_autolinks():
    assert markdown_inline("voir https://exemple.org/page et contact@exemple.org") == "voir https://exemple.org/page et contact@exemple.org"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://exemple.org/a", "[Lien](<https://exemple.org/a>)"),
        ("http://exemple.org/a", "[Lien](<http://exemple.org/a>)"),
        ("mailto:a@exemple.org", "[Lien](<mailto:a@exemple.org>)"),
        ("javascript:alert(1)", "Lien"),
        ("JaVaScRiPt:alert(1)", "Lien"),
        ("data:text/html,<b>x</b>", "Lien"),
        ("vbscript:x", "Lien"),
        ("https://exemple.org/a> <script>", "Lien"),
        ("//exemple.org/a", "Lien"),
    ],
)
def test_markdown_links_only_to_http_and_mailto(url, expected):
    assert markdown_link("Lien", url) == expected


# --- iCalendar ------------------------------------------------------------------------------


def test_ics_text_removes_every_line_break_from_a_single_line_value():
    value = "Atelier\rBEGIN:VALARM\nTRIGGER:-PT5M\x0b\x0c\u2028\u2029\x85\x00x"
    cleaned = ics_text(value)
    assert cleaned == "Atelier BEGIN:VALARM TRIGGER:-PT5M x"
    assert all(c not in cleaned for c in "\r\n\x0b\x0c\u2028\u2029\x85\x00")


def test_ics_text_keeps_plain_line_breaks_in_a_description():
    assert ics_text("un\r\ndeux\rtrois\u2028quatre\x07", multiline=True) == "un\ndeux\ntrois\nquatre"


# --- PDF: the URL fetcher -------------------------------------------------------------------


def test_the_fetcher_serves_the_packages_own_files():
    stylesheet = PACKAGE_ROOT / "kit" / "templates" / "kit" / "kit.css"
    result = package_url_fetcher(stylesheet.as_uri())
    assert result["string"] == stylesheet.read_bytes() and result["mime_type"] == "text/css"


def test_the_fetcher_serves_data_images():
    result = package_url_fetcher("data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E")
    assert result["mime_type"] == "image/svg+xml" and result["string"].startswith(b"<svg")
    result = package_url_fetcher("data:image/png;base64,iVBORw0KGgo=")
    assert result["string"] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        (PACKAGE_ROOT / "settings.py").as_uri(),
        (PACKAGE_ROOT / "protocols" / "builtin" / "atelier-entraide.yaml").as_uri(),
        (PACKAGE_ROOT / ".." / ".." / ".." / "etc" / "passwd").as_uri(),
        PACKAGE_ROOT.as_uri() + "/../../../../../../etc/passwd",
        PACKAGE_ROOT.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file://evil.example.org" + PACKAGE_ROOT.as_uri().removeprefix("file://") + "/kit/templates/kit/kit.css",
        "https://example.org/x.css",
        "ftp://example.org/x.css",
        "data:text/html,<h1>x</h1>",
        "data:text/css,@import url(http://127.0.0.1:1/x);",
        "javascript:alert(1)",
        "/etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ResourceRefused):
        package_url_fetcher(url)


def test_the_fetcher_opens_no_connection():
    with recording_server() as server:
        for path in ("/x.css", "/y.png"):
            with pytest.raises(ResourceRefused):
                package_url_fetcher(server.url(path))
        assert server.requests == []


def test_a_pdf_render_fetches_nothing_from_outside(tmp_path):
    pytest.importorskip("weasyprint")
    with recording_server() as server:
        html = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
        <link rel="stylesheet" href="{server.url('/link.css')}">
        <style>@import url({server.url('/import.css')}); body {{ background: url({server.url('/background.png')}); }}
        @font-face {{ font-family: X; src: url({server.url('/font.woff')}); }}</style></head>
        <body><p style="font-family: X">Texte imprimé</p><img src="{server.url('/img.png')}">
        <img src="file:///etc/passwd"><object data="{server.url('/object.svg')}"></object>
        <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="{server.url('/svg.png')}" width="10" height="10"/></svg>
        </body></html>"""
        pdf = render_pdf(html)
        assert server.requests == []
        # The witness works: WeasyPrint's own fetcher would have asked for them.
        from weasyprint import HTML

        HTML(string=html).write_pdf()
        assert {"/link.css", "/import.css", "/img.png"} <= set(server.requests)
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Texte imprimé" in text and "root:" not in text


def test_the_fetcher_serves_the_print_fonts_and_no_other_font():
    files = print_font_files()
    assert any(path.name == "NotoColorEmoji.ttf" for path in files), "fonts-noto-color-emoji is missing: make print-deps"
    emoji = next(iter(files))
    assert package_url_fetcher(emoji.as_uri())["string"][:4] in (b"\x00\x01\x00\x00", b"OTTO", b"ttcf")
    other = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if other.exists():
        with pytest.raises(ResourceRefused):
            package_url_fetcher(other.as_uri())
    with pytest.raises(ResourceRefused):
        package_url_fetcher(emoji.parent.as_uri() + "/../../../../etc/passwd")
