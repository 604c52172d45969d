from datetime import time

import pytest

from tests.live.conftest import Room, open_room


@pytest.fixture
def exchange_room(builtins, organisation, facilitator) -> Room:
    """A practice-exchange session (its protocol has theme steps) with six participants."""
    return open_room(organisation, facilitator, "echange-de-pratiques", time(9), time(12, 30))
