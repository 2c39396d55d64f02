"""The live badge as geometry: how wide each half is and where its text goes. Pure Python.

A badge is two boxes side by side, shields.io's "flat" style: the treaty's name on grey, the
count or the date in colour. The template (templates/ratification/badge.svg) draws the SVG from
these numbers. Text is measured with a table of Verdana's advance widths at 11 px, the font the
badge asks for, so no font file is read; the SVG also gives each text its `textLength`, so a
reader whose font differs still sees it fill its box instead of overflowing it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

FONT_SIZE = 11
HEIGHT = 20
PADDING = 6  # on each side of a text, inside its box
# A name wider than this is shortened at a word boundary and ends with an ellipsis.
LABEL_MAX_WIDTH = 260
ELLIPSIS = "…"

# Verdana's advance widths in font units (2048 to the em), printable ASCII. Letters with
# accents are measured as their base letter (é as e, č as c); anything else as an average glyph.
_VERDANA_UNITS = {
    " ": 720, "!": 817, '"': 918, "#": 1637, "$": 1302, "%": 2211, "&": 1487, "'": 542,
    "(": 910, ")": 910, "*": 1302, "+": 1716, ",": 745, "-": 924, ".": 745, "/": 924,
    "0": 1302, "1": 1302, "2": 1302, "3": 1302, "4": 1302, "5": 1302, "6": 1302, "7": 1302,
    "8": 1302, "9": 1302, ":": 910, ";": 910, "<": 1716, "=": 1716, ">": 1716, "?": 1110,
    "@": 2048, "A": 1401, "B": 1405, "C": 1430, "D": 1577, "E": 1294, "F": 1178, "G": 1587,
    "H": 1540, "I": 861, "J": 929, "K": 1413, "L": 1141, "M": 1727, "N": 1532, "O": 1620,
    "P": 1236, "Q": 1620, "R": 1430, "S": 1401, "T": 1245, "U": 1499, "V": 1401, "W": 2025,
    "X": 1405, "Y": 1237, "Z": 1403, "[": 910, "\\": 924, "]": 910, "^": 1716, "_": 1302,
    "`": 1302, "a": 1235, "b": 1275, "c": 1068, "d": 1275, "e": 1218, "f": 720, "g": 1275,
    "h": 1296, "i": 562, "j": 702, "k": 1207, "l": 562, "m": 1992, "n": 1296, "o": 1243,
    "p": 1275, "q": 1275, "r": 874, "s": 1067, "t": 807, "u": 1296, "v": 1207, "w": 1685,
    "x": 1207, "y": 1207, "z": 1056, "{": 1300, "|": 910, "}": 1300, "~": 1716,
}  # fmt: skip
_SPECIAL_UNITS = {ELLIPSIS: 2048, "\u00a0": 720, "\u202f": 720, "\u2013": 1302, "\u2014": 2048, "\u2019": 542}
_AVERAGE_UNITS = 1302
_UNITS_PER_EM = 2048


def text_width(text: str) -> float:
    """The width of `text` in pixels, in Verdana at 11 px."""
    units = 0
    for character in text:
        if character in _SPECIAL_UNITS:
            units += _SPECIAL_UNITS[character]
            continue
        base = unicodedata.normalize("NFD", character)[:1]
        units += _VERDANA_UNITS.get(base, _AVERAGE_UNITS)
    return units * FONT_SIZE / _UNITS_PER_EM


def shortened(text: str, max_width: float = LABEL_MAX_WIDTH) -> str:
    """`text` if it fits in `max_width` pixels, else as many whole words as fit, then "…"."""
    text = " ".join(text.split())
    if text_width(text) <= max_width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        # "…of the…" says nothing: a cut never ends on a short lower-case word (of, the, on, de, la).
        while len(words) > 1 and words[-1].islower() and len(words[-1]) <= 3:
            words.pop()
        candidate = " ".join(words).rstrip(",;:-\u2013\u2014") + ELLIPSIS
        if text_width(candidate) <= max_width:
            return candidate
    # One word longer than the badge: cut it between characters.
    cut = words[0]
    while cut and text_width(cut + ELLIPSIS) > max_width:
        cut = cut[:-1]
    return cut + ELLIPSIS


@dataclass(frozen=True)
class Badge:
    """Where everything goes; all lengths in pixels, rounded to a tenth."""

    label: str
    message: str
    colour: str
    width: float
    height: int
    label_width: float  # the grey box
    message_width: float  # the coloured box, from x = label_width
    label_x: float  # centre of the label's text
    message_x: float  # centre of the message's text
    label_text_length: float
    message_text_length: float


def badge_layout(*, label: str, message: str, colour: str) -> Badge:
    """The badge for `label` (shortened to fit) and `message`, on a box of `colour`."""
    label = shortened(label)
    label_text = round(text_width(label), 1)
    message_text = round(text_width(message), 1)
    label_width = round(label_text + 2 * PADDING, 1)
    message_width = round(message_text + 2 * PADDING, 1)
    return Badge(
        label=label,
        message=message,
        colour=colour,
        width=round(label_width + message_width, 1),
        height=HEIGHT,
        label_width=label_width,
        message_width=message_width,
        label_x=round(label_width / 2, 1),
        message_x=round(label_width + message_width / 2, 1),
        label_text_length=label_text,
        message_text_length=message_text,
    )
