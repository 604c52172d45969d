"""Rate limit of the JSON API, per personal token (issue 15).

A fixed window in the Django cache (Redis in production, so every worker counts together):
at most ``settings.ENTRAIDE_API_RATE_LIMIT`` requests per token in each window of
``settings.ENTRAIDE_API_RATE_WINDOW`` seconds (default 120 per 60 s). Beyond, the caller waits
until the window ends (the Retry-After of the 429).
"""

import math
import time

from django.conf import settings
from django.core.cache import cache


def rate_limit() -> tuple[int, int]:
    """(requests, window in seconds) as configured; at least 1 of each."""
    return max(1, int(settings.ENTRAIDE_API_RATE_LIMIT)), max(1, int(settings.ENTRAIDE_API_RATE_WINDOW))


def hit(token_id: int, now: float | None = None) -> int | None:
    """Count one request of token ``token_id``. None when it is allowed; otherwise the whole
    seconds to wait (at least 1) until the current window ends. One or two cache calls."""
    limit, window = rate_limit()
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = f"api-rate:{token_id}:{start}"
    # add() is atomic and does nothing when the key exists; incr() is atomic on Redis.
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))
