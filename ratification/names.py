"""How two printed names are compared: by what they say, not how they are typed.

UNTC, a mis-set file or an attacker may print "FRANCE", "Viet-Nam", "Cote d<U+2019>Ivoire" or
"Guinea Bissau": the same participant in another case, punctuation or spacing. `name_key`
folds every such difference away (NFKC, case folding, and dropping punctuation, hyphens,
apostrophes, spaces and invisible format characters), and nothing else: letters stay what
they are, so "Gh<U+0430>na" with a Cyrillic "a" never folds to "Ghana", and an accent is kept
("Türkiye" and "Turkiye" are two spellings, matched only if both are known names).

Pure: no Django, no data. The registry (ratification/registry.py) and the stored
participants are both looked up through this key.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# What a UTF-8 name becomes when its bytes are read one by one (the two single-byte
# encodings files are mislabelled with).
_MIS_DECODINGS = ("cp1252", "latin-1")

# Characters Unicode files as letters or symbols that print as apostrophes or hyphens
# (U+02BC MODIFIER LETTER APOSTROPHE, U+02B9/U+02BB, U+2212 MINUS SIGN): folded like punctuation.
_PUNCTUATION_LIKE = frozenset("\u02b9\u02bb\u02bc\u02bd\u2212\u00b4\u0060")
# Also folded (_folded_category): punctuation (P*), separators (Z*) and invisible format
# characters (Cf: zero-width spaces, joiners; a row printed with them is held anyway, by the
# gate, as only looking like its name).


def _folded_category(category: str) -> bool:
    return category == "Cf" or category[0] in ("P", "Z")


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """The key two names are compared by: equal keys are the same name spelt otherwise.

    Cached: every poll folds the same few hundred names (the file's, the stored ones')."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(
        char
        for char in unicodedata.normalize("NFKC", folded)
        if not (char.isspace() or char in _PUNCTUATION_LIKE or _folded_category(unicodedata.category(char)))
    )


def spelling_only(first: str, second: str) -> bool:
    """Whether two different strings are one name spelt otherwise (case, punctuation, spacing)."""
    return first != second and name_key(first) == name_key(second)


def mojibake_of(name: str) -> str | None:
    """The name this one would be if it were UTF-8 read as a single-byte encoding, or None.

    "Côte d'Ivoire" in UTF-8, decoded byte by byte, reads "C", then U+00C3 and U+00B4, then
    "te d'Ivoire": such a name decodes back to the real one; a plain name has no such reading.
    """
    if name.isascii():
        return None
    for encoding in _MIS_DECODINGS:
        try:
            fixed = name.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != name:
            return fixed
    return None
