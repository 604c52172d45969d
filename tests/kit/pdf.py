"""Reading a real PDF back with poppler's pdftotext, one normalised text per page."""

import subprocess
from pathlib import Path


def pdf_pages(pdf: bytes | Path) -> list[str]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    assert data.startswith(b"%PDF-"), "not a PDF"
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True, timeout=60)
    pages = done.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    # Lines wrap wherever the layout put them: compare words, not lines.
    return [" ".join(page.split()) for page in pages]


def pages_with(pages: list[str], text: str) -> int:
    return sum(1 for page in pages if text in page)


def occurrences(pages: list[str], text: str) -> int:
    return sum(page.count(text) for page in pages)
