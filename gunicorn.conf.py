"""gunicorn settings; every value can be overridden from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from tracker import env

env.read_env_file(Path(__file__).resolve().parent / ".env")
# HOST and PORT as the settings read them (127.0.0.1:8000); BIND (host:port) overrides both.
bind = os.environ.get("BIND") or f"{env.url_host(env.host('HOST', '127.0.0.1'))}:{env.port('PORT', 8000)}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
