from __future__ import annotations

import datetime

import pytest

from ratification.models import Treaty
from tests.views.conftest import deposit, participant, sign


@pytest.fixture
def second_treaty(treaty):
    other = Treaty.objects.create(
        mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", short_title="Paris Agreement", xml_path="x.xml"
    )
    sign(other, "France", datetime.date(2016, 4, 22))
    deposit(other, "France", datetime.date(2016, 10, 5))
    return other


@pytest.mark.django_db
class ParticipantPageTests:
    def test_it_shows_the_participants_actions_under_every_tracked_treaty(self, client, second_treaty):
        deposit(Treaty.objects.get(mtdsg="XVIII-16"), "France", datetime.date(2026, 3, 1))
        page = client.get("/participants/FRA/").content.decode()
        assert "<h1>France</h1>" in page
        assert '<a href="/treaties/XVIII-16/">UN Convention against Cybercrime</a>' in page
        assert '<a href="/treaties/XXVII-7-d/">Paris Agreement</a>' in page
        assert 'Ratification, <time datetime="2016-10-05">' in page
        assert "France: ratification" in page  # its recent changes

    def test_it_says_where_each_date_comes_from(self, client, treaty):
        page = client.get("/participants/FRA/").content.decode()
        assert "seed data (untc)" in page

    def test_it_accepts_a_lowercase_code_and_refuses_an_unknown_one(self, client, treaty):
        assert client.get("/participants/fra/").status_code == 200
        assert client.get("/participants/ZZZ/").status_code == 404

    def test_it_shows_an_empty_record_for_a_participant_with_no_action(self, client, treaty):
        participant("Afghanistan")
        page = client.get("/participants/AFG/").content.decode()
        assert "No signature or instrument recorded under the tracked treaties." in page
