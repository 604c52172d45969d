"""The embedded default's channel layer.

Channels' InMemoryChannelLayer sweeps every channel and group for expired messages on every
``receive``: with a thousand connected participants that sweep was a quarter of the server's
time under load (py-spy, bench/fanout.py). Sweeping at most once a second keeps the same
semantics (an expired message is dropped at most a second later) at a fraction of the cost.
"""

import time

from channels.layers import InMemoryChannelLayer


class ThrottledInMemoryChannelLayer(InMemoryChannelLayer):
    sweep_interval = 1.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < self.sweep_interval:
            return
        self._last_sweep = now
        super()._clean_expired()
