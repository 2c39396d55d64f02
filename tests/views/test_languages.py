from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings

from tests.views.conftest import deposit


@pytest.mark.django_db
class LanguageTests:
    def test_it_speaks_the_browsers_language_with_dates_in_its_format(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        french = client.get("/", headers={"accept-language": "fr-CH, fr;q=0.9, en;q=0.5"})
        assert french["Content-Language"] == "fr"
        page = french.content.decode()
        assert '<html lang="fr">' in page
        assert "instruments comptabilisés" in page
        assert "31 décembre 2026" in page
        czech = client.get("/", headers={"accept-language": "cs"}).content.decode()
        assert "31. prosince 2026" in czech
        assert "Ještě nevstoupila v platnost" in czech

    def test_numbers_in_the_pictures_stay_machine_readable_in_every_language(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        for language in ("fr", "cs"):
            page = client.get("/", headers={"accept-language": language}).content.decode()
            assert 'viewBox="0 0 1000.0 434.8"' in page
            assert not re.search(r'(?:x1|y1|x2|y2|y)="\d+,\d', page)

    def test_it_falls_back_to_english_for_a_language_it_does_not_have(self, client, treaty):
        page = client.get("/", headers={"accept-language": "de"}).content.decode()
        assert '<html lang="en">' in page
        assert "Dec. 31, 2026" in page

    def test_the_switcher_remembers_the_choice_and_returns_to_the_same_page(self, client, treaty):
        page = client.get("/participants/FRA/").content.decode()
        assert 'action="/i18n/setlang/"' in page
        assert '<button type="submit" name="language" value="cs" lang="cs">Česky</button>' in page
        response = client.post("/i18n/setlang/", {"language": "cs", "next": "/participants/FRA/"})
        assert response.status_code == 302
        assert response["Location"] == "/participants/FRA/"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cs"
        # beyond the browser session: a cookie without max-age would be forgotten on closing it
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] >= 365 * 24 * 60 * 60
        page = client.get("/participants/FRA/", headers={"accept-language": "en"}).content.decode()
        assert '<html lang="cs">' in page
        assert 'value="cs" lang="cs" aria-current="true"' in page

    def test_the_feed_and_calendar_speak_the_readers_language_too(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        feed = client.get("/feeds/XVIII-16.atom", headers={"accept-language": "fr"}).content.decode()
        assert "France : ratification" in feed
        calendar = client.get("/treaties/XVIII-16.ics", headers={"accept-language": "cs"}).content.decode()
        assert "Poslední den k podpisu" in calendar
