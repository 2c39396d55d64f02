"""Where people look: steps are shown beside the UN record, in their own look and words, never in it."""

from __future__ import annotations

import re

import pytest

from ratification.models import ActionKind, StageKind
from tests.stages.conftest import D, step
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db


def row_names(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/participants/[A-Z0-9]+/">([^<]+)</a></th>', page)


@pytest.fixture
def pipeline(treaty):
    """Austria and Ghana report parliamentary approval; France did, then deposited; Chile has a bill."""
    step(treaty, "AUT", D(2026, 3, 12))
    step(treaty, "GHA", D(2026, 2, 1), StageKind.SUBMITTED)
    step(treaty, "GHA", D(2026, 4, 1), StageKind.SIGNED_INTO_LAW)
    step(treaty, "FRA", D(2026, 1, 10))
    deposit(treaty, "France", D(2026, 3, 1))
    step(treaty, "CHL", D(2026, 5, 5), StageKind.SUBMITTED)
    return treaty


class StatusPageTests:
    def test_it_says_how_many_report_parliamentary_approval_apart_from_the_counts(self, client, pipeline):
        page = client.get("/").content.decode()
        assert "In the pipeline: 2 States report parliamentary approval." in page
        assert "3 participants with a reported step in all" in page
        assert "not yet deposited with the UN, and not counted above" in page
        assert "<strong>1</strong> of 40 instruments counted" in page  # France's deposit only

    def test_it_offers_the_scenario_labelled_as_one(self, client, pipeline):
        page = client.get("/").content.decode()
        assert "Scenario, not a forecast" in page
        assert "If the 2 States that report parliamentary approval deposited within 6 months" in page
        assert "the count would be 3 of 40 by" in page

    def test_without_steps_it_says_nothing_of_them(self, client, treaty):
        page = client.get("/").content.decode()
        assert "In the pipeline" not in page and "Scenario, not a forecast" not in page


class ParticipantsTableStageTests:
    def test_each_row_shows_its_pending_step_in_its_own_words(self, client, pipeline):
        page = client.get("/").content.decode()
        austria = page.split(">Austria</a></th>")[1].split("</tr>")[0]
        assert 'class="reported-step"' in austria and "Approved by parliament" in austria
        assert "reported by parlament.gv.at, not yet deposited with the UN" in austria
        france = page.split(">France</a></th>")[1].split("</tr>")[0]
        assert "reported-step" not in france  # its deposit ended its pipeline

    def test_it_filters_by_step_without_javascript(self, client, pipeline):
        assert row_names(client.get("/?stage=approval").content.decode()) == ["Austria", "Ghana"]
        assert row_names(client.get("/?stage=pipeline").content.decode()) == ["Austria", "Chile", "Ghana"]
        page = client.get("/?stage=submitted&status=signatory").content.decode()
        assert row_names(page) == ["Chile"]
        assert '<option value="submitted" selected>Submitted to parliament (1)</option>' in page
        assert row_names(client.get("/?stage=nonsense").content.decode())[:2] == ["Algeria", "Angola"]

    def test_sort_links_keep_the_step_filter(self, client, pipeline):
        page = client.get("/?stage=approval").content.decode()
        assert 'href="?stage=approval&amp;sort=instrument#participants"' in page


class ParticipantPageTests:
    def test_one_timeline_holds_un_actions_and_reported_steps_told_apart(self, client, pipeline):
        page = client.get("/participants/FRA/").content.decode()
        timeline = page.split('class="timeline-list"')[1].split("</ol>")[0]
        items = re.findall(r"<li( class=\"is-stage\")?>(.*?)</li>", timeline, re.S)
        assert [bool(is_stage) for is_stage, _ in items] == [False, True, False]  # signature, step, deposit
        assert "reported by parlament.gv.at; deposited with the UN since" in items[1][1]
        assert "Ratification" in items[2][1]

    def test_a_state_with_steps_but_no_un_action_has_a_page(self, client, treaty):
        from ratification.services.stage_import import stages_import

        stages_import(
            treaty=treaty,
            data="participant,date,stage,source_url,note\nNZL,2026-03-01,submitted,https://www.parliament.nz/b,\n",
            user=None,
            reason="file",
        )
        page = client.get("/participants/NZL/").content.decode()
        assert "No signature or instrument in the UN" in page
        assert "reported by parliament.nz, not yet deposited with the UN" in page
        assert "Scenario" not in client.get("/").content.decode()  # a bill is no approval

    def test_a_stage_changes_the_page_at_once(self, client, treaty):
        before = client.get("/participants/AUT/").content.decode()
        assert "reported-step" not in before
        step(treaty, "AUT", D(2026, 3, 12))
        assert "Approved by parliament" in client.get("/participants/AUT/").content.decode()


class StepsOnlyParticipantTests:
    """A State that reports a step before any UN action (a bill to accede) is in the table, the
    exports and the API, with no UN status, and changes no count."""

    @pytest.fixture
    def new_zealand(self, treaty):
        from ratification.services.stage_import import stages_import

        stages_import(
            treaty=treaty,
            data="participant,date,stage,source_url,note\nNZL,2026-03-01,approved,https://www.parliament.nz/b,\n",
            user=None,
            reason="file",
        )
        return treaty

    def test_it_is_a_row_of_the_table_with_no_un_status(self, client, new_zealand):
        page = client.get("/").content.decode()
        assert "New Zealand" in row_names(page)
        row = page.split('data-name="New Zealand"', 1)[1].split("</tr>", 1)[0]
        assert "No UN action, a national step reported" in row and "Approved by parliament" in row
        assert "Showing all 73 participants." in page
        assert '<option value="none">No UN action, a national step reported (1)</option>' in page
        assert "New Zealand" in row_names(client.get("/?stage=approval").content.decode())
        assert row_names(client.get("/?status=none").content.decode()) == ["New Zealand"]
        # The UN record is untouched: the counts, and the map, which leaves it uncoloured.
        assert "<strong>0</strong> of 40 instruments counted" in page
        map_text = page.split('class="map-text"', 1)[1].split("</details>", 1)[0]
        assert "New Zealand" not in map_text

    def test_it_is_in_the_csv_and_json_exports(self, client, new_zealand):
        text = client.get("/treaties/XVIII-16/participants.csv").content.decode()
        [line] = [line for line in text.splitlines() if line.startswith("NZL,")]
        assert ",none," in line and "approved" in line
        [record] = [
            r for r in client.get("/treaties/XVIII-16/participants.json").json()["participants"] if r["code"] == "NZL"
        ]
        assert record["status"] == "none" and record["reported_stage"] == "approved"
        assert record["signature_date"] is None and record["instrument_kind"] is None

    def test_it_is_in_the_api_and_its_status_filter(self, client, new_zealand):
        rows = client.get("/api/v1/treaties/XVIII-16/participants/?status=none").json()["results"]
        assert [(row["code"], row["status"], row["actions"]) for row in rows] == [("NZL", "none", [])]
        assert rows[0]["reported_stages"][0]["stage"] == "approved"
        everyone = client.get("/api/v1/treaties/XVIII-16/participants/?page_size=200").json()["results"]
        assert "NZL" in [row["code"] for row in everyone]
        assert client.get("/api/v1/treaties/XVIII-16/").json()["status"]["counted"] == 0


class UnRecordTests:
    def test_steps_never_change_the_counts_dates_or_statuses(self, client, treaty):
        from ratification import selectors

        deposit(treaty, "Viet Nam", D(2026, 1, 20))
        deposit(treaty, "Ghana", D(2026, 2, 14), ActionKind.ACCEPTANCE)
        before = selectors.treaty_overview(treaty=treaty)
        step(treaty, "AUT", D(2026, 3, 12))
        step(treaty, "VNM", D(2026, 5, 1), StageKind.DEPOSIT_ANNOUNCED)
        after = selectors.treaty_overview(treaty=treaty)
        assert after[0] == before[0]
        assert [(r.code, r.status, r.entry_into_force_on) for r in after[1]] == [
            (r.code, r.status, r.entry_into_force_on) for r in before[1]
        ]


class ParticipantMergeTests:
    def test_a_merge_moves_the_steps_with_the_actions(self, treaty):
        from ratification.models import Participant, Stage
        from ratification.services.participant_edits import participant_code_assign
        from ratification.services.participants import participant_create_unknown

        unknown = participant_create_unknown(name="Republic of Austria")
        step(treaty, unknown.code, D(2026, 3, 12))
        survivor = participant_code_assign(participant=unknown, code="AUT", user=None, reason="the same State")
        assert survivor.code == "AUT"
        assert Stage.objects.get().participant == Participant.objects.get(code="AUT")
