"""The order of participant names, as a reader expects it: "Côte d'Ivoire" before "Czech Republic".

Sorting by code point put every accented letter after "z". This is the Unicode Collation
Algorithm's answer (what ICU, PostgreSQL's ICU collations and the browser's `Intl.Collator`
give) for the names the tracker shows, reduced to what they need, with no new dependency:

- letters compare without their accents and case first ("côte" as "cote"), and only where all
  letters are equal do accents, then case, decide;
- punctuation and spaces come before digits and letters, in the collation's own order (a comma
  before a parenthesis), so the server's order is the one `static/js/participants.js` gets from
  `Intl.Collator` when it re-sorts the table in the browser;
- in Czech, č, ř, š and ž are letters of their own after c, r, s and z, and "ch" one after h
  (a Czech reader looks for "Chile" after "Honduras"). French and English use the root order.

PyICU would do the same for every script, at the cost of a compiled dependency; the standard
library's `locale.strxfrm` depends on which system locales a machine has installed, so the order
would change from one server to the next. Pure Python: no Django, no database.

The admin orders in the database: `ratification.db_collation` gives PostgreSQL's ICU root
collation and, on SQLite, registers `name_key` itself as a collation.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Punctuation in the Default Unicode Collation Element Table's order; all of it before digits.
PUNCTUATION = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_PUNCTUATION_RANK = {mark: rank for rank, mark in enumerate(PUNCTUATION)}
_DIGITS_FROM = len(PUNCTUATION)
_LETTERS_FROM = _DIGITS_FROM + 10
# Letters that do not decompose into a base letter and a mark, and what they sort as.
_BASE_LETTERS = {"ø": "o", "đ": "d", "ł": "l", "\u0131": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
# Czech letters of their own (ČSN 97 6030): sorted right after the letter they are built on.
_CZECH_LETTERS = {"č": "c", "ř": "r", "š": "s", "ž": "z"}


def name_key(name: str, language: str = "") -> tuple:
    """A sort key for `name` in `language` ("en", "fr", "cs"; "" for the root order)."""
    return _key(name, language.split("-")[0].lower() == "cs")


@lru_cache(maxsize=8192)
def _key(name: str, czech: bool) -> tuple:
    folded = unicodedata.normalize("NFC", name).casefold()
    primary: list[tuple[int, int]] = []
    index = 0
    while index < len(folded):
        character = folded[index]
        if czech and folded.startswith("ch", index):
            primary.append((_rank("h"), 1))
            index += 2
            continue
        index += 1
        if czech and character in _CZECH_LETTERS:
            primary.append((_rank(_CZECH_LETTERS[character]), 1))
            continue
        primary.extend((_rank(letter), 0) for letter in _base(character))
    # Accents, then case, then the name itself: equal names only ever tie with themselves.
    return (tuple(primary), unicodedata.normalize("NFD", folded), _case(name), name)


def _base(character: str) -> str:
    """The letters a character sorts as at the first level: "ô" -> "o", "æ" -> "ae"."""
    if character in _BASE_LETTERS:
        return _BASE_LETTERS[character]
    stripped = "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c))
    return stripped or character


def _rank(character: str) -> int:
    if character in _PUNCTUATION_RANK:
        return _PUNCTUATION_RANK[character]
    if "0" <= character <= "9":
        return _DIGITS_FROM + ord(character) - ord("0")
    if "a" <= character <= "z":
        # Room after each letter for the Czech letters built on it (rank + 1).
        return _LETTERS_FROM + 2 * (ord(character) - ord("a"))
    return _LETTERS_FROM + 2 * 26 + ord(character)


def _case(name: str) -> tuple[bool, ...]:
    # Lower case before upper case, as in the root collation.
    return tuple(character.isupper() for character in name)


def sorted_names(names, *, language: str = "", key=None) -> list:
    """`names` (or items, with `key` giving each one's name) in the collation's order."""
    pick = key or (lambda item: item)
    return sorted(names, key=lambda item: name_key(pick(item), language))
