"""Run as a child process with production settings: print the headers of a few responses as JSON.

`python -m tests.support.production_probe` with ENVIRONMENT=production and a migrated
DATABASE_URL; the deploy tests read its output.
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django

django.setup()

import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

# Production pages name their static files through the manifest collectstatic writes (as the
# Dockerfile does); collected into a directory of this run's own, not the checkout's. Through
# the manifest storage that production's extends, without its compression of every file
# (the API documentation's scripts included): 10 of the probe's 16 s of CPU, for files that no
# answer read here serves.
settings.STATIC_ROOT = tempfile.mkdtemp(prefix="probe-static-")
assert settings.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
atexit.register(shutil.rmtree, settings.STATIC_ROOT, ignore_errors=True)
call_command("collectstatic", interactive=False, verbosity=0)
call_command("migrate", verbosity=0)
call_command("seed", verbosity=0)
client = Client(HTTP_HOST=os.environ["ALLOWED_HOSTS"].split(",")[0])
answers = {}
for path in ("/", "/healthz", "/treaties/XVIII-16/embed/", "/treaties/XVIII-16/badge.svg"):
    response = client.get(path, secure=True)
    answers[path] = {"status": response.status_code, "headers": dict(response.headers.items())}
plain = client.get("/", secure=False)
answers["plain /"] = {"status": plain.status_code, "headers": dict(plain.headers.items())}
print(json.dumps(answers))
