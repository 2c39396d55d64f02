"""The statement sections of a status file: reservations, declarations, objections, notifications,
territorial applications (scrapers/statements.py, scrapers/statement_words.py).

Every file of the 2018 corpus that reads gives one statement per element of each section.
Ten files of different shapes have their statements' JSON under expected/statements/: produced
by parse_status, then read against the file by hand (kinds, articles and dates of every
statement), and checked here against an independent reading of the same bytes (regular
expressions for the elements, `html.unescape` and a tag strip for the text, `strptime` for the
dates). The shapes: reservations citing articles and objections naming another State's
reservation (IV-12, XXVI-2), withdrawals (statements UNTC emptied, XII-5 and XVIII-7's
"Partial withdrawal", XXI-2's withdrawn observations), territorial applications with a
continuation row (VI-13), notifications under an article (XVIII-12-b, IV-9-b), declarations
under an article (IV-16, IV-3-a).
"""

from __future__ import annotations

import datetime
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scrapers import statement_words as words
from scrapers.statements import SECTIONS
from scrapers.untc import ParseError, parse_status
from tests.scrapers.helpers import EXPECTED, TESTS, real

CORPUS = TESTS / "fixtures" / "untc-2018"
FILES = sorted(CORPUS.glob("*.xml"))
HAND_CHECKED = sorted(path.stem for path in (EXPECTED / "statements").glob("*.json"))


def elements(data: bytes) -> dict[str, list[str]]:
    """Each section's elements, read with regular expressions (not the parser)."""
    text = data.decode("iso-8859-1")
    found = {}
    for section, item, name in SECTIONS:
        match = re.search(rf"<{section}(?: [^>]*)?>(.*?)</{section}>", text, re.DOTALL)
        found[name] = re.findall(rf"<{item}>(.*?)</{item}>", match.group(1), re.DOTALL) if match else []
    return found


def readable(raw: str) -> str:
    """An element's text as a reader sees it: entities decoded, inline tags dropped, spaces folded."""
    raw = re.sub(r"&(?!(?:lt|gt|amp|quot|apos|#\d+);)", "&amp;", raw)
    text = html.unescape(html.unescape(raw))
    text = re.sub(r"<superscript>.*?</superscript>", "", text)
    text = re.sub(r"</?[A-Za-z][^<>]*>", "", text)
    # The low bytes the 2018 copies left for typographic characters (docs/untc-format.md §3.4).
    low_bytes = {0x13: "\u2013", 0x14: "\u2014", 0x18: "\u2018", 0x19: "\u2019", 0x1C: "\u201c", 0x1D: "\u201d"}
    text = text.translate(low_bytes)
    return " ".join(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text).split())


class CorpusTests:
    @pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
    def test_every_element_of_every_section_is_one_statement(self, path: Path) -> None:
        data = path.read_bytes()
        try:
            status = parse_status(data)
        except ParseError:
            return  # no participants table: tests/scrapers/test_corpus.py holds that refusal
        counted = {name: 0 for _section, _item, name in SECTIONS}
        for statement in status.declarations:
            counted[statement.section] += 1
        assert counted == {name: len(found) for name, found in elements(data).items()}

    def test_the_corpus_has_every_section(self) -> None:
        sections = {statement.section for path in FILES for statement in _statements(path)}
        assert sections == {name for _section, _item, name in SECTIONS}


def _statements(path: Path):
    try:
        return parse_status(path.read_bytes()).declarations
    except ParseError:
        return ()


class HandCheckedTests:
    def test_there_are_at_least_eight(self) -> None:
        assert len(HAND_CHECKED) >= 8

    @pytest.mark.parametrize("name", HAND_CHECKED)
    def test_it_matches_the_hand_checked_json(self, name: str) -> None:
        expected = json.loads((EXPECTED / "statements" / f"{name}.json").read_text(encoding="utf-8"))
        status = parse_status((CORPUS / f"{name}.en.xml").read_bytes())
        assert [statement.as_json() for statement in status.declarations] == expected

    @pytest.mark.parametrize("name", HAND_CHECKED)
    def test_it_agrees_with_an_independent_reading(self, name: str) -> None:
        data = (CORPUS / f"{name}.en.xml").read_bytes()
        expected = json.loads((EXPECTED / "statements" / f"{name}.json").read_text(encoding="utf-8"))
        read = []
        for section, found in elements(data).items():
            previous = ""
            for raw in found:
                named = re.search(r"<Participant>(.*?)</Participant>|<Participant />", raw).group(1)
                participant = readable(named or "") or previous
                previous = participant
                if section == "territorial_applications":
                    text = readable(re.search(r"<Territories>(.*?)</Territories>", raw, re.DOTALL).group(1))
                    day = re.search(r"<DateNotification>(.*?)</DateNotification>", raw).group(1).strip()
                    date = datetime.datetime.strptime(" ".join(day.split()), "%d %b %Y").date().isoformat()
                else:
                    paragraphs = [readable(p) for p in re.findall(r"<text(?: [^>]*)?>(.*?)</text>", raw, re.DOTALL)]
                    text = "\n".join(p for p in paragraphs if p)
                    right = re.search(r"&lt;right&gt;\s*(\d{1,2} [A-Z][a-z]+ \d{4})", raw)
                    date = datetime.datetime.strptime(right.group(1), "%d %B %Y").date().isoformat() if right else None
                read.append((section, participant, text, date))
        mine = [(s["section"], s["participant"], s["text"], s["date"]) for s in expected]
        # A statement without a <right> date may still date itself ("On 20 June 2003, ..."), or
        # be dated by its end note when UNTC emptied it: those were read by hand.
        assert [(a, b, c) for a, b, c, _ in mine] == [(a, b, c) for a, b, c, _ in read]
        assert all(theirs is None or theirs == ours for (*_, ours), (*_, theirs) in zip(mine, read, strict=True))


class ShapeTests:
    """What each hand-checked shape says, in words a reader can check against the file."""

    def by(self, name: str, participant: str, section: str | None = None):
        status = parse_status((CORPUS / f"{name}.en.xml").read_bytes())
        return [s for s in status.declarations if s.participant == participant and section in (None, s.section)]

    def test_a_reservation_cites_its_article_in_compact_form(self) -> None:
        (chile,) = self.by("IV-12", "Chile")
        assert chile.kinds == ("reservation",) and chile.articles == ("2(1)",)

    def test_an_objection_names_the_reservation_it_answers_and_is_dated(self) -> None:
        (austria,) = self.by("IV-12", "Austria", "objections")
        assert austria.kinds == ("objection",)
        assert austria.answers == (("El Salvador", "reservation"),)
        assert austria.date == datetime.date(2015, 4, 7)

    def test_one_element_may_answer_two_states(self) -> None:
        (finland,) = self.by("IV-12", "Finland", "objections")
        assert finland.answers == (("Brazil", "reservation"), ("El Salvador", "reservation"))

    def test_an_emptied_statement_is_read_from_its_end_note(self) -> None:
        # <Declaration><Participant>Cyprus<superscript>2</superscript></Participant></Declaration>;
        # note 2: "On 20 June 2003, ... decided to withdraw its reservation ... article 2.1".
        (cyprus,) = self.by("IV-12", "Cyprus")
        assert (cyprus.text, cyprus.footnotes) == ("", (2,))
        assert cyprus.kinds == ("reservation", "withdrawal")
        assert cyprus.date == datetime.date(2003, 6, 20)
        assert cyprus.articles == ("2.1",)

    def test_a_partial_withdrawal_keeps_the_reservation_and_says_it_is_withdrawn(self) -> None:
        (netherlands,) = self.by("XVIII-7", "Netherlands", "declarations")
        assert netherlands.kinds == ("reservation", "declaration", "withdrawal")
        assert netherlands.date == datetime.date(2012, 1, 31)
        assert "Partial withdrawal of reservation with regard to article 7" in netherlands.text.splitlines()

    def test_withdrawn_observations_are_an_objection_withdrawn(self) -> None:
        (fiji,) = self.by("XXI-2", "Fiji", "objections")
        assert fiji.kinds == ("objection", "withdrawal")

    def test_a_territorial_application_keeps_its_date_and_territories_and_continues_the_row_above(self) -> None:
        france = self.by("VI-13", "France")
        assert [(s.date, s.text) for s in france[1:]] == [
            (datetime.date(1949, 11, 25), "Viet Nam"),
            (datetime.date(1949, 12, 28), "Laos"),
        ]
        assert all(s.kinds == ("territorial_application",) and s.articles == () for s in france)

    def test_a_notification_is_under_the_article_its_section_names(self) -> None:
        # "Notifications made under article 8 (6)"; Liechtenstein's text cites no article.
        (liechtenstein,) = self.by("XVIII-12-b", "Liechtenstein", "notifications")
        assert liechtenstein.kinds == ("notification",)
        assert liechtenstein.articles == ("8(6)",)
        (slovenia,) = self.by("IV-9-b", "Slovenia", "notifications")
        assert slovenia.articles == ("17",)

    def test_a_declaration_under_an_article_cites_what_it_accepts(self) -> None:
        (japan,) = self.by("IV-16", "Japan")
        assert (japan.section, japan.kinds, japan.articles) == ("declarations_under_article", ("declaration",), ("32",))

    def test_headings_say_the_kinds_prose_does_not_add_to_them(self) -> None:
        (singapore,) = self.by("XVIII-7", "Singapore")
        assert singapore.kinds == ("reservation", "declaration")


class WordsTests:
    TITLE = "United Nations Convention against Cybercrime; Strengthening International Cooperation"

    @pytest.mark.parametrize(
        ("text", "articles"),
        [
            ("Reservation to article 22:", ["22"]),
            ("in accordance with article 35, paragraph 3, of the Convention", ["35(3)"]),
            ("pursuant to article 35 (3)", ["35(3)"]),
            ("paragraph 3 of article 35 of the Convention", ["35(3)"]),
            ("article 16, paragraph 1 (a)(ii)", ["16(1)(a)(ii)"]),
            ("Article 2 (Paragraph 3)", ["2(3)"]),
            ("articles 17, 19, 22 and 23", ["17", "19", "22", "23"]),
            ("articles 23 to 30", [str(n) for n in range(23, 31)]),
            ("articles 40\u201347 of the Convention", [str(n) for n in range(40, 48)]),
            ("article IX and article II (2)", ["IX", "II(2)"]),
            ("article[s] 31, paragraph 1", ["31(1)"]),
            ("article 19 (c) of the Vienna Convention on the Law of Treaties", []),
            ("article 27 of the Constitution of the Republic", []),
            ("article 22 of the United Nations Convention against Cybercrime", ["22"]),
            ("the Treaty on the Functioning of the European Union, in particular Article 191 thereof", []),
            ("Article in force", []),
        ],
    )
    def test_it_reads_the_articles_a_text_cites(self, text: str, articles: list[str]) -> None:
        assert words.cited_articles(text, title=self.TITLE) == articles

    def test_a_protocol_does_not_claim_its_parents_articles(self) -> None:
        title = "Second Optional Protocol to the International Covenant on Civil and Political Rights"
        text = "article 41 of the International Covenant on Civil and Political Rights; article 2 of the Protocol"
        assert words.cited_articles(text, title=title) == ["2"]

    @pytest.mark.parametrize(
        ("text", "withdrawn"),
        [
            ("The Government of Fiji hereby withdraws its declaration in respect of article 12", {"declaration"}),
            ("Partial withdrawal of reservation with regard to article 7", {"reservation"}),
            ("notified the Secretary-General that it had decided to withdraw the reservation", {"reservation"}),
            ("The Government urges Qatar to withdraw its reservation.", set()),
            ("until such time as the reservation is withdrawn", set()),
            ("the United States of America will consider withdrawal from this protocol", set()),
        ],
    )
    def test_it_tells_a_withdrawal_from_a_wish(self, text: str, withdrawn: set[str]) -> None:
        assert words.withdrawn_kinds(text) == withdrawn

    def test_an_answer_names_each_state_of_a_plural_government(self) -> None:
        text = "the reservations made by the Governments of Belarus and Hungary upon accession"
        assert words.answered(text) == [("Belarus", "reservation"), ("Hungary", "reservation")]

    def test_a_heading_answering_another_state_is_an_objection_not_a_reservation(self) -> None:
        assert words.heading_kinds("With regard to the reservation made by Qatar upon accession:") == {"objection"}
        assert words.heading_kinds("Reservation and declaration:") == {"reservation", "declaration"}

    def test_a_5_mb_statement_costs_no_backtracking(self) -> None:
        import time

        prose = "article 22 of the Convention, and with regard to the reservation made by France " * 60_000
        # CPU time, not wall time: backtracking is CPU work, and on a loaded machine (two xdist
        # workers, other jobs) the wall clock also counts the time this process waited its turn.
        started = time.process_time()
        words.cited_articles(prose, title=self.TITLE)
        words.answered(prose)
        words.withdrawn_kinds(prose)
        assert time.process_time() - started < 5.0


class SyntheticTests:
    def with_statements(self, sections: bytes) -> bytes:
        return real("XVIII-16").replace(b"<Declarations />", sections)

    def test_escaped_inline_html_is_unescaped_then_stripped_and_paragraphs_kept(self) -> None:
        data = self.with_statements(
            b"<Declarations><Declaration><Participant>France&lt;superscript&gt;3&lt;/superscript&gt;</Participant>"
            b"<text>&lt;right&gt;10 March 2026&lt;/right&gt;</text>"
            b'<text type="title">&lt;i&gt;Reservation:&lt;/i&gt;</text>'
            b'<text type="para">In accordance with &lt;a href="x"&gt;article 22&lt;/a&gt;, paragraph 2, France'
            b" reserves the right not to apply &amp;lt;script&amp;gt; rules.</text>"
            b'<text type="para" /></Declaration></Declarations>'
        )
        (statement,) = parse_status(data).declarations
        assert statement.as_json() == {
            "section": "declarations",
            "participant": "France",
            "kinds": ["reservation"],
            "articles": ["22(2)"],
            "date": "2026-03-10",
            "text": "10 March 2026\nReservation:\nIn accordance with article 22, paragraph 2, France reserves the "
            "right not to apply <script> rules.",
        }
        assert statement.footnotes == (3,)

    def test_a_name_with_invisible_characters_is_kept_as_printed_for_the_gate(self) -> None:
        data = self.with_statements(
            b"<Declarations><Declaration><Participant>Fr&#8203;ance</Participant>"
            b'<text type="para">Declaration.</text></Declaration></Declarations>'
        )
        (statement,) = parse_status(data).declarations
        assert statement.participant == "France" and statement.name_was_cleaned

    def test_an_odd_participant_never_refuses_the_file_the_gate_holds_it(self) -> None:
        # The table decides whether a file is read; a statement's odd name is for staff.
        data = self.with_statements(
            b"<Declarations><Declaration><Participant /><text>x</text></Declaration>"
            b"<Declaration><Participant>Chile&lt;superscript&gt;*&lt;/superscript&gt;</Participant><text>y</text>"
            b"</Declaration></Declarations>"
        )
        nobody, chile = parse_status(data).declarations
        assert (nobody.participant, nobody.text) == ("", "x")
        assert (chile.participant, chile.footnotes) == ("Chile", ())

    def test_a_section_the_file_lacks_is_not_among_its_sections(self) -> None:
        status = parse_status(self.with_statements(b""))
        assert "declarations" not in status.statement_sections
        assert "objections" in parse_status(real("XVIII-16")).statement_sections


class CommandLineTests:
    def test_each_statement_has_exactly_the_six_keys(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "scrapers.untc", str(CORPUS / "IV-12.en.xml")], capture_output=True, check=True
        )
        statements = json.loads(done.stdout)["declarations"]
        assert len(statements) == 24
        assert {tuple(statement) for statement in statements} == {
            ("section", "participant", "kinds", "articles", "date", "text")
        }
