"""Receipts: checked by their content, stored encrypted outside the static files, purged after
the accounting retention (issue 13, point 4; field document 000: "toujours contre remise d'un
justificatif (note de frais réels, reçu, facture…)").

A receipt is a PDF, a JPEG or a PNG, at most ``MAX_BYTES``. Its type is found from its bytes,
never from its name or the browser's content type:

- a PDF starts with ``%PDF-``, pypdf reads it, and it holds no JavaScript, no automatic action
  (``/OpenAction``, ``/AA``, ``/Launch``), no embedded file, and nothing after its last
  ``%%EOF`` but white space (a file that is a PDF and something else, a polyglot, is refused);
- a PNG or JPEG starts with its magic bytes and Pillow decodes it as that same format;
- anything whose first KB holds ``<script``, ``<html`` or ``<svg`` (SVG, HTML, polyglots) is
  refused whatever it claims to be.

The name shown is sanitised (last path component, no control characters, no ``..``) and its
extension is the detected type's; the file on disk is named by a random token plus that
extension, under ``settings.ENTRAIDE_PRIVATE_DIR/receipts/<organisation id>/``, and holds the
Fernet token of the bytes (``core.crypto.cipher``, the keys of every other encrypted content).
"""

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.actions import DomainError, write
from entraide.core.crypto import cipher
from entraide.core.tenancy import all_tenants

from ..models import GrantRequest, Receipt

MAX_BYTES = 10 * 1024 * 1024
MAX_PDF_OBJECTS = 50_000
# In the first KB of any file: the marks of markup a browser would run.
ACTIVE_MARKUP = (b"<script", b"<html", b"<svg", b"<!doctype html", b"<?xml", b"<iframe")
# PDF names of active content: scripts, automatic actions, launching programs, attached files.
PDF_ACTIVE_NAMES = ("/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA", "/SubmitForm", "/ImportData")
PDF_ACTIVE_BYTES = re.compile(rb"/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    extension: str


PDF = Kind("pdf", "application/pdf", "pdf")
PNG = Kind("png", "image/png", "png")
JPEG = Kind("jpeg", "image/jpeg", "jpg")


@dataclass(frozen=True)
class CheckedReceipt:
    """A file that passed ``check_receipt``: its bytes, type, sanitised name, size, sha256."""

    data: bytes
    kind: Kind
    name: str
    size: int
    sha256: str


def _refuse(message, code: str) -> DomainError:
    return DomainError(message, code=code, field="file")


def too_large() -> DomainError:
    """The refusal of a file over ``MAX_BYTES`` (the web door raises it before reading)."""
    return _refuse(_("The file is larger than 10 MB."), "too_large")


def sanitise_name(name: str, kind: Kind) -> str:
    """The name to show and download under: the last component of ``name`` (``/`` and ``\\``
    both separate), NFC, control and format characters removed, every trailing short extension
    (``recu.pdf.exe`` -> ``recu``) and any ``..`` dropped, at most 100 characters, then the
    detected type's extension. ``recu`` when nothing is left."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    base = base.replace("..", "").replace('"', "").strip(" .")
    while True:
        stem, dot, extension = base.rpartition(".")
        if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", extension):
            base = stem.strip(" .")
        else:
            break
    base = " ".join(base.split())[:100].strip(" .") or "recu"
    return f"{base}.{kind.extension}"


# A PDF's first line is its header alone; before its first object only comment lines
# (the binary marker "%âãÏÓ") may come. Code there is another language's (a JavaScript polyglot).
PDF_PREAMBLE = re.compile(rb"%PDF-[12]\.\d[ \t]*(\r\n|\r|\n)(%[^\r\n]*(\r\n|\r|\n)|[ \t\r\n])*\d+[ \t]+\d+[ \t]+obj\b")


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import DictionaryObject, IndirectObject

    if not PDF_PREAMBLE.match(data[:4096]):
        raise _refuse(_("This PDF holds something else before its content: it is refused."), "polyglot")
    tail = data[data.rfind(b"%%EOF") + 5 :] if b"%%EOF" in data else b"?"
    if tail.strip(b" \t\r\n\x00"):
        raise _refuse(_("This PDF holds something else after its end: it is refused."), "polyglot")
    if PDF_ACTIVE_BYTES.search(data):
        raise _refuse(_("This PDF holds scripts, automatic actions or attached files: print it to a plain PDF and try again."), "active_pdf")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise _refuse(_("This PDF is protected by a password: send it without one."), "unreadable")
            if len(reader.pages) < 1:
                raise _refuse(_("This PDF has no page."), "unreadable")
            # Objects packed in compressed object streams escape the byte scan above: read them all.
            numbers = [(number, generation) for generation, objects in reader.xref.items() for number in objects]
            numbers += [(number, 0) for number in reader.xref_objStm]
            for number, generation in numbers[:MAX_PDF_OBJECTS]:
                found = reader.get_object(IndirectObject(number, generation, reader))
                if isinstance(found, DictionaryObject) and any(name in found for name in PDF_ACTIVE_NAMES):
                    raise _refuse(_("This PDF holds scripts, automatic actions or attached files: print it to a plain PDF and try again."), "active_pdf")
                if isinstance(found, DictionaryObject) and found.get("/S") in ("/JavaScript", "/Launch"):
                    raise _refuse(_("This PDF holds scripts, automatic actions or attached files: print it to a plain PDF and try again."), "active_pdf")
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise _refuse(_("This file starts like a PDF but cannot be read as one."), "unreadable") from None


def _check_image(data: bytes, kind: Kind) -> None:
    from PIL import Image, UnidentifiedImageError

    expected = {"png": "PNG", "jpeg": "JPEG"}[kind.name]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                if image.format != expected:
                    raise _refuse(_("The content of this image does not match its type."), "mismatch")
                image.verify()
            # verify() leaves the image unusable; decode it fully once more.
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                image.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse(_("The content of this image does not match its type, or it is damaged."), "mismatch") from None


def check_receipt(name: str, data: bytes) -> CheckedReceipt:
    """Check an uploaded receipt by its content and return it with its sanitised name.

    ``name``: the name the browser sent (any text). ``data``: the whole file. Raises
    ``DomainError`` on field ``"file"``, codes ``"empty"``, ``"too_large"`` (over 10 MB),
    ``"active_content"`` (markup in the first KB: SVG, HTML, polyglots), ``"unknown_type"``
    (neither PDF, PNG nor JPEG by its bytes: ``recu.pdf.exe`` holding a program),
    ``"polyglot"``, ``"active_pdf"``, ``"unreadable"``, ``"mismatch"`` (magic bytes of one
    image format, content of another).
    """
    if not data:
        raise _refuse(_("The file is empty."), "empty")
    if len(data) > MAX_BYTES:
        raise too_large()
    head = data[:1024].lower()
    if any(mark in head for mark in ACTIVE_MARKUP):
        raise _refuse(_("Web pages and SVG images are not accepted: send a PDF, JPEG or PNG."), "active_content")
    if data.startswith(b"%PDF-"):
        kind = PDF
        _check_pdf(data)
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
        _check_image(data, kind)
    elif data.startswith(b"\xff\xd8\xff"):
        kind = JPEG
        _check_image(data, kind)
    else:
        raise _refuse(_("Only PDF, JPEG and PNG files are accepted (the content decides, not the name)."), "unknown_type")
    return CheckedReceipt(data, kind, sanitise_name(name, kind), len(data), hashlib.sha256(data).hexdigest())


# --- Storage --------------------------------------------------------------------------------


def receipts_dir() -> Path:
    return Path(settings.ENTRAIDE_PRIVATE_DIR) / "receipts"


def _path(receipt: Receipt) -> Path:
    return receipts_dir() / str(receipt.organisation_id) / receipt.stored_name


def add_receipt(actor, request: GrantRequest, name: str, data: bytes) -> Receipt:
    """Check and store a receipt of ``request`` uploaded by its member (a request not refused,
    granted or still asked: "ask first, attach proof later"). Returns the ``Receipt``.

    Raises what ``check_receipt`` raises, ``DomainError`` code ``"closed"`` (the request was
    refused, or is fully paid), and ``PermissionDenied``/``Http404`` for anyone but the requester.
    """
    checked = check_receipt(name, data)
    stored_name = f"{secrets.token_hex(16)}.{checked.kind.extension}"
    path = receipts_dir() / str(request.organisation_id) / stored_name
    try:
        with write(actor, "grants.change_request", request, "grant.receipt_added", lock=request, subject=request.member) as w:
            if w.obj.status not in (GrantRequest.Status.ASKED, GrantRequest.Status.GRANTED, GrantRequest.Status.PARTIAL):
                raise DomainError(_("Receipts are added while the grant is asked or granted and not fully paid."), code="closed", field="file")
            receipt = Receipt.objects.create(
                organisation_id=request.organisation_id, request=w.obj, stored_name=stored_name, original_name=checked.name,
                content_type=checked.kind.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=actor,
            )
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.write_bytes(cipher().encrypt(checked.data))
            path.chmod(0o600)
    except BaseException:
        # Rolled back: no file may stay behind without its row.
        path.unlink(missing_ok=True)
        raise
    return receipt


def open_receipt(actor, receipt: Receipt) -> bytes:
    """The receipt's bytes for ``actor``, who may see its request (the caller checked
    ``grants.view_request``). A read by anyone but the requester (a coordinator) is logged on
    the request, so the member sees who opened their receipts (DESIGN.md: reads of sensitive
    content are logged and shown to the person concerned). ``FileNotFoundError`` once purged."""
    from django.db import transaction

    from entraide.core.actions import log

    data = read_receipt(receipt)
    if getattr(actor, "pk", None) != receipt.request.member_id:
        with transaction.atomic():
            log(actor, "grant.receipt_read", receipt.request, subject=receipt.request.member)
    return data


def read_receipt(receipt: Receipt) -> bytes:
    """The decrypted bytes of a receipt's file; ``FileNotFoundError`` once purged."""
    if receipt.purged_at is not None:
        raise FileNotFoundError(receipt.stored_name)
    return cipher().decrypt(_path(receipt).read_bytes())


def rotate_receipt_keys() -> int:
    """Re-encrypt every receipt file still on disk with the newest data key (the files'
    counterpart of ``entraide rotate_data_keys``; run it at step 3 of a key rotation). Each file
    is replaced atomically (written aside, then renamed); interrupted, it can run again.
    Returns how many files were rewritten. ``InvalidToken`` when no key decrypts a file."""
    import os

    fernet = cipher()
    rotated = 0
    with all_tenants():
        for receipt in Receipt.objects.filter(purged_at__isnull=True).order_by("pk"):
            path = _path(receipt)
            if not path.exists():
                continue
            aside = path.with_name(path.name + ".rotating")
            aside.write_bytes(fernet.rotate(path.read_bytes()))
            aside.chmod(0o600)
            os.replace(aside, path)
            rotated += 1
    return rotated


def purge_receipts(years: int | None = None, now=None, *, organisation=None, before=None, dry_run: bool = False) -> int:
    """Delete the files of receipts uploaded more than ``years`` years ago (default
    ``settings.ENTRAIDE_RECEIPT_RETENTION_YEARS``, 10: the accounting rules' period) in every
    organisation; their rows stay (name, size, sha256, the payments they covered) with
    ``purged_at`` set. Idempotent; returns how many files were purged.
    ``organisation``: only that one; ``before``: a datetime that replaces ``years`` (the
    retention of ``privacy.retention``, already bounded by the accounting period there);
    ``dry_run``: count and change nothing. Each purge is logged (``receipt.purged``, no actor)."""
    from entraide.core.actions import log

    years = settings.ENTRAIDE_RECEIPT_RETENTION_YEARS if years is None else years
    now = now or timezone.now()
    if before is None:
        before = now - timedelta(days=round(365.25 * years))
    purged = 0
    with all_tenants():
        due = Receipt.objects.filter(uploaded_at__lt=before, purged_at__isnull=True).order_by("pk")
        if organisation is not None:
            due = due.filter(organisation=organisation)
        if dry_run:
            return due.count()
        for receipt in due.select_related("organisation"):
            _path(receipt).unlink(missing_ok=True)
            Receipt.objects.filter(pk=receipt.pk).update(purged_at=now)
            log(None, "receipt.purged", receipt, organisation=receipt.organisation)
            purged += 1
    return purged
