"""The guard against CSV injection (OWASP), for every CSV the tracker writes or reads back.

A spreadsheet runs a cell that starts with "=", "+", "-", "@", a tab or a carriage return as a
formula: a value written for one is prefixed with "'", which spreadsheets show as text, and a
file staff edit and upload again has that prefix taken off.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_guard(text: str) -> str:
    """`text` as a cell a spreadsheet shows and never runs ("=x" is written "'=x")."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def formula_unguard(text: str) -> str:
    """A cell as it was before `formula_guard` ("'=x" reads "=x"; a plain "'x" stays as it is)."""
    return text[1:] if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS else text
