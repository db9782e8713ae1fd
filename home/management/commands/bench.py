import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_PATHS = ["/", "/quartiers/", "/quartiers/tarascon/", "/a-propos/"]


class Command(BaseCommand):
    help = (
        "Throughput of public pages under gunicorn (production settings, this database), as a ratio to "
        "the trivial /sante/ view on the same server. A benchmark, not a test: it prints figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
        parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)

    def handle(self, *args, workers, concurrency, seconds, paths, **options):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(40),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SERVE_MEDIA": "true",
        }
        base_dir = Path(settings.BASE_DIR)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=base_dir, env=env, check=True
        )
        server = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            [sys.executable, "-m", "gunicorn", "site_project.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--log-level", "warning"],
            cwd=base_dir, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            self._wait(base, server)
            self.stdout.write(f"gunicorn: {workers} workers, {concurrency} concurrent clients, {seconds:.0f} s each")
            reference = self._measure(base + "/sante/", concurrency, seconds)
            self.stdout.write(self._line("/sante/ (trivial view)", reference, reference))
            for path in paths:
                self.stdout.write(self._line(path, self._measure(base + path, concurrency, seconds), reference))
        finally:
            server.terminate()
            server.wait(timeout=30)

    def _wait(self, base, server):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopped before answering")
            try:
                urllib.request.urlopen(base + "/sante/", timeout=2)  # noqa: S310 - our own local server
                return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not answer within 60 s")

    def _measure(self, url, concurrency, seconds):
        urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 - warm renditions and caches
        latencies, errors = [], []
        stop_at = time.monotonic() + seconds

        def client():
            while time.monotonic() < stop_at:
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
                        response.read()
                    latencies.append(time.perf_counter() - started)
                except OSError as error:
                    errors.append(error)

        threads = [threading.Thread(target=client) for _ in range(concurrency)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        return {
            "rps": len(latencies) / elapsed,
            "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "errors": len(errors),
        }

    @staticmethod
    def _line(label, result, reference):
        ratio = result["rps"] / reference["rps"] if reference["rps"] else float("nan")
        return (
            f"{label:<28} {result['rps']:8.1f} req/s  median {result['median_ms']:6.1f} ms  "
            f"ratio {ratio:5.2f}  errors {result['errors']}"
        )
