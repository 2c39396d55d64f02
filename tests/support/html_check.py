"""A strict reading of the HTML the tracker serves: what "a page that parses" means in the tests.

Browsers recover from anything, so "it renders" proves little. This reads a page with the
standard library's tokenizer and refuses what a tolerant parser would silently repair: an end
tag that closes nothing or the wrong element, an element left open, an id given twice, text or
tags outside `<html>`, a document without its `lang`, `<title>` or `<main>`. The templates
close every element they open, so none of the HTML's optional end tags is relied on.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Elements with no end tag (the HTML standard's void elements).
VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
    # SVG shapes the templates write self-closed (`<path ... />`) reach here as start tags.
    + "path line rect circle polygon polyline stop use".split()
)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.seen: set[str] = set()
        self.html_lang = ""

    def _where(self) -> str:
        line, column = self.getpos()
        return f"line {line}, column {column}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        if tag == "html":
            self.html_lang = dict(attrs).get("lang") or ""
        elif not self.stack and tag != "html":
            self.problems.append(f"<{tag}> outside <html> at {self._where()}")
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.problems.append(f"id {value!r} given twice (at {self._where()})")
                self.ids.add(value or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<path ... />`: an element that is complete as written.
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            open_tag = f"<{self.stack[-1]}>" if self.stack else "nothing"
            self.problems.append(f"</{tag}> at {self._where()} closes {open_tag}")
            if tag in self.stack:  # resynchronise, so one slip is one problem
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.stack and data.strip():
            self.problems.append(f"text outside <html> at {self._where()}: {data.strip()[:40]!r}")


def html_problems(text: str, *, document: bool = True) -> list[str]:
    """What is wrong with `text` as HTML (empty when nothing): `document` also asks for a whole
    page (`<!doctype html>`, `<html lang>`, `<title>`, `<main>`)."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    problems = list(reader.problems)
    if reader.stack:
        problems.append(f"left open at the end: {' > '.join(reader.stack)}")
    if document:
        if not text.lstrip().lower().startswith("<!doctype html>"):
            problems.append("no <!doctype html>")
        if not reader.html_lang:
            problems.append("<html> has no lang")
        problems += [f"no <{tag}>" for tag in ("title", "main") if tag not in reader.seen]
    return problems
