from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from ratification.models import ActionKind, PollOutcome, Treaty
from tests.views.conftest import deposit, first_instruments, participant, poll, sign, touch

TODAY = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
THREE_DAYS = datetime.timedelta(days=3)


@pytest.mark.django_db
class FirstStatusPageTests:
    def test_it_lists_the_72_signatories_with_their_dates(self, client, treaty):
        response = client.get("/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "72 signatories" in page
        assert "<strong>0</strong> of 40 instruments counted" in page
        assert "Côte d&#x27;Ivoire" in page
        assert page.count('<th scope="row">') == 72
        assert 'datetime="2025-10-26"' in page  # Mali, Rwanda, Saudi Arabia

    def test_it_serves_any_treaty_by_its_mtdsg_number(self, client, treaty):
        assert client.get("/treaties/XVIII-16/").status_code == 200
        assert client.get("/treaties/XXVI-9/").status_code == 404

    def test_it_serves_a_treaty_of_a_chapter_with_parts(self, client, treaty):
        Treaty.objects.create(mtdsg="XI-B-19", chapter="XI", title="Convention on Road Traffic", xml_path="x.xml")
        for url in ("/treaties/XI-B-19/", "/feeds/XI-B-19.atom", "/treaties/XI-B-19.ics"):
            assert client.get(url).status_code == 200, url

    def test_it_explains_how_to_seed_when_nothing_is_stored(self, client, db):
        response = client.get("/")
        assert response.status_code == 404


@pytest.mark.django_db
class ProgressTests:
    @pytest.fixture(autouse=True)
    def on_the_first_of_june(self):
        with time_machine.travel(TODAY, tick=False):
            yield

    def test_it_says_how_many_more_instruments_are_needed_before_entry_into_force(self, client, treaty):
        first_instruments(treaty, 12)
        page = client.get("/").content.decode()
        assert "Not yet in force: 28 more instruments needed" in page
        assert '<progress max="40" value="12"' in page
        assert "<strong>12</strong> of 40 instruments counted" in page
        assert "12 parties" in page

    def test_it_shows_the_signature_deadline_with_the_days_left(self, client, treaty):
        page = client.get("/").content.decode()
        assert 'datetime="2026-12-31"' in page
        assert "(213 days left)" in page

    def test_it_explains_the_rule_in_plain_words(self, client, treaty):
        page = client.get("/").content.decode()
        assert "It enters into force 90 days after the deposit of the instrument that brings the count" in page
        assert "such as the European Union, does not count toward the 40" in page
        assert "30 days after that deposit" in page

    def test_it_notes_that_the_european_unions_instrument_does_not_count(self, client, treaty):
        first_instruments(treaty, 3)
        sign(treaty, "European Union", datetime.date(2025, 10, 25))
        deposit(treaty, "European Union", datetime.date(2026, 3, 2), ActionKind.APPROVAL)
        page = client.get("/").content.decode()
        assert "<strong>3</strong> of 40 instruments counted" in page
        assert "4 parties" in page
        assert "European Union is a party, but its instrument does not count toward the 40" in page

    def test_it_gives_the_entry_into_force_date_once_the_40th_instrument_is_in(self, client, treaty):
        instruments = first_instruments(treaty, 40, start=datetime.date(2025, 11, 3), every=THREE_DAYS)
        assert instruments[-1].date == datetime.date(2026, 2, 28)
        with time_machine.travel(datetime.datetime(2026, 3, 15, tzinfo=datetime.UTC), tick=False):
            page = client.get("/").content.decode()
        assert "Enters into force on May 29, 2026" in page
        assert "(threshold reached on Feb. 28, 2026)" in page
        assert "Estimate, not a forecast" not in page

    def test_past_the_threshold_the_bar_is_full_and_the_count_says_so(self, client, treaty):
        first_instruments(treaty, 41, start=datetime.date(2025, 11, 3), every=THREE_DAYS)
        page = client.get("/").content.decode()
        # value above max is invalid HTML (the Nu checker refuses it)
        assert '<progress max="40" value="40"' in page
        assert "<strong>41</strong> instruments counted, 40 needed" in page
        assert "41 of 40" not in page

    def test_it_says_in_force_once_the_date_has_passed(self, client, treaty):
        first_instruments(treaty, 40, start=datetime.date(2025, 11, 3), every=THREE_DAYS)
        page = client.get("/").content.decode()
        assert "In force since May 29, 2026" in page

    def test_it_shows_when_the_source_was_last_checked_and_links_to_it(self, client, treaty):
        poll(treaty, timezone.now())
        page = client.get("/").content.decode()
        assert "Last checked June 1, 2026, noon UTC" in page
        assert "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&amp;mtdsg_no=XVIII-16&amp;chapter=18" in page

    def test_it_warns_when_reading_the_source_keeps_failing(self, client, treaty):
        assert "could not be read lately" not in client.get("/").content.decode()
        poll(treaty, timezone.now() - datetime.timedelta(hours=6))
        for hours in (3, 2, 1):
            poll(treaty, timezone.now() - datetime.timedelta(hours=hours), PollOutcome.FAILED)
        treaty.consecutive_failures = 3
        treaty.save()
        page = client.get("/").content.decode()
        assert 'role="alert"' in page
        assert "The last 3 attempts failed; the figures below are as of June 1, 2026, 6 a.m. UTC" in page

    def test_after_a_failed_attempt_it_shows_the_last_good_read_and_the_failure_apart(self, client, treaty):
        poll(treaty, timezone.now() - datetime.timedelta(hours=6))
        failed = poll(treaty, timezone.now() - datetime.timedelta(hours=1), PollOutcome.FAILED)
        failed.http_status, failed.error = 503, "https://treaties.un.org/doc/x.xml answered HTTP 503"
        failed.save()
        treaty.consecutive_failures = 1
        treaty.save()
        page = client.get("/").content.decode()
        # The failed attempt is not a check of the data: "Last checked 11 a.m." read as if it were.
        assert "Last checked" not in page
        assert "Last read successfully June 1, 2026, 6 a.m. UTC" in page
        assert "last attempt June 1, 2026, 11 a.m. UTC failed: the source answered HTTP 503" in page

    @pytest.mark.parametrize(
        ("outcome", "error", "reason"),
        [
            (PollOutcome.FAILED_VALIDATION, "a table of 3 rows, 72 stored", "the file was refused (a table of 3 rows"),
            (PollOutcome.FAILED, "https://x/y.xml: timed out (ReadTimeout)", "could not be reached (https://x/y.xml"),
            (PollOutcome.FAILED, "internal error: KeyError('secret')", "an error in the tracker; staff have"),
        ],
    )
    def test_the_reason_of_a_failed_attempt_is_in_words(self, client, treaty, outcome, error, reason):
        failed = poll(treaty, timezone.now(), outcome)
        failed.error = error
        failed.save()
        treaty.consecutive_failures = 1
        treaty.save()
        page = client.get("/").content.decode()
        assert "Never read successfully yet" in page
        assert reason in page
        assert "secret" not in page

    def test_it_estimates_when_the_threshold_may_be_reached_and_says_it_is_an_estimate(self, client, treaty):
        first_instruments(treaty, 10)
        page = client.get("/").content.decode()
        assert "Estimate, not a forecast" in page
        assert "At the pace so far, the count would reach 40 around" in page
        assert "Plausible range (90%)" in page
        assert 'class="projection"' in page

    def test_it_makes_no_estimate_before_any_instrument_is_counted(self, client, treaty):
        page = client.get("/").content.decode()
        assert "Estimate, not a forecast" not in page
        assert 'class="projection"' not in page

    def test_it_links_to_alerts_feeds_calendar_and_exports(self, client, treaty):
        page = client.get("/").content.decode()
        for href in (
            "/subscribe/?treaty=XVIII-16",
            "/feeds/XVIII-16.atom",
            "/treaties/XVIII-16.ics",
            "/treaties/XVIII-16/participants.csv",
            "/treaties/XVIII-16/participants.json",
        ):
            assert f'href="{href}"' in page


@pytest.mark.django_db
class PicturesTests:
    def test_it_draws_the_timeline_and_the_map_as_svg_with_text_alternatives(self, client, treaty):
        first_instruments(treaty, 5)
        page = client.get("/").content.decode()
        assert page.count("<svg") == 2
        assert 'aria-labelledby="timeline-title timeline-desc"' in page
        assert 'aria-labelledby="map-title map-desc"' in page
        assert "5 instruments counted between Oct. 25, 2025 and" in page
        assert "Party, counted: 5. Signatory: 67." in page

    def test_the_map_colours_countries_by_status_and_lists_them_as_text(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        page = client.get("/").content.decode()
        # The outlines are a static file the page only colours: no path data in the page.
        assert '<path d="M' not in page.split('aria-labelledby="map-title')[1].split("</svg>")[0]
        assert '<use href="/static/img/world-110m.svg#countries" class="s-none"/>' in page
        assert (
            '<use href="/static/img/world-110m.svg#FRA" class="s-counted"><title>France: Party, counted</title></use>'
            in page
        )
        assert page.count('class="s-counted"') == 1
        assert "The map as text" in page

    def test_the_static_outlines_are_the_shipped_shapes(self):
        """static/img/world-110m.svg is written from the JSON by scripts/build_world_map.py --svg."""
        from django.conf import settings

        from ratification.charts import WORLD_SVG, world_shapes, world_svg

        shipped = (settings.BASE_DIR / "static" / WORLD_SVG).read_text(encoding="utf-8")
        assert shipped == world_svg(world_shapes())
        assert shipped.count("<path id=") == len(world_shapes()["countries"])
        assert "fill" not in shipped and "stroke" not in shipped  # the page's <use> gives both

    def test_participants_too_small_for_the_map_are_named_beside_it(self, client, treaty):
        sign(treaty, "Nauru", datetime.date(2025, 11, 2))
        page = client.get("/").content.decode()
        assert "Too small to draw at this scale, or not a country:" in page
        assert "Nauru" in page.split("Too small to draw at this scale")[1][:300]

    def test_it_needs_no_network_for_the_pictures(self, client, treaty):
        page = client.get("/").content.decode()
        assert "https://" not in page.replace("https://treaties.un.org", "")
        assert "//cdn" not in page


@pytest.mark.django_db
class RecentChangesTests:
    def test_it_lists_recent_public_events_with_their_facts(self, client, treaty):
        deposit(treaty, "Viet Nam", datetime.date(2026, 2, 10))
        page = client.get("/").content.decode()
        assert "Viet Nam: ratification" in page
        assert "Ratification deposited on Feb. 10, 2026; 1 of 40 instruments counted." in page


@pytest.mark.django_db
class EscapingTests:
    def test_text_from_untc_shows_as_text(self, client, treaty):
        hostile = participant("<script>alert(1)</script>")
        sign(treaty, hostile.name, datetime.date(2025, 11, 1))
        deposit(treaty, hostile.name, datetime.date(2026, 2, 1))
        touch(treaty)
        for url in ("/", f"/participants/{hostile.code}/"):
            page = client.get(url).content.decode()
            assert "<script>alert(1)</script>" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
