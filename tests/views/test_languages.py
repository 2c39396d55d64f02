from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings

from ratification.models import Action, Treaty
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

    @pytest.mark.parametrize(
        "path", ["/", "/treaties/", "/treaties/XVIII-16/history/", "/participants/FRA/", "/subscribe/", "/api/docs/"]
    )
    def test_lang_in_the_address_chooses_the_language_of_any_page(self, client, treaty, path):
        """Every page invites adding ?lang= to an address: it must work on every page, over the
        browser's language and the switcher's cookie."""
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
        response = client.get(f"{path}?lang=fr", headers={"accept-language": "en"})
        assert response.status_code == 200
        assert response["Content-Language"] == "fr"
        assert '<html lang="fr">' in response.content.decode()

    def test_a_page_asked_with_lang_is_stored_apart_from_the_same_page_in_the_readers_language(self, client, treaty):
        for _ in range(2):  # the second answers come from the response cache
            assert '<html lang="fr">' in client.get("/?lang=fr", headers={"accept-language": "en"}).content.decode()
            assert '<html lang="en">' in client.get("/", headers={"accept-language": "en"}).content.decode()
            assert '<html lang="cs">' in client.get("/?lang=cs", headers={"accept-language": "fr"}).content.decode()

    def test_an_unknown_lang_is_ignored(self, client, treaty):
        page = client.get("/?lang=de", headers={"accept-language": "cs"}).content.decode()
        assert '<html lang="cs">' in page

    def test_the_switcher_wins_over_the_lang_of_the_address_it_returns_to(self, client, treaty):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/treaties/?lang=fr&sort=title"})
        assert response.status_code == 302
        assert response["Location"] == "/treaties/?sort=title"
        assert '<html lang="en">' in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
class PluralTests:
    """Counts agree with their noun in every language: French puts 1 in the singular."""

    def test_one_counted_instrument_is_singular_in_french_on_the_page_the_card_and_the_history(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        french = {"accept-language": "fr"}
        page = client.get("/", headers=french).content.decode()
        assert "<strong>1</strong> instrument comptabilisé sur 40" in page
        card = client.get("/treaties/XVIII-16/embed/", headers=french).content.decode()
        assert "<strong>1</strong> instrument comptabilisé sur 40" in card
        history = client.get("/treaties/XVIII-16/history/", headers=french).content.decode()
        assert "1 instrument comptabilisé sur 40" in history
        assert not re.search(r"\b1(</strong>)? instruments comptabilisés", page + card + history)
        deposit(treaty, "Ghana", datetime.date(2026, 2, 2))
        assert "<strong>2</strong> instruments comptabilisés sur 40" in client.get("/", headers=french).content.decode()

    @pytest.mark.parametrize(
        ("language", "one", "two", "five"),
        [
            ("en", "1 party", "2 parties", "5 parties"),
            ("fr", "1 partie", "2 parties", "5 parties"),
            ("cs", "1 smluvní strana", "2 smluvní strany", "5 smluvních stran"),
        ],
    )
    def test_a_treaty_whose_rule_is_not_known_counts_its_parties_in_the_plural_of_each_language(
        self, client, treaty, language, one, two, five
    ):
        """No known rule: the page, the card, the list and the badge give UNTC's parties (issue 21),
        agreeing with their number as the count toward a known rule does (issue 26)."""
        Treaty.objects.filter(pk=treaty.pk).update(rule_basis="")
        headers = {"accept-language": language}
        names = ["France", "Ghana", "Norway", "Austria", "Chile"]
        for count, expected in ((1, one), (2, two), (5, five)):
            for name in names[len(Action.objects.filter(treaty=treaty, kind="ratification")) : count]:
                deposit(treaty, name, datetime.date(2026, 2, 1))
            page = client.get("/", headers=headers).content.decode()
            card = client.get("/treaties/XVIII-16/embed/", headers=headers).content.decode()
            listing = client.get("/treaties/", headers=headers).content.decode()
            badge = client.get("/treaties/XVIII-16/badge.svg", headers=headers).content.decode()
            strong = expected.replace(str(count), f"<strong>{count}</strong>", 1)
            assert strong in page and strong in card, (language, count)
            assert expected in listing and expected in badge, (language, count)
            assert "40" not in re.sub(r"<[^>]+>", "", badge), badge  # no threshold borrowed from the rule

    def test_english_keeps_of_forty_instruments_for_one(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        assert "<strong>1</strong> of 40 instruments counted" in client.get("/").content.decode()

    def test_a_list_of_one_treaty_says_so(self, client, treaty):
        assert "Showing the 1 treaty." in client.get("/treaties/").content.decode()
        assert "Le traité suivi est affiché (1)." in client.get("/treaties/?lang=fr").content.decode()
