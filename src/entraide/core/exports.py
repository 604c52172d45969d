"""One helper per export format: every file Entraide hands out goes through this module.

A title, a name or an email address typed by someone ends up in files that other programs
open: a spreadsheet runs a cell beginning with ``=`` as a formula, a Markdown viewer renders raw
HTML and ``javascript:`` links, a calendar client reads a stray line break as a new property,
and the PDF renderer fetches every URL a stylesheet names. Each helper here makes user text
inert for its format (DESIGN.md, "Every export goes through one helper per format"):

- CSV: ``csv_cell`` / ``csv_document``, every cell neutralised against formulas (OWASP "CSV
  injection": a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe), every cell quoted;
- Markdown: ``markdown_inline`` / ``markdown_block``, HTML special characters as entities and
  Markdown syntax escaped, so that no raw HTML, image or link survives; only bare ``http(s)``
  addresses and email addresses stay clickable (viewers autolink them) and ``markdown_link``
  writes a link only to an ``http``, ``https`` or ``mailto`` address;
- iCalendar: ``ics_text``, control characters removed and line breaks normalised before
  ``icalendar`` escapes them (it leaves vertical tabs, form feeds and U+2028 as they are);
- PDF: ``render_pdf``, the only WeasyPrint render, with ``package_url_fetcher``, which serves
  stylesheets, images and fonts of the ``entraide`` package, the installed files of the print fonts the package's
  stylesheets name (``PRINT_FONTS``) and ``data:`` images, and refuses everything else (http,
  https, ftp, any other file). No user text is ever written into a stylesheet: the print
  templates put titles in the page (HTML, escaped) and show them in page margins as running
  elements (``position: running()``), not through CSS strings.
"""

import base64
import csv
import io
import mimetypes
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import entraide

PACKAGE_ROOT = Path(entraide.__file__).resolve().parent

# --- CSV ------------------------------------------------------------------------------------

# OWASP, "CSV Injection": cells beginning with these are run as formulas (or DDE) by spreadsheets.
CSV_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_BYTE_ORDER_MARK = "\ufeff"  # so that spreadsheet software reads the accents right


def csv_cell(value: Any) -> str:
    """One CSV cell as text: ``None`` is empty, anything else ``str(value)``; a text beginning
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so that
    spreadsheet software shows it instead of running it (OWASP CSV injection guidance)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_TRIGGERS) else text


def csv_document(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV file (byte-order mark, comma-separated, every cell quoted, CRLF line ends),
    every cell of the header and of the rows through ``csv_cell``."""
    buffer = io.StringIO()
    buffer.write(CSV_BYTE_ORDER_MARK)
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


# --- Markdown -------------------------------------------------------------------------------

# Backslash-escaped everywhere: the characters of emphasis, code, links, images, tables and
# strike-through (CommonMark allows a backslash before any ASCII punctuation).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}()!#|~])")
# At the start of a line they would open a heading, a quote, a list, a setext underline or a
# code fence.
_MARKDOWN_LINE_START = re.compile(r"^([+\-=])|^(\d+)([.)])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
MARKDOWN_LINK_SCHEMES = ("http", "https", "mailto")


def _without_controls(text: str, keep: str = "") -> str:
    """``text`` without control characters (Unicode category Cc) other than those in ``keep``."""
    return "".join(c for c in text if c in keep or unicodedata.category(c) != "Cc")


def _escape_markdown_line(line: str) -> str:
    # Indentation would make a code block: it is dropped.
    line = line.strip()
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    line = _MARKDOWN_PUNCTUATION.sub(r"\\\1", line)
    return _MARKDOWN_LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", line)


def markdown_inline(value: Any) -> str:
    """User text as Markdown that renders as exactly that text on one line (a title, a list
    item): line breaks become spaces, control characters go, ``&``, ``<`` and ``>`` become
    entities (no raw HTML), and Markdown punctuation is backslash-escaped (no emphasis, code,
    link or image)."""
    text = _without_controls(_LINE_BREAKS.sub(" ", "" if value is None else str(value)))
    return _escape_markdown_line(" ".join(text.split()))


def markdown_block(value: Any) -> str:
    """Multi-line user text (notes) as Markdown paragraphs: each line escaped as by
    ``markdown_inline``, line breaks kept as hard breaks (two spaces), blank lines kept as
    paragraph breaks (several collapse to one)."""
    lines = _LINE_BREAKS.sub("\n", "" if value is None else str(value)).split("\n")
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        escaped = _escape_markdown_line(_without_controls(line, keep="\t"))
        if escaped:
            paragraphs[-1].append(escaped)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("  \n".join(lines) for lines in paragraphs if lines)


def markdown_link(label: Any, url: str) -> str:
    """A Markdown link when ``url`` is an ``http``, ``https`` or ``mailto`` address; otherwise
    the escaped label alone (a ``javascript:`` or ``data:`` address is never written)."""
    text = markdown_inline(label)
    url = (url or "").strip()
    if urlsplit(url).scheme.lower() not in MARKDOWN_LINK_SCHEMES or any(c in url for c in " <>\n\r\t"):
        return text
    return f"[{text}](<{url}>)"


# --- iCalendar ------------------------------------------------------------------------------


def ics_text(value: Any, *, multiline: bool = False) -> str:
    """User text for an iCalendar TEXT property (SUMMARY, LOCATION, DESCRIPTION...), before
    ``icalendar`` escapes it: control characters removed (RFC 5545 allows none but the tab),
    every kind of line break (CR, LF, VT, FF, NEL, U+2028, U+2029) made a plain ``\\n`` when
    ``multiline``; otherwise a space, and runs of spaces and tabs one space. Surrounding spaces
    are stripped."""
    text = "" if value is None else str(value)
    if multiline:
        return _without_controls(_LINE_BREAKS.sub("\n", text), keep="\n\t").strip()
    return " ".join(_without_controls(_LINE_BREAKS.sub(" ", text), keep="\t").split())


# --- PDF ------------------------------------------------------------------------------------


# What a printed page may load from the package: stylesheets, images and fonts (never its code,
# settings or data files).
PRINT_RESOURCE_SUFFIXES = frozenset({".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".woff", ".woff2", ".ttf", ".otf"})

# Fonts that the print stylesheets name in ``@font-face { src: local(...) }``
# (kit/templates/kit/print_fonts.css): WeasyPrint reads such a font's file through the URL
# fetcher, so their installed files, and no other file outside the package, are served.
# Noto Color Emoji comes with Debian's fonts-noto-color-emoji (the Makefile's PRINT_PACKAGES).
PRINT_FONTS = ("Noto Color Emoji",)


@cache
def print_font_files() -> frozenset[Path]:
    """The installed files of ``PRINT_FONTS`` (once per process), found as WeasyPrint finds a
    ``local()`` font: fontconfig's best match for the full or PostScript name, kept only when
    that name is the one asked for. Empty when the font is not installed: the PDF is then printed
    without it (emoji fall back to whatever fontconfig finds, or are missing)."""
    # Imported here: WeasyPrint loads Pango and fonts, which only printing needs.
    from weasyprint.text.ffi import ffi, fontconfig

    files: set[Path] = set()
    config = fontconfig.FcInitLoadConfigAndFonts()
    try:
        for name in PRINT_FONTS:
            pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
            fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchFont)
            fontconfig.FcDefaultSubstitute(pattern)
            fontconfig.FcPatternAddString(pattern, b"fullname", name.encode())
            fontconfig.FcPatternAddString(pattern, b"postscriptname", name.encode())
            match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
            if match == ffi.NULL:
                continue
            match = ffi.gc(match, fontconfig.FcPatternDestroy)
            value = ffi.new("FcChar8 **")
            for tag in (b"fullname", b"postscriptname"):
                found = fontconfig.FcPatternGetString(match, tag, 0, value) == fontconfig.FcResultMatch
                if found and ffi.string(value[0]).decode().lower() == name.lower():
                    if fontconfig.FcPatternGetString(match, b"file", 0, value) == fontconfig.FcResultMatch:
                        files.add(Path(ffi.string(value[0]).decode()).resolve())
                    break
    finally:
        fontconfig.FcConfigDestroy(config)
    return frozenset(files)


class ResourceRefused(ValueError):
    """The PDF renderer asked for a resource outside the package (WeasyPrint logs it and
    renders without it)."""


def _data_url(url: str) -> dict[str, Any]:
    """A ``data:`` URL of an image, decoded here (never through ``urllib``)."""
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise ResourceRefused("malformed data: URL")
    parameters = [part.strip() for part in header.split(";")]
    mime_type = (parameters[0] or "text/plain").lower()
    if not mime_type.startswith("image/"):
        raise ResourceRefused(f"data: URL of type {mime_type} refused: only images")
    raw = unquote_to_bytes(payload)
    data = base64.b64decode(raw) if "base64" in parameters[1:] else raw
    return {"string": data, "mime_type": mime_type}


def package_url_fetcher(url: str, timeout: float = 10, ssl_context: Any = None, **_options: Any) -> dict[str, Any]:
    """WeasyPrint's URL fetcher for every Entraide PDF: ``file:`` URLs of stylesheets, images
    and fonts inside the ``entraide`` package (``PRINT_RESOURCE_SUFFIXES``) or of the print
    fonts' installed files (``print_font_files``), and ``data:`` images (the QR code).

    Returns WeasyPrint's fetch result (``string``, ``mime_type``, ``redirected_url``). Raises
    ``ResourceRefused`` for anything else: http, https, ftp, a ``file:`` URL naming another
    host, a path outside the package (after resolving ``..`` and symbolic links) or one of its
    code or data files. No network connection is ever opened.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return _data_url(url)
    if scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(parts.path)).resolve()
        in_package = path.is_relative_to(PACKAGE_ROOT) and path.suffix.lower() in PRINT_RESOURCE_SUFFIXES
        if (in_package or path in print_font_files()) and path.is_file():
            mime_type, _encoding = mimetypes.guess_type(path.name)
            return {"string": path.read_bytes(), "mime_type": mime_type, "redirected_url": path.as_uri()}
    raise ResourceRefused(f"{url[:200]!r} is outside the entraide package: refused")


def render_pdf(html: str) -> bytes:
    """The one WeasyPrint render of Entraide: an HTML document (a rendered template, with its
    stylesheet in a ``<style>`` element) as PDF bytes. Relative URLs resolve inside the
    ``entraide`` package; every resource goes through ``package_url_fetcher``."""
    # Imported here: WeasyPrint loads Pango and fonts, which only printing needs.
    from weasyprint import HTML

    document = HTML(string=html, base_url=PACKAGE_ROOT.as_uri() + "/", url_fetcher=package_url_fetcher)
    return document.write_pdf(font_config=_font_configuration())


_fonts = threading.local()


def _font_configuration() -> Any:
    """One WeasyPrint font configuration per thread (Pango's font map is not thread-safe): the
    print fonts' ``@font-face`` files are read and registered once, not at every render."""
    if getattr(_fonts, "configuration", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts.configuration = FontConfiguration()
    return _fonts.configuration
