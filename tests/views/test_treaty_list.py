"""/treaties/: every tracked treaty with where it stands, sorted and filtered by links and a GET form."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratification import cache, page_selectors
from ratification.models import Action, ActionKind, Event, EventKind, Treaty
from ratification.services.reconcile import status_reconcile
from scrapers.mtdsg import mtdsg_sort_key
from scrapers.untc import parse_status
from tests.scrapers.test_corpus import CORPUS
from tests.views.conftest import CONFIRMED_RULE, deposit, participant, sign

pytestmark = pytest.mark.django_db

STATES = ("France", "Ghana", "Japan", "Norway", "Viet Nam")


@pytest.fixture
def paris(treaty):
    """Beside XVIII-16 (72 signatories, nothing counted): a treaty in force, with a recorded change."""
    other = Treaty.objects.create(
        mtdsg="XXVII-7-d",
        chapter="XXVII",
        title="Paris Agreement",
        short_title="Paris Agreement",
        xml_path="x.xml",
        **{**CONFIRMED_RULE, "eif_threshold": 2, "eif_delay_days": 30},
    )
    sign(other, "France", datetime.date(2016, 4, 22))
    deposit(other, "France", datetime.date(2016, 10, 5))
    deposit(other, "Norway", datetime.date(2016, 10, 20))
    return other


@pytest.fixture
def halfway(treaty):
    """A treaty with 2 of its 4 instruments deposited in 2024: an estimate, no date yet."""
    other = Treaty.objects.create(
        mtdsg="IV-8", chapter="IV", title="A convention on rights", xml_path="y.xml", eif_threshold=4, **CONFIRMED_RULE
    )
    deposit(other, "Ghana", datetime.date(2024, 3, 1))
    deposit(other, "Japan", datetime.date(2024, 9, 1))
    return other


def add_treaties(count: int, *, start: int = 1) -> None:
    """`count` treaties, each with a signature and a ratification, one in three of them in force."""
    treaties = Treaty.objects.bulk_create(
        Treaty(
            mtdsg=f"XXVI-{number}",
            chapter="XXVI",
            title=f"Treaty number {number}",
            xml_path=f"doc/{number}.xml",
            eif_threshold=1 if number % 3 == 0 else 10,
            **CONFIRMED_RULE,
            last_change_at=timezone.now() - datetime.timedelta(days=number),
        )
        for number in range(start, start + count)
    )
    who = [participant(name) for name in STATES]
    Action.objects.bulk_create(
        Action(
            treaty=treaty,
            participant=who[index % len(who)],
            kind=kind,
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
        )
        for index, treaty in enumerate(treaties)
        for kind in (ActionKind.SIGNATURE, ActionKind.RATIFICATION)
    )


def rows(page: str) -> list[str]:
    """The treaty titles in the order the table shows them."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', body)


class TreatyListTests:
    def test_it_lists_every_treaty_with_its_progress_dates_last_change_and_link(self, client, paris, halfway):
        page = client.get("/treaties/").content.decode()
        assert rows(page) == ["A convention on rights", "UN Convention against Cybercrime", "Paris Agreement"]
        assert '<a href="/treaties/XXVII-7-d/">Paris Agreement</a>' in page
        assert "In force since Nov. 19, 2016" in page
        assert "0 of 40 instruments counted" in page
        assert "2 of 4 instruments counted" in page
        assert "(estimate)" in page  # IV-8: two instruments in six months, two more needed
        assert "not yet known" in page  # XVIII-16: nothing counted, no basis for an estimate
        # The deposits were recorded today: a change, dated as a day (a valid <time>).
        assert f'<time datetime="{timezone.localdate().isoformat()}">' in page
        assert "<caption>" in page
        assert "Showing all 3 treaties." in page

    def test_the_home_page_still_shows_the_default_treaty_and_links_to_the_list(self, client, paris):
        page = client.get("/").content.decode()
        assert "<h1>UN Convention against Cybercrime</h1>" in page
        assert '<a href="/treaties/">All treaties</a>' in page
        listing = client.get("/treaties/").content.decode()
        assert '<a href="/treaties/" aria-current="page">All treaties</a>' in listing

    def test_with_many_treaties_a_status_page_links_to_the_list_instead_of_naming_them_all(self, client, treaty):
        add_treaties(3)
        assert 'class="treaty-nav"' in client.get("/").content.decode()
        add_treaties(6, start=4)
        page = client.get("/").content.decode()
        assert 'class="treaty-nav"' not in page and "/treaties/XXVI-9/" not in page
        assert '<a href="/treaties/">All treaties</a>' in page

    def test_column_headings_are_sort_links_that_toggle_the_order(self, client, paris, halfway):
        page = client.get("/treaties/?sort=progress&order=desc").content.decode()
        assert rows(page) == ["Paris Agreement", "A convention on rights", "UN Convention against Cybercrime"]
        assert '<th scope="col" aria-sort="descending"><a href="?sort=progress">Progress</a></th>' in page
        assert '<th scope="col" aria-sort="none"><a href="?sort=title&amp;order=desc">' not in page
        assert '<th scope="col" aria-sort="none"><a href="?sort=title">Treaty</a></th>' in page
        titles = rows(client.get("/treaties/?sort=title").content.decode())
        assert titles == ["A convention on rights", "Paris Agreement", "UN Convention against Cybercrime"]

    def test_treaties_without_a_date_stay_last_whichever_way_the_dates_run(self, client, paris, halfway):
        for order in ("asc", "desc"):
            page = client.get(f"/treaties/?sort=entry_into_force&order={order}").content.decode()
            assert rows(page)[-1] == "UN Convention against Cybercrime"

    def test_it_filters_by_standing_and_by_words_of_the_title_or_number(self, client, paris, halfway):
        page = client.get("/treaties/?status=in_force").content.decode()
        assert rows(page) == ["Paris Agreement"]
        assert "Showing 1 of 3 treaties." in page
        assert '<option value="in_force" selected>In force (1)</option>' in page
        assert rows(client.get("/treaties/?q=cyber").content.decode()) == ["UN Convention against Cybercrime"]
        assert rows(client.get("/treaties/?q=xxvii-7").content.decode()) == ["Paris Agreement"]
        empty = client.get("/treaties/?q=nothing+like+this&status=not_yet").content.decode()
        assert rows(empty) == []
        assert "No tracked treaty matches." in empty
        assert 'value="nothing like this"' in empty

    def test_a_malformed_query_shows_the_default_list(self, client, paris):
        page = client.get("/treaties/?sort=%3Cscript%3E&status=nope&order=sideways&q=" + "x" * 500)
        assert page.status_code == 200
        assert rows(page.content.decode()) == []  # the search is cut to 100 x, which matches nothing
        assert "<script>" not in page.content.decode()

    def test_it_speaks_french_and_czech(self, client, paris):
        french = client.get("/treaties/", headers={"accept-language": "fr"}).content.decode()
        assert "Traités suivis" in french
        assert "En vigueur depuis le 19 novembre 2016" in french
        assert ">Avancement</a></th>" in french
        assert "Les 2 traités sont affichés." in french
        czech = client.get("/treaties/", headers={"accept-language": "cs"}).content.decode()
        assert "Sledované smlouvy" in czech
        assert ">Poslední změna</a></th>" in czech
        assert "Tento web sleduje 2 smlouvy ve Sbírce smluv OSN." in czech

    def test_it_is_served_from_the_cache_until_a_treaty_changes(self, client, halfway, django_assert_num_queries):
        client.get("/treaties/")
        with django_assert_num_queries(1):  # the data version
            assert client.get("/treaties/").status_code == 200
        deposit(halfway, "Norway", datetime.date(2024, 12, 1))
        assert "3 of 4 instruments counted" in client.get("/treaties/").content.decode()


class LastChangeTests:
    def test_an_old_treaty_read_for_the_first_time_shows_its_latest_action_not_the_day_of_the_read(self, client, db):
        status = parse_status((CORPUS / "XXVI-2-a.en.xml").read_bytes())
        treaty = Treaty.objects.create(mtdsg="XXVI-2-a", chapter="XXVI", title="Old", xml_path="x")
        status_reconcile(treaty=treaty, status=status)  # the baseline
        latest = max(action.date for row in status.participants for action in row.actions)
        assert latest < timezone.localdate() - datetime.timedelta(days=365)
        page = client.get("/treaties/").content.decode()
        assert f'<time datetime="{latest.isoformat()}">' in page
        assert timezone.localdate().isoformat() not in page
        treaty.refresh_from_db()
        assert treaty.last_change_at is None  # the status page says no change was recorded either

    def test_a_change_recorded_after_the_first_reading_is_the_last_change(self, client, paris):
        Event.objects.filter(treaty=paris).update(data={"baseline": True})
        page = client.get("/treaties/?q=paris").content.decode()
        assert '<time datetime="2016-10-20">' in page  # Norway's deposit, the latest action
        deposit(paris, "Ghana", datetime.date(2016, 11, 2))
        page = client.get("/treaties/?q=paris").content.decode()
        assert f'<time datetime="{timezone.localdate().isoformat()}">' in page

    def test_a_reported_national_step_is_not_a_change_of_the_un_record(self, client, paris):
        Event.objects.filter(treaty=paris).update(data={"baseline": True})
        Event.objects.create(treaty=paris, kind=EventKind.STAGE_REPORTED, occurred_on=datetime.date(2026, 1, 1))
        assert '<time datetime="2016-10-20">' in client.get("/treaties/?q=paris").content.decode()


class PagerTests:
    def test_five_hundred_treaties_come_fifty_a_page_with_links_that_keep_the_order(self, client, db):
        add_treaties(120)
        first = client.get("/treaties/?sort=title").content.decode()
        assert len(rows(first)) == 50
        assert "Showing 1 to 50 of 120 treaties." in first
        assert "Page 1 of 3" in first
        assert 'href="/treaties/?sort=title&amp;page=2" rel="next"' in first
        assert 'rel="prev"' not in first
        last = client.get("/treaties/?sort=title&page=3").content.decode()
        assert len(rows(last)) == 20
        assert 'href="/treaties/?sort=title&amp;page=2" rel="prev"' in last and 'rel="next"' not in last
        second = client.get("/treaties/?sort=title&page=2").content.decode()
        assert 'href="/treaties/?sort=title" rel="prev"' in second
        assert set(rows(first)).isdisjoint(rows(second))
        assert sorted(rows(first) + rows(second) + rows(last), key=str.casefold) == rows(first) + rows(second) + rows(
            last
        )

    def test_sorting_or_filtering_starts_again_at_the_first_page(self, client, db):
        add_treaties(60)
        page = client.get("/treaties/?page=2").content.decode()
        assert '<a href="?sort=title">Treaty</a>' in page
        assert '<input type="hidden" name="page"' not in page

    @pytest.mark.parametrize("number", ["0", "-1", "x", "99", "1.5"])
    def test_a_page_that_is_not_there_shows_the_nearest_one(self, client, db, number):
        add_treaties(60)
        response = client.get(f"/treaties/?page={number}")
        assert response.status_code == 200
        assert len(rows(response.content.decode())) in (50, 10)

    def test_one_page_needs_no_pager(self, client, paris):
        assert 'class="pages"' not in client.get("/treaties/").content.decode()


class TreatyListQueryTests:
    def built(self, client) -> tuple[int, str]:
        """The queries of one uncached build of /treaties/ (no stored page, no cached summary)."""
        cache.recent.clear()
        caches["default"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/treaties/?sort=progress&order=desc")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    def test_it_answers_in_the_same_number_of_queries_for_5_and_400_treaties(self, client):
        add_treaties(5)
        few, page = self.built(client)
        assert len(rows(page)) == 5
        add_treaties(395, start=6)
        many, page = self.built(client)
        assert len(rows(page)) == 50  # a page
        assert "Showing 1 to 50 of 400 treaties." in page
        # The data version, the treaties with their first action's date, their actions.
        assert few == many == 3

    def test_cached_summaries_spare_the_actions_query(self, django_assert_num_queries):
        add_treaties(5)
        today = timezone.localdate()
        page_selectors.treaty_listings(today=today)
        with django_assert_num_queries(1):  # the treaties: every summary is cached under its version
            assert len(page_selectors.treaty_listings(today=today)) == 5


class NumberOrderTests:
    def test_chapters_go_by_their_numerals_value_and_numbers_as_numbers(self):
        numbers = ["XXVII-7-d", "IV-8", "XI-B-19", "XVIII-16", "XI-B-2", "XXVII-7", "IV-11"]
        assert sorted(numbers, key=mtdsg_sort_key) == [
            "IV-8",
            "IV-11",
            "XI-B-2",
            "XI-B-19",
            "XVIII-16",
            "XXVII-7",
            "XXVII-7-d",
        ]
