"""Issue 22, poll by poll: only a real, eligible participant counts, by identity, not spelling.

Each test is one poll of a stand-in for treaties.un.org after a normal baseline of XVIII-16,
bringing an attack together with real news (tests/alerts/news_world.py): the news is
published, counted, mailed and posted to the webhook; the attack is held and absent from
every page, export, feed, diff, e-mail and webhook call.
"""

from __future__ import annotations

import datetime

import pytest

from ratification.models import Action, Participant, ParticipantAlias, PollOutcome, ReviewItem, ReviewKind
from tests.alerts.news_world import ACCESSION, RATIFIED_ON, RATIFIER, World, news_file
from tests.support.untc_files import Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(news_world) -> World:
    return news_world


def held_reasons() -> list[str]:
    return [reason for item in ReviewItem.objects.filter(kind=ReviewKind.HELD) for reason in item.data["reasons"]]


class NotAStateTests:
    @pytest.mark.parametrize(
        ("name", "reason"),
        [
            ("World Health Organization", "World Health Organization is an international organisation, not a State"),
            ("Interpol", "International Criminal Police Organization is an international organisation, not a State"),
            ("Union of Soviet Socialist Republics", "is a former State (it existed until 1991-12-25)"),
            ("Yugoslavia", "Yugoslavia is a former State (it existed until 1992-04-26)"),
            ("Antarctica", "Antarctica is not a State (ISO 3166 lists it as a territory)"),
        ],
    )
    def test_an_organisation_a_former_state_or_a_territory_is_held_with_the_reason(self, world, name, reason):
        run = world.poll(news_file(extra=(Row(name, "", "20 Nov 2026 a"),)))
        assert run.outcome == PollOutcome.CHANGED
        world.assert_the_news_went_out_alone(run, name)
        [found] = held_reasons()
        assert reason in found
        assert not Action.objects.filter(participant__name=name).exists()


class SpellingTests:
    def test_viet_nam_hyphenated_is_viet_nam_twice_both_rows_held_and_nothing_double_counted(self, world):
        run = world.poll(news_file(extra=(Row("Viet-Nam", "25 Oct 2025"),)))
        world.assert_the_news_went_out_alone(run, "Viet-Nam", held=2)
        assert all("2 rows of the file name Viet Nam" in reason for reason in held_reasons())
        assert not Participant.objects.filter(code="VDR").exists()
        assert not ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED).exists()

    def test_a_capitalised_name_is_an_alias_never_a_rename(self, world):
        rows = [Row("FRANCE" if r.name == "France" else r.name, r.signature) for r in hanoi_rows()]
        run = world.poll(hanoi_file([*with_instruments(rows, {RATIFIER: RATIFIED_ON}), ACCESSION]))
        world.assert_the_news_went_out_alone(run, "FRANCE", held=0)
        france = Participant.objects.get(code="FRA")
        assert france.name == "France" and ParticipantAlias.objects.get(name="FRANCE").participant == france
        assert "France" in world.get("/treaties/XVIII-16/participants.csv")


class DuplicateRowTests:
    def test_a_second_ghana_row_gives_ghana_nothing(self, world):
        run = world.poll(news_file(extra=(Row("GHANA", "", "20 Nov 2026"),)))
        world.assert_the_news_went_out_alone(run, "GHANA", held=2)
        assert not Action.objects.filter(participant__code="GHA", kind="ratification").exists()

    def test_a_republic_of_turkiye_row_placed_first_re_dates_nobody(self, world):
        before = Action.objects.get(participant__code="TUR").date
        run = world.poll(news_file(first=(Row("Republic of Türkiye", "24 Oct 2025"),)))
        world.assert_the_news_went_out_alone(run, "Republic of Türkiye", held=2)
        assert Action.objects.get(participant__code="TUR").date == before != datetime.date(2025, 10, 24)

    def test_a_conflicting_vietnam_row_is_raised_not_ignored(self, world):
        run = world.poll(news_file(extra=(Row("Vietnam", "26 Oct 2025"),)))
        world.assert_the_news_went_out_alone(run, "Vietnam", held=2)
        assert Action.objects.get(participant__code="VNM").date == datetime.date(2025, 10, 25)
        assert len(run.summary["held"]) == 2


class LeakTests:
    def test_a_held_cyrillic_ghana_is_on_no_diff_page_and_in_no_count(self, world):
        run = world.poll(news_file(extra=(Row("Gh\u0430na", "", "20 Nov 2026"),)))
        world.assert_the_news_went_out_alone(run, "Gh\u0430na")
        diff = world.diff_page(run)
        assert "Rows the tracker held for review are left out" in diff
        assert "Signatories: 72 → 72." in diff
