"""A fixed-window rate limit kept in the cache, so every gunicorn worker (and every host, with
Redis) shares the same counters."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    if getattr(settings, "RATELIMIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw: the last entry is the one we can trust.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(request, scope, limit, window_seconds):
    """Count one request; return True while the client is within ``limit`` per window."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit
