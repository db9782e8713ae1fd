"""A private redis-server on a free port, that a test can stop and start again (a real outage)."""

import shutil
import subprocess
import time

import pytest
import redis

from tests.smtp_servers import refused_port


class PrivateRedis:
    def __init__(self):
        self.port = refused_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        # No persistence: a restart brings back an empty Redis, the harder case for the site.
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def redis_cache(url):
    """CACHES as production sets them for ``url`` (site_project/settings/base.py)."""
    return {
        "default": {
            "BACKEND": "home.shared_cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
