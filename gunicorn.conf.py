"""gunicorn settings; every value can be overridden from the environment."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tracker import env

env.read_env_file(Path(__file__).resolve().parent / ".env")
# HOST and PORT as the settings read them (127.0.0.1:8000); BIND (host:port) overrides both.
bind = os.environ.get("BIND") or f"{env.url_host(env.host('HOST', '127.0.0.1'))}:{env.port('PORT', 8000)}"
# gunicorn's control socket (for `gunicornc`) defaults to one per user, ~/.gunicorn/gunicorn.ctl,
# which two checkouts on one machine (or two servers of one, as the benchmarks start) shared:
# one per checkout and address instead, under var/. A Unix socket's path holds at most 107 bytes;
# past that, no control socket (gunicorn would only warn that it cannot start one).
control_socket = str(
    Path(__file__).resolve().parent / "var" / f"gunicorn-{re.sub(r'[^A-Za-z0-9.]+', '-', bind).strip('-')}.ctl"
)
control_socket_disable = len(control_socket.encode()) > 107
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
