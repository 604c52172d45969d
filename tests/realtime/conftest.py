from tests.live.conftest import Room, open_room, room  # noqa: F401  (the live tests' room)
