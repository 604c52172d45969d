"""What people write is ciphertext in the database, readable with rotated keys, never lost."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from entraide.core.crypto import cipher, parse_keys
from entraide.core.tenancy import tenant_scope
from tests.testapp.models import Note

pytestmark = pytest.mark.integration

SECRET = "Ma cheffe de service m'a reproché devant l'équipe une erreur de planning."


def raw_column(note: Note, column: str = "text") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM testapp_note WHERE id = %s", [note.pk])
        return cursor.fetchone()[0]


def test_the_database_column_holds_ciphertext(organisation):
    with tenant_scope(organisation):
        note = Note.objects.create(organisation=organisation, text=SECRET)
        stored = raw_column(note)
        assert SECRET not in stored and "cheffe" not in stored
        assert cipher().decrypt(stored.encode()).decode() == SECRET
        assert Note.objects.get(pk=note.pk).text == SECRET
        # Two writes of the same text give different ciphertexts (no equality leak).
        again = Note.objects.create(organisation=organisation, text=SECRET)
        assert raw_column(again) != stored


def test_null_stays_null_and_empty_text_round_trips(organisation):
    with tenant_scope(organisation):
        note = Note.objects.create(organisation=organisation, text="", comment=None)
        assert raw_column(note, "comment") is None
        reloaded = Note.objects.get(pk=note.pk)
        assert reloaded.text == "" and reloaded.comment is None


def test_searching_inside_ciphertext_is_refused(organisation):
    with tenant_scope(organisation), pytest.raises(Exception):
        list(Note.objects.filter(text__contains="cheffe"))


def test_rotation_reencrypts_everything_and_loses_nothing(organisation, settings):
    old_key = settings.ENTRAIDE_DATA_KEYS[0]
    texts = [f"{SECRET} ({i})" for i in range(1203)]  # more than two batches
    with tenant_scope(organisation):
        Note.objects.bulk_create([Note(organisation=organisation, text=t, comment=t[::-1] if i % 2 else None) for i, t in enumerate(texts)])
        before = {n.pk: raw_column(n) for n in Note.objects.all()[:3]}

    new_key = Fernet.generate_key().decode()
    settings.ENTRAIDE_DATA_KEYS = [new_key, old_key]
    call_command("rotate_data_keys", stdout=StringIO())

    # The old key is gone: everything still reads, with the new key alone.
    settings.ENTRAIDE_DATA_KEYS = [new_key]
    only_new = parse_keys([new_key])
    with tenant_scope(organisation):
        for pk, old_token in before.items():
            token = Note.objects.filter(pk=pk).values_list("id", flat=True).get()
            assert raw_column(Note(pk=token)) != old_token
            assert only_new.decrypt(raw_column(Note(pk=token)).encode())
        notes = list(Note.objects.order_by("pk"))
    assert [n.text for n in notes] == texts
    assert [n.comment for n in notes] == [t[::-1] if i % 2 else None for i, t in enumerate(texts)]


def test_rotation_without_the_old_key_changes_nothing(organisation, settings):
    with tenant_scope(organisation):
        note = Note.objects.create(organisation=organisation, text=SECRET)
    stored = raw_column(note)
    settings.ENTRAIDE_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="no key"):
        call_command("rotate_data_keys", stdout=StringIO())
    assert raw_column(note) == stored


def test_a_malformed_key_is_reported_without_echoing_it(settings):
    settings.ENTRAIDE_DATA_KEYS = ["not-a-key-at-all"]
    with pytest.raises(Exception) as raised:
        cipher()
    assert "not-a-key-at-all" not in str(raised.value)
    assert "key number 1" in str(raised.value)
