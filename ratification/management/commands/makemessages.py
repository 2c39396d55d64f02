"""`makemessages` without msgmerge's fuzzy matching.

A new string that looks like an old one would otherwise arrive with the old translation and a
"fuzzy" flag: gettext ignores fuzzy entries, so the page shows English while the .po file looks
translated. Every new string arrives empty instead, and tests/test_translations.py lists it.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
