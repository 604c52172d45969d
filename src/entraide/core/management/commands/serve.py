"""Production serving: several uvicorn worker processes behind any load balancer.

    ENTRAIDE_MODE=production DATABASE_URL=postgres://... REDIS_URL=redis://... \\
        entraide serve --host 0.0.0.0 --port 8000 --workers 4

Refuses the in-memory channel layer (each process would only see its own websockets),
collects the static files (served by whitenoise, compressed and fingerprinted), then hands
the process over to uvicorn (exec), so signals from systemd reach it directly.
"""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Entraide with several uvicorn worker processes (PostgreSQL and Redis)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            help="addresses of the load balancers whose X-Forwarded-* headers are trusted",
        )

    def handle(self, *args, **options) -> None:
        backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
        if backend.endswith("InMemoryChannelLayer"):
            raise CommandError(
                "`entraide serve` needs REDIS_URL: with the in-memory channel layer, a worker "
                "process would only reach its own websockets. For one process on SQLite, use `make run`."
            )
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and options["workers"] > 1:
            raise CommandError("Several worker processes need PostgreSQL (DATABASE_URL=postgres://...).")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        uvicorn = shutil.which("uvicorn", path=os.path.dirname(sys.executable)) or shutil.which("uvicorn")
        if uvicorn is None:
            raise CommandError("uvicorn is not installed in this environment.")
        argv = [
            uvicorn, "entraide.asgi:application",
            "--host", options["host"], "--port", str(options["port"]),
            "--workers", str(options["workers"]),
            "--lifespan", "off", "--no-access-log",
            "--proxy-headers", "--forwarded-allow-ips", options["forwarded_allow_ips"],
            "--ws-max-size", "65536",
            # Live messages are a few dozen bytes of JSON: compressing them gains nothing, and
            # each connection's deflate state cost 40 KiB (bench/capacity.py).
            "--ws-per-message-deflate", "false",
        ]
        self.stdout.write(f"Entraide: {options['workers']} worker processes on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        os.execv(uvicorn, argv)
