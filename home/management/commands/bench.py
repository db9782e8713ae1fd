import statistics
import threading
import time
import urllib.request

from django.core.management.base import BaseCommand

from home.local_server import gunicorn, manage, production_http_env

DEFAULT_PATHS = [
    "/",
    "/quartiers/tarascon/",
    "/portraits/",
    "/quartiers/parc-bellevue-felix-pyat/ines-haddad-apprentie-boulangere/",
    "/entreprises/",
    "/evenements/",
    "/quartiers/tarascon/forum-emploi-tarascon/",
]


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
        env = production_http_env()
        manage(env, "collectstatic", "--noinput", "-v0")
        with gunicorn(env, workers=workers) as base:
            self.stdout.write(f"gunicorn: {workers} workers, {concurrency} concurrent clients, {seconds:.0f} s each")
            reference = self._measure(base + "/sante/", concurrency, seconds)
            self.stdout.write(self._line("/sante/ (trivial view)", reference, reference))
            for path in paths:
                self.stdout.write(self._line(path, self._measure(base + path, concurrency, seconds), reference))

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
