#!/usr/bin/env python
"""Django's command-line utility for the treaty ratification tracker."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    from django.core.management import execute_from_command_line

    from tracker import embedded
    from tracker.env import ConfigError

    try:
        embedded.prepare()
        execute_from_command_line(sys.argv)
    except ConfigError as error:
        # A configuration mistake deserves one clear line, not a traceback.
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
