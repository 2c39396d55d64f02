"""How fast is parse_status, next to the floor set by BeautifulSoup and by lxml alone?

For the Paris Agreement file and the XVIII-16 file, measured on the same bytes in the same
run, in interleaved rounds: the median time of

- `parse_status(data)`, the whole parser (decode, repair, tree, reading, checks);
- `BeautifulSoup(data, "xml")`, BeautifulSoup building its tree and nothing else: the floor
  for any parser built on BeautifulSoup;
- `lxml.etree.fromstring(data, parser)`, lxml alone (with `recover=True`, since the 2018
  Paris file is not well-formed XML and the default parser rejects it).

Target: parse_status within 1.5 times BeautifulSoup's tree building.

Then the whole corpus of 200 real files of 2018 (tests/fixtures/untc-2018/, every shape the UN
uses; 42 are refused for having no table): the total time of parse_status over all of them
(refusals included) against BeautifulSoup's tree build of the same files, file by file
interleaved, median of `--corpus-rounds` rounds. Same target.

Run: `python bench/bench_parse.py [--rounds N] [--corpus-rounds N] [--strict]` (`--strict`
exits 1 on a miss).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402
from lxml import etree  # noqa: E402

from scrapers.untc import ParseError, parse_status  # noqa: E402

FILES = {
    "XXVII-7-d (Paris Agreement)": ROOT / "tests/fixtures/untc/XXVII-7-d.xml",
    "XVIII-16 (Cybercrime)": ROOT / "tests/fixtures/untc/XVIII-16.xml",
}
TARGET = 1.5
CORPUS = ROOT / "tests/fixtures/untc-2018"


def sample(work: Callable[[], object]) -> float:
    """One timing in milliseconds, with garbage collection kept out of it (as timeit does)."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        work()
        return (time.perf_counter() - started) * 1000
    finally:
        gc.enable()


def measure(data: bytes, rounds: int) -> dict[str, float]:
    recovering = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    contenders: dict[str, Callable[[], object]] = {
        "parse_status": lambda: parse_status(data),
        "BeautifulSoup": lambda: BeautifulSoup(data, "xml"),
        "lxml": lambda: etree.fromstring(data, recovering),
    }
    for work in contenders.values():  # warm caches and imports
        work()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):  # interleaved, so drift in machine load hits all three alike
        for name, work in contenders.items():
            times[name].append(sample(work))
    return {name: statistics.median(values) for name, values in times.items()}


def parse_or_refuse(data: bytes) -> object:
    try:
        return parse_status(data)
    except ParseError as error:
        return error


def measure_corpus(files: list[bytes], rounds: int) -> dict[str, float]:
    """Total ms over the corpus per round, each file parsed then tree-built in turn; medians."""
    for data in files:  # warm caches and imports
        parse_or_refuse(data)
        BeautifulSoup(data, "xml")
    totals: dict[str, list[float]] = {"parse_status": [], "BeautifulSoup": []}
    for _ in range(rounds):
        parse = tree = 0.0
        for data in files:
            parse += sample(lambda data=data: parse_or_refuse(data))
            tree += sample(lambda data=data: BeautifulSoup(data, "xml"))
        totals["parse_status"].append(parse)
        totals["BeautifulSoup"].append(tree)
    return {name: statistics.median(values) for name, values in totals.items()}


def report_corpus(rounds: int) -> bool:
    """Print the corpus line; True if the target is missed."""
    files = [path.read_bytes() for path in sorted(CORPUS.glob("*.xml"))]
    read = sum(not isinstance(parse_or_refuse(data), ParseError) for data in files)
    medians = measure_corpus(files, rounds)
    ratio = medians["parse_status"] / medians["BeautifulSoup"]
    size = sum(map(len, files))
    print(
        f"corpus: {len(files)} files, {size:,} bytes ({read} read, {len(files) - read} refused), "
        f"median of {rounds} rounds"
    )
    print(
        f"  parse_status {medians['parse_status']:.0f} ms, BeautifulSoup tree {medians['BeautifulSoup']:.0f} ms: "
        f"{ratio:.2f} x BS4 (target <= {TARGET}: {'MISSED' if ratio > TARGET else 'met'})"
    )
    return ratio > TARGET


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=100)
    options.add_argument("--corpus-rounds", type=int, default=7)
    options.add_argument("--strict", action="store_true", help="exit 1 if the target is missed")
    args = options.parse_args()

    print(f"median of {args.rounds} interleaved rounds; times in ms")
    print(f"{'file':<28} {'bytes':>7} {'parse_status':>13} {'BS4 tree':>9} {'lxml':>7} {'x BS4':>6} {'x lxml':>7}")
    missed = False
    for label, path in FILES.items():
        data = path.read_bytes()
        medians = measure(data, args.rounds)
        to_bs4 = medians["parse_status"] / medians["BeautifulSoup"]
        to_lxml = medians["parse_status"] / medians["lxml"]
        missed |= to_bs4 > TARGET
        print(
            f"{label:<28} {len(data):>7} {medians['parse_status']:>13.2f} {medians['BeautifulSoup']:>9.2f} "
            f"{medians['lxml']:>7.3f} {to_bs4:>6.2f} {to_lxml:>7.1f}"
        )
    verdict = "MISSED" if missed else "met"
    print(f"target parse_status <= {TARGET} x BeautifulSoup tree build: {verdict}")
    missed |= report_corpus(args.corpus_rounds)
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
