"""Receipts are checked by their content, stored encrypted outside the static files, purged
after the retention period (issue 13: the upload probes)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from entraide.core.actions import DomainError
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.grants.domain import grants, receipts
from entraide.grants.models import Receipt

from .conftest import ask, jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.integration


def _writer_bytes(build) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _refused(name: str, data: bytes) -> str:
    with pytest.raises(DomainError) as refused:
        receipts.check_receipt(name, data)
    assert refused.value.field == "file" and str(refused.value.message)
    return refused.value.code


def test_plain_pdf_png_and_jpeg_are_accepted_under_a_name_of_their_type():
    assert receipts.check_receipt("Facture mars.pdf", pdf_bytes()).kind == receipts.PDF
    checked = receipts.check_receipt("photo.PNG", png_bytes())
    assert (checked.kind.content_type, checked.name) == ("image/png", "photo.png")
    checked = receipts.check_receipt("ticket.jpeg", jpeg_bytes())
    assert (checked.kind.content_type, checked.name) == ("image/jpeg", "ticket.jpg")


def _javascript(writer):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('polyglotte');"),
    })


def test_a_pdf_that_is_also_javascript_is_refused():
    assert _refused("recu.pdf", _writer_bytes(_javascript)) == "active_pdf"
    # A script appended after the PDF's end: beyond the first KB, the trailing bytes give it away.
    polyglot = pdf_bytes("Facture " * 300) + b"\n<script>alert(document.cookie)</script>\n"
    assert polyglot.find(b"<script") > 1024
    assert _refused("recu.pdf", polyglot) == "polyglot"
    javascript_first = b"%PDF-1.4 /*\n" + b"*/ alert(1); /*" + pdf_bytes()[8:]
    assert _refused("recu.pdf", javascript_first) == "polyglot"


def test_a_pdf_with_an_automatic_action_or_an_attachment_is_refused():
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def open_action(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe"),
        })

    assert _refused("recu.pdf", _writer_bytes(open_action)) == "active_pdf"
    assert _refused("recu.pdf", _writer_bytes(lambda w: w.add_attachment("virus.exe", b"MZ..."))) == "active_pdf"


def test_active_names_are_found_by_reading_every_object_too(monkeypatch):
    """Names packed in a compressed object stream escape a scan of the bytes: every object is
    read as well. The byte scan is switched off here to show the second check on its own."""
    import re

    monkeypatch.setattr(receipts, "PDF_ACTIVE_BYTES", re.compile(rb"(?!x)x"))
    with pytest.raises(DomainError) as refused:
        receipts.check_receipt("recu.pdf", _writer_bytes(_javascript))
    assert refused.value.code == "active_pdf"
    assert receipts.check_receipt("recu.pdf", pdf_bytes()).kind == receipts.PDF


def test_an_svg_with_a_script_and_html_are_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert _refused("recu.svg", svg) == "active_content"
    assert _refused("recu.png", svg.replace(b"<?xml version=\"1.0\"?>", b"")) == "active_content"
    assert _refused("recu.pdf", b"<!DOCTYPE html><html><body>Facture</body></html>") == "active_content"
    # Markup anywhere in the first KB, even behind real magic bytes.
    assert _refused("recu.png", png_bytes()[:16] + b"<script>alert(1)</script>" + png_bytes()[16:]) == "active_content"


def test_parent_directories_and_control_characters_leave_the_name():
    checked = receipts.check_receipt("../../etc/passwd", pdf_bytes())
    assert checked.name == "passwd.pdf"
    assert receipts.check_receipt("..\\..\\Windows\\facture.pdf", pdf_bytes()).name == "facture.pdf"
    assert receipts.check_receipt("fac\x00tu\nre\u202e.pdf", pdf_bytes()).name == "facture.pdf"
    assert receipts.check_receipt("....pdf", pdf_bytes()).name == "pdf.pdf"
    assert receipts.check_receipt("...", pdf_bytes()).name == "recu.pdf"
    assert receipts.check_receipt('a"b.pdf', pdf_bytes()).name == "ab.pdf"


def test_a_double_extension_is_refused_when_the_content_is_not_a_pdf_and_renamed_when_it_is():
    assert _refused("recu.pdf.exe", b"MZ\x90\x00" + b"\x00" * 200) == "unknown_type"
    assert receipts.check_receipt("recu.pdf.exe", pdf_bytes()).name == "recu.pdf"
    assert _refused("recu.pdf", b"Bonjour, voici ma facture.") == "unknown_type"


def test_more_than_10_mb_is_refused_and_10_mb_is_not():
    big = pdf_bytes()
    assert _refused("recu.pdf", big + b"\n" * (11 * 1024 * 1024)) == "too_large"
    assert _refused("recu.pdf", b"") == "empty"
    exact = big + b" " * (receipts.MAX_BYTES - len(big))
    assert receipts.check_receipt("recu.pdf", exact).size == receipts.MAX_BYTES


def test_a_png_with_jpeg_magic_and_a_damaged_image_are_refused():
    png = png_bytes()
    assert _refused("recu.png", b"\xff\xd8\xff\xe0" + png[4:]) == "mismatch"
    assert _refused("recu.jpg", b"\x89PNG\r\n\x1a\n" + jpeg_bytes()[8:]) == "mismatch"
    assert _refused("recu.png", png[: len(png) // 2]) == "mismatch"
    assert _refused("recu.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\n%%EOF") == "unreadable"
    assert _refused("recu.pdf", b"%PDF-1.7\n garbage %%EOF") == "polyglot"


def test_a_receipt_is_stored_encrypted_outside_the_static_files(organisation, member, coordinator, budget, _private_dir, settings):
    from pathlib import Path

    request = ask(organisation, member)
    data = pdf_bytes()
    with tenant_scope(organisation):
        receipt = receipts.add_receipt(member, request, "../Facture été.pdf", data)
    path = _private_dir / "receipts" / str(organisation.pk) / receipt.stored_name
    assert path.exists() and data not in path.read_bytes() and b"%PDF" not in path.read_bytes()
    assert receipt.stored_name.endswith(".pdf") and "Facture" not in receipt.stored_name
    assert (receipt.original_name, receipt.content_type, receipt.size) == ("Facture été.pdf", "application/pdf", len(data))
    assert receipts.read_receipt(receipt) == data
    assert not path.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())


def test_only_the_requester_adds_receipts_and_not_after_a_refusal(organisation, member, coordinator, budget):
    from django.core.exceptions import PermissionDenied

    request = ask(organisation, member)
    with tenant_scope(organisation):
        with pytest.raises(PermissionDenied):
            receipts.add_receipt(coordinator, request, "facture.pdf", pdf_bytes())
        request = grants.decide(coordinator, request, grants.REFUSED, "Hors du champ des bourses.")
        with pytest.raises(DomainError) as refused:
            receipts.add_receipt(member, request, "facture.pdf", pdf_bytes())
        assert refused.value.code == "closed"
        assert not Receipt.objects.exists()


def test_retention_purges_old_receipt_files_only(organisation, member, granted, settings):
    with tenant_scope(organisation):
        recent = receipts.add_receipt(member, granted, "recent.png", png_bytes())
    old = granted.receipt
    with all_tenants():
        Receipt.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=365 * 10 + 5))
        old.refresh_from_db()
    old_path = receipts._path(old)
    assert old_path.exists()
    from django.core.management import call_command

    out = io.StringIO()
    call_command("purge_grant_receipts", stdout=out)
    assert "1 receipt" in out.getvalue()
    assert not old_path.exists() and receipts._path(recent).exists()
    with all_tenants():
        old.refresh_from_db()
    assert old.purged_at is not None and old.sha256
    with pytest.raises(FileNotFoundError):
        receipts.read_receipt(old)
    assert receipts.purge_receipts() == 0  # idempotent
    settings.ENTRAIDE_RECEIPT_RETENTION_YEARS = 0
    assert receipts.purge_receipts() == 1


def test_a_pdf_printed_by_weasyprint_is_accepted():
    from entraide.core.exports import render_pdf

    data = render_pdf("<html><body><h1>Facture n° 42</h1><p>Formation : 600 €</p></body></html>")
    assert receipts.check_receipt("facture.pdf", data).kind == receipts.PDF


def test_receipt_files_follow_a_key_rotation(organisation, member, granted, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old_key = settings.ENTRAIDE_DATA_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.ENTRAIDE_DATA_KEYS = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_receipt_keys", stdout=out)
    assert "1 receipt files re-encrypted." in out.getvalue()
    settings.ENTRAIDE_DATA_KEYS = [new_key]
    assert receipts.read_receipt(granted.receipt) == pdf_bytes()


def test_a_receipt_write_rolled_back_leaves_no_file(organisation, member, budget, _private_dir, monkeypatch):
    from entraide.core import actions

    request = ask(organisation, member)

    def failing_log(*args, **kwargs):
        raise RuntimeError("the log could not be written")

    monkeypatch.setattr(actions, "log", failing_log)
    with tenant_scope(organisation), pytest.raises(RuntimeError):
        receipts.add_receipt(member, request, "facture.pdf", pdf_bytes())
    with all_tenants():
        assert not Receipt.objects.exists()
    folder = _private_dir / "receipts" / str(organisation.pk)
    assert not folder.exists() or not any(folder.iterdir())
