"""Every string is translated into French and Czech, and the committed .mo files match the .po files.

`make messages` (GNU gettext's xgettext and msgfmt) regenerates both; the test suite itself needs
no gettext, only the committed files, so a forgotten `compilemessages` or an empty msgstr fails here.
"""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def read_po(path: Path) -> list[Entry]:
    """A small reader for the .po files makemessages writes (no obsolete entries, UTF-8)."""
    return [entry for entry in _read_entries(path) if entry.msgid]


def _read_entries(path: Path) -> list[Entry]:
    """Every entry, the header (empty msgid) included."""
    entries, entry, target = [], Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, rest = line.partition(" ")
            target = keyword
            _append(entry, target, ast.literal_eval(rest), start=True)
    return entries


def _append(entry: Entry, target: str, text: str, start: bool = False) -> None:
    if target.startswith("msgstr"):
        index = int(target[7:-1]) if "[" in target else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    else:
        setattr(entry, target, ("" if start else getattr(entry, target) or "") + text)


def read_po_plural_forms(path: Path) -> str:
    """The header's Plural-Forms, however makemessages wrapped the header's lines."""
    header = next(entry for entry in _read_entries(path) if entry.msgid == "")
    line = next(line for line in header.msgstr[0].split("\n") if line.startswith("Plural-Forms: "))
    return line.removeprefix("Plural-Forms: ")


@pytest.mark.parametrize("language", LANGUAGES)
class TranslationTests:
    def test_every_string_is_translated_and_none_is_fuzzy(self, language):
        entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
        assert len(entries) > 200
        untranslated = [entry.msgid for entry in entries if not all(entry.msgstr.values()) or not entry.msgstr]
        fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
        assert untranslated == []
        assert fuzzy == []

    def test_the_compiled_catalogue_matches_the_po_file(self, language):
        folder = LOCALE / language / "LC_MESSAGES"
        with (folder / "django.mo").open("rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)
        # Without the header's Plural-Forms every language would get English's two forms.
        assert catalogue.info()["plural-forms"] == read_po_plural_forms(folder / "django.po")
        for entry in read_po(folder / "django.po"):
            if entry.msgid_plural and entry.msgctxt:
                translated = catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            elif entry.msgid_plural:
                translated = catalogue.ngettext(entry.msgid, entry.msgid_plural, 1)
            elif entry.msgctxt:
                translated = catalogue.pgettext(entry.msgctxt, entry.msgid)
            else:
                translated = catalogue.gettext(entry.msgid)
            assert translated == entry.msgstr[0], entry.msgid
