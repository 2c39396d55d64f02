"""Every real MTDSG number is accepted by the model, the URLs, the API and the commands, with the one
grammar of scrapers/mtdsg.py; what is no number is refused with a sentence saying what one is."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import resolve, reverse

from ratification.models import MTDSG_VALIDATOR, Treaty
from ratification.services.treaties import treaty_create

NUMBERS = ["III-2-12a", "III-2-12", "XI-A-12", "XI-E-1", "XXVII-1-d", "XXVI-2-c", "XVIII-16", "XXIX-1"]
NOT_NUMBERS = ["XXX-1", "X-A-1", "XVIII-16\n", "XVIII-16-", "../etc", "XVIII-16-d-e"]


@pytest.mark.parametrize("number", NUMBERS)
def test_the_model_and_every_address_take_it(number):
    MTDSG_VALIDATOR(number)
    for name in ("treaty", "treaty-history", "treaty-badge", "treaty-embed", "treaty-participants-csv"):
        path = reverse(name, kwargs={"mtdsg": number})
        assert resolve(path).kwargs["mtdsg"] == number
    assert resolve(f"/feeds/{number}.atom").kwargs["mtdsg"] == number
    assert resolve(f"/treaties/{number}.ics").kwargs["mtdsg"] == number


@pytest.mark.parametrize("number", NOT_NUMBERS)
def test_the_model_refuses_what_is_no_number(number):
    with pytest.raises(ValidationError, match="An MTDSG number looks like"):
        MTDSG_VALIDATOR(number)


@pytest.mark.django_db
class CommandsAndApiTests:
    def test_commands_and_the_api_find_a_treaty_by_any_real_number_in_any_case(self, client):
        treaty_create(mtdsg="iii-2-12A", user=None)
        assert Treaty.objects.filter(mtdsg="III-2-12a").exists()
        out = StringIO()
        call_command("treaty_status", "III-2-12A", "--json", stdout=out)
        assert '"parties": 0' in out.getvalue()
        assert client.get("/api/v1/treaties/III-2-12a/").status_code == 200
        assert client.get("/api/v1/actions/?treaty=III-2-12a").status_code == 200
        assert client.get("/api/v1/actions/?treaty=XXX-1").status_code == 400
        with pytest.raises(CommandError, match="XXIX-9 is not tracked"):
            call_command("treaty_status", "XXIX-9")

    def test_adding_a_number_that_is_none_says_what_one_is_and_stores_nothing(self):
        with pytest.raises(ValidationError, match="a chapter from I to XXIX"):
            treaty_create(mtdsg="XXX-1", user=None)
        assert not Treaty.objects.exists()
