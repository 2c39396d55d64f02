"""Checks of HTTP answers that more than one test module makes."""

from __future__ import annotations


def bare_304(response) -> bool:
    """A 304 as RFC 9110 8.6 wants it: no content, and no claim of a zero-length representation."""
    return response.status_code == 304 and response.content == b"" and "Content-Length" not in response
