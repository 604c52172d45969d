import io
from datetime import date
from decimal import Decimal

import pytest

from entraide.core.tenancy import tenant_scope
from entraide.grants.domain import grants
from entraide.grants.domain.receipts import add_receipt


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    """Receipts go to this test's own folder, never var/."""
    settings.ENTRAIDE_PRIVATE_DIR = tmp_path / "private"
    return settings.ENTRAIDE_PRIVATE_DIR


def pdf_bytes(text: str = "Facture 2026-031") -> bytes:
    """A real one-page PDF, made by pypdf (plain: no script, no action)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def ask(organisation, member, **changes):
    values = dict(
        training_title="Formation à l'animation d'ateliers d'écriture", provider="Les Ateliers du Sud",
        starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6), cost=Decimal("1200.00"),
        amount_asked=Decimal("600.00"), commitment="Animer un atelier du réseau sur ce que j'aurai appris.",
    )
    values.update(changes)
    with tenant_scope(organisation):
        return grants.ask_grant(member, organisation, grants.GrantAsk(**values))


@pytest.fixture
def budget(organisation, coordinator):
    from django.utils import timezone

    with tenant_scope(organisation):
        return grants.set_budget(coordinator, organisation, timezone.localdate().year, "2000")


@pytest.fixture
def granted(organisation, member, coordinator, budget):
    """A request of 600 granted 400 (partial), with one PDF receipt uploaded."""
    request = ask(organisation, member)
    with tenant_scope(organisation):
        request = grants.decide(coordinator, request, grants.PARTIAL, "Budget partagé entre trois demandes.", "400")
        receipt = add_receipt(member, request, "facture.pdf", pdf_bytes())
    request.receipt = receipt
    return request
