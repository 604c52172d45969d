"""Garbage collection of a serving process, tuned so that it does not pause the live rooms.

CPython's full collection (the oldest generation) scans every object the process holds, with
the GIL held: nothing else of the worker runs meanwhile. A worker holding 1,200 websockets
holds about 350,000 objects, and under bench/room.py's 200 rooms on PostgreSQL its full
collections paused it 170 to 270 ms every few seconds (a gc callback's log): the changes
waiting behind such a pause were the benchmark's p99.

So, after each full collection, what survived it (the connections, Django's own objects,
the compiled templates: what lives as long as the process or a connection) is frozen
(``gc.freeze``: left out of later collections), and the next full collections scan only what
came since. Frozen objects are still freed by reference counting when let go; only garbage
held in reference cycles among them would wait, so every ``THAW_S`` they are thawed
(``gc.unfreeze``) and the next full collection scans everything once: one long pause per
period instead of one every few seconds.

Installed by the ASGI entry point (``entraide.asgi``), for the serving processes only.
"""

import gc
import time

THAW_S = 600.0  # seconds between two full scans of everything

_state = {"thawed_at": 0.0}


def install() -> None:
    """Freeze what the process holds once set up, and after every full collection from now
    on (see the module docstring). Idempotent."""
    if _after_collection not in gc.callbacks:
        gc.callbacks.append(_after_collection)
    _state["thawed_at"] = time.monotonic()
    gc.freeze()


def uninstall() -> None:
    """Undo ``install`` (tests): nothing frozen any more, no callback."""
    if _after_collection in gc.callbacks:
        gc.callbacks.remove(_after_collection)
    gc.unfreeze()


def _after_collection(phase: str, info: dict) -> None:
    if phase != "stop" or info.get("generation") != 2:
        return
    now = time.monotonic()
    if now - _state["thawed_at"] >= THAW_S:
        # The next full collection scans everything, cycles among old objects included.
        _state["thawed_at"] = now
        gc.unfreeze()
    else:
        gc.freeze()
