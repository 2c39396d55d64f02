"""Six real treaties of different shapes, tracked from their 2018 files, their pages and
`treaty_status --json` checked against expectations written by hand (issue 21).

Each expected figure was read from the file itself, not from the tracker: the declared
Signatories and Parties of its `<Status>` (or its rows counted, where it declares none), the
date its `EIF/Labeltext` states, and for the one known rule the date of the 16th instrument
worked back from the declared date (29 December 2003 less 90 days is 30 September 2003).
"""

from __future__ import annotations

import html
import json
from io import StringIO

import pytest
from django.core.management import call_command

from ratification.models import Event, EventKind, Treaty
from tests.support.corpus import CORPUS_2018, track_corpus
from tests.support.html_check import html_problems
from tests.support.http_server import local_server

pytestmark = pytest.mark.django_db

NOT_CONFIRMED = "The tracker has not confirmed this treaty's entry-into-force rule"
AS_DECLARED = "(as declared by the UN Treaty Collection)"
NO_COUNTS = {"counted": None, "threshold": None, "needed": None, "threshold_reached_on": None}

# treaty_status --json, by hand from each file (see the module's docstring).
EXPECTED = {
    # No clause quoted: "31 August 1965, in accordance with Article 108". Parties 107, no Signatories.
    "I-5-a": {"signatories": 0, "parties": 107, **NO_COUNTS, "entry_into_force": "1965-08-31"},
    # In force under a rule no kind expresses (55 Parties and 55% of emissions): Signatories 195, Parties 173.
    "XXVII-7-d": {"signatories": 195, "parties": 173, **NO_COUNTS, "entry_into_force": "2016-11-04"},
    # Not in force; article 29 quoted (the 16th instrument + 90 days): Signatories 24, Parties 1.
    "XXVII-16": {"signatories": 24, "parties": 1, **NO_COUNTS, "entry_into_force": None},
    # The 16th instrument + 90 days, the European Union's approval counted: Signatories 35, Parties 34.
    "XXVII-1-f": {
        "signatories": 35,
        "parties": 34,
        "counted": 34,
        "threshold": 16,
        "needed": 0,
        "threshold_reached_on": "2003-09-30",
        "entry_into_force": "2003-12-29",
    },
    # Lake Success, 11 December 1946: Signatories 23, Parties 62 (the Netherlands bracketed).
    "VI-1": {"signatories": 23, "parties": 62, **NO_COUNTS, "entry_into_force": "1946-12-11"},
    # An annex's revised text: 18 rows, each an "Application" (UNTC's Parties), no EIF, no figures.
    "III-2-12b": {"signatories": 0, "parties": 18, **NO_COUNTS, "entry_into_force": None},
}


@pytest.fixture
def track(settings):
    """Track one real file as `manage.py track` does; returns its treaty."""

    def track_one(number: str) -> Treaty:
        with local_server() as server:
            settings.UNTC_BASE_URL = server.base_url
            track_corpus(server, [number], CORPUS_2018)
        return Treaty.objects.get(mtdsg=number)

    return track_one


def status_json(number: str) -> dict:
    out = StringIO()
    call_command("treaty_status", number, "--json", stdout=out)
    return json.loads(out.getvalue())


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    if url.endswith("/"):
        assert html_problems(text) == [], url
    return html.unescape(text)


class TreatyStatusTests:
    @pytest.mark.parametrize("number", sorted(EXPECTED))
    def test_treaty_status_json_says_what_the_file_says(self, track, number):
        track(number)
        assert status_json(number) == {**EXPECTED[number], "held_for_review": 0}


class NoClauseQuotedTests:
    def test_the_charter_amendments_show_untcs_date_and_no_rule(self, client, track):
        track("I-5-a")
        text = page(client, "/treaties/I-5-a/")
        assert "In force since Aug. 31, 1965" in text
        assert AS_DECLARED in text
        assert NOT_CONFIRMED in text
        assert "instruments counted" not in text and "needed" not in text
        assert "<strong>107</strong> parties" in text
        badge = page(client, "/treaties/I-5-a/badge.svg")
        assert "in force since Aug. 31, 1965" in badge and " / " not in badge


class RuleNoKindExpressesTests:
    def test_the_paris_agreement_states_no_borrowed_threshold_and_no_reio_sentence(self, client, track):
        paris = track("XXVII-7-d")
        text = page(client, "/treaties/XXVII-7-d/")
        assert "In force since Nov. 4, 2016" in text and AS_DECLARED in text
        assert NOT_CONFIRMED in text
        for borrowed in ("of 40", "40 needed", "does not count toward", "more instrument", "instruments counted"):
            assert borrowed not in text
        assert "<strong>173</strong> parties" in text
        detail = client.get("/api/v1/treaties/XXVII-7-d/").json()
        assert detail["rule"]["known"] is False and detail["rule"]["threshold"] is None
        assert detail["status"]["entry_into_force"] == "2016-11-04"
        assert detail["status"]["entry_into_force_source"] == "untc"
        eu = client.get("/api/v1/treaties/XXVII-7-d/participants/?code=EUU").json()["results"][0]
        assert eu["status"] == "party"  # a party; nothing said about counting
        assert not paris.events.filter(kind__in=[EventKind.THRESHOLD_REACHED, EventKind.ENTERED_INTO_FORCE]).exists()
        # The shares of a weight rule are not guessed: the proposal says why none was read.
        assert "share of a weight" in paris.rule_proposal["reason"]


class RuleReadNotConfirmedTests:
    def test_a_rule_read_from_the_clause_is_said_as_read_and_counts_nothing(self, client, track):
        treaty = track("XXVII-16")
        text = page(client, "/treaties/XXVII-16/")
        assert "Not yet in force" in text and "more instrument" not in text
        assert "Read from article 29, not yet confirmed:" in text
        assert "count of ratifications, acceptances, approvals and accessions to 16." in text
        assert "<strong>1</strong> party" in text
        assert "Estimate, not a forecast" not in text
        badge = page(client, "/treaties/XXVII-16/badge.svg")
        assert ">1 party<" in badge
        embed = page(client, "/treaties/XXVII-16/embed/")
        assert "<progress" not in embed
        event = Event.objects.filter(treaty=treaty, kind=EventKind.NEW_ACTION).first()
        assert (event.data["counted"], event.data["threshold"], event.data["counts_toward_threshold"]) == (
            None,
            None,
            None,
        )


class RegionalOrganisationCountsTests:
    def test_the_heavy_metals_protocol_counts_the_european_unions_approval(self, client, track):
        treaty = track("XXVII-1-f")
        assert (treaty.rule_basis, treaty.reio_counts, treaty.eif_threshold) == ("declared_date", True, 16)
        text = page(client, "/treaties/XXVII-1-f/")
        assert "<strong>34</strong> instruments counted, 16 needed" in text
        assert "In force since Dec. 29, 2003" in text and AS_DECLARED in text
        assert "does not count toward" not in text
        assert "it gives the date the UN declares" in text
        eu = client.get("/api/v1/treaties/XXVII-1-f/participants/?code=EUU").json()["results"][0]
        assert (eu["status"], eu["entry_into_force"]) == ("counted", "2003-12-29")
        assert page(client, "/treaties/XXVII-1-f/badge.svg").count("in force since Dec. 29, 2003") >= 1
        assert not treaty.review_items.exists()  # the rule agrees with UNTC's date


class ActionsFromThe1940sTests:
    def test_a_protocol_of_1946_draws_its_eight_decades(self, client, track):
        track("VI-1")
        text = page(client, "/treaties/VI-1/")
        assert "In force since Dec. 11, 1946" in text
        assert "Parties over time" in text
        assert ">1960<" in text and ">2000<" in text  # ticks of whole decades
        assert "<strong>62</strong> parties" in text
        history = page(client, "/treaties/VI-1/history/")
        assert "(recorded on first reading, not announced)" in history


class AnnexNumberTests:
    def test_an_annex_numbered_iii_2_12b_is_followed_everywhere(self, client, track):
        treaty = track("III-2-12b")
        assert treaty.xml_path.endswith("/Chapter%20III/III-2-12b.en.xml")
        text = page(client, "/treaties/III-2-12b/")
        assert "No entry into force stated by the UN Treaty Collection" in text
        assert "<strong>18</strong> parties" in text
        application = Event.objects.filter(treaty=treaty, kind=EventKind.NEW_ACTION).first()
        event_page = page(client, f"/events/{application.pk}/")
        assert "It makes the participant a party." in event_page and "signatory" not in event_page
        assert client.get("/api/v1/treaties/III-2-12b/").status_code == 200
        assert client.get("/api/v1/actions/?treaty=III-2-12b").json()["results"]
        assert client.get("/feeds/III-2-12b.atom").status_code == 200
        out = StringIO()
        call_command("track", "iii-2-12B", stdout=out)  # any case; already read: nothing done
        assert "III-2-12b: already followed and read; nothing done" in out.getvalue()
