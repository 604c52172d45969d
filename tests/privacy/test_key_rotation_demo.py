"""Key rotation on a full demo database (issue 14, part 5: "rotation tested on a full demo
database"), through the commands an operator runs, in their order (README, "Data keys"):
``load_demo`` under key A; ``ENTRAIDE_DATA_KEYS=B,A`` and ``rotate_data_keys`` +
``rotate_receipt_keys``; then ``B`` alone. Every encrypted value and receipt of the demo reads the
same before and after, and key A alone no longer reads it (so the rotation did happen)."""

import json
import os
import subprocess

import pytest
from cryptography.fernet import Fernet

from tests.processes import BIN

pytestmark = pytest.mark.integration

# Prints {"<model>.<field>": [sha256 of each decrypted value, sorted], "receipts": [...]}; a value
# no key decrypts raises, so the command fails. A receipt is added first (the demo has none)
# with the member's own grant request, through the domain.
SNAPSHOT = r"""
import hashlib, json
from entraide.core.fields import encrypted_fields
from entraide.core.tenancy import all_tenants
from entraide.grants.domain.receipts import read_receipt
from entraide.grants.models import Receipt
digest = lambda data: hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()
found = {}
with all_tenants():
    for model, fields in encrypted_fields():
        for field in fields:
            values = model._base_manager.values_list(field.name, flat=True)
            found[f"{model._meta.label}.{field.name}"] = sorted(digest(value) for value in values if value)
    found["receipts"] = sorted(digest(read_receipt(receipt)) for receipt in Receipt._base_manager.filter(purged_at__isnull=True))
print(json.dumps(found))
"""

ADD_RECEIPT = r"""
import io
from pypdf import PdfWriter
from entraide.core.tenancy import tenant_scope
from entraide.grants.domain.receipts import add_receipt
from entraide.grants.models import GrantRequest
request = GrantRequest._base_manager.select_related("organisation", "member").filter(status__in=["asked", "granted", "partial"]).first()
writer, buffer = PdfWriter(), io.BytesIO()
writer.add_blank_page(width=200, height=200)
writer.write(buffer)
with tenant_scope(request.organisation):
    add_receipt(request.member, request, "facture.pdf", buffer.getvalue())
"""


def _run(workdir, keys: list[str], *command: str, script: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "ENTRAIDE_DATA_KEYS")}
    env.update(ENTRAIDE_VAR_DIR=str(workdir / "var"), ENTRAIDE_DATA_KEYS=",".join(keys))
    if script is not None:
        command = ("shell", "--no-imports", "-c", script)
    return subprocess.run([str(BIN / "entraide"), *command], env=env, cwd=workdir, capture_output=True, text=True, timeout=600)


def test_rotating_the_data_keys_of_a_full_demo_database(tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("one database engine is enough for the commands' SQL; the embedded default runs it")
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
        done = _run(tmp_path, [old], *command)
        assert done.returncode == 0, done.stderr
    added = _run(tmp_path, [old], script=ADD_RECEIPT)
    assert added.returncode == 0, added.stderr
    before = json.loads(_run(tmp_path, [old], script=SNAPSHOT).stdout.strip().splitlines()[-1])
    filled = {name for name, values in before.items() if values}
    assert len(filled) >= 5, f"the demo should hold encrypted content of several kinds: {filled}"
    assert before["receipts"], "one receipt to rotate"

    for command in ("rotate_data_keys", "rotate_receipt_keys"):
        done = _run(tmp_path, [new, old], command)
        assert done.returncode == 0, done.stderr
    after = _run(tmp_path, [new], script=SNAPSHOT)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout.strip().splitlines()[-1]) == before
    # The old key alone reads nothing any more: every value was re-encrypted.
    assert _run(tmp_path, [old], script=SNAPSHOT).returncode != 0
