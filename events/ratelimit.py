"""A fixed-window rate limit kept in the cache, so every gunicorn worker (and every host, with
Redis) shares the same counters.

Redis down: the limiter *fails open onto per-process counters*. Each worker then counts on its own
with the same limit, so a client gets at most ``limit × workers`` per window instead of ``limit``.
Refusing everyone (failing closed) would turn a cache outage into lost registrations and proposals,
which the site exists to collect; letting everything through would leave the forms open to floods
exactly when the site is already degraded. The local counters are forgotten when Redis answers
again (they only ever cover an outage).
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache

from home.shared_cache import cache_available

_local_counts = {}
_local_lock = threading.Lock()


def client_ip(request):
    if getattr(settings, "RATELIMIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw: the last entry is the one we can trust.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _shared_hit(key, limit, window_seconds):
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit


def _local_hit(key, limit, window_seconds):
    now = time.monotonic()
    with _local_lock:
        started, count = _local_counts.get(key, (now, 0))
        if now - started >= window_seconds:
            started, count = now, 0
        _local_counts[key] = (started, count + 1)
        # Old windows would pile up during a long outage.
        if len(_local_counts) > 10_000:
            for stale in [k for k, (begun, _) in _local_counts.items() if now - begun >= window_seconds]:
                del _local_counts[stale]
    return count + 1 <= limit


def hit(request, scope, limit, window_seconds):
    """Count one request; return True while the client is within ``limit`` per window."""
    return hit_key(f"ratelimit:{scope}:{client_ip(request)}", limit, window_seconds)


def hit_key(key, limit, window_seconds):
    """``hit`` for any key (an address's hash, an account): True while within ``limit`` per window."""
    if cache_available():
        allowed = _shared_hit(key, limit, window_seconds)
        if cache_available():  # still up: the answer came from the shared counter
            if _local_counts:
                with _local_lock:
                    _local_counts.clear()
            return allowed
    return _local_hit(key, limit, window_seconds)
