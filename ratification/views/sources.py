"""Archived UNTC status files: the exact bytes received, and a page saying where they came from.

`/sources/<sha256>.xml` serves the file as it was received (the UN's public document), its
ETag the SHA-256 of those bytes: a file's address and content never change, so it may be kept
for ever. `/sources/<sha256>/` says when and from which address it was read, and which events
it produced.
"""

from __future__ import annotations

from csp.constants import HEADER as CSP_HEADER
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date

from ratification import history_selectors
from ratification.cache import cached_response
from ratification.models import SourceSnapshot
from ratification.views.history import history_lines
from tracker.conditional import not_modified

IMMUTABLE = "public, max-age=31536000, immutable"
SOURCE_POLICY = "sandbox; default-src 'none'"


def source_file(request: HttpRequest, sha256: str) -> HttpResponse:
    """Not through ratification/cache.py: its ETag is the content's own digest, and the bytes
    never change, so there is nothing for the data version to invalidate. Its Last-Modified is
    when the tracker first received it."""
    tag = f'"{sha256.lower()}"'
    # A reader holding this very tag holds these bytes: its 304 needs no lookup. A wildcard or a
    # date matches only a file that is archived here.
    response = not_modified(request, etag=tag, current=lambda: False)
    if response is None:
        snapshot = history_selectors.snapshot_by_sha(sha256=sha256)
        received = int(snapshot.created_at.timestamp())
        response = not_modified(request, etag=tag, last_modified=received) or source_response(
            snapshot, read=history_selectors.snapshot_was_read(snapshot=snapshot)
        )
        response["Last-Modified"] = http_date(received)
    response["ETag"] = tag
    response["Cache-Control"] = IMMUTABLE
    return response


def source_response(snapshot: SourceSnapshot, *, read: bool) -> HttpResponse:
    """The bytes, which must never act as a page of this site.

    A file a poll read is UNTC's XML: shown in the browser. Bytes every poll refused may be
    anything the source answered, an XHTML page among them, which a browser would render as a
    page of this origin (content spoofing; the CSP already kept its scripts from running): they
    are a download, of no declared type. Either way the sandbox makes the document an origin of
    its own that loads nothing and runs nothing.
    """
    content_type = "application/xml" if read else "application/octet-stream"
    response = HttpResponse(history_selectors.snapshot_bytes(snapshot), content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if read else "attachment"}; filename="{snapshot.sha256}.xml"'
    response[CSP_HEADER] = SOURCE_POLICY
    return response


@cached_response
def source_page(request: HttpRequest, sha256: str) -> HttpResponse:
    record = history_selectors.source_record(sha256=sha256)
    context = {
        "record": record,
        "snapshot": record.snapshot,
        "runs": record.runs,
        "treaty": record.runs[0].treaty if record.runs else None,
        "lines": history_lines(record.events),
        "next_path": request.path,
    }
    return render(request, "ratification/source.html", context)
