"""WSGI entry point (gunicorn tracker.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from tracker import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

embedded.prepare()
application = get_wsgi_application()
