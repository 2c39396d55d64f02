"""`python -m scrapers.untc SOURCE`: print a UNTC status file as JSON, or say why not.

SOURCE is a file path or a URL under `UNTC_BASE_URL` (environment; default
https://treaties.un.org). On success the JSON goes to stdout and the exit status is 0; a
refused input prints one line on stderr, nothing on stdout, and exits with status 2, so
scripts can tell "the UN changed something" from "it worked". A file read despite a small
disagreement with its own figures prints a warning on stderr and exits with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from scrapers.fetch import FetchError, fetch
from scrapers.model import ParseError
from scrapers.untc import parse_status
from scrapers.xmlsafe import MAX_INPUT_BYTES

DEFAULT_BASE_URL = "https://treaties.un.org"
EXIT_REFUSED = 2


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m scrapers.untc",
        description="Print a UNTC status file (MTDSG XML) as JSON, or refuse it with a reason.",
    )
    parser.add_argument("source", help="a file path, or a URL under $UNTC_BASE_URL")
    args = parser.parse_args(argv)
    try:
        status = parse_status(_read(args.source))
    except (ParseError, FetchError, OSError) as error:
        reason = " ".join(str(error).split()) or error.__class__.__name__
        print(f"refused {args.source}: {reason}", file=sys.stderr)
        return EXIT_REFUSED
    for discrepancy in status.discrepancies:
        # Read, but not silently: the JSON's "declared" and "counted" show the figures.
        print(f"warning: {args.source}: {discrepancy}", file=sys.stderr)
    text = json.dumps(status.as_json(), ensure_ascii=False, indent=2) + "\n"
    # Names like "Côte d'Ivoire" must survive a C locale: write UTF-8 bytes ourselves.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _read(source: str) -> bytes:
    if "://" in source:
        base_url = os.environ.get("UNTC_BASE_URL") or DEFAULT_BASE_URL
        result = fetch(source, base_url=base_url)
        return result.content or b""
    path = Path(source)
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise ParseError(f"{source} is larger than {MAX_INPUT_BYTES} bytes: not a status file")
    return path.read_bytes()
