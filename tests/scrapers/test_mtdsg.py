"""MTDSG numbers: one grammar, from the UN's chapter list and every file name of the 2018 corpus."""

from __future__ import annotations

import re

import pytest

from scrapers.mtdsg import (
    CHAPTERS,
    MTDSG_PATTERN,
    mtdsg_normalise,
    mtdsg_parse,
    mtdsg_sort_key,
    roman_to_int,
    same_number,
)
from tests.scrapers.helpers import TESTS

CORPUS = TESTS / "fixtures" / "untc-2018"
NAMES = sorted(path.name.removesuffix(".en.xml") for path in CORPUS.glob("*.en.xml"))


class GrammarTests:
    @pytest.mark.parametrize("name", NAMES)
    def test_it_accepts_every_file_name_of_the_corpus(self, name: str) -> None:
        # tests/scrapers/test_corpus.py checks that each file gives itself the same number.
        assert re.fullmatch(MTDSG_PATTERN, name)
        assert mtdsg_normalise(name) == name

    @pytest.mark.parametrize(
        "number", ["III-2-12a", "III-2-12", "XI-A-12", "XI-E-1", "XXVII-1-d", "XXVI-2-c", "XVIII-16", "XXIX-1"]
    )
    def test_it_accepts_real_numbers_of_every_shape(self, number: str) -> None:
        assert mtdsg_normalise(number) == number

    @pytest.mark.parametrize(
        "number",
        [
            "XXX-1",  # no such chapter
            "IIII-1",
            "XVIII",  # no number
            "XVIII-0",
            "X-A-1",  # only chapter XI has parts
            "XI-F-1",
            "XI-10",  # every chapter XI treaty is in a part
            "XVIII-16-",
            "XVIII-16-d-e",
            "XVIII-16-abc",
            "XVIII-1234",
            "XVIII 16",
            "",
        ],
    )
    def test_it_refuses_what_is_no_number(self, number: str) -> None:
        assert mtdsg_normalise(number) == ""
        assert not re.fullmatch(MTDSG_PATTERN, number)

    def test_it_writes_numbers_as_unts_does(self) -> None:
        assert mtdsg_normalise(" xxvii-7-D ") == "XXVII-7-d"
        assert mtdsg_normalise("xi-b-19") == "XI-B-19"
        assert mtdsg_normalise("iii-2-12B") == "III-2-12b"

    def test_it_splits_a_number_into_its_parts(self) -> None:
        parsed = mtdsg_parse("XI-B-19")
        assert (parsed.chapter, parsed.part, parsed.number, parsed.sub) == ("XI", "B", "19", "")
        parsed = mtdsg_parse("III-2-12b")
        assert (parsed.chapter, parsed.part, parsed.number, parsed.sub) == ("III", "", "2", "12b")
        assert str(parsed) == "III-2-12b"
        assert mtdsg_parse("nonsense") is None

    def test_the_chapters_are_the_uns_and_the_corpus_files_name_them(self) -> None:
        assert [roman_to_int(chapter) for chapter in CHAPTERS] == list(range(1, 30))
        names = {chapter.casefold().rstrip(".") for chapter in CHAPTERS.values()}
        for path in CORPUS.glob("*.en.xml"):
            footer = re.search(r"<Footer>[IVXL]+ [^.]*\. ([^<]*)</Footer>", path.read_text(encoding="latin-1"))
            if footer:
                assert footer[1].split(" - ")[0].casefold().rstrip(".") in names, path.name


class OrderAndIdentityTests:
    def test_it_sorts_as_untc_lists_them(self) -> None:
        shuffled = ["XVIII-16", "III-2-12b", "XI-B-19", "IV-11-a", "III-2-12", "XI-B-2", "III-2-7c", "XI-A-10", "IV-4"]
        assert sorted(shuffled, key=mtdsg_sort_key) == [
            "III-2-7c",
            "III-2-12",
            "III-2-12b",
            "IV-4",
            "IV-11-a",
            "XI-A-10",
            "XI-B-2",
            "XI-B-19",
            "XVIII-16",
        ]

    def test_a_file_names_the_tracked_treaty_even_without_chapter_xis_part(self) -> None:
        assert same_number("XI-B-19", "XI-B-19")
        assert same_number("XI-B-19", "XI-19")
        assert not same_number("XI-B-19", "XI-C-19")
        assert same_number("XXVII-7-d", "XXVII-7-d")
        assert not same_number("XVIII-16", "XVIII-12")
        assert not same_number("XXVII-7-d", "XXVII-7")
        assert not same_number("III-2-12", "III-2-12b")
