from __future__ import annotations

import datetime
import html
import re

import pytest

from ratification.collation import sorted_names
from ratification.models import ActionKind
from tests.views.conftest import deposit


def row_names(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/participants/[A-Z0-9]+/">([^<]+)</a></th>', page)


@pytest.fixture
def some_parties(treaty):
    deposit(treaty, "France", datetime.date(2026, 3, 1))
    deposit(treaty, "Viet Nam", datetime.date(2026, 1, 20), footnotes=[2, 5])
    deposit(treaty, "Ghana", datetime.date(2026, 2, 14), ActionKind.ACCEPTANCE)
    deposit(treaty, "European Union", datetime.date(2026, 4, 2), ActionKind.APPROVAL)
    return treaty


@pytest.mark.django_db
class ParticipantsTableTests:
    def test_it_is_a_real_table_with_a_caption_and_column_headers(self, client, treaty):
        page = client.get("/").content.decode()
        assert "<caption>Participants in XVIII-16 and their actions." in page
        assert page.count('<th scope="col"') == 7  # the last, national steps, is not sortable
        assert '<th scope="col" aria-sort="ascending"><a href="?order=desc#participants"' in page

    def test_it_shows_instrument_kind_and_date_the_participants_own_date_and_footnotes(self, client, some_parties):
        page = client.get("/").content.decode()
        viet_nam = page.split(">Viet Nam</a></th>")[1].split("</tr>")[0]
        assert "Party, counted" in viet_nam
        assert 'Ratification, <time datetime="2026-01-20">Jan. 20, 2026</time>' in viet_nam
        assert '<span class="footnote"' in viet_nam
        assert ">2</span>, <span" in viet_nam

    def test_it_filters_by_status_without_javascript(self, client, some_parties):
        page = client.get("/?status=counted").content.decode()
        assert row_names(page) == ["France", "Ghana", "Viet Nam"]
        assert "Showing 3 of 72 participants." in page
        assert '<option value="counted" selected>Party, counted (3)</option>' in page
        assert row_names(client.get("/?status=party").content.decode()) == ["European Union"]

    def test_a_treaty_whose_rule_is_not_known_offers_no_counted_filter(self, client, some_parties):
        some_parties.rule_basis = ""  # what every followed treaty has until its rule is known
        some_parties.save()
        page = client.get("/").content.decode()
        assert '<option value="counted"' not in page
        assert '<option value="party">Party (4)</option>' in page
        # An address that asks for it still says what it shows.
        asked = client.get("/?status=counted").content.decode()
        assert '<option value="counted" selected>Party, counted (0)</option>' in asked

    def test_the_no_participant_message_is_shown_for_an_empty_filter_and_hidden_otherwise(self, client, some_parties):
        empty = client.get("/?status=withdrawn").content.decode()
        assert '<tr id="no-participants"><td colspan="7">No participant matches these filters.</td></tr>' in empty
        # Present but hidden, for the script to show when filtering in the browser empties the table.
        full = client.get("/").content.decode()
        assert '<tr id="no-participants" hidden><td colspan="7">No participant matches these filters.</td></tr>' in full

    def test_it_sorts_by_any_dated_column_both_ways_keeping_undated_rows_last(self, client, some_parties):
        ascending = row_names(client.get("/?sort=instrument").content.decode())
        assert ascending[:4] == ["Viet Nam", "Ghana", "France", "European Union"]
        descending = row_names(client.get("/?sort=instrument&order=desc").content.decode())
        assert descending[:4] == ["European Union", "France", "Ghana", "Viet Nam"]
        assert descending[4:] == sorted_names(descending[4:], key=html.unescape)

    def test_it_sorts_by_status_from_most_to_least_advanced(self, client, some_parties):
        names = row_names(client.get("/?sort=status").content.decode())
        assert names[:4] == ["France", "Ghana", "Viet Nam", "European Union"]

    def test_it_marks_the_sorted_column_and_links_to_the_other_order(self, client, some_parties):
        page = client.get("/?sort=signature&order=desc").content.decode()
        assert '<th scope="col" aria-sort="descending"><a href="?sort=signature#participants"' in page
        assert '<th scope="col" aria-sort="none"><a href="?sort=instrument&amp;order=desc#participants"' not in page

    def test_it_ignores_options_it_does_not_know(self, client, some_parties):
        page = client.get("/?status=bogus&sort=%3Cscript%3E&order=sideways").content.decode()
        assert len(row_names(page)) == 72
        main = page.split("<main")[1].split("</main>")[0]
        assert "%3Cscript" not in main
        assert 'data-sort="name" data-order="asc"' in main

    def test_every_participant_links_to_its_own_page(self, client, treaty):
        page = client.get("/").content.decode()
        assert '<a href="/participants/VNM/">Viet Nam</a>' in page
