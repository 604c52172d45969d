import pytest

from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role

from ..conftest import PASSWORD


@pytest.fixture
def make_member(organisation):
    def make(number: int, role: str = Role.MEMBER, language: str = "fr"):
        user = ensure_account(f"person{number:02d}@example.org", f"Personne {number:02d}", password=PASSWORD, language=language)
        set_membership(organisation, user, role)
        return user

    return make
