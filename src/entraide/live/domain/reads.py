"""Reads shared by the views of one push: within ``shared_reads()``, a read that says what it
is (``read(key, load)``) runs once and every view built in the scope takes its result.

A change of a room is rendered for the facilitator's console and for the phones' shared
render (realtime.render), two view models of the same table at the same moment: their rows
(people, rules, problems, questions, ideas, actions, consents, the theme) are the same, and
reading them twice was half of a push's database work (bench/room.py, cProfile). Outside a
scope (the HTTP pages, the commands but for their first unlocked look at the session,
``commands.look``) ``read`` simply loads.

What is read here is shared, so it must be read only: the view builders make dicts of the
rows and never change them. A scope lasts one push (milliseconds); it is no cache.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("entraide_live_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """A scope in which ``read`` loads each key once (nested scopes share the outer one)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def read(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``, or within ``shared_reads()`` the result of the first ``load`` of ``key``.
    ``key`` names what is read and of what, e.g. ("rules", table id, version)."""
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]
