"""Who a printed name is: the registry, the folding of spellings, and the resolution a reader
of the file (the gate, statements) asks for."""

from __future__ import annotations

import csv
import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

from ratification.models import ParticipantAlias, Treaty
from ratification.names import name_key
from ratification.registry import IDENTITIES, NAMES, IdentityKind, registry
from ratification.services.identities import UNKNOWN, identity_eligibility, name_resolve, names_resolve
from ratification.services.participants import TABLE, participants_resolve
from scrapers.untc import ParseError, parse_status
from tests.scrapers.test_corpus import CORPUS

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_registry.py"


class NameKeyTests:
    @pytest.mark.parametrize(
        ("one", "other"),
        [
            ("Viet Nam", "Viet-Nam"),
            ("Viet Nam", "VIET NAM"),
            ("Viet Nam", "Vietnam"),
            ("Côte d'Ivoire", "Côte d\u2019Ivoire"),
            ("Côte d'Ivoire", "Côte d\u02bcIvoire"),
            ("Guinea-Bissau", "Guinea\u2011Bissau"),
            ("Guinea-Bissau", "Guinea Bissau"),
            ("France", "\uff26\uff52\uff41\uff4e\uff43\uff45"),  # full-width letters: NFKC
            ("Saint Lucia", "Saint\u00a0Lucia"),
        ],
    )
    def test_case_punctuation_and_spacing_fold_away(self, one: str, other: str) -> None:
        assert name_key(one) == name_key(other)

    @pytest.mark.parametrize(
        ("one", "other"),
        [("Ghana", "Gh\u0430na"), ("Türkiye", "Turkiye"), ("Niger", "Nigeria"), ("Dominica", "Dominican Republic")],
    )
    def test_letters_stay_what_they_are(self, one: str, other: str) -> None:
        assert name_key(one) != name_key(other)


class RegistryTests:
    def test_every_untc_state_and_the_eu_are_there_with_their_kind(self) -> None:
        with TABLE.open(encoding="utf-8", newline="") as rows:
            table = list(csv.DictReader(rows, delimiter="\t"))
        kinds = {row["code"]: registry().by_code[row["code"]].kind for row in table}
        assert kinds.pop("EUU") == IdentityKind.REIO
        assert set(kinds.values()) == {IdentityKind.STATE} and len(kinds) == 197
        assert {"COK", "NIU", "VAT", "PSE"} <= kinds.keys()
        assert registry().by_code["GHA"].un_member_since == 1957 and registry().by_code["COK"].un_member_since is None

    def test_former_states_carry_the_dates_they_existed_and_successors_the_day_they_began(self) -> None:
        ussr = registry().by_code["SUN"]
        assert (ussr.kind, ussr.since, ussr.until) == (
            IdentityKind.FORMER_STATE,
            datetime.date(1922, 12, 30),
            datetime.date(1991, 12, 25),
        )
        assert registry().by_code["SVK"].since == datetime.date(1993, 1, 1)
        assert not ussr.exists_on(datetime.date(1992, 1, 1)) and ussr.exists_on(datetime.date(1976, 1, 15))

    def test_a_renamed_state_is_its_successor_and_a_dissolved_one_is_not(self) -> None:
        assert registry().codes_named("Byelorussian Soviet Socialist Republic") == {"BLR"}
        assert registry().codes_named("Zaire") == {"COD"}
        assert registry().codes_named("Viet-Nam") == {"VNM"}  # not the Democratic Republic of Viet-Nam
        assert registry().codes_named("Union of Soviet Socialist Republics") == {"SUN"}
        assert registry().by_code[next(iter(registry().codes_named("Interpol")))].kind == IdentityKind.ORGANISATION

    def test_no_folded_name_belongs_to_two_identities(self) -> None:
        assert all(len(codes) == 1 for codes in registry().by_key.values())

    def test_every_name_of_the_2018_corpus_is_one_identity_and_no_file_lists_one_twice(self) -> None:
        for path in sorted(CORPUS.glob("*.xml")):
            try:
                status = parse_status(path.read_bytes())
            except ParseError:
                continue
            codes = []
            for record in status.participants:
                [code] = registry().codes_named(record.name) or [None]
                assert code is not None and len(registry().codes_named(record.name)) == 1, (path.name, record.name)
                codes.append(code)
            assert len(codes) == len(set(codes)), path.name

    def test_the_script_rebuilds_the_shipped_files(self, tmp_path, monkeypatch) -> None:
        pytest.importorskip("pycountry")
        pytest.importorskip("country_converter")
        spec = importlib.util.spec_from_file_location("build_registry", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look themselves up there
        spec.loader.exec_module(module)
        monkeypatch.setattr(module, "IDENTITIES", tmp_path / "registry.tsv")
        monkeypatch.setattr(module, "NAMES", tmp_path / "registry-names.tsv")
        module.write(module.build())
        assert (tmp_path / "registry.tsv").read_text() == IDENTITIES.read_text()
        assert (tmp_path / "registry-names.tsv").read_text() == NAMES.read_text()


@pytest.mark.django_db
class ResolutionTests:
    def test_a_spelling_of_a_stored_name_is_that_participant(self, treaty) -> None:
        resolution = name_resolve(name="GHANA")
        assert (resolution.code, resolution.participant.name, resolution.by_stored_name) == ("GHA", "Ghana", True)

    def test_a_name_of_two_stored_participants_is_held_as_ambiguous(self, treaty) -> None:
        participants_resolve(names=["Mauritius"])
        ParticipantAlias.objects.create(participant=participants_resolve(names=["Mali"])["Mali"], name="Maur-itius")
        resolution = name_resolve(name="MAURITIUS")
        assert not resolution.resolved
        assert resolution.reason.startswith("the name could be any of Mali (MLI), Mauritius (MUS)")

    def test_a_name_of_no_one_that_looks_like_a_state_s_says_so_for_staff(self, treaty) -> None:
        resolution = name_resolve(name="Ghana, Republic of (the)")
        assert not resolution.resolved
        assert resolution.reason.endswith("(it looks like a name of Ghana (GHA): staff may map it)")
        assert name_resolve(name="Gh\u0430na").reason == UNKNOWN

    def test_it_resolves_any_number_of_names_in_two_queries(self, treaty, django_assert_num_queries) -> None:
        with django_assert_num_queries(2):
            found = names_resolve(names=["Ghana", "Testland", "Yugoslavia", "World Health Organization"])
        assert [found[n].code for n in ("Ghana", "Testland", "Yugoslavia")] == ["GHA", None, "YUG"]

    @pytest.mark.parametrize(
        ("name", "new", "on", "reason"),
        [
            ("Mauritius", True, "2026-11-20", None),
            ("European Union", True, "2026-11-20", None),
            ("Caribbean Community", True, "2026-11-20", None),
            ("Slovakia", True, "1992-06-01", "Slovakia came into being on 1993-01-01: it cannot act on 1992-06-01"),
            ("Yugoslavia", False, "1976-12-29", None),
            (
                "Yugoslavia",
                False,
                "1996-12-29",
                "Yugoslavia ceased to exist on 1992-04-26: it cannot act on 1996-12-29",
            ),
            ("World Health Organization", False, "2026-11-20", None),
        ],
    )
    def test_eligibility(self, treaty, name, new, on, reason) -> None:
        treaty = Treaty(mtdsg="X-1", admits_reio=name != "Caribbean Community")
        found = identity_eligibility(
            resolution=name_resolve(name=name), treaty=treaty, on=datetime.date.fromisoformat(on), new_to_treaty=new
        )
        if name == "Caribbean Community":
            assert "the treaty is not known to admit one" in found
        else:
            assert found == reason
