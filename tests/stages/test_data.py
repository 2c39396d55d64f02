"""Steps in the data people download: the API, the CSV and JSON exports, each marked as reported."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ratification.models import StageKind
from tests.stages.conftest import D, step
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(treaty):
    step(treaty, "AUT", D(2026, 3, 12))
    step(treaty, "FRA", D(2026, 1, 10))
    deposit(treaty, "France", D(2026, 3, 1))
    step(treaty, "GHA", D(2026, 4, 1), StageKind.OTHER, label="Cabinet decision")
    return treaty


class ApiTests:
    def test_each_participant_carries_its_steps_marked_pending_or_not(self, client, pipeline):
        rows = client.get("/api/v1/treaties/XVIII-16/participants/?code=AUT&code=FRA&code=GHA").json()["results"]
        by_code = {row["code"]: row for row in rows}
        assert by_code["AUT"]["reported_stages"] == [
            {
                "stage": "approved",
                "label": "",
                "date": "2026-03-12",
                "source_url": "https://www.parlament.gv.at/gegenstand/XXVIII/I/123",
                "source_host": "parlament.gv.at",
                "note": "",
                "pending": True,
            }
        ]
        assert by_code["FRA"]["reported_stages"][0]["pending"] is False  # its deposit followed
        assert by_code["GHA"]["reported_stages"][0]["label"] == "Cabinet decision"
        assert by_code["AUT"]["status"] == "signatory"  # a step is no instrument

    def test_the_schema_documents_the_steps(self, client):
        import yaml

        schema = yaml.safe_load(client.get("/api/schema/").content)
        row = schema["components"]["schemas"]["ParticipantRow"]
        assert "reported_stages" in row["required"]
        assert schema["components"]["schemas"]["Stage"]["properties"]["pending"]["type"] == "boolean"


class ExportTests:
    def test_the_csv_has_the_pending_step_in_its_own_columns(self, client, pipeline):
        text = client.get("/treaties/XVIII-16/participants.csv").content.decode()
        rows = {row["code"]: row for row in csv.DictReader(io.StringIO(text))}
        assert (rows["AUT"]["reported_stage"], rows["AUT"]["reported_stage_date"]) == ("approved", "2026-03-12")
        assert rows["GHA"]["reported_stage"] == "Cabinet decision"
        assert rows["FRA"]["reported_stage"] == "" and rows["FRA"]["status"] == "counted"

    def test_the_json_has_every_step_and_says_what_they_are(self, client, pipeline):
        document = json.loads(client.get("/treaties/XVIII-16/participants.json").content)
        assert "not yet deposited with the UN" in document["reported_stages_note"]
        by_code = {row["code"]: row for row in document["participants"]}
        assert by_code["FRA"]["reported_stages"][0]["pending"] is False
        assert by_code["AUT"]["reported_stage"] == "approved"
        assert document["summary"]["counted"] == 1

    def test_the_steps_export_is_the_import_format(self, client, pipeline):
        response = client.get("/treaties/XVIII-16/national-steps.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert lines[0] == "participant,date,stage,source_url,note"
        assert "GHA,2026-04-01,Cabinet decision,https://www.parlament.gv.at/gegenstand/XXVIII/I/123," in lines
