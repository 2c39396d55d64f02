"""The files the embedded defaults need (`make run` on a laptop, no server), made by the programs
that start, never by importing the settings: var/ (SQLite lives there), whitenoise's static
root, the filesystem broker's folders (settings.EMBEDDED_FOLDERS), and the development secret
key (settings.DEVELOPMENT_SECRET_KEY_FILE).

`prepare()` runs at the start of manage.py, of the WSGI application and of the Celery worker
and beat (tracker/celery.py), and of the test and drill sessions. The development key is the
one the settings of the first process generated while var/secret_key did not exist yet: writing
it lets every later process sign sessions and e-mailed links alike (`make run` runs `migrate`
first, so the web server, worker and beat it starts all read the same key).
"""

from __future__ import annotations

import os
from pathlib import Path

# The key this process generated because there was no key file yet (see `prepare`).
_generated_key: str | None = None


def development_secret_key(key_file: Path) -> str:
    """The key kept in `key_file`, or, before there is one, a new key for this process."""
    global _generated_key
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    if _generated_key is None:
        from django.core.management.utils import get_random_secret_key

        _generated_key = get_random_secret_key()
    return _generated_key


def prepare() -> None:
    """Create the folders the settings name and keep a generated development key; idempotent."""
    from django.conf import settings

    for folder in settings.EMBEDDED_FOLDERS:
        Path(folder).mkdir(parents=True, exist_ok=True)
    key_file = settings.DEVELOPMENT_SECRET_KEY_FILE
    if key_file is not None and _generated_key is not None and _generated_key == settings.SECRET_KEY:
        try:
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return  # another process started at the same moment and wrote its own: restart to agree
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(_generated_key)
