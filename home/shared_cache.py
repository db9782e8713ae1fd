"""A Redis cache that degrades to "no cache" when Redis is down, instead of taking the site down.

Django's ``RedisCache`` raises on every call when Redis is unreachable. The default cache is read on
every public page — by Wagtail itself (site root paths, renditions), by the page cache and by the rate
limiter — so a stopped Redis used to answer 500 on every public page. This backend behaves, while
Redis is unreachable, like a cache that forgets everything at once: reads miss, writes are dropped,
``add`` reports success (stored, then evicted), ``incr`` finds no key. Any code written for Django's
cache contract, which allows eviction at any time, keeps working.

A per-process circuit breaker avoids paying the connection timeout on every call: after a failure
Redis is left alone for ``RETRY_SECONDS``, then the next call tries again. The first failure and the
recovery are logged, then at most one error per ``LOG_INTERVAL`` per process. The socket timeouts in
``CACHES["default"]["OPTIONS"]`` bound what a Redis that accepts connections but never answers costs.

Code that must know whether the shared cache is really there (the rate limiter falls back to
per-process counters, the page cache stops storing, the readiness check reports it) asks
``cache_available()``.
"""

import logging
import threading
import time

import redis
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
LOG_INTERVAL = 60
# Redis unreachable, not answering, loading its data or turned read-only by a failover.
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, redis.exceptions.ReadOnlyError)

# Per process and per Redis location (Django builds one cache object per thread).
_state = {}
_lock = threading.Lock()


class _Outage:
    def __init__(self):
        self.down_until = 0.0
        self.logged_at = None


def _outage(location):
    with _lock:
        return _state.setdefault(location, _Outage())


class ResilientRedisCache(RedisCache):
    @property
    def _location(self):
        return ",".join(self._servers)

    @property
    def unavailable(self):
        return time.monotonic() < _outage(self._location).down_until

    def _failed(self, error):
        outage = _outage(self._location)
        now = time.monotonic()
        outage.down_until = now + RETRY_SECONDS
        if outage.logged_at is None or now - outage.logged_at >= LOG_INTERVAL:
            outage.logged_at = now
            logger.error("Redis unreachable (%s: %s): serving without the shared cache", type(error).__name__, error)

    def _recovered(self):
        outage = _outage(self._location)
        if outage.logged_at is not None:
            outage.logged_at = None
            logger.warning("Redis answers again: shared cache back in use")

    def _call(self, method, fallback, *args, **kwargs):
        if self.unavailable:
            return fallback()
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except UNAVAILABLE as error:
            self._failed(error)
            return fallback()
        self._recovered()
        return result

    def ping(self):
        """A real round trip, whatever the breaker says (for the readiness check)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNAVAILABLE as error:
            self._failed(error)
            return False
        _outage(self._location).down_until = 0.0
        self._recovered()
        return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found.")

        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: False)


def cache_available(cache=None):
    """False while the (Redis) cache is known to be unreachable in this process."""
    return not getattr(cache or default_cache, "unavailable", False)
