"""The serving processes' garbage collection (entraide.core.collector)."""

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entraide.core import collector


@pytest.fixture
def installed():
    collector.install()
    yield
    collector.uninstall()


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_full_collection_freezes_its_survivors_so_the_next_one_scans_only_what_is_new(installed):
    kept = [Cycle() for _ in range(1000)]
    gc.collect(2)
    frozen = gc.get_freeze_count()
    assert frozen >= len(kept)
    assert all(not any(item is k for item in gc.get_objects(2)) for k in kept[:5])
    gc.collect(2)
    assert gc.get_freeze_count() >= frozen


def test_frozen_objects_are_thawed_every_period_so_cycles_among_them_are_still_collected(installed, monkeypatch):
    garbage = [Cycle() for _ in range(1000)]
    gc.collect(2)
    assert gc.get_freeze_count() > 0
    del garbage  # a cycle each, now unreachable but frozen: not collected yet
    monkeypatch.setitem(collector._state, "thawed_at", collector._state["thawed_at"] - collector.THAW_S)
    gc.collect(2)  # the period is over: thawed after this collection
    assert gc.get_freeze_count() == 0
    assert gc.collect(2) >= 1000  # the next full collection finds the cycles


def test_uninstall_leaves_nothing_frozen_and_no_callback():
    collector.install()
    collector.uninstall()
    assert gc.get_freeze_count() == 0
    assert collector._after_collection not in gc.callbacks


def test_the_serving_entry_point_installs_it():
    # In a process of its own: this one may have imported the entry point already.
    script = "import gc, entraide.asgi; from entraide.core import collector; print(collector._after_collection in gc.callbacks, gc.get_freeze_count() > 0)"
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "True"], done.stderr
