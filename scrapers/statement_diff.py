"""What changed between two readings of a treaty's statements: pure, like the parser.

Used by the reconcile (ratification/services/statements.py: what to record and announce) and by
the poll's diff page (scrapers/status_diff.py), so both call a change by the same name.

Statements are compared within one group: one participant's statements in one section. The
same text is the same statement (whatever moved around it); the rest are paired in the order
the file prints them. A pair whose text changed is read line by line, the way UNTC edits a
statement (docs/untc-format.md §3.5): lines only added are something the State **made** (a new
reservation, another objection in the same element); lines only removed, or a text emptied
with a note saying so, something it **withdrew**; lines saying it withdraws ("Partial withdrawal
of reservation") a withdrawal too; anything else a **changed** text. A statement with no pair
was made (or, when it only withdraws, is a withdrawal); one that left the file was withdrawn.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from scrapers import statement_words as words
from scrapers.dates import long_dates
from scrapers.model import Statement
from scrapers.statements import MAX_HEADING_LENGTH, SECTION_KINDS

MADE = "made"
CHANGED = "changed"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class StatementChange:
    """One statement made, changed or withdrawn, and what the change itself is about."""

    change: str
    before: Statement | None
    after: Statement | None
    #: What was made or withdrawn ("reservation"); for a changed text, the statement's kinds.
    kinds: tuple[str, ...]
    articles: tuple[str, ...]
    #: The statements of other States a new objection answers.
    answers: tuple[tuple[str, str], ...] = ()
    #: The date the change gives itself (a new `<right>` date, the note's "On 20 June 2003"), if any.
    date: datetime.date | None = None
    #: For something made: each kind with the articles cited under its heading, so a sentence can
    #: say "a reservation to article 22 and a declaration on article 40".
    parts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def statement(self) -> Statement:
        """The statement as it stands after the change (as it last stood, for one that left)."""
        return self.after or self.before  # type: ignore[return-value]


@dataclass(frozen=True)
class Pairing:
    """One group's statements matched: (before, after) indices, and the ones left unpaired."""

    same: tuple[tuple[int, int], ...]
    changed: tuple[tuple[int, int], ...]
    new: tuple[int, ...]
    gone: tuple[int, ...]


def pair(before: Sequence[Statement], after: Sequence[Statement]) -> Pairing:
    """Match one group's statements: the same text first, then the rest in file order."""
    left = list(range(len(before)))
    same = []
    unmatched_after = []
    for j, statement in enumerate(after):
        i = next((i for i in left if before[i].text == statement.text), None)
        if i is None:
            unmatched_after.append(j)
        else:
            left.remove(i)
            same.append((i, j))
    changed = tuple(zip(left, unmatched_after, strict=False))
    return Pairing(
        same=tuple(same),
        changed=changed,
        new=tuple(unmatched_after[len(changed) :]),
        gone=tuple(left[len(changed) :]),
    )


def change_of(before: Statement | None, after: Statement | None, *, title: str) -> StatementChange | None:
    """What turning `before` into `after` means (None: nothing, the same text)."""
    if before is None and after is None:
        return None
    if before is None:
        return _new(after, title)  # type: ignore[arg-type]
    if after is None:
        return StatementChange(WITHDRAWN, before, None, _without_withdrawal(before.kinds), before.articles)
    if before.text == after.text:
        return None
    if not after.text and "withdrawal" in after.kinds:
        # Emptied, with a note saying what was withdrawn (§3.5).
        kinds = _without_withdrawal(after.kinds) or _without_withdrawal(before.kinds)
        return StatementChange(WITHDRAWN, before, after, kinds, after.articles or before.articles, date=after.date)
    old_lines, new_lines = before.text.splitlines(), after.text.splitlines()
    added = [line for line in new_lines if line not in set(old_lines)]
    removed = [line for line in old_lines if line not in set(new_lines)]
    withdrawing = _withdrawing(added)
    if withdrawing:
        said = "\n".join(withdrawing)
        kinds = words.ordered(words.withdrawn_kinds(said)) or _without_withdrawal(before.kinds)
        articles = words.cited_articles(said, title=title) or words.cited_articles("\n".join(removed), title=title)
        return StatementChange(WITHDRAWN, before, after, kinds, tuple(articles), date=_date_in(added))
    if removed and not added:
        articles = tuple(words.cited_articles("\n".join(removed), title=title))
        return StatementChange(WITHDRAWN, before, after, _kinds_of(removed, after.section), articles)
    if added and not removed:
        kinds = _kinds_of(added, after.section)
        return StatementChange(
            MADE,
            before,
            after,
            kinds,
            tuple(words.cited_articles("\n".join(added), title=title)),
            answers=tuple(a for a in words.answered("\n".join(added)) if a not in before.answers),
            date=_date_in(added),
            parts=parts_of(added, kinds, title=title),
        )
    return StatementChange(CHANGED, before, after, _without_withdrawal(after.kinds), after.articles)


def _new(statement: Statement, title: str) -> StatementChange:
    kinds = _without_withdrawal(statement.kinds)
    withdrawn = words.ordered(words.withdrawn_kinds(statement.text)) if statement.text else kinds
    if "withdrawal" in statement.kinds and (not statement.text or not set(kinds) - set(withdrawn)):
        # A statement that only takes another back ("hereby withdraws its declaration").
        return StatementChange(WITHDRAWN, None, statement, withdrawn or kinds, statement.articles, date=statement.date)
    lines = statement.text.splitlines()
    return StatementChange(
        MADE, None, statement, kinds, statement.articles, statement.answers, statement.date,
        parts=parts_of(lines, kinds, title=title) if lines else tuple((kind, statement.articles) for kind in kinds),
    )  # fmt: skip


def statements_diff(
    before: Sequence[Statement], after: Sequence[Statement], *, title: str, sections: frozenset[str]
) -> tuple[StatementChange, ...]:
    """Every change from `before` to `after`, group by group (participant names as printed). A
    section the later file does not have withdraws nothing: its absence says nothing."""
    groups: dict[tuple[str, str], tuple[list[Statement], list[Statement]]] = {}
    for statement in before:
        if statement.section in sections:
            groups.setdefault((statement.section, statement.participant), ([], []))[0].append(statement)
    for statement in after:
        groups.setdefault((statement.section, statement.participant), ([], []))[1].append(statement)
    changes = []
    for old, new in groups.values():
        pairing = pair(old, new)
        pairs = [*((old[i], new[j]) for i, j in pairing.changed), *((None, new[j]) for j in pairing.new)]
        pairs += [(old[i], None) for i in pairing.gone]
        changes += [change for a, b in pairs if (change := change_of(a, b, title=title)) is not None]
    return tuple(changes)


def _without_withdrawal(kinds: Sequence[str]) -> tuple[str, ...]:
    return tuple(kind for kind in kinds if kind != "withdrawal")


def _withdrawing(lines: list[str]) -> list[str]:
    """The added lines that withdraw, each with the line it introduces ("... as follows:")."""
    found = []
    for number, line in enumerate(lines):
        if words.withdrawn_kinds(line):
            found.append(line)
            if line.rstrip().endswith(":") and number + 1 < len(lines):
                found.append(lines[number + 1])
    return found


def _kinds_of(lines: list[str], section: str) -> tuple[str, ...]:
    """What some lines of a statement are: their headings' kinds, else their prose's, else the
    section's own kind (an objection's lines are always an objection)."""
    if section == "objections":
        return ("objection",)
    # A heading is a short line: "Reservation:", "Declaration under article 31", "Article 10".
    headings = [line for line in lines if len(line) <= MAX_HEADING_LENGTH and len(line.split()) <= 12]
    kinds = set().union(*map(words.heading_kinds, headings)) if headings else set()
    kinds -= {"withdrawal"}
    if not kinds:
        kinds = words.prose_kinds("\n".join(lines)) - {"objection"}
    if section in SECTION_KINDS:
        kinds.add(SECTION_KINDS[section])
    return words.ordered(kinds or {"declaration"})


def parts_of(lines: list[str], kinds: tuple[str, ...], *, title: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each of `kinds` with the articles its lines cite: a line belongs to the kinds of the last
    heading above it that names one ("Reservation:", then "Declaration:"), the lines above any
    such heading to all of `kinds`."""
    cited: dict[str, list[str]] = {kind: [] for kind in kinds}
    current = list(kinds)
    for line in lines:
        if len(line) <= MAX_HEADING_LENGTH and len(line.split()) <= 12:
            named = [kind for kind in words.ordered(words.heading_kinds(line)) if kind in cited]
            current = named or current
        for article in words.cited_articles(line, title=title):
            for kind in current:
                if article not in cited[kind]:
                    cited[kind].append(article)
    return tuple((kind, tuple(articles)) for kind, articles in cited.items())


def _date_in(lines: list[str]) -> datetime.date | None:
    """A date standing alone on an added line (the `<right>` date UNTC puts above an addition)."""
    for line in lines:
        if len(line) <= 20 and (found := long_dates(line)):
            return found[0]
    return None
