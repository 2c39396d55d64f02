"""The 2018 corpus of real UNTC files (tests/fixtures/untc-2018/), served and tracked as a user would.

`track_corpus` runs `manage.py track` (the command itself, through `call_command`) for the
given numbers against a local HTTP server that serves each file where the tracker looks for it
(`treaty_xml_path`): the same path as a newcomer following real treaties.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from scrapers.mtdsg import treaty_xml_path
from tests.support.http_server import LocalServer, ok

# Other real files are run the same way: point TRACKER_TEST_CORPUS at a folder of `<MTDSG>.en.xml`.
CORPUS_2018 = Path(__file__).resolve().parent.parent / "fixtures" / "untc-2018"
CORPUS = Path(os.environ.get("TRACKER_TEST_CORPUS") or CORPUS_2018)


def has_table(data: bytes) -> bool:
    """Whether the file has a participants table, read without the parser (tests/scrapers/test_corpus.py)."""
    participants = re.search(rb"<Participants>(.*?)</Participants>", data, re.DOTALL)
    return bool(participants and re.search(rb"<Table\b", participants.group(1)))


def corpus_file(mtdsg: str, folder: Path = CORPUS) -> Path:
    return folder / f"{mtdsg}.en.xml"


def readable_numbers() -> list[str]:
    """The MTDSG numbers of the corpus files that have a participants table (158 of the 200 of 2018)."""
    return sorted(path.name.removesuffix(".en.xml") for path in CORPUS.glob("*.en.xml") if has_table(path.read_bytes()))


def serve_corpus(server: LocalServer, numbers: Iterable[str], folder: Path = CORPUS) -> None:
    for number in numbers:
        server.routes["/" + treaty_xml_path(mtdsg=number)] = [ok(corpus_file(number, folder).read_bytes())]


def track_corpus(server: LocalServer, numbers: Iterable[str], folder: Path = CORPUS) -> str:
    """Serve these files (from `folder`) and `track` them in one run; the command's output
    (raises CommandError if any could not be followed or read)."""
    numbers = list(numbers)
    serve_corpus(server, numbers, folder)
    out = StringIO()
    call_command("track", *numbers, stdout=out, stderr=out)
    return out.getvalue()
