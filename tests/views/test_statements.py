"""Statements where people look: the treaty page's table by article (filtered without
JavaScript), the participant page, the event page, the feed, the history, the status as at a
date, the poll's diff, and the CSV and JSON downloads."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re

import pytest
from django.utils import timezone

from ratification.models import Event, EventKind, PollRun, Statement, Treaty
from ratification.services.polling import poll_treaty
from tests.support.untc_statements import (
    FRANCE_DECLARATION,
    FRANCE_RESERVATION,
    GERMANY_OBJECTION,
    HanoiFile,
    Note,
    Said,
)
from tests.views.conftest import participant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def said(treaty: Treaty, name: str, kinds: list[str], articles: list[str], text: str, **fields) -> Statement:
    """A statement and its public event, as the reconcile records them (services/statements.py)."""
    row = Statement.objects.create(
        treaty=treaty,
        participant=participant(name),
        section=fields.pop("section", "declarations"),
        kinds=kinds,
        articles=articles,
        text=text,
        since=fields.pop("since", TODAY),
        **fields,
    )
    Event.objects.create(
        treaty=treaty,
        kind=EventKind.STATEMENT_MADE,
        participant=row.participant,
        statement=row,
        occurred_on=TODAY,
        data={"section": row.section, "kinds": kinds, "articles": articles, "answers": row.answers, "date": None},
    )
    return row


@pytest.fixture
def statements(treaty):
    france = said(treaty, "France", ["reservation", "declaration"], ["22(4)", "40"], "Reservation:\nFrance reserves.")
    germany = said(
        treaty,
        "Germany",
        ["objection"],
        ["22"],
        "With regard to the reservation made by France upon ratification:\nGermany objects.",
        section="objections",
        answers=[{"name": "France", "kind": "reservation", "code": "FRA"}],
        footnotes=[1],
    )
    chile = said(treaty, "Chile", ["declaration"], [], "Chile declares its understanding.")
    Treaty.objects.filter(pk=treaty.pk).update(source_notes=[{"index": 1, "text": "Germany's note."}])
    return {"france": france, "germany": germany, "chile": chile}


def section(page: str) -> str:
    start = page.index('id="declarations"')
    return page[start : page.index("</section>", start)]


class TablePageTests:
    def test_the_treaty_page_lays_statements_out_by_article(self, client, statements):
        page = section(client.get("/treaties/XVIII-16/").content.decode())
        assert "Reservations and declarations" in page
        rows = page.split('<th scope="row">')[1:]
        assert [re.sub(r"<[^>]+>", "", row.split("</th>")[0]) for row in rows] == [
            "Article 22",
            "Article 40",
            "No article cited",
        ]
        assert "France" in rows[0] and "Germany" in rows[0] and "(to France)" in rows[0]
        assert "Chile" in rows[2] and "France" not in rows[2]
        assert '<th scope="col"><a href="?kind=reservation#declarations">Reservations</a></th>' in page

    def test_a_footnote_number_links_to_its_end_note(self, client, statements):
        page = client.get("/treaties/XVIII-16/").content.decode()
        assert '<sup><a href="#note-1" aria-label="Note 1">1</a></sup>' in section(page)
        assert 'id="note-1"' in page

    def test_it_filters_by_article_kind_and_participant_from_the_query_string(self, client, statements):
        by_article = section(client.get("/treaties/XVIII-16/?article=40").content.decode())
        table = by_article[by_article.index("<tbody>") :]
        assert "Article 40" in table and "Article 22" not in table and "Germany" not in table
        by_kind = section(client.get("/treaties/XVIII-16/?kind=objection").content.decode())
        by_kind = by_kind[by_kind.index("<tbody>") :]
        assert "Germany" in by_kind and ">France<" not in by_kind
        by_participant = section(client.get("/treaties/XVIII-16/?participant=chl").content.decode())
        assert "Showing 1 of 3 statements." in by_participant
        by_participant = by_participant[by_participant.index("<tbody>") :]
        assert "Chile" in by_participant and "Germany" not in by_participant

    def test_a_filter_keeps_the_participants_tables_own_parameters(self, client, statements):
        page = section(client.get("/treaties/XVIII-16/?status=signatory&article=22").content.decode())
        assert '<input type="hidden" name="status" value="signatory">' in page
        assert 'href="?status=signatory&amp;article=22&amp;kind=objection#declarations"' in page

    def test_a_value_that_cannot_be_a_filter_is_ignored(self, client, statements):
        page = section(client.get("/treaties/XVIII-16/?article=<script>&kind=banana&participant=x").content.decode())
        assert "3 statements, by 3 participants." in page

    def test_a_treaty_without_statements_says_so(self, client, treaty):
        assert (
            "No reservation, declaration or objection has been made"
            in client.get("/treaties/XVIII-16/").content.decode()
        )

    def test_a_statement_text_is_escaped(self, client, treaty):
        said(treaty, "Chile", ["declaration"], [], "<script>alert(1)</script>")
        page = client.get("/participants/CHL/").content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


class ParticipantPageTests:
    def test_it_lists_the_participants_statements_with_the_articles_linked(self, client, statements):
        page = client.get("/participants/FRA/").content.decode()
        assert "Reservations, declarations and objections" in page
        assert f'id="statement-{statements["france"].pk}"' in page
        assert '<a href="/treaties/XVIII-16/?article=22#declarations">article 22(4)</a>' in page
        assert '<a href="/treaties/XVIII-16/?article=40#declarations">article 40</a>' in page
        assert "France reserves." in page

    def test_a_withdrawn_statement_is_listed_apart(self, client, statements):
        Statement.objects.filter(pk=statements["chile"].pk).update(withdrawn_on=TODAY)
        page = client.get("/participants/CHL/").content.decode()
        assert "No longer in the UN's record (withdrawn)" in page


class EventAndFeedTests:
    def test_the_event_page_gives_the_sentence_and_the_full_text(self, client, statements):
        event = Event.objects.get(statement=statements["germany"])
        page = client.get(f"/events/{event.pk}/").content.decode()
        assert "Germany objected to France&#x27;s reservation" in page
        assert "Germany objects." in page

    def test_the_event_page_speaks_of_a_count_only_under_a_known_rule(self, client, statements):
        event = Event.objects.get(statement=statements["chile"])
        known = client.get(f"/events/{event.pk}/").content.decode()
        assert "A statement changes no count and no date of entry into force." in known
        Treaty.objects.filter(pk=event.treaty_id).update(rule_basis="")  # a treaty whose rule nobody confirmed
        unknown = client.get(f"/events/{event.pk}/").content.decode()
        assert "A statement changes no date of entry into force." in unknown
        assert "What it changes" in unknown and "Effect on the count" not in unknown

    def test_the_feed_and_the_history_carry_the_sentences(self, client, statements):
        feed = html.unescape(client.get("/feeds/XVIII-16.atom").content.decode())
        assert "France formulated a reservation and made a declaration" in feed
        assert "Reservation, declaration. Articles 22(4) and 40." in feed
        assert "Germany objected to France's reservation" in feed
        history = client.get("/treaties/XVIII-16/history/?kind=statement_made").content.decode()
        assert "Chile made a declaration" in history


class AsOfTests:
    def test_a_statement_stands_from_its_day_until_it_is_withdrawn(self, client, statements):
        yesterday = TODAY - datetime.timedelta(days=1)
        Statement.objects.filter(pk=statements["chile"].pk).update(since=datetime.date(2026, 1, 5), withdrawn_on=TODAY)
        before = section(client.get(f"/treaties/XVIII-16/?as_of={yesterday.isoformat()}").content.decode())
        assert "Chile" in before and "France" not in before
        now = section(client.get("/treaties/XVIII-16/").content.decode())
        assert "Chile" not in now and "France" in now


class DownloadTests:
    def test_the_csv_has_one_row_per_statement_and_takes_the_filters(self, client, statements):
        response = client.get("/treaties/XVIII-16/declarations.csv?kind=reservation")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [(r["code"], r["kinds"], r["articles"]) for r in rows] == [
            ("FRA", "reservation declaration", "22(4) 40")
        ]
        assert response["Content-Disposition"] == 'attachment; filename="XVIII-16-declarations.csv"'

    def test_the_json_has_every_statement_with_its_answers(self, client, statements):
        document = json.loads(client.get("/treaties/XVIII-16/declarations.json").content)
        assert document["as_of"] is None
        germany = next(d for d in document["declarations"] if d["code"] == "DEU")
        assert germany["answers"] == [{"name": "France", "kind": "reservation", "code": "FRA"}]
        assert germany["footnotes"] == [1]

    def test_a_future_as_of_is_refused_with_a_reason(self, client, statements):
        response = client.get("/treaties/XVIII-16/declarations.json?as_of=2999-01-01")
        assert response.status_code == 400 and b"after today" in response.content


class PollDiffTests:
    def test_the_diff_of_a_poll_lists_the_statements_it_changed(self, client, treaty):
        poll_treaty(
            treaty=treaty, content=HanoiFile(said=[Said("France", (FRANCE_RESERVATION, FRANCE_DECLARATION))]).bytes()
        )
        note = Note(1, "On 9 April 2026, the Government of France notified the Secretary-General that it had "
                       "decided to withdraw the reservation to article 22.")  # fmt: skip
        objection = Said("Germany", (GERMANY_OBJECTION,), section="objections")
        later = HanoiFile(said=[Said("France", (FRANCE_DECLARATION,), footnotes=(1,)), objection], notes=[note])
        run = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk), content=later.bytes()).run
        assert PollRun.objects.filter(treaty=treaty, snapshot__isnull=False).count() == 2
        page = client.get(f"/treaties/XVIII-16/history/{run.pk}/diff/").content.decode()
        table = page[page.index('id="statements-diff"') :]
        assert '<tr class="change-withdrawn">' in table and "reservation (articles 22(4))" in table
        assert '<tr class="change-made">' in table and "objection" in table
