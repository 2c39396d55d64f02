"""What does one full poll cycle of 500 treaties cost in CPU?

Every real status file of January 2018 (tests/fixtures/untc-2018/) is served by a local HTTP
server in another process (so its work is not counted), with ETag and Last-Modified and 304s for
a client that sends them back. Each file becomes a tracked treaty; to reach 500, the files are
served again under other numbers (their <Numsect> rewritten, so the number in the file still
names its treaty). Then every treaty is polled, one after the other, in this process, and the
process CPU time (time.process_time: user + system, every thread) of each full cycle is reported:

- new: every file is new to the tracker (the first read: parse, validate, reconcile, record);
- changed: every file is served again with a new ETag and one more byte (a new hash: read and
  parsed in full, nothing new found);
- unchanged: nothing changed (a conditional GET each, answered 304: no body, no parse).

Baselines measured in the same run, on the same bytes: BeautifulSoup's own tree build of every
file (lxml's XML parser through bs4, what the parser starts from), and a bare conditional
`requests.get` of every file (the least an unchanged cycle can cost).

Run: `python bench/bench_scale.py [--treaties 500]` (make bench runs it with the default).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import re
import sys
import tempfile
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-scale-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="tracker.settings",
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}"),
    CACHE_URL="locmemcache://",
    LOG_LEVEL="error",
)

CORPUS = ROOT / "tests" / "fixtures" / "untc-2018"
NUMSECT = re.compile(rb"<Numsect>(\d+)</Numsect>")


# ---- the stand-in for treaties.un.org, in its own process ---------------------------------------


def serve(files: dict[str, bytes], ready, generation) -> None:
    """Answer GET /<path> with the file, its ETag (content digest) and Last-Modified; 304 when the
    client's If-None-Match or If-Modified-Since matches. `generation` > 0 appends that many bytes
    (a new version of every file)."""
    started = formatdate(time.time() - 3600, usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = files.get(self.path.lstrip("/"))
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body += b"\n" * generation.value
            etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
            modified = started if not generation.value else formatdate(time.time(), usegmt=True)
            unchanged = self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == modified
            )
            self.send_response(304 if unchanged else 200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.send_header("Content-Length", "0" if unchanged else str(len(body)))
            self.end_headers()
            if not unchanged:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.put(server.server_address[1])
    server.serve_forever(poll_interval=0.05)


# ---- the corpus, made into 500 treaties -----------------------------------------------------------


def corpus_treaties(count: int) -> tuple[dict[str, bytes], dict[str, str], int]:
    """{path: bytes}, {path: MTDSG number} for `count` treaties, and how many files were left out
    (files the parser refuses would only measure the refusal)."""
    from scrapers.untc import ParseError, parse_status

    readable, refused = [], 0
    for path in sorted(CORPUS.glob("*.xml")):
        content = path.read_bytes()
        try:
            readable.append((path.name, content, parse_status(content).header.mtdsg))
        except ParseError:
            refused += 1
    files, numbers, copy = {}, {}, 0
    while len(files) < count:
        for name, content, mtdsg in readable:
            if len(files) == count:
                break
            if copy:
                # Another number in the same chapter: section n becomes n + 1000 * copy.
                renumbered = b"<Numsect>%d</Numsect>"
                content, replaced = NUMSECT.subn(
                    lambda m: renumbered % (int(m[1]) + 1000 * copy),  # noqa: B023
                    content,
                    count=1,
                )
                if not replaced:
                    continue
                mtdsg = parse_status(content).header.mtdsg
            if mtdsg in numbers.values():
                continue
            path = f"copy{copy}/{name}"
            files[path], numbers[path] = content, mtdsg
        copy += 1
    return files, numbers, refused


# ---- measuring ------------------------------------------------------------------------------------


def cpu(work) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def poll_cycle() -> dict[str, int]:
    from ratification.models import Treaty
    from ratification.services.polling import poll_treaty

    outcomes: dict[str, int] = {}
    for treaty in Treaty.objects.order_by("pk"):
        outcome = poll_treaty(treaty=treaty).run.outcome
        outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + 1
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treaties", type=int, default=500)
    count = parser.parse_args().treaties

    import django

    django.setup()
    import requests
    from bs4 import BeautifulSoup
    from django.conf import settings
    from django.core.management import call_command

    from ratification.models import Treaty

    files, numbers, refused = corpus_treaties(count)
    context = multiprocessing.get_context("fork")
    ready, generation = context.Queue(), context.Value("i", 0)
    server = context.Process(target=serve, args=(files, ready, generation), daemon=True)
    server.start()
    base_url = f"http://127.0.0.1:{ready.get(timeout=30)}"
    try:
        call_command("migrate", verbosity=0)
        settings.UNTC_BASE_URL = base_url
        Treaty.objects.bulk_create(
            Treaty(mtdsg=mtdsg, chapter=mtdsg.split("-")[0], title=mtdsg, xml_path=path)
            for path, mtdsg in numbers.items()
        )
        bodies = list(files.values())
        soup = cpu(lambda: [BeautifulSoup(body, "lxml-xml") for body in bodies])
        new_outcomes: dict[str, int] = {}
        new = cpu(lambda: new_outcomes.update(poll_cycle()))
        unchanged_outcomes: dict[str, int] = {}
        unchanged = cpu(lambda: unchanged_outcomes.update(poll_cycle()))
        validators = {path: requests.get(f"{base_url}/{path}", timeout=10).headers["ETag"] for path in files}
        bare = cpu(
            lambda: [
                requests.get(f"{base_url}/{path}", headers={"If-None-Match": etag}, timeout=10)
                for path, etag in validators.items()
            ]
        )
        generation.value = 1
        changed_outcomes: dict[str, int] = {}
        changed = cpu(lambda: changed_outcomes.update(poll_cycle()))
    finally:
        server.terminate()
    report(
        treaties=len(files),
        distinct=len({path.split("/", 1)[1] for path in files}),
        megabytes=sum(len(body) for body in bodies) / 1e6,
        refused=refused,
        seconds={"soup": soup, "bare": bare, "new": new, "changed": changed, "unchanged": unchanged},
    )
    print(f"  outcomes: new {new_outcomes}; changed {changed_outcomes}; unchanged {unchanged_outcomes}")


def report(*, treaties: int, distinct: int, megabytes: float, refused: int, seconds: dict[str, float]) -> None:
    soup, bare = seconds["soup"], seconds["bare"]
    print(
        f"One poll cycle of {treaties} treaties ({distinct} distinct corpus files, {megabytes:.1f} MB; "
        f"{refused} files the parser refuses left out), process CPU seconds:"
    )
    print(f"  BeautifulSoup tree build of every file (baseline)  {soup:7.2f} s")
    print(f"  bare conditional requests.get of every file        {bare:7.2f} s")
    lines = {
        "new": "cycle, every file new (first read)",
        "changed": "cycle, every file changed (re-read, nothing new)",
        "unchanged": "cycle, nothing changed (304s)",
    }
    for name, label in lines.items():
        value = seconds[name]
        extra = f", {value / bare:.2f}x the bare GETs" if name == "unchanged" else ""
        print(f"  {label:<50} {value:7.2f} s  ratio {value / soup:5.2f}x the tree build{extra}")


if __name__ == "__main__":
    main()
