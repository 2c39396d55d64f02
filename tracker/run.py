"""`make run`: say where the tracker answers, then run web, worker and beat until Ctrl-C.

The address comes from the settings every process reads (HOST, PORT, SITE_URL, from the
environment or `.env`), so what is printed is what is served.

The three processes run under honcho's process manager, started here rather than with
`honcho start`, for a clean Ctrl-C. `honcho start` sends SIGTERM to each process *group*, which
reaches the Celery worker's pool processes behind its back (each then logs "exited with
signal 15" as an ERROR), and SIGKILLs whatever still runs 5 s after the first process stopped,
while a worker's warm shutdown on the embedded broker alone takes 4 to 7 s (its loop looks for
the stop request between 2-second waits for messages), longer if a poll is running. Here each
process itself gets the SIGTERM (the Procfile `exec`s, so that is the program, not a shell):
gunicorn stops its workers, Celery finishes running tasks and stops its pool, beat exits. Only
what still runs after STOP_GRACE_SECONDS is killed. honcho's own PORT per process is not set
either, so every process derives the same SITE_URL from PORT.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

import honcho.manager
from honcho.compat import ProcessManager
from honcho.environ import parse_procfile
from honcho.manager import Manager
from honcho.printer import Printer

from tracker import env

PROCFILE = Path(__file__).resolve().parent.parent / "Procfile"
# Longer than gunicorn's graceful_timeout (20 s): a request or a task in flight may finish.
STOP_GRACE_SECONDS = 30


class SignalEachProcess(ProcessManager):
    """Terminate a process, not its process group (honcho's `kill` still takes the group)."""

    def terminate(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)


def banner(*, host: str, port: int, site_url: str) -> str:
    local = env.local_url(host, port)
    lines = [f"  Tracker: {local}/    Admin: {local}/admin/"]
    if host in ("0.0.0.0", "::"):
        lines.append(f"  Listening on every address ({env.url_host(host)}:{port}); set ALLOWED_HOSTS for the others.")
    if site_url != local:
        lines.append(f"  Links in e-mails and feeds: {site_url}/ (SITE_URL)")
    lines.append(f"  Create a staff user (in another terminal): {sys.executable} manage.py createsuperuser")
    lines.append("  Ctrl-C stops all three.")
    return "\n".join(["", *lines, ""])


def run(procfile: Path = PROCFILE) -> int:
    """Run every process of `procfile` until one stops or Ctrl-C; 0 after a clean stop."""
    manager = Manager(Printer(sys.stdout, colour=sys.stdout.isatty()))
    manager._procmgr = SignalEachProcess()  # honcho has no option for it; see the class
    honcho.manager.KILL_WAIT = STOP_GRACE_SECONDS
    # The Procfile says `python`: this interpreter (the virtualenv's), however this was started.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    for name, command in parse_procfile(procfile.read_text(encoding="utf-8")).processes.items():
        manager.add_process(name, command, env={**os.environ, "PATH": path})
    manager.loop()
    # honcho answers 130 after Ctrl-C whatever happened; a stop that needed no SIGKILL is a success.
    stopped_by_us = manager.returncode in (128 + signal.SIGINT, 128 + signal.SIGTERM)
    killed = any(process.get("returncode") == -signal.SIGKILL for process in manager._processes.values())
    return 0 if stopped_by_us and not killed else manager.returncode


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    from django.conf import settings

    print(banner(host=settings.HOST, port=settings.PORT, site_url=settings.SITE_URL), flush=True)
    sys.exit(run())


if __name__ == "__main__":
    main()
